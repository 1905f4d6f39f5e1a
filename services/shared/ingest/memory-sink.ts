import type { DeadLetter } from '../dlq.ts';
import type { EventSink } from './importer.ts';

/**
 * An EventSink that keeps what it is given in memory: for a dry run of an import, and for tests
 * of sources and the importer (pure logic, no broker).
 */
export class MemorySink implements EventSink {
  events: { topic: string; key: string; value: string }[] = [];
  letters: DeadLetter[] = [];
  /** How many publish calls were made (batches). */
  calls = 0;

  publish(messages: readonly { topic: string; key: string; value: string }[]): Promise<void> {
    this.calls++;
    this.events.push(...messages);
    return Promise.resolve();
  }

  deadLetter(letters: readonly DeadLetter[]): Promise<void> {
    this.letters.push(...letters);
    return Promise.resolve();
  }
}

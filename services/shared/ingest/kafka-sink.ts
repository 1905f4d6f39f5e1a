/**
 * The Kafka side of an import: an idempotent producer, acks from every in-sync replica, dead
 * letters written before the events of the same batch.
 */
import type { Producer } from 'kafkajs';
import { DlqPublisher, type DeadLetter } from '../dlq.ts';
import { sendInChunks } from '../kafka.ts';
import type { EventSink } from './importer.ts';

export function kafkaSink(producer: Producer, service: string): EventSink {
  const dlq = new DlqPublisher(producer, service);
  return {
    publish: (messages) => sendInChunks(producer, messages),
    deadLetter(letters: readonly DeadLetter[]) {
      return dlq.publish(letters);
    },
  };
}

/**
 * The Kafka side of an import: an idempotent producer, acks from every in-sync replica, dead
 * letters written before the events of the same batch.
 */
import type { Producer } from 'kafkajs';
import { DlqPublisher, type DeadLetter } from '../dlq.ts';
import type { EventSink } from './importer.ts';

/**
 * Bytes per produce request. A broker refuses a record batch over message.max.bytes (1 MiB by
 * default), and one partition's messages of a request form one batch, so requests stay below.
 */
export const MAX_REQUEST_BYTES = 768 * 1024;

/** Splits messages into runs of at most `max` bytes (a larger single message is its own run). */
export function chunkByBytes<T extends { key: string; value: string }>(
  messages: readonly T[],
  max: number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const m of messages) {
    const bytes = Buffer.byteLength(m.key) + Buffer.byteLength(m.value) + 64;
    if (current.length > 0 && size + bytes > max) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function kafkaSink(producer: Producer, service: string): EventSink {
  const dlq = new DlqPublisher(producer, service);
  return {
    async publish(messages) {
      for (const chunk of chunkByBytes(messages, MAX_REQUEST_BYTES)) {
        const byTopic = new Map<string, { key: string; value: string }[]>();
        for (const m of chunk) {
          const list = byTopic.get(m.topic) ?? [];
          list.push({ key: m.key, value: m.value });
          byTopic.set(m.topic, list);
        }
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
        });
      }
    },
    deadLetter(letters: readonly DeadLetter[]) {
      return dlq.publish(letters);
    },
  };
}

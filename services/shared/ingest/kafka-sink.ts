/**
 * The Kafka side of an import: an idempotent producer, acks from every in-sync replica, dead
 * letters written before the events of the same batch.
 */
import type { Producer } from 'kafkajs';
import { DlqPublisher, type DeadLetter } from '../dlq.ts';
import type { EventSink } from './importer.ts';

export function kafkaSink(producer: Producer, service: string): EventSink {
  const dlq = new DlqPublisher(producer, service);
  return {
    async publish(messages) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const m of messages) {
        const list = byTopic.get(m.topic) ?? [];
        list.push({ key: m.key, value: m.value });
        byTopic.set(m.topic, list);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
      });
    },
    deadLetter(letters: readonly DeadLetter[]) {
      return dlq.publish(letters);
    },
  };
}

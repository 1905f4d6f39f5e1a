/**
 * kafkajs set up the project's way: logs routed into pino, topics created idempotently.
 */
import { Kafka, logLevel as KafkaLogLevel, type Admin, type logCreator, type Producer } from 'kafkajs';
import type { Logger } from './logger.ts';
import type { TopicSpec } from '../../schemas/topics.ts';

function pinoLogCreator(log: Logger): logCreator {
  return () =>
    ({ namespace, level, log: entry }) => {
      const { message, ...rest } = entry;
      const child = { kafkajs: namespace, ...rest };
      if (level === KafkaLogLevel.ERROR) log.error(child, message);
      else if (level === KafkaLogLevel.WARN) log.warn(child, message);
      else if (level === KafkaLogLevel.INFO) log.debug(child, message);
      else log.trace(child, message);
    };
}

/** A kafkajs client whose own logs go to `log` (INFO and below at debug level). */
export function createKafka(opts: { brokers: readonly string[]; clientId: string; log: Logger }): Kafka {
  return new Kafka({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    logLevel: KafkaLogLevel.INFO,
    logCreator: pinoLogCreator(opts.log.child({ module: 'kafkajs' })),
    retry: { retries: 8, initialRetryTime: 200 },
  });
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, topics: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
  });
  return missing.map((t) => t.name);
}

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

/** A message for `sendInChunks`. */
export interface TopicMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/**
 * Publishes `messages` (any topics, in order) in produce requests below MAX_REQUEST_BYTES, each
 * acknowledged by every in-sync replica before the next is sent. @throws the producer's error.
 */
export async function sendInChunks(producer: Producer, messages: readonly TopicMessage[]): Promise<void> {
  for (const chunk of chunkByBytes(messages, MAX_REQUEST_BYTES)) {
    const byTopic = new Map<string, Omit<TopicMessage, 'topic'>[]>();
    for (const { topic, ...m } of chunk) {
      const list = byTopic.get(topic) ?? [];
      list.push(m);
      byTopic.set(topic, list);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
    });
  }
}

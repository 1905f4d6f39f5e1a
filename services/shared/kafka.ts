/**
 * kafkajs set up the project's way: logs routed into pino, topics created idempotently.
 */
import kafkajs, {
  Kafka,
  logLevel as KafkaLogLevel,
  type Admin,
  type logCreator,
  type Producer,
} from 'kafkajs';
import type { Logger } from './logger.ts';
import { topicConfig, type TopicSpec } from '../../schemas/topics.ts';

// Node's ESM import of the CommonJS kafkajs sees only the exports before its `...errors` spread.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

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

const entries = (config: Record<string, string>) =>
  Object.entries(config).map(([name, value]) => ({ name, value }));

/**
 * Creates the topics that do not exist yet, with their configs (retention: schemas/topics.ts),
 * and brings the configs of existing ones in step, e.g. raw topics created before they were kept
 * forever. Partition counts of existing topics are left as they are (`stack scale` changes them),
 * and so are the other topic-level overrides an operator set.
 * @returns the topics created and the topics whose configs were changed.
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly TopicSpec[],
): Promise<{ created: string[]; updated: string[] }> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length > 0)
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: 1,
        configEntries: entries(topicConfig(t)),
      })),
    });
  const present = topics.filter((t) => existing.has(t.name));
  if (present.length === 0) return { created: missing.map((t) => t.name), updated: [] };
  const described = await admin.describeConfigs({
    resources: present.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name })),
    includeSynonyms: false,
  });
  const updated: string[] = [];
  for (const t of present) {
    const want = topicConfig(t);
    const overrides = Object.fromEntries(
      (described.resources.find((r) => r.resourceName === t.name)?.configEntries ?? [])
        .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
        .map((e) => [e.configName, e.configValue]),
    );
    // Only what the spec asks for is enforced: an override on a derived topic stays.
    const next = { ...overrides, ...want };
    const same = Object.entries(want).every(([k, v]) => overrides[k] === v);
    if (same) continue;
    // AlterConfigs replaces a topic's whole set of overrides, so the others go along.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: t.name, configEntries: entries(next) }],
    });
    updated.push(t.name);
  }
  return { created: missing.map((t) => t.name), updated };
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

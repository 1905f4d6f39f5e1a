/**
 * kafkajs set up the project's way: logs routed into pino, topics created idempotently.
 */
import { Kafka, logLevel as KafkaLogLevel, type Admin, type logCreator } from 'kafkajs';
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

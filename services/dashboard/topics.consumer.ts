/**
 * Feeds the dashboard's aggregates from Kafka: the enriched payout, signup, contact, ad and
 * annotation topics, the correlations and the dead letters.
 *
 * Each process reads every topic from the beginning in a consumer group of its own
 * (`<group>.<instance>`) and never commits: its figures live in memory only, so a restart must
 * read the whole history again, and two dashboards must each see every partition. The cost at
 * scale is a start-up replay that grows with the topics' retention, and memory for the ids it
 * deduplicates on; a larger deployment would start from ClickHouse's rollups and read Kafka from
 * the offsets they were computed at.
 */
import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { z } from 'zod';
import { CorrelationRecordV1 } from '../../schemas/correlation.ts';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import {
  EnrichedAdV1,
  EnrichedAnnotationV1,
  EnrichedContactV1,
  EnrichedPayoutV1,
  EnrichedSignupV1,
} from '../../schemas/enriched.ts';
import { CORRELATIONS_TOPIC, DLQ_TOPIC, enrichedTopic } from '../../schemas/topics.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { DashboardAggregates, Section } from './aggregates.ts';

type Handler = (value: unknown, position: string) => Section[] | null;

function parsed<S extends z.ZodType>(schema: S, apply: (v: z.infer<S>) => Section[]) {
  return (value: unknown): Section[] | null => {
    const r = schema.safeParse(value);
    return r.success ? apply(r.data) : null;
  };
}

/** The topics the dashboard reads and what each message does to the aggregates. */
export function topicHandlers(
  agg: DashboardAggregates,
): Map<string, (v: unknown, pos: string) => Section[] | null> {
  const dlq: Handler = (value, position) => {
    const r = DlqRecordV1.safeParse(value);
    return agg.addDeadLetter(position, r.success ? r.data : null);
  };
  return new Map<string, Handler>([
    [enrichedTopic('payout'), parsed(EnrichedPayoutV1, (v) => agg.addPayout(v))],
    [enrichedTopic('signup'), parsed(EnrichedSignupV1, (v) => agg.addSignup(v))],
    [enrichedTopic('contact'), parsed(EnrichedContactV1, (v) => agg.addContact(v))],
    [enrichedTopic('ad'), parsed(EnrichedAdV1, (v) => agg.addAd(v))],
    [enrichedTopic('annotation'), parsed(EnrichedAnnotationV1, (v) => agg.addAnnotation(v))],
    [CORRELATIONS_TOPIC, parsed(CorrelationRecordV1, (v) => agg.addCorrelation(v))],
    // A dead letter counts even when its record does not parse: it is still a dead letter.
    [DLQ_TOPIC, dlq],
  ]);
}

export interface DashboardConsumer {
  groupId: string;
  joined: () => boolean;
  stop(): Promise<void>;
}

/** The consumer group of one dashboard process: `<prefix>.<random instance id>`. */
export function instanceGroupId(prefix: string): string {
  return `${prefix}.${randomBytes(6).toString('hex')}`;
}

export async function startDashboardConsumer(opts: {
  kafka: Kafka;
  aggregates: DashboardAggregates;
  groupId: string;
  log: Logger;
  metrics: Metrics;
  onChange: (sections: Section[]) => void;
}): Promise<DashboardConsumer> {
  const log = opts.log.child({ module: 'topics.consumer' });
  const handlers = topicHandlers(opts.aggregates);
  const consumer: Consumer = opts.kafka.consumer({ groupId: opts.groupId, allowAutoTopicCreation: false });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
    log.info({ groupId: opts.groupId }, 'dashboard consumer joined its group');
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...handlers.keys()], fromBeginning: true });
  const onMessage = (topic: string, partition: number, message: KafkaMessage): void => {
    const handle = handlers.get(topic);
    if (!handle) return;
    opts.aggregates.countConsumed(topic);
    opts.metrics.eventsConsumed.inc({ topic });
    let value: unknown = null;
    try {
      value = JSON.parse(message.value?.toString('utf8') ?? 'null');
    } catch {
      value = null;
    }
    const changed = handle(value, `${partition}:${message.offset}`);
    if (changed === null) {
      // A message that breaks its topic's contract: counted on the page, never fatal here,
      // because the dashboard only reads; the producer's tests own the contract.
      log.warn({ topic, partition, offset: message.offset }, 'message does not match its topic schema');
      opts.onChange(['health', ...opts.aggregates.countUnreadable(topic)]);
      return;
    }
    opts.onChange(['health', ...changed]);
  };
  // Nothing is committed: the next start reads from the beginning again (see above).
  await consumer.run({
    autoCommit: false,
    eachMessage: ({ topic, partition, message }) => Promise.resolve(onMessage(topic, partition, message)),
  });
  return {
    groupId: opts.groupId,
    joined: () => joined,
    async stop() {
      await consumer.disconnect();
    },
  };
}

/**
 * The DLQ sink: copies every dead letter from influence.dlq.v1 into ClickHouse `dlq_events`, so
 * analysts can count dead letters by source and reason in SQL (view `dlq_counts`). Rows are keyed
 * by the DLQ message's partition and offset: a redelivery after a restart collapses into the same
 * row. The raw bytes stay in Kafka (they may be sealed); the table keeps their size.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { DLQ_TOPIC } from '../../schemas/topics.ts';
import type { Logger } from '../shared/logger.ts';
import { dateTime64Text } from '../shared/clickhouse.ts';
import { metrics, timed } from '../shared/metrics.ts';

export interface DlqEventRow {
  dlq_partition: number;
  dlq_offset: string;
  reason: string;
  detail: string;
  step: string;
  service: string;
  source: string;
  position: string;
  source_partition: number | null;
  record_key: string | null;
  raw_sealed: boolean;
  raw_bytes: number;
  dead_lettered_at: string;
}

/** One DLQ message as a `dlq_events` row; a message that is not a DLQ record is kept as such. */
export function dlqRow(partition: number, message: KafkaMessage): DlqEventRow {
  const base = { dlq_partition: partition, dlq_offset: message.offset };
  const text = message.value?.toString('utf8') ?? '';
  let parsed: ReturnType<typeof DlqRecordV1.safeParse> | null = null;
  try {
    parsed = DlqRecordV1.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) {
    return {
      ...base,
      reason: 'unreadable_dead_letter',
      detail: 'the DLQ message is not a DLQ record (schemas/dlq.ts)',
      step: 'dlq-sink',
      service: 'unknown',
      source: DLQ_TOPIC,
      position: message.offset,
      source_partition: partition,
      record_key: message.key?.toString('utf8') ?? null,
      raw_sealed: false,
      raw_bytes: message.value?.length ?? 0,
      dead_lettered_at: dateTime64Text(Number(message.timestamp)),
    };
  }
  const r = parsed.data;
  return {
    ...base,
    reason: r.reason,
    detail: r.detail,
    step: r.step,
    service: r.service,
    source: r.source,
    position: r.position ?? '',
    source_partition: r.source_partition,
    record_key: r.original_key,
    raw_sealed: r.raw_sealed,
    raw_bytes: Buffer.byteLength(r.raw_base64, 'base64'),
    dead_lettered_at: dateTime64Text(r.failed_at),
  };
}

export interface RunningDlqSink {
  consumer: Consumer;
  stop(): Promise<void>;
  /** Stops and restarts fetching dead letters; the group and its offsets stay. */
  pause(): void;
  resume(): void;
}

/** Starts copying; offsets are committed after each batch is in ClickHouse. */
export async function startDlqSink(opts: {
  kafka: Kafka;
  clickhouse: ClickHouseClient;
  log: Logger;
  groupId: string;
}): Promise<RunningDlqSink> {
  const log = opts.log.child({ module: 'dlq-sink' });
  const consumer = opts.kafka.consumer({ groupId: opts.groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [DLQ_TOPIC], fromBeginning: true });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const rows = batch.messages.map((m) => dlqRow(batch.partition, m));
      const last = batch.messages[batch.messages.length - 1];
      if (!last) return;
      await timed(metrics.insertDuration, { table: 'dlq_events' }, () =>
        opts.clickhouse.insert({ table: 'dlq_events', values: rows, format: 'JSONEachRow' }),
      );
      payload.resolveOffset(last.offset);
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
      ]);
      await payload.heartbeat();
      log.debug(
        {
          rows: rows.length,
          partition: batch.partition,
          firstOffset: batch.messages[0]?.offset,
          lastOffset: last.offset,
        },
        'dead letters copied',
      );
    },
  });
  await joined;
  return {
    consumer,
    async stop() {
      await consumer.disconnect();
    },
    pause: () => consumer.pause([{ topic: DLQ_TOPIC }]),
    resume: () => consumer.resume([{ topic: DLQ_TOPIC }]),
  };
}

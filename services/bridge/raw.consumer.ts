/**
 * The bridge: consumes raw topics in batches per partition and hands each batch to Temporal as
 * an ingestBatch workflow whose id is derived from group, topic, partition and offset range, so a
 * redelivered batch is not processed twice. The batch's rows go by claim check: written to
 * ClickHouse `batch_claims` under the workflow id, which is all the workflow's input names.
 * Offsets are committed only once Temporal owns the batch (the start was acknowledged, or the
 * workflow already existed). Records that are not valid events go to the DLQ, and their offsets
 * are committed after the DLQ write.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { EVENT_TYPES, rawTopic } from '../../schemas/topics.ts';
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';
import { ingestBatchWorkflowId, type IngestBatchInput } from '../../workflows/ingest-batch/input.ts';
import { BATCH_STATE, EVENT_TYPE, SOURCE } from '../../workflows/search-attributes.ts';
import type { DeadLetter, DlqPublisher } from '../shared/dlq.ts';
import { headersToStrings } from '../shared/dlq.ts';
import type { Logger } from '../shared/logger.ts';
import { dateTime64Text } from '../shared/clickhouse.ts';
import { writeClaim } from '../shared/batch-claims.ts';
import { metrics } from '../shared/metrics.ts';
import { checkRawEvent } from '../shared/raw-event.ts';
import { INGEST_TASK_QUEUE } from '../shared/temporal.ts';

export interface BridgeOptions {
  kafka: Kafka;
  temporal: Client;
  /** Where batches are claimed (`batch_claims`). */
  clickhouse: ClickHouseClient;
  dlq: DlqPublisher;
  log: Logger;
  groupId: string;
  topics?: readonly string[];
  /**
   * Most events handed to one workflow. Per-batch costs (a workflow, its activities, a few
   * inserts) dominate below a few thousand events: docs/performance.md.
   */
  maxBatchEvents?: number;
  /** Most message bytes in one batch (the claim is one ClickHouse row). */
  maxBatchBytes?: number;
  /** Start from the earliest offset when the group has none committed. */
  fromBeginning?: boolean;
  taskQueue?: string;
}

type Decoded = { ok: true; row: RawEventRow } | { ok: false; letter: DeadLetter };

/** Validates one raw-topic message against its event schema and turns it into a row. */
export function decodeRawMessage(topic: string, partition: number, message: KafkaMessage): Decoded {
  const raw = message.value ?? Buffer.alloc(0);
  const fail = (reason: DeadLetter['reason'], detail: string): Decoded => ({
    ok: false,
    letter: {
      reason,
      detail,
      step: 'bridge:decode',
      source: topic,
      position: message.offset,
      partition,
      key: message.key?.toString('utf8') ?? null,
      headers: headersToStrings(message.headers),
      raw,
    },
  });
  const checked = checkRawEvent(raw);
  if (!checked.ok) return fail(checked.reason, checked.detail);
  const e = checked.event;
  return {
    ok: true,
    row: {
      event_id: e.event_id,
      type: e.type,
      schema_version: e.schema_version,
      source: e.source,
      source_record_id: e.source_record_id,
      occurred_at: dateTime64Text(e.occurred_at),
      ingested_at: dateTime64Text(e.ingested_at),
      payload: JSON.stringify(e.payload),
      kafka_topic: topic,
      kafka_partition: partition,
      kafka_offset: message.offset,
      workflow_id: '',
    },
  };
}

/** Splits a partition's messages into chunks bounded by count and bytes, in offset order. */
export function chunkMessages(
  messages: readonly KafkaMessage[],
  maxEvents: number,
  maxBytes: number,
): KafkaMessage[][] {
  const chunks: KafkaMessage[][] = [];
  let current: KafkaMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = m.value?.length ?? 0;
    if (current.length > 0 && (current.length >= maxEvents || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Events per batch unless configured (BRIDGE_MAX_BATCH_EVENTS). */
export const DEFAULT_MAX_BATCH_EVENTS = 5000;

/** A running bridge; `stop()` leaves the group after the batch in hand is handed over. */
export interface RunningBridge {
  consumer: Consumer;
  stop(): Promise<void>;
  /** Batches handed to Temporal since start (new or already owned). */
  stats(): { batches: number; events: number; deadLettered: number; alreadyOwned: number };
  /**
   * Stops fetching and handing over (an operator's pause): the batch in hand finishes its current
   * chunk, the rest of it is fetched again on resume. The consumer stays in its group and keeps
   * its committed offsets, so nothing is lost or handed over twice.
   */
  pause(): void;
  resume(): void;
  /** When the bridge was paused, or null while it runs. */
  pausedSince(): string | null;
}

/** Starts consuming. Resolves once the consumer has joined its group and is running. */
export async function startBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const log = opts.log.child({ module: 'bridge' });
  const topics = opts.topics ?? EVENT_TYPES.map(rawTopic);
  const maxEvents = opts.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS;
  const maxBytes = opts.maxBatchBytes ?? 8 * 1024 * 1024;
  const taskQueue = opts.taskQueue ?? INGEST_TASK_QUEUE;
  const stats = { batches: 0, events: 0, deadLettered: 0, alreadyOwned: 0 };
  let pausedSince: string | null = null;
  const consumer = opts.kafka.consumer({
    groupId: opts.groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 8 * 1024 * 1024,
    // Under load, wait a moment for a fuller fetch: bigger batches, fewer workflows. A lone
    // record waits at most maxWaitTimeInMs.
    minBytes: 1024 * 1024,
    maxWaitTimeInMs: 250,
  });

  async function handOver(topic: string, partition: number, chunk: KafkaMessage[]): Promise<void> {
    metrics.eventsConsumed.inc({ topic }, chunk.length);
    const end = metrics.batchHandOver.startTimer({ topic });
    const first = chunk[0]?.offset ?? '0';
    const last = chunk[chunk.length - 1]?.offset ?? first;
    const workflowId = ingestBatchWorkflowId(opts.groupId, topic, partition, first, last);
    // The workflow id is the batch's correlation id: the worker's activities log it too, and
    // raw_events.workflow_id keeps it with every event.
    const batchLog = log.child({ batchId: workflowId });
    const rows: RawEventRow[] = [];
    const letters: DeadLetter[] = [];
    for (const m of chunk) {
      const d = decodeRawMessage(topic, partition, m);
      if (d.ok) rows.push({ ...d.row, workflow_id: workflowId });
      else letters.push(d.letter);
    }
    await opts.dlq.publish(letters);
    stats.deadLettered += letters.length;
    const position = { topic, partition, firstOffset: first, lastOffset: last };
    if (rows.length === 0) {
      end();
      batchLog.info({ ...position, events: 0, deadLettered: letters.length }, 'batch dead-lettered whole');
      return;
    }
    await writeClaim(opts.clickhouse, workflowId, rows);
    const input: IngestBatchInput = {
      topic,
      partition,
      firstOffset: first,
      lastOffset: last,
      claimed: rows.length,
    };
    let owned = false;
    try {
      await opts.temporal.workflow.start('ingestBatch', {
        taskQueue,
        workflowId,
        args: [input],
        // A completed batch is never re-run; a failed one may be, once the cause is fixed.
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [
          { key: EVENT_TYPE, value: rows[0]?.type ?? 'unknown' },
          { key: SOURCE, value: rows[0]?.source ?? 'unknown' },
          { key: BATCH_STATE, value: 'started' },
        ],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      stats.alreadyOwned++;
      owned = true;
    }
    stats.batches++;
    stats.events += rows.length;
    metrics.eventsHandedOver.inc({ topic }, rows.length);
    const seconds = end();
    batchLog.info(
      { ...position, events: rows.length, deadLettered: letters.length, alreadyOwned: owned, seconds },
      'batch handed to Temporal',
    );
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (const chunk of chunkMessages(batch.messages, maxEvents, maxBytes)) {
      // Paused: leave the rest unresolved; the consumer fetches it again after resume.
      if (!payload.isRunning() || payload.isStale() || pausedSince !== null) return;
      await handOver(batch.topic, batch.partition, chunk);
      const last = chunk[chunk.length - 1];
      if (!last) continue;
      payload.resolveOffset(last.offset);
      // Temporal owns the batch now: commit past it.
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
      ]);
      await payload.heartbeat();
    }
  }

  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: opts.fromBeginning ?? true });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Hand-overs wait on ClickHouse (the claim) and Temporal (the start): several partitions at
    // once keep the worker fed. Each partition's batches still go in offset order.
    partitionsConsumedConcurrently: 4,
    eachBatch,
  });
  await joined;
  log.info({ groupId: opts.groupId, topics }, 'bridge consuming');
  return {
    consumer,
    stats: () => ({ ...stats }),
    pause() {
      if (pausedSince !== null) return;
      pausedSince = new Date().toISOString();
      consumer.pause(topics.map((topic) => ({ topic })));
      log.info({ groupId: opts.groupId }, 'bridge paused');
    },
    resume() {
      if (pausedSince === null) return;
      pausedSince = null;
      consumer.resume(topics.map((topic) => ({ topic })));
      log.info({ groupId: opts.groupId }, 'bridge resumed');
    },
    pausedSince: () => pausedSince,
    async stop() {
      await consumer.disconnect();
    },
  };
}

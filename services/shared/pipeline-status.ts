/**
 * Is the pipeline idle? Checked upstream first, so nothing can slip between two checks:
 *   1. every raw topic is consumed and handed over by the bridge's group (lag 0), and every
 *      dead letter copied by the DLQ sink;
 *   2. no ingestBatch or rebuild workflow is running (a running batch may still signal sponsors);
 *   3. no sponsor correlation workflow has a signal pending or a recomputation in flight.
 * `waitForIdle` also asks for two idle readings in a row, because Temporal's visibility store
 * (the workflow list) trails the start of a workflow by a moment.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import type { Client } from '@temporalio/client';
import { createKafka } from './kafka.ts';
import type { Logger } from './logger.ts';
import { connectTemporal } from './temporal.ts';
import { DLQ_TOPIC, EVENT_TYPES, rawTopic } from '../../schemas/topics.ts';
import {
  SPONSOR_WORKFLOW_TYPE,
  statusQuery,
  type SponsorStatus,
} from '../../workflows/sponsor-correlation/contracts.ts';

export const BRIDGE_GROUP_ID = 'bridge.raw';
export const DLQ_SINK_GROUP_ID = 'dlq-sink';

export interface PipelineStatus {
  idle: boolean;
  /** Messages not yet handed over, per consumer group and topic. */
  lag: Record<string, number>;
  runningBatches: number;
  busySponsors: string[];
  sponsors: number;
}

/** Unconsumed messages of one partition for a consumer group. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/**
 * Unconsumed messages of `group` on every partition of `topics` (0 included): from the group's
 * committed offset, or the partition's low mark when it has none, to the high mark.
 */
export async function partitionLags(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionLag[]> {
  const out: PartitionLag[] = [];
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const p of ends) {
      const at = mine.find((m) => m.partition === p.partition)?.offset ?? '-1';
      const from = BigInt(at) < 0n ? BigInt(p.low) : BigInt(at);
      const lag = BigInt(p.high) > from ? BigInt(p.high) - from : 0n;
      out.push({ topic, partition: p.partition, lag: Number(lag) });
    }
  }
  return out;
}

/** Unconsumed messages of `group` on `topics`, by topic (absent when none). */
export async function groupLag(
  admin: Admin,
  groupId: string,
  topics: string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { topic, lag } of await partitionLags(admin, groupId, topics)) {
    if (lag > 0) out[topic] = (out[topic] ?? 0) + lag;
  }
  return out;
}

export async function pipelineStatus(opts: {
  admin: Admin;
  temporal: Client;
  bridgeGroupId?: string;
  dlqGroupId?: string;
}): Promise<PipelineStatus> {
  const raw = await groupLag(opts.admin, opts.bridgeGroupId ?? BRIDGE_GROUP_ID, EVENT_TYPES.map(rawTopic));
  const dlq = await groupLag(opts.admin, opts.dlqGroupId ?? DLQ_SINK_GROUP_ID, [DLQ_TOPIC]);
  const lag = { ...raw, ...dlq };
  const running = await opts.temporal.workflow.count(
    `WorkflowType IN ('ingestBatch', 'rebuild') AND ExecutionStatus = 'Running'`,
  );
  const busySponsors: string[] = [];
  let sponsors = 0;
  for await (const wf of opts.temporal.workflow.list({
    query: `WorkflowType = '${SPONSOR_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`,
  })) {
    sponsors++;
    // A query can fail while the workflow continues as new or its worker is busy: not idle yet.
    const s: SponsorStatus | null = await opts.temporal.workflow
      .getHandle(wf.workflowId)
      .query(statusQuery)
      .catch(() => null);
    if (!s || s.pending || s.computing) busySponsors.push(s?.sponsorId ?? wf.workflowId);
  }
  return {
    idle: Object.keys(lag).length === 0 && running.count === 0 && busySponsors.length === 0,
    lag,
    runningBatches: running.count,
    busySponsors,
    sponsors,
  };
}

/**
 * Resolves with the status once the pipeline is idle twice in a row `settleMs` apart.
 * @throws with the last status when `timeoutMs` passes first.
 */
export async function waitForIdle(
  check: () => Promise<PipelineStatus>,
  opts: { timeoutMs: number; settleMs?: number; onStatus?: (s: PipelineStatus) => void },
): Promise<PipelineStatus> {
  const settle = opts.settleMs ?? 500;
  const deadline = Date.now() + opts.timeoutMs;
  let idleSince: PipelineStatus | null = null;
  let lastError: unknown = null;
  for (;;) {
    // A failed reading (a broker or frontend hiccup under load) is a "not yet", until the deadline.
    const s = await check().catch((err: unknown) => {
      lastError = err;
      return null;
    });
    if (!s) {
      idleSince = null;
      if (Date.now() > deadline)
        throw new Error(`the pipeline status could not be read: ${(lastError as Error).message}`);
      await delay(settle);
      continue;
    }
    opts.onStatus?.(s);
    if (s.idle && idleSince) return s;
    idleSince = s.idle ? s : null;
    if (Date.now() > deadline) {
      throw new Error(
        `the pipeline did not become idle within ${Math.round(opts.timeoutMs / 1000)} s: ` +
          `lag ${JSON.stringify(s.lag)}, ${s.runningBatches} batches running, ` +
          `${s.busySponsors.length} sponsors busy; see the worker's log and \`influence temporal workflow list\``,
      );
    }
    await delay(settle);
  }
}

/**
 * Connects to the stack's Kafka and Temporal, waits for idle (see {@link waitForIdle}) and
 * disconnects: what `influence wait --idle` and the main job share.
 */
export async function waitForPipelineIdle(opts: {
  brokers: string;
  temporal: { address: string; namespace: string };
  log: Logger;
  timeoutMs: number;
  onStatus?: (s: PipelineStatus) => void;
}): Promise<PipelineStatus> {
  const admin = createKafka({
    brokers: opts.brokers.split(','),
    clientId: 'influence-wait',
    log: opts.log,
  }).admin();
  await admin.connect();
  try {
    const temporal = await connectTemporal(opts.temporal);
    try {
      return await waitForIdle(() => pipelineStatus({ admin, temporal }), {
        timeoutMs: opts.timeoutMs,
        ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
      });
    } finally {
      await temporal.connection.close();
    }
  } finally {
    await admin.disconnect();
  }
}

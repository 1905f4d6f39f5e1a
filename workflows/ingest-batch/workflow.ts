/**
 * ingestBatch: one batch of raw events from one topic partition, identified by its offset range
 * (`ingest:<group>:<topic>:<partition>:<first>-<last>`), processed exactly once in effect:
 *   1. storeClaimedBatch — reads the rows the bridge claimed (`batch_claims`), writes the audit
 *                          copy in `raw_events`, then the typed tables and the enriched topics;
 *   2. notifySponsors    — wakes the correlation workflow of every sponsor the batch touched
 *                          (on the signal task queue since the `notify-queue-v1` patch).
 * Histories from before claim checks carry the rows inline and ran step 1 as two activities,
 * insertRawEvents and enrichAndStore (the latter behind the `enrichment-v2` patch); they replay
 * on the same code, which branches on the input.
 * Every step is idempotent, so a retried activity or a replayed batch leaves the same state.
 * Starting it again with the same id while it runs or after it completed does nothing.
 */
import { log, patched, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { IngestActivities } from './activity-contracts.ts';
import type { IngestBatchInput, IngestBatchResult } from './input.ts';
import { BATCH_STATE, SPONSOR } from '../search-attributes.ts';
import { signalTaskQueue } from '../task-queues.ts';

const { insertRawEvents, enrichAndStore, storeClaimedBatch, notifySponsors } =
  proxyActivities<IngestActivities>({
    // A batch's activity takes seconds; when its worker dies, Temporal retries it on another only
    // after this timeout (the fault suite saw two-minute stalls with the old 2 minutes).
    startToCloseTimeout: '45 seconds',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      nonRetryableErrorTypes: ['ClaimMissing'],
    },
  });

/**
 * notifySponsors on the signal task queue (workflows/task-queues.ts). Histories before this
 * patch scheduled it on the workflow's own queue, and replay so.
 */
export const NOTIFY_QUEUE_PATCH = 'notify-queue-v1';

/** notifySponsors on the signal task queue, with the same timeouts and retries. */
function notifyOnSignalQueue() {
  return proxyActivities<Pick<IngestActivities, 'notifySponsors'>>({
    taskQueue: signalTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '45 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  }).notifySponsors;
}

/** Histories recorded before enrichment existed (v1) replay without the later steps. */
export const ENRICHMENT_PATCH = 'enrichment-v2';

export async function ingestBatch(input: IngestBatchInput): Promise<IngestBatchResult> {
  if (input.rows === undefined) return ingestClaimedBatch(input);
  const { workflowId } = workflowInfo();
  const result = await insertRawEvents({ rows: input.rows, dedupToken: workflowId });
  if (!patched(ENRICHMENT_PATCH)) {
    upsertSearchAttributes([
      { key: BATCH_STATE, value: result.deadLettered > 0 ? 'partly-dead-lettered' : 'inserted' },
    ]);
    log.info('batch inserted', { topic: input.topic, partition: input.partition, ...result });
    return result;
  }
  upsertSearchAttributes([{ key: BATCH_STATE, value: 'enriching' }]);
  const enriched = await enrichAndStore({ rows: input.rows, dedupToken: workflowId });
  if (enriched.sponsors.length === 1 && enriched.sponsors[0]) {
    upsertSearchAttributes([{ key: SPONSOR, value: enriched.sponsors[0] }]);
  }
  if (enriched.sponsors.length > 0) {
    upsertSearchAttributes([{ key: BATCH_STATE, value: 'correlating' }]);
    await notifySponsors({ sponsors: enriched.sponsors, batchId: workflowId });
  }
  const deadLettered = result.deadLettered + enriched.deadLettered;
  upsertSearchAttributes([{ key: BATCH_STATE, value: deadLettered > 0 ? 'partly-dead-lettered' : 'done' }]);
  log.info('batch processed', {
    topic: input.topic,
    partition: input.partition,
    inserted: result.inserted,
    stored: enriched.stored,
    published: enriched.published,
    sponsors: enriched.sponsors.length,
    deadLettered,
  });
  return {
    inserted: result.inserted,
    deadLettered,
    stored: enriched.stored,
    sponsors: enriched.sponsors.length,
  };
}

/** A batch handed over by claim check: one activity stores it, a second wakes its sponsors. */
async function ingestClaimedBatch(input: IngestBatchInput): Promise<IngestBatchResult> {
  const { workflowId } = workflowInfo();
  upsertSearchAttributes([{ key: BATCH_STATE, value: 'enriching' }]);
  const r = await storeClaimedBatch({ batchId: workflowId, count: input.claimed ?? 0 });
  if (r.sponsors.length === 1 && r.sponsors[0]) {
    upsertSearchAttributes([{ key: SPONSOR, value: r.sponsors[0] }]);
  }
  if (r.sponsors.length > 0) {
    upsertSearchAttributes([{ key: BATCH_STATE, value: 'correlating' }]);
    const notify = patched(NOTIFY_QUEUE_PATCH) ? notifyOnSignalQueue() : notifySponsors;
    await notify({ sponsors: r.sponsors, batchId: workflowId });
  }
  upsertSearchAttributes([{ key: BATCH_STATE, value: r.deadLettered > 0 ? 'partly-dead-lettered' : 'done' }]);
  log.info('batch processed', {
    topic: input.topic,
    partition: input.partition,
    inserted: r.inserted,
    stored: r.stored,
    published: r.published,
    sponsors: r.sponsors.length,
    deadLettered: r.deadLettered,
  });
  return {
    inserted: r.inserted,
    deadLettered: r.deadLettered,
    stored: r.stored,
    sponsors: r.sponsors.length,
    published: r.published,
  };
}

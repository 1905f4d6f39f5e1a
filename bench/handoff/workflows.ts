/**
 * The hand-off benchmark's workflows, loaded by path (workflowsPath) by the bench's own worker.
 * One workflow per design, each the shape of ingestBatch (two idempotent steps, one after the
 * other) with only its input type differing, so history size and round trips are comparable.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';
import type { BatchRef, HandoffActivities, HandoffResult } from './contracts.ts';

const { storeRaw, storeTyped } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

async function run(ref: BatchRef): Promise<HandoffResult> {
  const { workflowId } = workflowInfo();
  const raw = await storeRaw({ ref, dedupToken: `${workflowId}:raw` });
  const typed = await storeTyped({ ref, dedupToken: `${workflowId}:typed` });
  return { raw: raw.rows, typed: typed.rows };
}

/** A: today's design — the rows travel in the workflow input and in each activity's input. */
export async function inlineBatch(input: { rows: RawEventRow[] }): Promise<HandoffResult> {
  return run({ kind: 'inline', rows: input.rows });
}

/** B: claim-check — the starter staged the rows in ClickHouse under `batchId`. */
export async function claimCheckBatch(input: { batchId: string; count: number }): Promise<HandoffResult> {
  return run({ kind: 'claim', batchId: input.batchId, count: input.count });
}

/** C: offset-range reference — the activities re-read the range from Kafka. */
export async function offsetRangeBatch(input: {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
}): Promise<HandoffResult> {
  return run({ kind: 'offsets', ...input });
}

/**
 * What the hand-off benchmark's workflows ask of their activities (bench/batch-handoff.ts).
 * The three designs differ only in what crosses Temporal: the rows themselves, a claim-check
 * (batch id) for rows staged in ClickHouse, or a Kafka offset range. Every design's activities
 * then do the same work on the same rows, so the measured difference is the hand-off.
 */
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';

/** How a batch reaches its activities. */
export type BatchRef =
  | { kind: 'inline'; rows: RawEventRow[] }
  | { kind: 'claim'; batchId: string; count: number }
  | { kind: 'offsets'; topic: string; partition: number; firstOffset: string; lastOffset: string };

export interface StepInput {
  ref: BatchRef;
  /** insert_deduplication_token of the step's insert (the workflow id, suffixed per step). */
  dedupToken: string;
}

export interface StepResult {
  /** Rows the step found behind the reference (== the batch size when nothing was lost). */
  rows: number;
  inserted: number;
}

export interface HandoffActivities {
  /** The audit copy: the rows as they are into the scratch `raw_events`. */
  storeRaw(input: StepInput): Promise<StepResult>;
  /** The typed copy: each payload parsed into a donation row of the scratch `donations`. */
  storeTyped(input: StepInput): Promise<StepResult>;
}

/** What each bench workflow returns: the rows each step saw. */
export interface HandoffResult {
  raw: number;
  typed: number;
}

/**
 * The ingest-batch workflow's input, result and id: what starters (the bridge) need without
 * loading workflow code.
 */
import type { RawEventRow } from './activity-contracts.ts';

export interface IngestBatchInput {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  rows: RawEventRow[];
}

export interface IngestBatchResult {
  inserted: number;
  deadLettered: number;
}

/** The workflow id of a batch: stable for the same offsets, so a redelivery is not a new batch. */
export function ingestBatchWorkflowId(topic: string, partition: number, first: string, last: string): string {
  return `ingest:${topic}:${partition}:${first}-${last}`;
}

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
  /** The rows inline: how batches were handed over before claim checks (older histories). */
  rows?: RawEventRow[];
  /**
   * Rows left in `batch_claims` under the workflow id (services/shared/batch-claims.ts): how the
   * bridge hands batches over now, so the history stays small whatever the batch's size.
   */
  claimed?: number;
}

export interface IngestBatchResult {
  inserted: number;
  deadLettered: number;
  /** Rows in the typed tables (absent in histories recorded before enrichment). */
  stored?: number;
  /** Sponsors whose correlation workflows were signalled. */
  sponsors?: number;
  /** Enriched events published (absent before claim checks). */
  published?: number;
}

/**
 * The workflow id of a batch, `ingest:<consumer group>:<topic>:<partition>:<first>-<last>`:
 * stable for the same offsets, so a batch redelivered to the group (a restart, a rebalance, an
 * offset reset) is not processed twice. A different group (a rebuild) starts its own workflows.
 */
export function ingestBatchWorkflowId(
  group: string,
  topic: string,
  partition: number,
  first: string,
  last: string,
): string {
  return `ingest:${group}:${topic}:${partition}:${first}-${last}`;
}

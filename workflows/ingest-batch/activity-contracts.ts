/**
 * What the ingest-batch workflow asks of its activities. Implementations live with the worker
 * (services/worker/activities); workflows import this file for types only.
 */

/** One raw event as it is stored in ClickHouse `raw_events`. */
export interface RawEventRow {
  event_id: string;
  type: string;
  schema_version: number;
  source: string;
  source_record_id: string;
  /** `YYYY-MM-DD hh:mm:ss.sss` in UTC, as ClickHouse DateTime64 reads it. */
  occurred_at: string;
  ingested_at: string;
  /** The payload as JSON text. */
  payload: string;
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: string;
  workflow_id: string;
}

export interface InsertRawEventsInput {
  rows: RawEventRow[];
  /** Makes a retried insert of the same rows a no-op in ClickHouse. */
  dedupToken: string;
}

export interface InsertRawEventsResult {
  inserted: number;
  /** Rows the database refused as invalid; each was written to the DLQ. */
  deadLettered: number;
}

export interface EnrichAndStoreInput {
  rows: RawEventRow[];
  /** Makes a retried insert of the same rows a no-op in ClickHouse (suffixed per table). */
  dedupToken: string;
}

export interface EnrichAndStoreResult {
  /** Rows written to the typed tables. */
  stored: number;
  /** Events the enrichment refused (unknown currency, unreadable payload); each is in the DLQ. */
  deadLettered: number;
  /** Enriched events published to influence.enriched.<type>.v1. */
  published: number;
  /** Canonical sponsor ids whose correlations the batch may change, sorted. */
  sponsors: string[];
}

export interface StoreClaimedBatchInput {
  /** The workflow id: the claim's key and the base of every deduplication token. */
  batchId: string;
  /** Rows the bridge claimed, checked against the claim. */
  count: number;
}

export interface StoreClaimedBatchResult extends EnrichAndStoreResult {
  /** Rows in `raw_events`. */
  inserted: number;
}

export interface NotifySponsorsInput {
  sponsors: string[];
  /** The batch (workflow id) that touched them, for the sponsors' logs. */
  batchId: string;
}

export interface IngestActivities {
  /**
   * Inserts the rows idempotently. A batch the database rejects as invalid is retried row by
   * row and the rows it still rejects go to the DLQ (failure type `InsertRejected` is never
   * thrown for a whole batch). Throws a retriable failure when ClickHouse is unreachable.
   */
  insertRawEvents(input: InsertRawEventsInput): Promise<InsertRawEventsResult>;
  /**
   * Enriches each event (geography, FX, entities, stances: services/enrich), inserts the rows
   * into the typed tables idempotently and publishes the enriched events. An event the
   * enrichment refuses goes to the DLQ (`enrichment_failed`); the rest of the batch goes on.
   */
  enrichAndStore(input: EnrichAndStoreInput): Promise<EnrichAndStoreResult>;
  /**
   * Reads a claimed batch (`batch_claims`) and runs insertRawEvents' and enrichAndStore's steps
   * on it in one activity, under the same deduplication tokens. @throws a non-retryable
   * `ClaimMissing` failure when the claim is gone.
   */
  storeClaimedBatch(input: StoreClaimedBatchInput): Promise<StoreClaimedBatchResult>;
  /** Signals (starting when needed) the correlation workflow of each sponsor. */
  notifySponsors(input: NotifySponsorsInput): Promise<void>;
}

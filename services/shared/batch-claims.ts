/**
 * Claim checks of ingest batches (table `batch_claims`, migration 0008): the bridge writes a
 * batch's rows under its workflow id and hands Temporal only the id; the worker's activity reads
 * the rows back. Keeping rows out of workflow histories is what lets a batch hold thousands of
 * events (docs/performance.md, "Batch hand-off to Temporal").
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';
import { metrics, timed } from './metrics.ts';

export const CLAIMS_TABLE = 'batch_claims';

/**
 * Stores `rows` under `batchId`. Idempotent: a second write of the same batch (the bridge
 * restarted before committing) is dropped by the deduplication token. @throws when ClickHouse
 * is unreachable or refuses the row.
 */
export async function writeClaim(
  clickhouse: ClickHouseClient,
  batchId: string,
  rows: readonly RawEventRow[],
): Promise<void> {
  const values = [{ batch_id: batchId, row_count: rows.length, rows_json: JSON.stringify(rows) }];
  await timed(metrics.insertDuration, { table: CLAIMS_TABLE }, () =>
    clickhouse.insert({
      table: CLAIMS_TABLE,
      format: 'JSONEachRow',
      values,
      clickhouse_settings: { insert_deduplication_token: `claim:${batchId}`, insert_deduplicate: 1 },
    }),
  );
}

/** A claim that is not (or no longer) there: expired, or never written. */
export class ClaimMissingError extends Error {
  override readonly name = 'ClaimMissingError';
}

/**
 * The rows stored under `batchId`. @throws ClaimMissingError when there is no claim, or one
 * whose row count differs from `count` (the caller's record of what it handed over); other
 * errors when ClickHouse is unreachable.
 */
export async function readClaim(
  clickhouse: ClickHouseClient,
  batchId: string,
  count: number,
): Promise<RawEventRow[]> {
  // Raw text, not JSONEachRow: the JSON of the rows arrives as written, neither escaped by
  // ClickHouse nor unescaped by the client, so it is parsed once. It holds no tab or line
  // break (JSON.stringify escapes both), so the row splits at its one tab.
  const rs = await clickhouse.query({
    query: 'SELECT row_count, rows_json FROM batch_claims WHERE batch_id = {id:String} LIMIT 1',
    query_params: { id: batchId },
    format: 'TabSeparatedRaw',
  });
  const text = await rs.text();
  const tab = text.indexOf('\t');
  if (tab < 0) {
    throw new ClaimMissingError(
      `no claim for batch ${batchId} in ${CLAIMS_TABLE} (claims expire after 7 days): ` +
        'replay its offsets with `influence rebuild`, or reset the bridge group to them',
    );
  }
  const held = Number(text.slice(0, tab));
  if (held !== count) {
    throw new ClaimMissingError(
      `claim of batch ${batchId} holds ${held} rows, but the workflow was started with ${count}`,
    );
  }
  const rows = JSON.parse(text.slice(tab + 1)) as RawEventRow[];
  if (rows.length !== count) {
    throw new ClaimMissingError(
      `claim of batch ${batchId} holds ${rows.length} rows, but the workflow was started with ${count}`,
    );
  }
  return rows;
}

/**
 * Copies the rows of the claim of `batchId` into `raw_events` inside ClickHouse (INSERT …
 * SELECT): the worker neither serialises nor sends them again. Idempotent like a client insert:
 * `token` is the insert's deduplication token, so a retry, or a client insert of the same rows
 * under the same token before it, is a no-op. Inserts nothing when there is no claim (the caller
 * reads the claim first: readClaim). @throws the engine's error, e.g. a data error when
 * raw_events refuses a row (the caller then inserts row by row) or when ClickHouse is unreachable.
 */
export async function insertRawFromClaim(
  clickhouse: ClickHouseClient,
  batchId: string,
  token: string,
): Promise<void> {
  await timed(metrics.insertDuration, { table: 'raw_events' }, () =>
    clickhouse.command({
      query: `INSERT INTO raw_events (event_id, type, schema_version, source, source_record_id, occurred_at,
                ingested_at, payload, kafka_topic, kafka_partition, kafka_offset, workflow_id)
              SELECT r.event_id, r.type, r.schema_version, r.source, r.source_record_id,
                toDateTime64(r.occurred_at, 3, 'UTC'), toDateTime64(r.ingested_at, 3, 'UTC'), r.payload,
                r.kafka_topic, r.kafka_partition, toUInt64(r.kafka_offset), r.workflow_id
              FROM (SELECT rows_json FROM batch_claims WHERE batch_id = {id:String} LIMIT 1)
              ARRAY JOIN JSONExtract(rows_json, 'Array(Tuple(event_id String, type String,
                schema_version UInt16, source String, source_record_id String, occurred_at String,
                ingested_at String, payload String, kafka_topic String, kafka_partition UInt32,
                kafka_offset String, workflow_id String))') AS r`,
      query_params: { id: batchId },
      clickhouse_settings: { insert_deduplication_token: token, insert_deduplicate: 1 },
    }),
  );
}

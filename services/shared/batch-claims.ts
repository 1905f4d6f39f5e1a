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
  const rs = await clickhouse.query({
    query: 'SELECT rows_json FROM batch_claims WHERE batch_id = {id:String} LIMIT 1',
    query_params: { id: batchId },
    format: 'JSONEachRow',
  });
  const [claim] = await rs.json<{ rows_json: string }>();
  if (!claim) {
    throw new ClaimMissingError(
      `no claim for batch ${batchId} in ${CLAIMS_TABLE} (claims expire after 7 days): ` +
        'replay its offsets with `influence rebuild`, or reset the bridge group to them',
    );
  }
  const rows = JSON.parse(claim.rows_json) as RawEventRow[];
  if (rows.length !== count) {
    throw new ClaimMissingError(
      `claim of batch ${batchId} holds ${rows.length} rows, but the workflow was started with ${count}`,
    );
  }
  return rows;
}

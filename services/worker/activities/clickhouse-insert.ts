/**
 * Idempotent inserts into ClickHouse, shared by every activity that writes rows: one insert
 * per block with a deduplication token (a retried block is a no-op), and, when ClickHouse
 * rejects the block as invalid, row by row so only the rows it still rejects are set aside.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ClickHouseClient } from '@clickhouse/client';
import { metrics, timed } from '../../shared/metrics.ts';

/** ClickHouse error codes that mean "this data is wrong", not "try again later". */
const DATA_ERROR_CODES = new Set(['6', '26', '27', '38', '41', '53', '69', '70', '72', '117', '131', '173']);

export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && DATA_ERROR_CODES.has(code);
}

/** A retriable activity failure for an unreachable or overloaded ClickHouse. */
export function unavailable(err: unknown): ApplicationFailure {
  return ApplicationFailure.retryable(
    `ClickHouse insert failed: ${(err as Error).message}`,
    'InsertUnavailable',
  );
}

export interface Rejected<R> {
  row: R;
  reason: string;
}

/**
 * Inserts `rows` into `table` under `token`. Returns the rows ClickHouse refused as invalid
 * (each tried alone under `<token>:<rowToken(row)>`). @throws a retriable failure when
 * ClickHouse cannot be reached, so Temporal retries the activity.
 */
export async function insertIdempotent<R extends object>(
  clickhouse: ClickHouseClient,
  table: string,
  rows: readonly R[],
  token: string,
  rowToken: (row: R) => string,
  onRejectedBlock?: (err: unknown) => void,
): Promise<Rejected<R>[]> {
  if (rows.length === 0) return [];
  const insert = (values: readonly R[], t: string) =>
    timed(metrics.insertDuration, { table }, () =>
      clickhouse.insert({
        table,
        values: [...values],
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: t, insert_deduplicate: 1 },
      }),
    );
  try {
    await insert(rows, token);
    return [];
  } catch (err) {
    if (!isDataError(err)) throw unavailable(err);
    onRejectedBlock?.(err);
  }
  const rejected: Rejected<R>[] = [];
  for (const row of rows) {
    try {
      await insert([row], `${token}:${rowToken(row)}`);
    } catch (err) {
      if (!isDataError(err)) throw unavailable(err);
      rejected.push({ row, reason: (err as Error).message });
    }
  }
  return rejected;
}

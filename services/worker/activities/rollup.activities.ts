/**
 * The rollup activity of the sponsor entity workflow: recomputes one sponsor's rows of the
 * rollups that efficiency_daily, spend_daily, funding_flows and payouts_daily read (migration
 * 0007), from the deduplicated base views, with the statements of rollup.sql.
 *
 * Idempotent by construction: each run writes every current row of the sponsor under a new
 * version and tombstones the sponsor's rows it did not write again, so the visible state depends
 * only on the base rows, never on how batches were replayed or how often this ran. A run that
 * fails half-way leaves a mix of old and new rows of one rollup at worst; the retry (a new
 * version) replaces them all.
 */
import { readFileSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { splitStatements } from '../../../infra/clickhouse/migrate.ts';
import type { RollupActivities } from '../../../workflows/sponsor-correlation/contracts.ts';
import type { Logger } from '../../shared/logger.ts';
import { unavailable } from './clickhouse-insert.ts';

/** The recomputation, in order: each rollup's insert, then its tombstones. */
export const ROLLUP_STATEMENTS: readonly string[] = splitStatements(
  readFileSync(new URL('./rollup.sql', import.meta.url), 'utf8'),
);

/** The tables the recomputation writes, in its order (their ORDER BY starts with sponsor_id). */
export const ROLLUP_TABLES = [
  'rollup_payouts_daily',
  'rollup_donations_daily',
  'rollup_sponsor_signups_daily',
  'rollup_funding_flows',
  'rollup_funders',
  'rollup_spend_daily',
  'rollup_efficiency_daily',
] as const;

/**
 * Recomputes the rollups of `sponsorId`. The version comes from the ClickHouse server's clock
 * (microseconds), so every writer orders its runs on one clock. Returns it with the time taken.
 * @throws whatever the client throws (the activity wraps it as retriable).
 */
export async function recomputeSponsorRollups(
  clickhouse: ClickHouseClient,
  sponsorId: string,
): Promise<{ version: string; ms: number }> {
  const t0 = performance.now();
  const rs = await clickhouse.query({
    query: 'SELECT toString(toUnixTimestamp64Micro(now64(6))) AS version',
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ version: string }>();
  if (!row) throw new Error('ClickHouse returned no clock');
  for (const query of ROLLUP_STATEMENTS) {
    await clickhouse.command({ query, query_params: { sponsor: sponsorId, version: row.version } });
  }
  return { version: row.version, ms: performance.now() - t0 };
}

export function createRollupActivities(deps: {
  clickhouse: ClickHouseClient;
  log: Logger;
}): RollupActivities {
  const log = deps.log.child({ module: 'rollup' });
  return {
    async recomputeRollups({ sponsorId }) {
      try {
        const { version, ms } = await recomputeSponsorRollups(deps.clickhouse, sponsorId);
        log.debug({ sponsorId, version, ms: Math.round(ms) }, 'sponsor rollups recomputed');
        return { version };
      } catch (err) {
        throw unavailable(err);
      }
    },
  };
}

/**
 * A fingerprint of everything an analyst can read: per typed table a row count and a hash of
 * every row (FINAL), per view a row count and the sum of every numeric column, per correlation
 * kind a count and a hash of ids and details. Two equal fingerprints mean equal aggregates;
 * computed_at and versions, which a recomputation moves, are left out.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ENRICHED_TABLES } from '../../services/enrich/tables.ts';

const TABLES = ['raw_events', ...ENRICHED_TABLES];

async function rows<T>(ch: ClickHouseClient, query: string): Promise<T[]> {
  const rs = await ch.query({ query, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** The analyst views: every view of the database but the candidate queries of the workflows. */
async function views(ch: ClickHouseClient): Promise<string[]> {
  const r = await rows<{ name: string }>(
    ch,
    `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'View'
       AND NOT endsWith(name, '_candidates') AND name != 'contradictions' ORDER BY name`,
  );
  return r.map((v) => v.name);
}

export async function aggregateFingerprint(ch: ClickHouseClient): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of TABLES) {
    // inserted_at (raw_events) is when the row was written, not part of the figures.
    const cols = t === 'raw_events' ? 'event_id, payload, source_record_id, type' : '*';
    out[t] = await rows(
      ch,
      `SELECT count() AS n, toString(groupBitXor(cityHash64(${cols}))) AS h FROM ${t} FINAL`,
    );
  }
  for (const v of await views(ch)) {
    const columns = await rows<{ name: string; type: string }>(ch, `DESCRIBE TABLE ${v}`);
    const numeric = columns
      .filter((c) => /^(Nullable\()?(U?Int\d+|Decimal|Float\d+)/.test(c.type))
      .map((c) => `toString(round(sum(\`${c.name}\`), 4)) AS \`${c.name}\``);
    out[v] = await rows(ch, `SELECT count() AS n${numeric.map((n) => `, ${n}`).join('')} FROM ${v}`);
  }
  out['correlations'] = await rows(
    ch,
    `SELECT kind, count() AS n, toString(groupBitXor(cityHash64(correlation_id, detail))) AS h
     FROM correlations FINAL WHERE is_deleted = 0 GROUP BY kind ORDER BY kind`,
  );
  return out;
}

/**
 * Loads the reference data (infra/reference: entities, stance opposites, petitions) into its
 * ClickHouse tables, which the correlation views join. Run by the worker at start. Each load
 * writes every row with the load's time as version, then deletes the rows of older loads, so an
 * entity removed from the files disappears, and of two workers starting together the later
 * load wins with the same content.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { referenceRows, type ReferenceData } from '../../enrich/index.ts';

export async function syncReference(clickhouse: ClickHouseClient, ref: ReferenceData): Promise<number> {
  let n = 0;
  const tables: Record<string, readonly object[]> = referenceRows(ref);
  const version = String(Date.now());
  for (const [table, values] of Object.entries(tables)) {
    await clickhouse.insert({
      table,
      values: values.map((v) => ({ ...v, version })),
      format: 'JSONEachRow',
    });
    await clickhouse.command({
      query: `DELETE FROM ${table} WHERE version < {version:UInt64}`,
      query_params: { version },
    });
    n += values.length;
  }
  return n;
}

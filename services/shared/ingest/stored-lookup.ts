import type { ClickHouseClient } from '@clickhouse/client';
import type { StoredLookup } from './importer.ts';

/**
 * Which event ids ClickHouse already holds in `raw_events` (the audit table every event lands
 * in), so a re-import skips them as duplicates instead of publishing them again.
 */
export function clickhouseStoredLookup(client: ClickHouseClient): StoredLookup {
  return async (ids) => {
    if (ids.length === 0) return new Set();
    const rs = await client.query({
      query: 'SELECT DISTINCT event_id FROM raw_events WHERE event_id IN {ids:Array(String)}',
      query_params: { ids },
      format: 'JSONEachRow',
    });
    return new Set((await rs.json<{ event_id: string }>()).map((r) => r.event_id));
  };
}

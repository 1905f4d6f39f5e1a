import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLLUP_STATEMENTS, ROLLUP_TABLES } from './rollup.activities.ts';

const MIGRATION = readFileSync(
  new URL('../../../infra/clickhouse/migrations/0007_sponsor_rollups.sql', import.meta.url),
  'utf8',
);

describe('rollup.sql', () => {
  const target = (sql: string) => /^INSERT INTO (\w+)/.exec(sql)?.[1];

  it('writes every rollup table of 0007, each with its rows and then its tombstones', () => {
    const created = [...MIGRATION.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((m) => m[1]);
    expect([...ROLLUP_TABLES].sort()).toEqual([...created].sort());
    expect(ROLLUP_STATEMENTS).toHaveLength(2 * ROLLUP_TABLES.length);
    for (let i = 0; i < ROLLUP_STATEMENTS.length; i += 2) {
      const rows = ROLLUP_STATEMENTS[i] ?? '';
      const tombstones = ROLLUP_STATEMENTS[i + 1] ?? '';
      expect(target(tombstones)).toBe(target(rows));
      expect(rows).toMatch(/\{version:UInt64\},?\s*(AS version,\s*)?0( AS is_deleted)?\s*\n/);
      // Tombstones: the sponsor's own older rows only, never another sponsor's.
      expect(tombstones).toMatch(/\{version:UInt64\}, 1\s*\n/);
      expect(tombstones).toMatch(
        /FINAL\s+WHERE sponsor_id = \{sponsor:String\} AND version < \{version:UInt64\} AND is_deleted = 0$/,
      );
    }
  });

  it('orders each rollup after the rollups it reads', () => {
    const order = ROLLUP_STATEMENTS.filter((_, i) => i % 2 === 0).map(target);
    const reads: Record<string, string> = {
      payouts_daily: 'rollup_payouts_daily',
      donations_daily: 'rollup_donations_daily',
      funding_flows: 'rollup_funding_flows',
      funders: 'rollup_funders',
    };
    ROLLUP_STATEMENTS.filter((_, i) => i % 2 === 0).forEach((sql, i) => {
      for (const [view, table] of Object.entries(reads)) {
        if (new RegExp(`FROM ${view}\\b`).test(sql))
          expect(order.indexOf(table), `${order[i]} reads ${view}`).toBeLessThan(i);
      }
    });
  });

  it('reads every base view for one sponsor through the keys of its table', () => {
    const inserts = ROLLUP_STATEMENTS.filter((_, i) => i % 2 === 0).join('\n');
    for (const [view, key] of [
      ['payouts', 'committee_id IN'],
      ['donations', 'committee_id IN'],
      ['signups', 'petition_id IN'],
      ['contacts', 'campaign_id IN'],
      ['ads_current', 'ad_id IN'],
    ] as const) {
      for (const m of inserts.matchAll(new RegExp(`FROM ${view}\\s+WHERE ([^\\n]*)`, 'g')))
        expect(m[1], view).toContain(key);
    }
  });
});

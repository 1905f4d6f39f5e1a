/**
 * Real public records end to end on a private stack: the Snap library exports and WIRED's America
 * PAC Schedule E file go through the CLI, Kafka, Temporal and enrichment into ClickHouse, and the
 * analyst views agree with figures recomputed here straight from the files, by code that shares
 * nothing with the pipeline's parsers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { parseCsv } from '../helpers/csv.ts';
import { startPrivatePipeline, type PrivatePipeline } from '../helpers/pipeline.ts';

const DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');
const SNAP_FILES = [
  'snap_political_ads_2024_snapshot_2024-07-28.csv',
  'snap_political_ads_2024_snapshot_2024-08-05.csv',
  'snap_political_ads_2026_snapshot_2026-08-08.csv',
].map((f) => path.join(DATA, 'snap', f));
const AMERICA_PAC = path.join(DATA, 'fec', 'america_pac_schedule_e_2024.csv');

let p: PrivatePipeline;

beforeAll(async () => {
  p = await startPrivatePipeline('real-data');
  // About 18,000 events through the whole pipeline on a 2-core machine.
  for (const [source, files] of [
    ['snap', SNAP_FILES],
    ['fec-schedule-e', [AMERICA_PAC]],
  ] as const) {
    const r = await p.cli(['import', source, ...files, '--json']);
    if (r.code !== 0) throw new Error(`import ${source} failed: ${r.stderr.slice(-2000)}`);
  }
  const idle = await p.cli(['wait', '--idle', '--timeout', '1200']);
  if (idle.code !== 0) throw new Error(`the pipeline did not become idle: ${idle.stderr.slice(-2000)}`);
}, 1_500_000);
afterAll(async () => {
  await p?.stop();
});

/** Whole units as BigInt (Snap spend is whole; impressions are counts). */
const int = (s: string | undefined): bigint => (s && s.trim() !== '' ? BigInt(s.trim()) : 0n);

/** Dollars and cents as a count of cents, exactly. */
function cents(amount: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) throw new Error(`not an amount: ${amount}`);
  const v = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -v : v;
}

describe('Snap library exports', () => {
  it('spend and impressions per paying advertiser equal a recomputation from the CSVs (latest snapshot per ad)', async () => {
    // The latest snapshot of each ad: files in snapshot order, later rows replace earlier ones.
    // A row whose EndDate is before its StartDate is refused by the pipeline (dead-lettered with
    // its reason), so it is left out here too, and the dead letters are counted against it.
    const latest = new Map<string, Record<string, string>>();
    let contradictory = 0;
    for (const file of [...SNAP_FILES].sort((a, b) =>
      (/(\d{4}-\d{2}-\d{2})\.csv$/.exec(a)?.[1] ?? '').localeCompare(
        /(\d{4}-\d{2}-\d{2})\.csv$/.exec(b)?.[1] ?? '',
      ),
    )) {
      for (const row of parseCsv(readFileSync(file, 'utf8'))) {
        const id = row['ADID'];
        const [start, end] = [row['StartDate'] ?? '', row['EndDate'] ?? ''];
        if (start && end && end < start) {
          contradictory++;
          continue;
        }
        if (id) latest.set(id, row);
      }
    }
    const expected = new Map<string, { spend: bigint; impressions: bigint; ads: number }>();
    for (const row of latest.values()) {
      const key = `${row['PayingAdvertiserName']?.trim() ?? ''}|${row['Currency Code']?.trim() ?? ''}`;
      const e = expected.get(key) ?? { spend: 0n, impressions: 0n, ads: 0 };
      e.spend += int(row['Spend']);
      e.impressions += int(row['Impressions']);
      e.ads++;
      expected.set(key, e);
    }
    const rs = await p.clickhouse.query({
      query: `SELECT ifNull(paying_advertiser, '') AS advertiser, currency, count() AS ads,
                     toString(sum(spend_low)) AS spend, toString(sum(ifNull(impressions_low, 0))) AS impressions
              FROM ads_current WHERE platform = 'snap' GROUP BY advertiser, currency`,
      format: 'JSONEachRow',
    });
    const actual = new Map(
      (
        await rs.json<{
          advertiser: string;
          currency: string;
          ads: string;
          spend: string;
          impressions: string;
        }>()
      ).map((r) => [
        `${r.advertiser}|${r.currency}`,
        {
          spend: BigInt(r.spend.replace(/\.0+$/, '')),
          impressions: BigInt(r.impressions),
          ads: Number(r.ads),
        },
      ]),
    );
    expect(latest.size).toBeGreaterThan(10_000);
    expect(actual).toEqual(expected);
    const dlq = await p.clickhouse.query({
      query: `SELECT count() AS n FROM dlq_events FINAL WHERE step = 'import:snap' AND detail LIKE '%is before StartDate%'`,
      format: 'JSONEachRow',
    });
    expect(await dlq.json()).toEqual([{ n: String(contradictory) }]);
  });
});

describe('America PAC Schedule E (WIRED)', () => {
  it('the payouts total equals the sum over distinct committee_id + cycle + transaction_id', async () => {
    const byKey = new Map<string, bigint>();
    for (const row of parseCsv(readFileSync(AMERICA_PAC, 'utf8'))) {
      byKey.set(
        `${row['committee_id']}|${row['cycle']}|${row['transaction_id']}`,
        cents(row['amount'] ?? ''),
      );
    }
    const expectedTotal = [...byKey.values()].reduce((a, b) => a + b, 0n);
    const rs = await p.clickhouse.query({
      query: `SELECT count() AS n, toString(sum(amount)) AS total FROM payouts WHERE committee_id = 'C00879510'`,
      format: 'JSONEachRow',
    });
    const [r] = await rs.json<{ n: string; total: string }>();
    expect(Number(r?.n)).toBe(byKey.size);
    expect(cents(r?.total ?? '0')).toBe(expectedTotal);
  });
});

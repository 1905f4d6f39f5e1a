import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { metaReportSource, parseReportFileName } from './meta-report.parser.ts';
import { importAds, SHARED_DATA, tempDir, writeFile } from './testing.ts';

const REPORT = path.join(SHARED_DATA, 'meta', 'report_TH');
const ADVERTISERS = path.join(REPORT, 'FacebookAdLibraryReport_2022-11-18_TH_yesterday_advertisers.csv');
const LOCATIONS = path.join(REPORT, 'FacebookAdLibraryReport_2022-11-18_TH_yesterday_locations.csv');
const REGION_FILES = readdirSync(path.join(REPORT, 'regions'))
  .filter((f) => f.endsWith('.csv'))
  .sort()
  .map((f) => path.join(REPORT, 'regions', f));

/**
 * Independent of the parser: no field of these files holds a line break, so the data rows are the
 * non-empty lines after the header. Also counts `≤100` amounts (the last field).
 */
function countIndependently(file: string): { rows: number; capped: number } {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.length > 0);
  return { rows: lines.length, capped: lines.filter((l) => /,≤100(,\d+)?$/.test(l)).length };
}

const dir = tempDir('meta-report-test-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('meta-report: golden files (Thailand, 2022-11-18, yesterday)', () => {
  it('has the 78 region files', () => {
    expect(REGION_FILES).toHaveLength(78);
  });

  it('reads every row of the advertisers file', async () => {
    const { rows, capped } = countIndependently(ADVERTISERS);
    expect(rows).toBe(97); // also 97 by Python csv (97 + 2929 = 3026 rows in all)
    const { summary, events } = await importAds(metaReportSource, [ADVERTISERS]);
    expect(summary.read).toBe(rows);
    expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
    expect(summary.published).toBe(rows);
    expect(events.filter((e) => e.payload.spend.point_method === 'midpoint')).toHaveLength(capped);
    for (const e of events) {
      expect(e.payload).toMatchObject({
        platform: 'meta',
        granularity: 'advertiser_period',
        currency: 'THB',
        snapshot_at: '2022-11-18T00:00:00Z',
      });
      expect(e.payload.targeting.countries).toEqual(['TH']);
      expect(e.payload.targeting.regions).toEqual([]);
      expect(e.payload.ad_id).toMatch(/^report:TH:\d+:.*:all:yesterday@2022-11-18$/);
    }
    // The same Page ID under two disclaimers: two rows, two events.
    const twice = events.filter((e) => e.payload.advertiser_id === '105505101947250');
    expect(twice).toHaveLength(2);
    expect(twice.map((e) => e.payload.paying_entity).sort()).toEqual([
      null,
      'ปัญญารัตน์ นันทภูษิตานนท์ - Panyarut Nuntapusitanon',
    ]);
    expect(new Set(twice.map((e) => e.payload.ad_id)).size).toBe(2);
    const first = events.find((e) => e.payload.advertiser_id === '157659344260788');
    expect(first?.payload.spend).toEqual({ low: '7212', high: '7212', point: '7212', point_method: 'exact' });
    expect(first?.payload.advertiser_name).toBe('จุรินทร์ ลักษณวิศิษฏ์ Aoodda');
  });

  it('reads every row of all 78 region files, file by file', async () => {
    const { summary, events } = await importAds(metaReportSource, REGION_FILES);
    let total = 0;
    for (const [i, file] of REGION_FILES.entries()) {
      const { rows } = countIndependently(file);
      total += rows;
      const s = summary.inputs[i];
      expect(s?.input).toBe(file);
      expect(s?.read).toBe(rows);
      expect(s?.published).toBe(rows);
    }
    expect(total).toBe(2929);
    expect(summary.read).toBe(total);
    expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
    const bangkok = events.filter((e) => e.payload.targeting.regions[0] === 'Bangkok');
    expect(bangkok.length).toBe(
      countIndependently(REGION_FILES.find((f) => f.endsWith('_Bangkok.csv')) ?? '').rows,
    );
    const capped = events.find((e) => e.payload.spend.high === '100' && e.payload.spend.low === '0');
    expect(capped?.payload.spend).toEqual({ low: '0', high: '100', point: '50', point_method: 'midpoint' });
  }, 60_000);

  it('imports the locations file as per-region totals over all advertisers', async () => {
    const rows = countIndependently(LOCATIONS).rows;
    const { summary, events } = await importAds(metaReportSource, [LOCATIONS]);
    expect(summary).toMatchObject({ read: rows, published: rows, dead_lettered: 0 });
    const bangkok = events.map((e) => e.payload).find((p) => p.targeting.regions[0] === 'Bangkok');
    expect(bangkok).toMatchObject({
      advertiser_name: '(all advertisers)',
      advertiser_id: null,
      ad_id: 'report:TH:all-advertisers:Bangkok:yesterday@2022-11-18',
      spend: { low: '13718', high: '13718' },
    });
  });

  it('reads the file name', () => {
    expect(
      parseReportFileName('FacebookAdLibraryReport_2022-11-18_TH_yesterday_Nakhon Si Thammarat.csv'),
    ).toEqual({
      date: '2022-11-18',
      country: 'TH',
      period: 'yesterday',
      part: 'Nakhon Si Thammarat',
    });
    expect(
      parseReportFileName('FacebookAdLibraryReport_2024-11-05_US_last_90_days_advertisers.csv')?.period,
    ).toBe('last_90_days');
    expect(parseReportFileName('report.csv')).toBeUndefined();
  });
});

describe('meta-report: broken inputs', () => {
  const header = '\uFEFFPage ID,Page name,Disclaimer,Amount spent (USD),Number of ads in Library';
  it('rejects rows of a file whose name does not carry date and period', async () => {
    const file = writeFile(dir, 'report.csv', `${header}\n1,Page,Disc,10,1\n`);
    const { summary, letters } = await importAds(metaReportSource, [file]);
    expect(summary).toMatchObject({ read: 1, dead_lettered: 1 });
    expect(letters[0]?.detail).toMatch(/file name is not FacebookAdLibraryReport_/);
  });

  it('rejects bad amounts and ids, keeps formula text verbatim, binds by header', async () => {
    const name = 'FacebookAdLibraryReport_2024-11-05_US_lifelong_advertisers.csv';
    const file = writeFile(
      dir,
      name,
      [
        'Number of ads in Library,Amount spent (USD),Disclaimer,Page name,Page ID',
        `3,1500,'; DROP TABLE x; --,"=cmd|' /C calc'!A0",42`,
        '1,lots,Disc,Page,43',
        '1,10,Disc,Page,not-an-id',
        '1,≤100,Disc,Page,44',
      ].join('\n'),
    );
    const { summary, events, letters } = await importAds(metaReportSource, [file]);
    expect(summary).toMatchObject({ read: 4, published: 2, dead_lettered: 2 });
    expect(events[0]?.payload).toMatchObject({
      ad_id: `report:US:42:'; DROP TABLE x; --:all:lifelong`,
      advertiser_name: `=cmd|' /C calc'!A0`,
      paying_entity: `'; DROP TABLE x; --`,
      currency: 'USD',
      snapshot_at: '2024-11-05T00:00:00Z',
    });
    expect(letters.map((l) => l.detail)).toEqual([
      expect.stringMatching(/Amount spent \(USD\) is neither/),
      expect.stringMatching(/Page ID is not digits/),
    ]);
  });

  it('rejects every row when the amount column is missing', async () => {
    const file = writeFile(
      dir,
      'FacebookAdLibraryReport_2024-11-05_US_lifelong_advertisers.csv',
      'Page ID,Page name,Disclaimer\n1,P,D\n2,P,D\n',
    );
    const { summary, letters } = await importAds(metaReportSource, [file]);
    expect(summary).toMatchObject({ read: 2, dead_lettered: 2 });
    expect(letters[0]?.detail).toMatch(/missing from the header: Amount spent \(<currency>\)/);
  });
});

import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { googleAdsSource } from './google-ads.parser.ts';
import { countRange, midpointDecimal, moneyRange, parseBucket } from './ranges.ts';
import { FIXTURES, importAds, tempDir, writeFile } from './testing.ts';

const CURRENT = path.join(FIXTURES, 'google', 'google-political-ads-creative-stats.csv');
const OLD = path.join(FIXTURES, 'google', 'google-political-ads-creative-stats_2019-06-01.csv');
const dir = tempDir('google-test-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Independent: fixture rows are one line each and start with their CR id. */
const rowsOf = (file: string): number =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^CR\d+,/.test(l)).length;

describe('google-ads', () => {
  it('reads the current layout: spend ranges, both impression vocabularies', async () => {
    const { summary, events, letters } = await importAds(googleAdsSource, [CURRENT]);
    expect(summary.read).toBe(rowsOf(CURRENT));
    expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
    expect(summary).toMatchObject({ published: 5, dead_lettered: 1 });
    expect(letters[0]?.detail).toMatch(/Impressions is not a bucket: "lots"/);
    const [harris, americaPac, trump, greens, formula] = events;
    expect(harris?.payload).toMatchObject({
      platform: 'google',
      ad_id: 'CR10000000000000000001',
      advertiser_id: 'AR10000000000000000001',
      currency: 'USD',
      spend: { low: '50000', high: '100000', point: '75000', point_method: 'midpoint' },
      impressions: { low: '1000000', high: '10000000', point: '5500000', point_method: 'midpoint' },
      delivery_start: '2024-09-01T00:00:00Z',
      delivery_end: '2024-10-31T00:00:00Z',
      snapshot_at: '2024-11-01T08:30:00Z',
      raw_fields_version: 'google-csv-22',
    });
    expect(harris?.payload.targeting).toMatchObject({
      countries: ['US'],
      regions: ['Pennsylvania', 'United States'],
      age_min: 18,
      age_max: 44,
      genders: ['Female'],
    });
    expect(harris?.payload.creative.snapshot_url).toBe(
      'https://adstransparency.google.com/advertiser/AR10000000000000000001/creative/CR10000000000000000001',
    );
    expect(americaPac?.payload.spend).toEqual({
      low: '100000',
      high: null,
      point: '100000',
      point_method: 'low_bound_for_open_range',
    });
    expect(americaPac?.payload.impressions).toEqual({
      low: '10000000',
      high: null,
      point: '10000000',
      point_method: 'low_bound_for_open_range',
    });
    expect(americaPac?.payload.targeting).toMatchObject({
      age_min: 25,
      age_max: null,
      excluded_regions: ['Detroit'],
    });
    expect(trump?.payload.impressions).toEqual({
      low: '1000',
      high: '2000',
      point: '1500',
      point_method: 'midpoint',
    });
    expect(greens?.payload.targeting.countries).toEqual(['EU', 'DE']);
    expect(greens?.payload.impressions?.low).toBe('10000');
    expect(formula?.payload.advertiser_name).toBe(`=cmd|' /C calc'!A0`);
    expect(formula?.payload.impressions).toEqual({
      low: '0',
      high: '10000',
      point: '5000',
      point_method: 'midpoint',
    });
    expect(formula?.payload.delivery_end).toBeNull();
  });

  it('reads the older layout: Spend_USD buckets, snapshot date from the file name', async () => {
    const { summary, events } = await importAds(googleAdsSource, [OLD]);
    expect(summary).toMatchObject({ read: rowsOf(OLD), published: 4 });
    expect(events.map((e) => [e.payload.spend.low, e.payload.spend.high])).toEqual([
      ['100', '1000'],
      ['1000', '50000'],
      ['0', '100'],
      ['100000', null],
    ]);
    expect(events.map((e) => e.payload.impressions?.low)).toEqual(['10000', '100000', '0', '10000000']);
    expect(events.every((e) => e.payload.snapshot_at === '2019-06-01T00:00:00Z')).toBe(true);
  });

  it('rejects rows when required columns are missing', async () => {
    const file = writeFile(dir, 'g.csv', 'Ad_ID,Advertiser_Name\nCR1,X\n');
    const { summary, letters } = await importAds(googleAdsSource, [file]);
    expect(summary).toMatchObject({ read: 1, dead_lettered: 1 });
    expect(letters[0]?.detail).toMatch(/missing from the header: Impressions, Date_Range_Start/);
  });
});

describe('ranges', () => {
  it('parses bucket labels of both vocabularies', () => {
    expect(parseBucket('≤ 10k')).toEqual({ low: '0', high: '10000' });
    expect(parseBucket('10k–100k')).toEqual({ low: '10000', high: '100000' });
    expect(parseBucket('> 10M')).toEqual({ low: '10000000', high: null });
    expect(parseBucket('1000-2000')).toEqual({ low: '1000', high: '2000' });
    expect(parseBucket('25')).toEqual({ low: '25', high: '25' });
    expect(parseBucket('1.5k')).toEqual({ low: '1500', high: '1500' });
    expect(parseBucket('lots')).toBeUndefined();
  });

  it('computes midpoints exactly', () => {
    expect(midpointDecimal('0', '99')).toBe('49.5');
    expect(midpointDecimal('0.10', '0.15')).toBe('0.125');
    expect(midpointDecimal('999999999999999', '999999999999999')).toBe('999999999999999');
    expect(moneyRange('5', '1')).toBeUndefined();
    expect(countRange('0', '999')).toEqual({ low: '0', high: '999', point: '499', point_method: 'midpoint' });
  });
});

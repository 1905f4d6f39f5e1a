import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { metaAdsSource, metaTime } from './meta-ads.parser.ts';
import { FIXTURES, importAds, tempDir, writeFile } from './testing.ts';

const PAGE1 = path.join(FIXTURES, 'meta', 'ads_archive_page1.json');
const PAGE2 = path.join(FIXTURES, 'meta', 'ads_archive_page2.json');
const dir = tempDir('meta-ads-test-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('meta-ads: fixture pages built from the documented ads_archive fields', () => {
  it('reads every ad of page 1 and maps the fields', async () => {
    const independent = (JSON.parse(readFileSync(PAGE1, 'utf8')) as { data: unknown[] }).data.length;
    const { summary, events, keys } = await importAds(metaAdsSource, [PAGE1]);
    expect(summary.read).toBe(independent);
    expect(summary.published).toBe(independent);
    expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);

    const [harrisPa, harrisMi, trumpGa, magaNv] = events;
    // Ids above 2^53 stay exact strings.
    expect(harrisPa?.payload.ad_id).toBe('1234567890123456789');
    expect(harrisPa?.payload.advertiser_id).toBe('9007199254740993');
    expect(keys[1]).toBe('meta:9223372036854775807');
    // _fetched_at is the snapshot time.
    expect(harrisPa?.payload.snapshot_at).toBe('2024-10-20T12:00:00Z');
    expect(harrisPa?.source_record_id).toBe('1234567890123456789@2024-10-20T12:00:00Z');
    expect(harrisPa?.payload).toMatchObject({
      platform: 'meta',
      granularity: 'ad',
      advertiser_name: 'Kamala Harris',
      paying_entity: 'HARRIS FOR PRESIDENT',
      currency: 'USD',
      spend: { low: '60000', high: '69999', point: '64999.5', point_method: 'midpoint' },
      impressions: { low: '900000', high: '999999', point: '949999', point_method: 'midpoint' },
      delivery_start: '2024-09-03T00:00:00Z',
      delivery_end: '2024-10-15T00:00:00Z',
      region_distribution: [
        { region: 'Pennsylvania', share: '0.9512' },
        { region: 'New Jersey', share: '0.0488' },
      ],
      raw_fields_version: 'meta-ads-archive',
      stance: [],
    });
    expect(harrisPa?.payload.targeting).toMatchObject({
      regions: ['Pennsylvania'],
      postal_codes: ['19103'],
      age_min: 18,
      age_max: null,
      genders: [],
      languages: ['en'],
    });
    expect(harrisPa?.payload.creative).toEqual({
      bodies: ['Kamala Harris will lower costs for Pennsylvania families. Vote early.'],
      link_titles: ['Make a plan to vote'],
      link_descriptions: ['Find your polling place'],
      link_urls: ['IWILLVOTE.COM'],
      snapshot_url: 'https://www.facebook.com/ads/archive/render_ad/?id=1234567890123456789',
      media_urls: [],
    });
    // The top bucket has no upper bound.
    expect(harrisMi?.payload.spend).toEqual({
      low: '1000000',
      high: null,
      point: '1000000',
      point_method: 'low_bound_for_open_range',
    });
    expect(harrisMi?.payload.impressions?.point_method).toBe('low_bound_for_open_range');
    expect(harrisMi?.payload.delivery_end).toBeNull();
    expect(harrisMi?.payload.targeting).toMatchObject({ age_min: 18, age_max: 44, genders: ['Women'] });
    // Times with a +0000 offset.
    expect(trumpGa?.payload.delivery_start).toBe('2024-09-11T14:05:00Z');
    expect(trumpGa?.payload.targeting.excluded_regions).toEqual(['Fulton County']);
    expect(trumpGa?.payload.region_distribution.map((r) => r.region)).toEqual(['Georgia', 'Arizona']);
    // Legacy names: funding_entity, region_distribution, potential_reach.
    expect(magaNv?.payload).toMatchObject({
      paying_entity: 'MAKE AMERICA GREAT AGAIN INC.',
      region_distribution: [{ region: 'Nevada', share: '1' }],
      raw_fields_version: 'meta-ads-archive-legacy',
      spend: { low: '0', high: '99', point: '49.5', point_method: 'midpoint' },
    });
    // No access token anywhere in what is published.
    expect(JSON.stringify(events)).not.toMatch(/access_token|EAAB/);
  });

  it('uses the import start time when the page has no _fetched_at, and rejects an ad without spend', async () => {
    const { summary, events, letters } = await importAds(metaAdsSource, [PAGE2]);
    expect(summary).toMatchObject({ read: 3, published: 2, dead_lettered: 1 });
    expect(events[0]?.payload.snapshot_at).toBe('2024-11-01T08:30:00Z');
    expect(events[0]?.payload.targeting.countries).toEqual(['United States']);
    expect(letters[0]?.detail).toBe('spend is missing');
    expect(letters[0]?.position).toBe('page item 2');
    // Formula and SQL text stay verbatim.
    expect(events[1]?.payload.advertiser_name).toBe(`=cmd|' /C calc'!A0`);
    expect(events[1]?.payload.paying_entity).toBe(`'; DROP TABLE ads; --`);
  });

  it('makes a later fetch of the same ad a new snapshot, and the same fetch a duplicate', async () => {
    const page = JSON.parse(readFileSync(PAGE1, 'utf8')) as Record<string, unknown>;
    const later = writeFile(
      dir,
      'later.json',
      JSON.stringify({ ...page, _fetched_at: '2024-10-27T12:00:00+0000' }),
    );
    const { summary, events } = await importAds(metaAdsSource, [PAGE1, PAGE1, later]);
    expect(summary).toMatchObject({ read: 12, published: 8, duplicates: 4 });
    expect(events.at(-1)?.payload.snapshot_at).toBe('2024-10-27T12:00:00Z');
  });
});

describe('meta-ads: broken pages', () => {
  it('turns a truncated page into one parse_error fault', async () => {
    const text = readFileSync(PAGE1, 'utf8');
    const file = writeFile(dir, 'truncated.json', text.slice(0, Math.floor(text.length / 2)));
    const { summary, letters } = await importAds(metaAdsSource, [file]);
    expect(summary).toMatchObject({ read: 1, dead_lettered: 1 });
    expect(letters[0]?.reason).toBe('parse_error');
    expect(letters[0]?.detail).toMatch(/not JSON/);
  });

  it('refuses invalid UTF-8, Graph API errors, pages without data and bad _fetched_at', async () => {
    const files = [
      writeFile(dir, 'latin1.json', Buffer.from('{"data":[{"page_name":"Caf\u00e9"}]}', 'latin1')),
      writeFile(dir, 'error.json', '{"error":{"message":"Invalid OAuth access token","code":190}}'),
      writeFile(dir, 'nodata.json', '{"paging":{}}'),
      writeFile(dir, 'fetched.json', '{"_fetched_at":"yesterday","data":[]}'),
    ];
    const { summary, letters } = await importAds(metaAdsSource, files);
    expect(summary).toMatchObject({ read: 4, dead_lettered: 4, published: 0 });
    expect(letters.map((l) => l.reason)).toEqual([
      'encoding_error',
      'parse_error',
      'parse_error',
      'parse_error',
    ]);
    expect(letters[1]?.detail).toMatch(/Graph API error/);
  });

  it('rejects ads with wrong types and goes on', async () => {
    const good = { id: '1', page_name: 'P', currency: 'USD', spend: { lower_bound: '0', upper_bound: '99' } };
    const page = {
      data: [
        'not an object',
        { ...good, id: 12345678901234567890 },
        { ...good, spend: { lower_bound: 'a lot' } },
        { ...good, spend: { lower_bound: '500', upper_bound: '99' } },
        { ...good, currency: 'dollars' },
        { ...good, ad_delivery_start_time: 'last week' },
        { ...good, delivery_by_region: [{ region: 'PA', percentage: '1.5' }] },
        { ...good, impressions: { lower_bound: '1.5' } },
        { ...good, id: 42 },
      ],
    };
    const file = writeFile(dir, 'types.json', JSON.stringify(page));
    const { summary, events, letters } = await importAds(metaAdsSource, [file]);
    expect(summary).toMatchObject({ read: 9, published: 1, dead_lettered: 8 });
    expect(events[0]?.payload.ad_id).toBe('42');
    expect(letters[1]?.detail).toMatch(/above 2\^53/);
  });

  it('reads Meta times', () => {
    expect(metaTime('2024-09-01')).toBe('2024-09-01T00:00:00Z');
    expect(metaTime('2019-05-01T11:22:33+0000')).toBe('2019-05-01T11:22:33Z');
    expect(metaTime('2019-05-01T11:22:33-0700')).toBe('2019-05-01T18:22:33Z');
    expect(metaTime('2024-02-30')).toBeUndefined();
    expect(metaTime('soon')).toBeUndefined();
  });
});

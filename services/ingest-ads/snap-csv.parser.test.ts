import fc from 'fast-check';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdPayloadV1, type AdV1 } from '../../schemas/events/ad.ts';
import { currentAds } from './current-ads.ts';
import { instantOfDate } from './ad-payload.ts';
import { snapDate, snapSource } from './snap-csv.parser.ts';
import { FIXED_NOW, FIXTURES, importAds, SHARED_DATA, tempDir, writeFile, zipOf } from './testing.ts';

const SNAP = path.join(SHARED_DATA, 'snap');
const JUL = path.join(SNAP, 'snap_political_ads_2024_snapshot_2024-07-28.csv');
const AUG = path.join(SNAP, 'snap_political_ads_2024_snapshot_2024-08-05.csv');
const Y2026 = path.join(SNAP, 'snap_political_ads_2026_snapshot_2026-08-08.csv');

/**
 * Independent of the parser: no Snap field holds a line break, so each record is one line that
 * starts with its 64-hex ADID; ADID, CreativeUrl, Currency Code and Spend are the first four
 * fields and none of them is quoted.
 */
function countIndependently(file: string): { ads: number; spend: Map<string, string>; inverted: number } {
  const spend = new Map<string, string>();
  let ads = 0;
  let inverted = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!/^[0-9a-f]{64},/.test(line)) continue;
    ads++;
    const m =
      /^([0-9a-f]{64}),[^,]*,[A-Z]{3},(\d+),\d*,(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\dZ),(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\dZ)?,/.exec(
        line,
      );
    if (!m) throw new Error(`unexpected line: ${line.slice(0, 120)}`);
    spend.set(m[1] ?? '', m[2] ?? '');
    if (m[4] && m[4] < (m[3] ?? '')) inverted++;
  }
  return { ads, spend, inverted };
}

const dir = tempDir('snap-test-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER_38 =
  'ADID,CreativeUrl,Currency Code,Spend,Impressions,StartDate,EndDate,OrganizationName,BillingAddress,CandidateBallotInformation,PayingAdvertiserName,CommitteeName,CommitteeIdentificationNumber,DisclosureNameOfCommittee,AdvertisingJurisdiction,Gender,AgeBracket,CountryCode,Regions (Included),Regions (Excluded),Electoral Districts (Included),Electoral Districts (Excluded),Radius Targeting (Included),Radius Targeting (Excluded),Metros (Included),Metros (Excluded),Postal Codes (Included),Postal Codes (Excluded),Location Categories (Included),Location Categories (Excluded),Interests,OsType,Segments,Language,AdvancedDemographics,Targeting Connection Type,Targeting Carrier (ISP),CreativeProperties';
const ADID = 'a'.repeat(64);
/** A valid 38-column row with overrides by column name. */
function row(over: Record<string, string> = {}): string {
  const names = HEADER_38.split(',');
  const base: Record<string, string> = {
    ADID,
    CreativeUrl: 'https://www.snap.com/political-ads/asset/abc?mediaType=mp4',
    'Currency Code': 'USD',
    Spend: '1200',
    Impressions: '0045000',
    StartDate: '2024/10/01 12:00:00Z',
    EndDate: '2024/11/05 23:59:59Z',
    OrganizationName: 'America PAC',
    PayingAdvertiserName: 'America PAC',
    CommitteeIdentificationNumber: 'C00879510',
    AgeBracket: '18-34',
    CountryCode: 'united states',
    'Regions (Included)': '"Michigan,Pennsylvania"',
    'Postal Codes (Included)': '"08001,48201"',
    CreativeProperties: 'web_view_url:https://theamericapac.org/?access_token=SECRET&utm=snap',
  };
  return names.map((n) => over[n] ?? base[n] ?? '').join(',');
}

describe('snap: golden files', () => {
  for (const [file, ads, inverted] of [
    [JUL, 5878, 2],
    [AUG, 6121, 2],
    [Y2026, 5079, 64],
  ] as const) {
    it(`reads every row of ${path.basename(file)}`, async () => {
      const independent = countIndependently(file);
      expect(independent.ads).toBe(ads);
      expect(independent.inverted).toBe(inverted);
      const { summary, events, letters } = await importAds(snapSource, [file]);
      expect(summary.read).toBe(ads);
      expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
      expect(summary.duplicates).toBe(0);
      // The only rejections are rows whose EndDate precedes StartDate in the library itself.
      expect(summary.dead_lettered).toBe(inverted);
      expect(letters.every((l) => l.reason === 'schema_invalid' && /before StartDate/.test(l.detail))).toBe(
        true,
      );
      expect(events).toHaveLength(ads - inverted);
      const snapshot = `${/(\d{4}-\d{2}-\d{2})\.csv$/.exec(file)?.[1]}T00:00:00Z`;
      for (const e of events) {
        expect(e.payload.snapshot_at).toBe(snapshot);
        expect(e.source_record_id).toBe(`${e.payload.ad_id}@${snapshot}`);
        expect(e.payload.raw_fields_version).toBe('snap-csv-38');
        expect(e.payload.spend.point).toBe(independent.spend.get(e.payload.ad_id));
      }
    }, 60_000);
  }

  it('links the two 2024 snapshots: 5,876 ads in both, 445 changed spend, 2 gone', async () => {
    const a = countIndependently(JUL).spend;
    const b = countIndependently(AUG).spend;
    const both = [...a.keys()].filter((k) => b.has(k));
    expect(both).toHaveLength(5876);
    expect(both.filter((k) => a.get(k) !== b.get(k))).toHaveLength(445);
    const onlyEarlier = [...a.keys()].filter((k) => !b.has(k));
    expect(onlyEarlier).toHaveLength(2);

    const jul = (await importAds(snapSource, [JUL])).events;
    const aug = (await importAds(snapSource, [AUG])).events;
    const julById = new Map(jul.map((e) => [e.payload.ad_id, e]));
    const augById = new Map(aug.map((e) => [e.payload.ad_id, e]));
    const changed = [...julById.keys()].filter(
      (k) => augById.has(k) && julById.get(k)?.payload.spend.point !== augById.get(k)?.payload.spend.point,
    );
    expect(changed).toHaveLength(445);

    for (const order of [
      [...jul, ...aug],
      [...aug, ...jul],
    ]) {
      const current = currentAds(order);
      expect(current.size).toBe(new Set([...julById.keys(), ...augById.keys()]).size);
      for (const id of both) {
        const c = current.get(`snap:${id}`);
        const later = augById.get(id);
        if (!later) continue; // rejected (EndDate before StartDate) in the later file
        expect(c).toBe(later);
        expect(c?.payload.spend.point).toBe(b.get(id));
        expect(c?.payload.impressions).toEqual(later.payload.impressions);
      }
      for (const id of onlyEarlier) {
        expect(current.get(`snap:${id}`)?.payload.snapshot_at).toBe('2024-07-28T00:00:00Z');
        expect(current.get(`snap:${id}`)?.payload.spend.point).toBe(a.get(id));
      }
    }
  }, 120_000);

  it('reads the CSVs inside a ZIP, snapshot dates from the entry names', async () => {
    const zip = writeFile(
      dir,
      'snap.zip',
      zipOf([
        { name: 'exports/snap_political_ads_2024_snapshot_2024-07-28.csv', data: readFileSync(JUL) },
        { name: 'README.txt', data: Buffer.from('not a csv') },
        { name: 'snap_political_ads_2026_snapshot_2026-08-08.csv', data: readFileSync(Y2026) },
      ]),
    );
    const { summary, events } = await importAds(snapSource, [zip]);
    expect(summary.read).toBe(5878 + 5079);
    expect(summary.published).toBe(5878 - 2 + 5079 - 64);
    expect(events.filter((e) => e.payload.snapshot_at === '2024-07-28T00:00:00Z')).toHaveLength(5876);
    expect(events.filter((e) => e.payload.snapshot_at === '2026-08-08T00:00:00Z')).toHaveLength(5015);
  }, 60_000);

  it('re-importing the same snapshot is a duplicate, not a new event', async () => {
    const { summary } = await importAds(snapSource, [JUL, JUL]);
    expect(summary.published).toBe(5876);
    expect(summary.duplicates).toBe(5876);
  }, 60_000);
});

describe('snap: layouts and fields', () => {
  it('binds the older 34-column layout by header name', async () => {
    const file = path.join(FIXTURES, 'snap', 'snap_political_ads_34col_snapshot_2024-07-20.csv');
    const { summary, events } = await importAds(snapSource, [file]);
    expect(summary.read).toBe(3);
    expect(summary.published).toBe(3);
    for (const e of events) {
      expect(e.payload.raw_fields_version).toBe('snap-csv-34');
      expect(e.payload.sponsor_committee_id).toBeNull();
    }
    const withZip = events.find((e) => e.payload.targeting.postal_codes.some((p) => p.startsWith('0')));
    expect(withZip).toBeDefined();
  });

  it('maps one row completely', async () => {
    const file = writeFile(dir, 'one_snapshot_2024-10-20.csv', `${HEADER_38}\n${row()}\n`);
    const { events, keys } = await importAds(snapSource, [file]);
    const e = events[0] as AdV1;
    expect(keys[0]).toBe(`snap:${ADID}`);
    expect(e.occurred_at).toBe('2024-10-20T00:00:00Z');
    expect(AdPayloadV1.parse(e.payload)).toEqual(e.payload);
    expect(e.payload).toMatchObject({
      platform: 'snap',
      granularity: 'ad',
      advertiser_name: 'America PAC',
      paying_entity: 'America PAC',
      sponsor_committee_id: 'C00879510',
      currency: 'USD',
      spend: { low: '1200', high: '1200', point: '1200', point_method: 'exact' },
      impressions: { low: '45000', high: '45000', point: '45000', point_method: 'exact' },
      delivery_start: '2024-10-01T12:00:00Z',
      delivery_end: '2024-11-05T23:59:59Z',
      stance: [],
    });
    expect(e.payload.targeting).toMatchObject({
      countries: ['united states'],
      regions: ['Michigan', 'Pennsylvania'],
      postal_codes: ['08001', '48201'],
      age_min: 18,
      age_max: 34,
    });
    expect(e.payload.creative.link_urls).toEqual(['https://theamericapac.org/?utm=snap']);
    expect(e.payload.creative.media_urls).toEqual([
      'https://www.snap.com/political-ads/asset/abc?mediaType=mp4',
    ]);
  });

  it('falls back to the import start time when the file name has no date', async () => {
    const file = writeFile(dir, 'export.csv', `${HEADER_38}\n${row({ AgeBracket: '18+', EndDate: '' })}\n`);
    const { events } = await importAds(snapSource, [file]);
    expect(events[0]?.payload.snapshot_at).toBe('2024-11-01T08:30:00Z');
    expect(events[0]?.payload.snapshot_at).toBe(`${FIXED_NOW.toISOString().slice(0, 19)}Z`);
    expect(events[0]?.payload.targeting.age_max).toBeNull();
    expect(events[0]?.payload.delivery_end).toBeNull();
  });

  it('keeps formula- and SQL-looking text verbatim as data', async () => {
    const formula = `=cmd|' /C calc'!A0`;
    const sql = `'; DROP TABLE x; --`;
    const file = writeFile(
      dir,
      'inj_snapshot_2024-10-20.csv',
      `${HEADER_38}\n${row({ OrganizationName: `"${formula}"`, PayingAdvertiserName: sql, Interests: '"@SUM(1+1),+cmd"' })}\n`,
    );
    const { events } = await importAds(snapSource, [file]);
    expect(events[0]?.payload.advertiser_name).toBe(formula);
    expect(events[0]?.payload.paying_entity).toBe(sql);
    expect(events[0]?.payload.targeting.interests).toEqual(['@SUM(1+1)', '+cmd']);
  });
});

describe('snap: broken inputs', () => {
  it('rejects every row when required columns are missing, naming them', async () => {
    const header = HEADER_38.replace('Currency Code,Spend,', '');
    const names = HEADER_38.split(',');
    const line = row().split(',');
    const kept = line.filter((_, i) => names[i] !== 'Currency Code' && names[i] !== 'Spend');
    const file = writeFile(
      dir,
      'missing_snapshot_2024-10-20.csv',
      `${header}\n${kept.join(',')}\n${kept.join(',')}\n`,
    );
    const { summary, letters } = await importAds(snapSource, [file]);
    expect(summary.read).toBe(2);
    expect(summary.dead_lettered).toBe(2);
    expect(letters.every((l) => /missing.*Currency Code, Spend/.test(l.detail))).toBe(true);
  });

  it('rejects every row of a file with the wrong delimiter', async () => {
    const file = writeFile(
      dir,
      'semi_snapshot_2024-10-20.csv',
      `${HEADER_38.replace(/,/g, ';')}\n${row().replace(/,/g, ';')}\n`,
    );
    const { summary, letters } = await importAds(snapSource, [file]);
    expect(summary).toMatchObject({ read: 1, published: 0, dead_lettered: 1 });
    expect(letters[0]?.detail).toMatch(
      /missing from the header: ADID, .*delimited by something other than a comma/,
    );
  });

  it('turns a truncated file, a bad row and invalid UTF-8 into dead letters and goes on', async () => {
    const bad = Buffer.from(row({ OrganizationName: 'Caf\u00e9' }), 'latin1');
    const text = Buffer.concat([
      Buffer.from(`${HEADER_38}\n${row()}\n${row({ ADID: 'b'.repeat(64), Spend: 'twelve' })}\n`),
      bad,
      Buffer.from(
        `\n${row({ ADID: 'c'.repeat(64), StartDate: '10/01/2024' })}\n${row({ ADID: 'd'.repeat(64) })},extra\n`,
      ),
      Buffer.from(`${row({ ADID: 'e'.repeat(64) }).replace('"Michigan,Pennsylvania"', '"Michigan,Penn')}`),
    ]);
    const file = writeFile(dir, 'broken_snapshot_2024-10-20.csv', text);
    const { summary, letters } = await importAds(snapSource, [file]);
    expect(summary.read).toBe(6);
    expect(summary.published).toBe(1);
    expect(summary.dead_lettered).toBe(5);
    const details = letters.map((l) => `${l.reason}: ${l.detail}`);
    expect(details).toEqual([
      expect.stringMatching(/^schema_invalid: Spend is not/),
      'encoding_error: the record is not valid UTF-8',
      expect.stringMatching(/^parse_error: StartDate is not/),
      'parse_error: the row has 39 fields, the header 38',
      expect.stringMatching(/^parse_error: the input ends inside a quoted field/),
    ]);
  });

  it('refuses a huge field as too_large and reads the next record', async () => {
    const huge = row({ Interests: `"${'x'.repeat(2 * 1024 * 1024)}"` });
    const file = writeFile(dir, 'huge_snapshot_2024-10-20.csv', `${HEADER_38}\n${huge}\n${row()}\n`);
    const { summary, letters } = await importAds(snapSource, [file]);
    expect(summary).toMatchObject({ read: 2, published: 1, dead_lettered: 1 });
    expect(letters[0]?.reason).toBe('too_large');
  });

  it('reports a damaged ZIP as one fault', async () => {
    const zip = writeFile(dir, 'bad.zip', Buffer.from('PK\u0003\u0004 not really a zip'));
    const { summary, letters } = await importAds(snapSource, [zip]);
    expect(summary).toMatchObject({ read: 1, dead_lettered: 1 });
    expect(letters[0]?.detail).toMatch(/not a ZIP/);
  });
});

describe('snapDate', () => {
  // The check it replaced: a string round trip through Date.
  const reference = (text: string): string | null | undefined => {
    const t = text.trim();
    if (t === '') return null;
    const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})Z$/.exec(t);
    if (!m) return undefined;
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
    return Number.isFinite(Date.parse(iso)) && new Date(iso).toISOString().slice(0, 19) === iso.slice(0, 19)
      ? iso
      : undefined;
  };
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

  it('accepts exactly the real dates and times', () => {
    const date = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(25), two(61), two(61))
      .map(([y, mo, d, h, mi, s]) => `${String(y).padStart(4, '0')}/${mo}/${d} ${h}:${mi}:${s}Z`);
    fc.assert(
      fc.property(fc.oneof(date, fc.string({ maxLength: 22 })), (text) => {
        expect(snapDate(text)).toBe(reference(text));
      }),
      { numRuns: 20000 },
    );
    expect(snapDate('2024/02/29 23:59:59Z')).toBe('2024-02-29T23:59:59Z');
    expect(snapDate('2023/02/29 12:00:00Z')).toBeUndefined();
    expect(snapDate('0024/01/01 00:00:00Z')).toBe('0024-01-01T00:00:00Z');
    expect(snapDate('2024/01/01 24:00:00Z')).toBeUndefined();
  });
});

describe('instantOfDate', () => {
  it('accepts exactly the dates a round trip through Date accepts', () => {
    const reference = (date: string): string | undefined => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
      const t = Date.parse(`${date}T00:00:00Z`);
      return Number.isFinite(t) && new Date(t).toISOString().startsWith(date)
        ? `${date}T00:00:00Z`
        : undefined;
    };
    const n = (max: number, width: number) =>
      fc.integer({ min: 0, max }).map((x) => String(x).padStart(width, '0'));
    const date = fc.tuple(n(9999, 4), n(13, 2), n(32, 2)).map(([y, m, d]) => `${y}-${m}-${d}`);
    fc.assert(
      fc.property(fc.oneof(date, fc.string({ maxLength: 11 })), (text) => {
        expect(instantOfDate(text)).toBe(reference(text));
      }),
      { numRuns: 20000 },
    );
    expect(instantOfDate('2000-02-29')).toBe('2000-02-29T00:00:00Z');
    expect(instantOfDate('1900-02-29')).toBeUndefined();
  });
});

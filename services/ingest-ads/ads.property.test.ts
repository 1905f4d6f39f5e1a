/**
 * Bad input, property-based, for the ad libraries:
 * - Snap CSV exports (the sample's 38 columns) mixing good rows — advertiser names full of
 *   injection-looking text, media links carrying an access token — with broken ones: quoting,
 *   field counts, bytes that are not UTF-8, records over the limit, ids that are not ADIDs, letters
 *   in spend or impressions, dates in other formats or out of order, names over the schema limit;
 * - Meta `ads_archive` pages mixing good ads with ads of the wrong types (ids as numbers beyond
 *   2^53, spend bounds that are words or 1e400, times that are not times, shares above 1, links that
 *   are not http), and pages that are broken whole (truncated, not UTF-8, not an object, an error).
 * Through the real readers, parsers and importer into memory: nothing throws; every good record is
 * published with its text kept verbatim and no access token; every bad one is one dead letter with
 * its reason, position and bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import {
  buildCsv,
  corpusFolder,
  expectCorpusOutcome,
  importFile,
  keptBytes,
  letterBytes,
  nastyText,
  notAnAmount,
  plans,
  structurallyBad,
  type BadRow,
  type Cell,
  type GoodRow,
  type Plan,
} from '../shared/ingest/bad-input.test-support.ts';
import { splitCsvRecord } from '../shared/ingest/readers.ts';
import type { DlqReason } from '../../schemas/dlq.ts';
import { snapshotRecordId } from './ad-payload.ts';
import { metaAdsSource } from './meta-ads.parser.ts';
import { snapSource } from './snap-csv.parser.ts';

const folder = corpusFolder('ads-bad-input-');
afterAll(() => folder.remove());

/** Stand-ins for the tokens the libraries put in links. */
const META_TOKEN = 'SAMPLE-NOT-A-REAL-TOKEN';
const SNAP_TOKEN = 'SNAP-NOT-A-REAL-TOKEN';

/** Cells to overwrite in a good row so that it must be refused for one of `reasons`. */
interface Spoiler {
  set: Record<string, string>;
  reasons: DlqReason[];
  why: string;
}
const spoiler = (set: Record<string, string>, reasons: DlqReason[], why: string): Spoiler => ({
  set,
  reasons,
  why,
});

const hex64 = (i: number): string => createHash('sha256').update(`ad-${i}`).digest('hex');

describe('Snap CSV with bad rows', () => {
  const [headerLine, templateLine] = readFileSync(
    path.join(CAMPAIGN_DIR, 'snap-america-pac_snapshot_2024-11-06.csv'),
    'utf8',
  ).split('\n');
  const header = splitCsvRecord(headerLine ?? '') ?? [];
  const template = splitCsvRecord(templateLine ?? '') ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`the Snap sample has no column ${name}`);
    return i;
  };
  const snapshotAt = '2024-11-06T00:00:00Z';
  const media = template[col('CreativeUrl')] ?? '';

  const good: fc.Arbitrary<(i: number) => GoodRow> = fc
    .record({
      org: nastyText({ maxLength: 512 }),
      spend: fc.integer({ min: 0, max: 10_000_000 }),
      impressions: fc.option(fc.integer({ min: 0, max: 2 ** 40 })),
      days: fc.integer({ min: 0, max: 60 }),
      tokenInLink: fc.boolean(),
    })
    .map((g) => (i: number): GoodRow => {
      const cells: Cell[] = [...template];
      const adId = hex64(i);
      cells[col('ADID')] = adId;
      cells[col('OrganizationName')] = g.org;
      cells[col('Spend')] = String(g.spend);
      cells[col('Impressions')] = g.impressions === null ? '' : String(g.impressions);
      const end = new Date(Date.UTC(2024, 9, 1 + g.days, 23)).toISOString();
      cells[col('EndDate')] = `${end.slice(0, 10).replace(/-/g, '/')} 23:00:00Z`;
      cells[col('StartDate')] = '2024/10/01 16:00:00Z';
      cells[col('CreativeUrl')] = g.tokenInLink ? `${media}&access_token=${SNAP_TOKEN}` : media;
      return {
        cells,
        recordId: snapshotRecordId(adId, snapshotAt),
        check: (p) => {
          expect(p.advertiser_name).toBe(g.org.trim());
          expect((p.spend as { point: string }).point).toBe(String(g.spend));
          expect((p.creative as { media_urls: string[] }).media_urls).toEqual([media]);
        },
      };
    });

  const spoilers: fc.Arbitrary<Spoiler> = fc.oneof(
    fc
      .constantFrom('not-hex', 'ABC', hex64(0).slice(1), `${hex64(0)}0`, hex64(0).replace(/[0-9]/g, 'g'))
      .map((v) => spoiler({ ADID: v }, ['schema_invalid'], 'ADID')),
    fc
      .constantFrom('US', 'DOLLARS', '$$$', '')
      .map((v) => spoiler({ 'Currency Code': v }, ['schema_invalid'], 'currency')),
    notAnAmount.map((v) => spoiler({ Spend: v }, ['schema_invalid'], 'spend')),
    fc
      .constantFrom('-5', 'many', '1.5', '9999999999999999')
      .map((v) => spoiler({ Impressions: v }, ['schema_invalid'], 'impressions')),
    fc
      .constantFrom('2024-10-01 16:00:00', '10/01/2024', '2024/13/01 16:00:00Z', 'soon')
      .map((v) => spoiler({ StartDate: v }, ['parse_error'], 'start date')),
    fc.constant(
      spoiler(
        { StartDate: '2024/12/01 00:00:00Z', EndDate: '2024/10/01 00:00:00Z' },
        ['schema_invalid'],
        'end before start',
      ),
    ),
    fc
      .constantFrom('adults', '18 to 29', '-')
      .map((v) => spoiler({ AgeBracket: v }, ['parse_error'], 'age bracket')),
    fc
      .constantFrom('999+', '18-999')
      .map((v) => spoiler({ AgeBracket: v }, ['schema_invalid'], 'age over 130')),
    fc.constant(
      spoiler({ OrganizationName: '', PayingAdvertiserName: ' ' }, ['schema_invalid'], 'no advertiser'),
    ),
    fc
      .integer({ min: 513, max: 2000 })
      .map((n) => spoiler({ OrganizationName: 'O'.repeat(n) }, ['schema_invalid'], 'advertiser over 512')),
  );
  const semantic: fc.Arbitrary<Plan> = fc.record({ base: good, s: spoilers }).map(({ base, s }): Plan => ({
    kind: 'bad',
    label: `${s.why}: ${JSON.stringify(s.set).slice(0, 80)}`,
    row: (i): BadRow => {
      const cells = [...base(i).cells];
      for (const [name, value] of Object.entries(s.set)) cells[col(name)] = value;
      return { cells, reasons: s.reasons, why: s.why };
    },
  }));
  const bad = fc.oneof(semantic, structurallyBad(good, { maxRecordBytes: 1024 * 1024, refusesLatin1: true }));

  it('publishes every good row without tokens, dead-letters every bad one', async () => {
    expect(header).toHaveLength(38);
    await fc.assert(
      fc.asyncProperty(plans(good, bad), fc.boolean(), async (rows, tail) => {
        const corpus = buildCsv(header, rows, tail);
        const run = await importFile(
          snapSource,
          folder.write('snap-bad-input_snapshot_2024-11-06.csv', corpus.bytes),
        );
        expectCorpusOutcome(run, corpus);
        for (const e of run.sink.events) expect(e.value).not.toContain(SNAP_TOKEN);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

describe('Meta ads_archive pages with bad ads and broken pages', () => {
  const sample = JSON.parse(readFileSync(path.join(CAMPAIGN_DIR, 'meta-ads_archive_page1.json'), 'utf8')) as {
    data: Record<string, unknown>[];
    paging: unknown;
    _fetched_at: string;
  };
  const template = sample.data[0] as Record<string, unknown>;
  const fetchedAt = sample._fetched_at;
  const snapshotUrl = (id: string): string => `https://www.facebook.com/ads/archive/render_ad/?id=${id}`;

  /** One ad as JSON text (text, so that ids can be numbers beyond 2^53). */
  interface AdPlan {
    good: boolean;
    why: string;
    reasons: readonly DlqReason[];
    text: (i: number) => string;
    check?: (payload: Record<string, unknown>, i: number) => void;
  }
  const adId = (i: number): string => `9120249${String(i).padStart(9, '0')}`;
  const adText = (i: number, set: Record<string, unknown>, raw: Record<string, string> = {}): string => {
    const ad: Record<string, unknown> = {
      ...template,
      id: adId(i),
      ad_snapshot_url: `${snapshotUrl(adId(i))}&access_token=${META_TOKEN}`,
      ...set,
    };
    for (const k of Object.keys(set)) if (set[k] === undefined) delete ad[k];
    let text = JSON.stringify(ad);
    // Values JSON.stringify cannot write (numbers beyond 2^53, 1e400) go in as text.
    for (const [k, v] of Object.entries(raw)) text = text.replace(`"${k}":"@raw@"`, `"${k}":${v}`);
    return text;
  };

  const goodAd: fc.Arbitrary<AdPlan> = nastyText({ maxLength: 512 }).map((name) => ({
    good: true,
    why: 'good',
    reasons: [],
    text: (i) => adText(i, { page_name: name }),
    check: (p, i) => {
      expect(p.advertiser_name).toBe(name.trim());
      expect((p.creative as { snapshot_url: string }).snapshot_url).toBe(snapshotUrl(adId(i)));
    },
  }));
  const badAd = (why: string, reasons: DlqReason[], set: Record<string, unknown>, raw = {}): AdPlan => ({
    good: false,
    why,
    reasons,
    text: (i) => adText(i, set, raw),
  });
  const badAds: fc.Arbitrary<AdPlan> = fc.oneof(
    fc.constant(
      badAd('id as a number beyond 2^53', ['schema_invalid'], { id: '@raw@' }, { id: '91202400000079191' }),
    ),
    fc.constantFrom('abc', '', '12 34', '-1').map((id) => badAd(`id ${id}`, ['schema_invalid'], { id })),
    fc.constant(badAd('no id', ['schema_invalid'], { id: undefined })),
    fc.constantFrom('', '   ', null).map((v) => badAd('no page_name', ['schema_invalid'], { page_name: v })),
    fc
      .integer({ min: 513, max: 3000 })
      .map((n) => badAd('page_name over 512', ['schema_invalid'], { page_name: 'P'.repeat(n) })),
    fc.constantFrom('USDOLLAR', 'U$', 7).map((v) => badAd('currency', ['schema_invalid'], { currency: v })),
    fc
      .constantFrom({ lower_bound: 'abc' }, { lower_bound: '5', upper_bound: '1' }, 'lots', undefined)
      .map((v) => badAd('spend', ['schema_invalid'], { spend: v })),
    fc.constant(
      badAd(
        'spend of 1e400',
        ['schema_invalid'],
        { spend: { lower_bound: '@raw@' } },
        { lower_bound: '1e400' },
      ),
    ),
    fc
      .constantFrom({ lower_bound: '-1' }, { lower_bound: 'x' }, 'n/a')
      .map((v) => badAd('impressions', ['schema_invalid'], { impressions: v })),
    fc
      .constantFrom('yesterday', '2024-02-30', 42)
      .map((v) => badAd('start time', ['parse_error'], { ad_delivery_start_time: v })),
    fc.constant(
      badAd('stop before start', ['schema_invalid'], {
        ad_delivery_start_time: '2024-10-20',
        ad_delivery_stop_time: '2024-10-01',
      }),
    ),
    fc
      .constantFrom('1.5', '-0.1', 'half')
      .map((v) =>
        badAd('share', ['schema_invalid'], { delivery_by_region: [{ region: 'Arizona', percentage: v }] }),
      ),
    fc
      .constantFrom('javascript:alert(1)', 'ftp://x.example/y')
      .map((v) => badAd('snapshot link', ['schema_invalid'], { ad_snapshot_url: v })),
    fc.constantFrom('"an ad"', '[1,2]', 'null', '12').map((text): AdPlan => ({
      good: false,
      why: `not an object: ${text}`,
      reasons: ['schema_invalid'],
      text: () => text,
    })),
  );

  /** Ways to break a whole page: each must be one dead letter holding the page's bytes. */
  type PageFault = { why: string; reasons: DlqReason[]; spoil: (page: Buffer, at: number) => Buffer };
  const pageFaults: fc.Arbitrary<PageFault> = fc.constantFrom<PageFault>(
    {
      why: 'truncated',
      // A cut inside a multi-byte character leaves bytes that are not UTF-8 as well.
      reasons: ['parse_error', 'encoding_error'],
      spoil: (p, at) => p.subarray(0, 1 + (at % (p.length - 1))),
    },
    {
      why: 'not UTF-8',
      reasons: ['encoding_error'],
      spoil: (p, at) =>
        Buffer.concat([p.subarray(0, at % p.length), Buffer.from([0xff, 0xfe]), p.subarray(at % p.length)]),
    },
    {
      why: 'an array',
      reasons: ['parse_error'],
      spoil: (p) => Buffer.concat([Buffer.from('['), p, Buffer.from(']')]),
    },
    {
      why: 'a Graph API error',
      reasons: ['parse_error'],
      spoil: () => Buffer.from('{"error":{"code":190,"message":"Invalid OAuth access token"}}'),
    },
    { why: 'no data array', reasons: ['parse_error'], spoil: () => Buffer.from('{"data":{"id":"1"}}') },
    {
      why: 'a bad _fetched_at',
      reasons: ['parse_error'],
      spoil: (p) => Buffer.from(p.toString('utf8').replace(fetchedAt, 'last tuesday')),
    },
  );

  function page(ads: readonly AdPlan[]): Buffer {
    const data = ads.map((a, i) => a.text(i)).join(',');
    return Buffer.from(
      `{"_fetched_at":"${fetchedAt}","data":[${data}],"paging":${JSON.stringify(sample.paging)}}`,
    );
  }

  it('publishes every good ad without the token and dead-letters every bad ad with its position', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 3, arbitrary: goodAd }, { weight: 2, arbitrary: badAds }), {
          maxLength: 20,
        }),
        async (ads) => {
          const bytes = page(ads);
          const run = await importFile(metaAdsSource, folder.write('meta-page.json', bytes));
          const { summary, sink } = run;
          expect(summary.inputs[0]?.error).toBeUndefined();
          expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
          const goods = ads.map((a, i) => ({ a, i })).filter(({ a }) => a.good);
          const bads = ads.map((a, i) => ({ a, i })).filter(({ a }) => !a.good);
          expect({ read: summary.read, published: summary.published, dead: summary.dead_lettered }).toEqual({
            read: ads.length,
            published: goods.length,
            dead: bads.length,
          });
          const byId = new Map(
            sink.events.map((e) => {
              const v = JSON.parse(e.value) as { source_record_id: string; payload: Record<string, unknown> };
              return [v.source_record_id, v.payload] as const;
            }),
          );
          for (const { a, i } of goods) {
            const p = byId.get(`${adId(i)}@${fetchedAt}`);
            expect(p, `ad ${i}`).toBeDefined();
            if (p) a.check?.(p, i);
          }
          for (const e of sink.events) expect(e.value).not.toContain(META_TOKEN);
          bads.forEach(({ a, i }, k) => {
            const letter = sink.letters[k];
            const what = `${a.why} (item ${i + 1}): ${letter?.reason} ${letter?.detail.slice(0, 120)}`;
            expect(a.reasons, what).toContain(letter?.reason);
            expect(letter?.detail.trim(), what).not.toBe('');
            expect(letter?.position, what).toBe(`page item ${i + 1}`);
            const expected = keptBytes(Buffer.from(JSON.stringify(JSON.parse(a.text(i)))), false).toString(
              'utf8',
            );
            expect(letter && letterBytes(letter).toString('utf8'), what).toBe(expected);
          });
        },
      ),
      { numRuns: 80 },
    );
  }, 60_000);

  it('dead-letters a page broken whole as one letter with the page bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(goodAd, { minLength: 1, maxLength: 6 }),
        pageFaults,
        fc.nat(),
        async (ads, fault, at) => {
          const bytes = fault.spoil(page(ads), at);
          const run = await importFile(metaAdsSource, folder.write('meta-page.json', bytes));
          expect(run.summary.inputs[0]?.error).toBeUndefined();
          expect(run.summary).toMatchObject({ read: 1, published: 0, dead_lettered: 1, duplicates: 0 });
          const [letter] = run.sink.letters;
          expect(fault.reasons, fault.why).toContain(letter?.reason);
          expect(letter?.position).toBe('page');
          expect(letter?.raw.equals(keptBytes(bytes, false)), fault.why).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  /** Defects this suite found in the reader and parser, fixed: each test keeps them fixed. */
  describe('fixed defects of the meta-ads reader and parser', () => {
    /** JSON text nested `depth` objects deep (JSON.stringify cannot write it). */
    const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const pageOf = (...ads: string[]): Buffer =>
      Buffer.from(
        `{"_fetched_at":"${fetchedAt}","data":[${ads.join(',')}],"paging":${JSON.stringify(sample.paging)}}`,
      );

    it('an ad nested 20,000 levels deep is one dead letter, and the ads after it are still read', async () => {
      const bytes = pageOf(
        adText(0, {}),
        adText(1, { demographic_distribution: '@raw@' }, { demographic_distribution: nested(20_000) }),
        adText(2, {}),
      );
      const run = await importFile(metaAdsSource, folder.write('meta-page.json', bytes));
      expect(run.summary.inputs[0]?.error).toBeUndefined();
      expect(run.summary).toMatchObject({ read: 3, published: 2, dead_lettered: 1 });
    });

    it('a delivery time on a day that does not exist (Feb 30) is refused, not moved to Mar 1', async () => {
      const bytes = pageOf(adText(0, { ad_delivery_start_time: '2024-02-30T10:00:00+0000' }));
      const run = await importFile(metaAdsSource, folder.write('meta-page.json', bytes));
      expect(run.summary).toMatchObject({ read: 1, published: 0, dead_lettered: 1 });
    });

    it('the dead letter of a bad ad does not keep the access token of its ad_snapshot_url', async () => {
      const bytes = pageOf(adText(0, { currency: 'USDOLLAR' }));
      const run = await importFile(metaAdsSource, folder.write('meta-page.json', bytes));
      expect(run.summary).toMatchObject({ dead_lettered: 1 });
      for (const l of run.sink.letters) expect(letterBytes(l).toString('utf8')).not.toContain(META_TOKEN);
    });

    it('the dead letter of a truncated page does not keep the access token of paging.next', async () => {
      const whole = pageOf(adText(0, {}));
      const bytes = whole.subarray(0, whole.length - 1);
      const run = await importFile(metaAdsSource, folder.write('meta-page.json', bytes));
      expect(run.summary).toMatchObject({ dead_lettered: 1 });
      for (const l of run.sink.letters) expect(letterBytes(l).toString('utf8')).not.toContain(META_TOKEN);
    });
  });
});

/**
 * The sample campaign (infra/sample/campaign) through the real parsers and then the enricher:
 * every event enriches, every row fits its table, every enriched event fits its schema, and the
 * figures of expected.json come back from the enriched rows — which is what the SQL views need.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignFigures } from '../../infra/sample/campaign/generate.ts';
import { CAMPAIGN_DIR, CAMPAIGN_IMPORTS } from '../../infra/sample/campaign/manifest.ts';
import { ENRICHED_SCHEMAS } from '../../schemas/enriched.ts';
import { AnnotationPayloadV1 } from '../../schemas/events/annotation.ts';
import { SWING_STATES } from '../../schemas/geo.ts';
import type { EventType } from '../../schemas/topics.ts';
import { IMPORT_SOURCES } from '../cli/sources.ts';
import { eventId } from '../shared/event-id.ts';
import { runImport } from '../shared/ingest/importer.ts';
import { MemorySink } from '../shared/ingest/memory-sink.ts';
import { splitCsvRecord } from '../shared/ingest/readers.ts';
import { silentLogger } from '../shared/logger.ts';
import { createPseudonymizer } from '../shared/pseudonym.ts';
import { createSealer } from '../shared/seal.ts';
import { createEnricher, type EnrichOutcome } from './index.ts';
import { migrationColumns } from './migration.test-support.ts';
import { rawRowOf, repoReference, type PublishedEvent } from './testing.ts';

const KEY = Buffer.alloc(32, 7);
const INGESTED_AT = '2024-11-07T00:00:00.000Z';
const expected = JSON.parse(
  readFileSync(path.join(CAMPAIGN_DIR, 'expected.json'), 'utf8'),
) as CampaignFigures;

type Ok = Extract<EnrichOutcome, { ok: true }>;
type Row = Record<string, unknown>;

/** Published events per sample file (annotations built from the CSV, see below). */
const events = new Map<string, PublishedEvent[]>();
/** Enrichment outcomes per sample file, in event order. */
const outcomes = new Map<string, EnrichOutcome[]>();

/**
 * ad-annotations.csv has no import source yet: its events are built here from the CSV columns,
 * as that source will (payload checked by AnnotationPayloadV1, event id from source and record).
 */
function annotationEvents(): PublishedEvent[] {
  const lines = readFileSync(path.join(CAMPAIGN_DIR, 'ad-annotations.csv'), 'utf8').trimEnd().split('\n');
  const header = splitCsvRecord(lines[0] ?? '') ?? [];
  return lines.slice(1).map((line) => {
    const cells = splitCsvRecord(line) ?? [];
    const c = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    const payload = AnnotationPayloadV1.parse(c);
    const recordId = `${payload.platform}:${payload.ad_id}:${payload.coder}:${payload.subject}@${payload.coded_on}`;
    return {
      event_id: eventId('annotations:csv', recordId, 1),
      type: 'annotation',
      schema_version: 1,
      source: 'annotations:csv',
      source_record_id: recordId,
      occurred_at: `${payload.coded_on}T00:00:00Z`,
      ingested_at: INGESTED_AT,
      payload,
    };
  });
}

beforeAll(async () => {
  const sealer = createSealer(KEY);
  for (const { source: name, file } of CAMPAIGN_IMPORTS) {
    const source = IMPORT_SOURCES.find((s) => s.name === name);
    if (!source) throw new Error(`no import source ${name}`);
    const sink = new MemorySink();
    await runImport({
      source,
      inputs: [path.join(CAMPAIGN_DIR, file)],
      sink,
      pseudonymize: createPseudonymizer(KEY),
      log: silentLogger,
      now: () => new Date(INGESTED_AT),
      ...(source.sensitive ? { seal: (raw: Buffer) => sealer.seal(raw) } : {}),
    });
    if (sink.letters.length > 0)
      throw new Error(`${file}: ${sink.letters[0]?.reason} ${sink.letters[0]?.detail}`);
    events.set(
      file,
      sink.events.map((e) => JSON.parse(e.value) as PublishedEvent),
    );
  }
  events.set('ad-annotations.csv', annotationEvents());
  const enricher = createEnricher(repoReference());
  for (const [file, list] of events)
    outcomes.set(
      file,
      list.map((e, i) => enricher.enrich(rawRowOf(e, i))),
    );
}, 120_000);

function rows(file: string): Row[] {
  return (outcomes.get(file) ?? []).map((o) => {
    if (!o.ok) throw new Error(`${file}: ${o.reason}`);
    return o.row;
  });
}

/** `1234.50` / `-2.00` → cents. */
function cents(amount: unknown): bigint {
  const m = /^(-)?(\d+)\.(\d{2})$/.exec(String(amount));
  if (!m) throw new Error(`not a two-decimal amount: ${String(amount)}`);
  const c = BigInt(m[2] ?? '0') * 100n + BigInt(m[3] ?? '0');
  return m[1] ? -c : c;
}

function usd(c: bigint): string {
  const a = c < 0n ? -c : c;
  return `${c < 0n ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

function sumBy(list: Row[], key: (r: Row) => string, amount: (r: Row) => unknown): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const r of list) m.set(key(r), (m.get(key(r)) ?? 0n) + cents(amount(r)));
  return m;
}

/** The filing that counts per payout_key: the highest version, as the `payouts` view reads it. */
function latestFilings(list: Row[]): Row[] {
  const best = new Map<string, Row>();
  for (const r of list) {
    const k = String(r.payout_key);
    const cur = best.get(k);
    if (!cur || BigInt(String(r.version)) > BigInt(String(cur.version))) best.set(k, r);
  }
  return [...best.values()];
}

describe('the sample campaign through the parsers and the enricher', () => {
  it('enriches every event of every file, with no failure', () => {
    const failures = [...outcomes].flatMap(([file, list]) =>
      list.flatMap((o) => (o.ok ? [] : [`${file}: ${o.reason}`])),
    );
    expect(failures).toEqual([]);
    for (const [file, n] of Object.entries(expected.rows)) expect(outcomes.get(file)?.length, file).toBe(n);
  });

  it('gives rows with exactly the columns of their table and enriched events that fit their schema', () => {
    const columns = migrationColumns();
    for (const [file, list] of outcomes)
      for (const o of list as Ok[]) {
        expect(Object.keys(o.row), `${file} ${o.table}`).toEqual(
          (columns.get(o.table) ?? []).map(([n]) => n),
        );
        const type = o.enriched.value.type as EventType;
        expect(o.enriched.topic).toBe(`influence.enriched.${type}.v1`);
        const parsed = ENRICHED_SCHEMAS[type].schema.safeParse(o.enriched.value);
        expect(parsed.success, `${file}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
  });

  it('is deterministic: enriching everything again gives the same bytes', () => {
    const again = createEnricher(repoReference());
    for (const [file, list] of events)
      list.forEach((e, i) =>
        expect(JSON.stringify(again.enrich(rawRowOf(e, i))), file).toBe(
          JSON.stringify(outcomes.get(file)?.[i]),
        ),
      );
  });

  it('credits Musk with $75,000,000.00 under one person entity, memo lines apart', () => {
    const d = rows('fec-itcont-america-pac.txt');
    const counted = d.filter((r) => r.memo === false);
    const musk = counted.filter((r) => r.donor_entity_id === 'person:musk-elon');
    expect(musk.length).toBe(expected.donations.musk_receipts);
    expect(usd(musk.reduce((t, r) => t + cents(r.amount_usd), 0n))).toBe(expected.donations.musk_total);
    expect(usd(counted.reduce((t, r) => t + cents(r.amount_usd), 0n))).toBe(
      expected.donations.receipts_net_total,
    );
    expect(new Set(d.map((r) => r.recipient_entity_id))).toEqual(new Set(['C00879510']));
    expect(d.every((r) => r.cycle === 2024 && r.fx_rate === '1.00000000')).toBe(true);
    expect(
      d.every(
        (r) => typeof r.donor_entity_id === 'string' && /^(person:|name:|C\d{8})/.test(r.donor_entity_id),
      ),
    ).toBe(true);
  });

  it('finds a swing state at the end of every Schedule E purpose and reproduces spend per state and channel', () => {
    const se = rows('schedule-e-america-pac.csv');
    expect(se.length).toBe(expected.schedule_e.rows);
    for (const r of se) {
      expect(r.state_method, String(r.purpose)).toBe('purpose_text');
      expect(r.is_swing_state, String(r.purpose)).toBe(true);
      expect(SWING_STATES as readonly unknown[]).toContain(r.state);
    }
    const latest = latestFilings(se);
    expect(latest.length).toBe(expected.schedule_e.expenditures);
    expect(usd(latest.reduce((t, r) => t + cents(r.amount_usd), 0n))).toBe(expected.schedule_e.total);
    const byStateCat = sumBy(
      latest,
      (r) => `${String(r.state)} ${String(r.category)}`,
      (r) => r.amount_usd,
    );
    for (const [st, cats] of Object.entries(expected.schedule_e.by_state_category))
      for (const [cat, amount] of Object.entries(cats))
        expect(usd(byStateCat.get(`${st} ${cat}`) ?? 0n), `${st} ${cat}`).toBe(amount);

    const fp = rows('payouts.csv');
    expect(fp.every((r) => r.state_method === 'filed' && r.payer_entity_id === 'C00879510')).toBe(true);
    const all = sumBy(
      [...latest, ...fp],
      (r) => `${String(r.state)} ${String(r.category)}`,
      (r) => r.amount_usd,
    );
    for (const [st, cats] of Object.entries(expected.spend_by_state_category))
      for (const [cat, amount] of Object.entries(cats))
        expect(usd(all.get(`${st} ${cat}`) ?? 0n), `${st} ${cat}`).toBe(amount);
    expect(usd([...all.values()].reduce((t, v) => t + v, 0n))).toBe(expected.spend_total);
  });

  it('gives each Meta page the side the README names, with the expected spend per side', () => {
    const ads = [...rows('meta-ads_archive_page1.json'), ...rows('meta-ads_archive_page2.json')];
    const sideOf = (r: Row): string | null => {
      const subjects = r.stance_subjects as string[];
      const origins = r.stance_origins as string[];
      const values = r.stance_values as string[];
      const i = origins.findIndex((o, j) => o === 'advertiser' && values[j] === 'support');
      return i < 0 ? null : `pro-${subjects[i] ?? ''}`;
    };
    for (const [side, x] of Object.entries(expected.meta.sides)) {
      const pages = ads.filter((r) => x.pages.includes(String(r.advertiser_name)));
      expect(pages.length, side).toBeGreaterThan(0);
      for (const r of pages) expect(sideOf(r), String(r.advertiser_name)).toBe(side);
      const mine = ads.filter(
        (r) =>
          sideOf(r) === side &&
          String(r.delivery_start) >= `${expected.meta.window.from} 00:00:00.000` &&
          String(r.delivery_end) <= `${expected.meta.window.to} 23:59:59.999`,
      );
      expect(mine.length, side).toBe(x.ads);
      expect(usd(mine.reduce((t, r) => t + cents(r.spend_usd_low), 0n)), side).toBe(x.spend_low);
      expect(usd(mine.reduce((t, r) => t + cents(r.spend_usd_point), 0n)), side).toBe(x.spend_point);
      expect(mine.filter((r) => r.spend_usd_high === null).length, side).toBe(x.open_ranges);
      for (const r of mine) expect(r.swing_states, String(r.ad_id)).toEqual(r.target_states);
    }
    expect(new Set(ads.map((r) => r.sponsor_match_method))).toEqual(new Set(['platform_id']));
  });

  it('finds the nine contradictory Snap ad pairs from the enriched ads and annotations', () => {
    const ads = rows('snap-america-pac_snapshot_2024-11-06.csv');
    const coded = rows('ad-annotations.csv');
    expect(ads.every((r) => r.sponsor_id === 'C00879510' && r.sponsor_match_method === 'fec_id')).toBe(true);
    const codingOf = new Map(coded.map((c) => [String(c.ad_id), c]));
    for (const [name, set] of Object.entries(expected.snap.ad_sets)) {
      const mine = ads.filter((r) => set.ads.includes(String(r.ad_id)));
      expect(mine.length, name).toBe(set.ads.length);
      for (const r of mine) {
        expect(r.target_states, name).toEqual([set.state]);
        expect(codingOf.get(String(r.ad_id))).toMatchObject({
          subject: 'Harris',
          stance: set.stance,
          ad_set: name,
        });
      }
      expect(usd(mine.reduce((t, r) => t + cents(r.spend_usd_point), 0n)), name).toBe(set.spend);
    }
    const opposite = new Set(repoReference().lexicon.opposites.map(([a, b]) => `${a}|${b}`));
    let pairs = 0;
    for (const a of ads)
      for (const b of ads) {
        const ca = codingOf.get(String(a.ad_id));
        const cb = codingOf.get(String(b.ad_id));
        if (!ca || !cb || String(a.ad_id) >= String(b.ad_id)) continue;
        const disjoint = !(a.target_states as string[]).some((s) =>
          (b.target_states as string[]).includes(s),
        );
        if (
          a.sponsor_id === b.sponsor_id &&
          ca.subject === cb.subject &&
          opposite.has(`${String(ca.stance)}|${String(cb.stance)}`) &&
          disjoint
        )
          pairs++;
      }
    expect(pairs).toBe(expected.snap.contradictory_ad_pairs);
  });

  it("credits @America's posts to America PAC and links each to the petition", () => {
    const posts = rows('x-america-posts.json');
    expect(posts.length).toBe(expected.posts.count);
    expect(posts.every((r) => r.sponsor_id === 'C00879510')).toBe(true);
    expect(
      posts.filter((r) => (r.petition_ids as string[]).includes('america-pac-1a2a-petition-2024')).length,
    ).toBe(expected.posts.with_petition_link);
    const keys = (outcomes.get('x-america-posts.json') as Ok[]).map((o) => o.enriched.key);
    expect(new Set(keys)).toEqual(new Set([`x:${expected.posts.author_id}`]));
  });

  it('credits signups and contacts to America PAC, by swing state', () => {
    const signups = rows('signups.csv');
    expect(signups.every((r) => r.sponsor_id === 'C00879510' && r.is_swing_state === true)).toBe(true);
    const byState = new Map<string, number>();
    for (const r of signups) byState.set(String(r.state), (byState.get(String(r.state)) ?? 0) + 1);
    expect(Object.fromEntries(byState)).toEqual(expected.signups.by_state);
    expect(signups.filter((r) => r.referred === true).length).toBe(expected.signups.referred);

    const contacts = rows('contacts.csv');
    expect(contacts.every((r) => r.sponsor_id === 'C00879510')).toBe(true);
    for (const [st, x] of Object.entries(expected.contacts.by_state)) {
      const mine = contacts.filter((r) => r.state === st);
      expect(mine.length, st).toBe(x.attempts);
      expect(mine.filter((r) => r.contacted === true).length, st).toBe(x.contacted);
    }
  });
});

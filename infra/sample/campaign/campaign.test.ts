/**
 * The sample campaign: every file imports through its real source with no dead letter, the
 * figures in expected.json come back from the published events (recomputed here from the
 * payloads, in BigInt cents), and the generator rewrites the committed files byte for byte.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdPayloadV1 } from '../../../schemas/events/ad.ts';
import type { AnnotationPayloadV1 } from '../../../schemas/events/annotation.ts';
import type { ContactPayloadV1 } from '../../../schemas/events/contact.ts';
import type { DonationPayloadV1 } from '../../../schemas/events/donation.ts';
import type { PayoutPayloadV1 } from '../../../schemas/events/payout.ts';
import type { PostPayloadV1 } from '../../../schemas/events/post.ts';
import type { SignupPayloadV1 } from '../../../schemas/events/signup.ts';
import { IMPORT_SOURCES } from '../../../services/cli/sources.ts';
import { latestPayouts } from '../../../services/ingest-fec/index.ts';
import type { DeadLetter } from '../../../services/shared/dlq.ts';
import { runImport } from '../../../services/shared/ingest/importer.ts';
import { silentLogger } from '../../../services/shared/logger.ts';
import { createPseudonymizer } from '../../../services/shared/pseudonym.ts';
import { createSealer } from '../../../services/shared/seal.ts';
import { CAMPAIGN_DIR, CAMPAIGN_FILES, renderCampaign, type CampaignFigures } from './generate.ts';
import { CAMPAIGN_IMPORTS } from './manifest.ts';
import { MemorySink } from '../../../services/shared/ingest/memory-sink.ts';

const key = Buffer.alloc(32, 7);
const expected = JSON.parse(
  readFileSync(path.join(CAMPAIGN_DIR, CAMPAIGN_FILES.expected), 'utf8'),
) as CampaignFigures;

interface Envelope<P> {
  source: string;
  payload: P;
}

/** Published payloads per file, filled once by importing everything. */
const published = new Map<string, Envelope<unknown>[]>();
const summaries = new Map<
  string,
  { read: number; published: number; dead_lettered: number; duplicates: number }
>();
const letters: DeadLetter[] = [];

function payloads<P>(file: string): P[] {
  const events = published.get(file);
  if (!events) throw new Error(`${file} was not imported`);
  return events.map((e) => e.payload as P);
}

/** `1234.5` / `-2.50` → cents. */
function cents(amount: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) throw new Error(`not an amount: ${amount}`);
  const frac = (m[3] ?? '').padEnd(2, '0');
  if (/[1-9]/.test(frac.slice(2))) throw new Error(`sub-cent amount: ${amount}`);
  const c = BigInt(m[2] ?? '0') * 100n + BigInt(frac.slice(0, 2));
  return m[1] ? -c : c;
}

function usd(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

/** 2 × an amount in cents, exact for half-cent midpoints (`124999.5` → 24999900). */
function twiceCents(amount: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(amount);
  if (!m) throw new Error(`not a point: ${amount}`);
  const twiceMillis = (BigInt(m[1] ?? '0') * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'))) * 2n;
  if (twiceMillis % 10n !== 0n) throw new Error(`finer than half a cent: ${amount}`);
  return twiceMillis / 10n;
}

/** n / d rounded half up to `places`. */
function div(n: bigint, d: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  const q = (n * scale * 2n + d) / (d * 2n);
  return `${q / scale}.${String(q % scale).padStart(places, '0')}`;
}

function bump<K>(m: Map<K, bigint>, k: K, v: bigint): void {
  m.set(k, (m.get(k) ?? 0n) + v);
}

function count<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** The state a Schedule E purpose names at its end (`… - NORTH CAROLINA`). */
const STATE_NAMES: Record<string, string> = {
  ARIZONA: 'AZ',
  GEORGIA: 'GA',
  MICHIGAN: 'MI',
  NEVADA: 'NV',
  'NORTH CAROLINA': 'NC',
  PENNSYLVANIA: 'PA',
  WISCONSIN: 'WI',
};
function stateOfPurpose(purpose: string): string {
  const name = / - ([A-Z ]+)$/.exec(purpose)?.[1];
  const code = name === undefined ? undefined : STATE_NAMES[name];
  if (!code) throw new Error(`no swing state at the end of ${purpose}`);
  return code;
}

beforeAll(async () => {
  const sealer = createSealer(key);
  const seal = (raw: Buffer): Buffer => sealer.seal(raw);
  const pseudonymize = createPseudonymizer(key);
  for (const { source: name, file } of CAMPAIGN_IMPORTS) {
    const source = IMPORT_SOURCES.find((s) => s.name === name);
    if (!source) throw new Error(`no source ${name}`);
    const sink = new MemorySink();
    const summary = await runImport({
      source,
      inputs: [path.join(CAMPAIGN_DIR, file)],
      sink,
      pseudonymize,
      log: silentLogger,
      now: () => new Date('2024-11-07T00:00:00Z'),
      ...(source.sensitive ? { seal } : {}),
    });
    summaries.set(file, summary);
    letters.push(...sink.letters);
    published.set(
      file,
      sink.events.map((e) => JSON.parse(e.value) as Envelope<unknown>),
    );
  }
}, 60_000);

describe('sample campaign', () => {
  it('imports every data file, as the main job does (manifest.ts)', () => {
    const data = Object.values(CAMPAIGN_FILES).filter(
      (f) => f !== CAMPAIGN_FILES.expected && f !== CAMPAIGN_FILES.readme,
    );
    expect(new Set(CAMPAIGN_IMPORTS.map((i) => i.file))).toEqual(new Set(data));
    expect(CAMPAIGN_IMPORTS).toHaveLength(data.length);
    // The codings follow the ads they code.
    const at = (file: string): number => CAMPAIGN_IMPORTS.findIndex((i) => i.file === file);
    expect(at(CAMPAIGN_FILES.annotations)).toBeGreaterThan(at(CAMPAIGN_FILES.snap));
  });

  it('imports every row of every file, with no dead letter and no duplicate', () => {
    expect(letters.map((l) => `${l.source} ${l.position}: ${l.reason} ${l.detail}`)).toEqual([]);
    for (const { file } of CAMPAIGN_IMPORTS) {
      const s = summaries.get(file);
      expect(s, file).toMatchObject({
        read: expected.rows[file],
        published: expected.rows[file],
        dead_lettered: 0,
        duplicates: 0,
      });
    }
  });

  it('gives Musk $75,000,000.00 and never counts a memo line', () => {
    const d = payloads<DonationPayloadV1>(CAMPAIGN_FILES.itcont);
    const counted = d.filter((x) => !x.memo);
    const musk = counted.filter((x) => x.contributor_name === 'MUSK, ELON');
    const sum = (xs: DonationPayloadV1[]): bigint => xs.reduce((t, x) => t + cents(x.amount), 0n);
    expect(usd(sum(musk))).toBe('75000000.00');
    expect(usd(sum(musk))).toBe(expected.donations.musk_total);
    expect(musk.length).toBe(expected.donations.musk_receipts);
    expect(usd(sum(counted))).toBe(expected.donations.receipts_net_total);
    const refunds = counted.filter((x) => cents(x.amount) < 0n);
    expect(refunds.length).toBe(expected.donations.refunds_count);
    expect(usd(sum(refunds))).toBe(expected.donations.refunds_total);
    expect(d.length - counted.length).toBe(expected.donations.memo_lines);
    expect(usd(sum(d.filter((x) => x.memo)))).toBe(expected.donations.memo_total_not_counted);
    for (const x of musk)
      expect(x.contributed_on >= '2024-07-01' && x.contributed_on <= '2024-10-31').toBe(true);
  });

  it('counts each Schedule E expenditure once, by payout_key and restatement rank', () => {
    const rows = payloads<PayoutPayloadV1>(CAMPAIGN_FILES.scheduleE);
    expect(rows.length).toBe(expected.schedule_e.rows);
    expect(rows.filter((p) => p.filing.form === 'F24').length).toBe(expected.schedule_e.f24_rows);
    expect(usd(rows.reduce((t, p) => t + cents(p.amount), 0n))).toBe(
      expected.schedule_e.naive_total_all_rows,
    );
    const latest = latestPayouts(rows.map((payload) => ({ payload }))).map((e) => e.payload);
    expect(latest.length).toBe(expected.schedule_e.expenditures);
    // Every F24 notice is restated on an F3X under the same payout_key (and another sub_id).
    const notices = rows.filter((p) => p.filing.form === 'F24');
    for (const n of notices)
      expect(
        rows.some(
          (p) =>
            p.payout_key === n.payout_key && p.filing.form === 'F3X' && p.filing.sub_id !== n.filing.sub_id,
        ),
        n.payout_key,
      ).toBe(true);
    expect(latest.every((p) => p.filing.form === 'F3X')).toBe(true);
    expect(usd(latest.reduce((t, p) => t + cents(p.amount), 0n))).toBe(expected.schedule_e.total);
    const byStateCat = new Map<string, Map<string, bigint>>();
    for (const p of latest) {
      expect(p.payer_committee_id).toBe('C00879510');
      expect(p.state).toBeNull(); // a presidential race carries no state: it is in the purpose
      const st = stateOfPurpose(p.purpose);
      const inner = byStateCat.get(st) ?? new Map<string, bigint>();
      bump(inner, p.category, cents(p.amount));
      byStateCat.set(st, inner);
    }
    for (const [st, cats] of Object.entries(expected.schedule_e.by_state_category))
      for (const [cat, amount] of Object.entries(cats))
        expect(usd(byStateCat.get(st)?.get(cat) ?? 0n), `${st} ${cat}`).toBe(amount);
    // The two same-day $111,111.00 payments to one vendor stay two expenditures.
    expect(latest.filter((p) => p.amount === '111111.00' && p.paid_on === '2024-10-01').length).toBe(2);
  });

  it('reproduces spend per state and channel, bounties, lottery and cost per phone', () => {
    const se = latestPayouts(
      payloads<PayoutPayloadV1>(CAMPAIGN_FILES.scheduleE).map((payload) => ({ payload })),
    ).map((e) => e.payload);
    const fp = payloads<PayoutPayloadV1>(CAMPAIGN_FILES.payouts);
    const spend = new Map<string, Map<string, bigint>>();
    const add = (st: string, cat: string, c: bigint): void => {
      const inner = spend.get(st) ?? new Map<string, bigint>();
      bump(inner, cat, c);
      spend.set(st, inner);
    };
    for (const p of se) add(stateOfPurpose(p.purpose), p.category, cents(p.amount));
    for (const p of fp) {
      expect(p.payee_name).toBeNull();
      expect(p.payee_pseudonym).toMatch(/^hmac-sha256:/);
      add(p.state ?? 'none', p.category, cents(p.amount));
    }
    for (const [st, cats] of Object.entries(expected.spend_by_state_category))
      for (const [cat, amount] of Object.entries(cats))
        expect(usd(spend.get(st)?.get(cat) ?? 0n), `${st} ${cat}`).toBe(amount);
    let total = 0n;
    for (const cats of spend.values()) for (const v of cats.values()) total += v;
    expect(usd(total)).toBe(expected.spend_total);

    const bounties = fp.filter((p) => p.category === 'referral_bounty');
    expect(bounties.every((p) => p.amount === '47.00')).toBe(true);
    expect(bounties.length).toBe(expected.first_party_payouts.referral_bounty.count);
    const bountyTotal = bounties.reduce((t, p) => t + cents(p.amount), 0n);
    expect(usd(bountyTotal)).toBe(expected.first_party_payouts.referral_bounty.total);

    const lottery = fp.filter((p) => p.category === 'lottery_award');
    expect(lottery.length).toBe(18);
    expect(new Set(lottery.map((p) => p.paid_on)).size).toBe(18);
    expect(lottery.every((p) => p.paid_on >= '2024-10-19' && p.paid_on <= '2024-11-05')).toBe(true);
    expect(new Set(lottery.map((p) => p.state)).size).toBe(7);
    expect(usd(lottery.reduce((t, p) => t + cents(p.amount), 0n))).toBe('18000000.00');

    const signups = payloads<SignupPayloadV1>(CAMPAIGN_FILES.signups);
    expect(signups.length).toBe(expected.signups.total);
    const referred = signups.filter((s) => s.referrer !== null);
    expect(referred.length).toBe(bounties.length);
    // Every bounty went to a referrer: the pseudonyms join.
    const referrers = new Set(referred.map((s) => s.referrer));
    expect(bounties.every((p) => referrers.has(p.payee_pseudonym))).toBe(true);
    const phones = referred.reduce((t, s) => t + BigInt(s.phones_collected), 0n);
    expect(Number(phones)).toBe(expected.signups.phones_collected_referred);
    expect(div(bountyTotal, phones * 100n, 2)).toBe('23.50');
    expect(div(bountyTotal, phones * 100n, 2)).toBe(expected.cost_per_phone_via_bounties);

    const byState = new Map<string, number>();
    for (const s of signups) count(byState, s.state ?? 'none');
    const lotteryByState = new Map<string, bigint>();
    for (const p of lottery) bump(lotteryByState, p.state ?? 'none', cents(p.amount));
    for (const [st, per] of Object.entries(expected.lottery_cost_per_signup_by_state)) {
      expect(byState.get(st), st).toBe(expected.signups.by_state[st]);
      expect(div(lotteryByState.get(st) ?? 0n, BigInt(byState.get(st) ?? 0) * 100n, 2), st).toBe(per);
    }
    // Winners are signers.
    const signers = new Set(signups.map((s) => s.signer));
    expect(lottery.every((p) => signers.has(p.payee_pseudonym ?? ''))).toBe(true);
  });

  it('reproduces canvass contacts and their cost by state', () => {
    const contacts = payloads<ContactPayloadV1>(CAMPAIGN_FILES.contacts);
    expect(contacts.length).toBe(expected.contacts.attempts);
    expect(contacts.every((c) => c.paid_by_committee_id === 'C00879510')).toBe(true);
    const se = latestPayouts(
      payloads<PayoutPayloadV1>(CAMPAIGN_FILES.scheduleE).map((payload) => ({ payload })),
    ).map((e) => e.payload);
    const fp = payloads<PayoutPayloadV1>(CAMPAIGN_FILES.payouts);
    const canvassSpend = new Map<string, bigint>();
    for (const p of se)
      if (p.category === 'canvassing') bump(canvassSpend, stateOfPurpose(p.purpose), cents(p.amount));
    for (const p of fp)
      if (p.category === 'canvasser_pay') bump(canvassSpend, p.state ?? 'none', cents(p.amount));
    for (const [st, x] of Object.entries(expected.contacts.by_state)) {
      const mine = contacts.filter((c) => c.state === st);
      const contacted = mine.filter((c) => c.outcome === 'contacted').length;
      expect(mine.length, st).toBe(x.attempts);
      expect(contacted, st).toBe(x.contacted);
      const spend = canvassSpend.get(st) ?? 0n;
      expect(usd(spend), st).toBe(x.canvass_spend);
      expect(div(BigInt(contacted) * 100_000_000n, spend, 3), st).toBe(x.contacted_per_million_usd);
    }
  });

  it('codes the six Snap ads in two ad sets, one stance each (annotations)', () => {
    const events = published.get(CAMPAIGN_FILES.annotations) ?? [];
    expect(events).toHaveLength(expected.rows[CAMPAIGN_FILES.annotations] ?? -1);
    expect(events).toHaveLength(6);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['annotations:csv']));
    const coded = payloads<AnnotationPayloadV1>(CAMPAIGN_FILES.annotations);
    expect(new Set(coded.map((c) => c.ad_set))).toEqual(new Set(Object.keys(expected.snap.ad_sets)));
    for (const [name, x] of Object.entries(expected.snap.ad_sets)) {
      const mine = coded.filter((c) => c.ad_set === name);
      expect(mine.map((c) => c.ad_id).sort(), name).toEqual([...x.ads].sort());
      for (const c of mine) {
        expect(c.platform).toBe('snap');
        expect(c.subject).toBe('Harris');
        expect(c.stance, c.ad_id).toBe(x.stance);
        expect(c.message, c.ad_id).toBe(x.message);
        expect(c.transcript.length).toBeGreaterThan(0);
        expect(c.coder).toMatch(/^[^/@]+\/[^/@]+$/);
      }
    }
    // Every coded ad is an ad of the Snap export, and every ad of it is coded once.
    const snapIds = payloads<AdPayloadV1>(CAMPAIGN_FILES.snap).map((a) => a.ad_id);
    expect(coded.map((c) => c.ad_id).sort()).toEqual([...snapIds].sort());
  });

  it('finds the contradictory Snap ad sets through the annotations', () => {
    const ads = payloads<AdPayloadV1>(CAMPAIGN_FILES.snap);
    const coded = payloads<AnnotationPayloadV1>(CAMPAIGN_FILES.annotations);
    const byId = new Map(coded.map((c) => [c.ad_id, c]));
    const sets = new Map<
      string,
      { spend: bigint; impressions: bigint; regions: Set<string>; stance: string }
    >();
    for (const ad of ads) {
      expect(ad.sponsor_committee_id).toBe('C00879510');
      expect(ad.snapshot_at).toBe('2024-11-06T00:00:00Z');
      const c = byId.get(ad.ad_id);
      expect(c, ad.ad_id).toBeDefined();
      const set = sets.get(c?.ad_set ?? '') ?? {
        spend: 0n,
        impressions: 0n,
        regions: new Set(),
        stance: c?.stance ?? '',
      };
      set.spend += cents(ad.spend.point);
      set.impressions += BigInt(ad.impressions?.point ?? '0');
      for (const r of ad.targeting.regions) set.regions.add(r);
      sets.set(c?.ad_set ?? '', set);
    }
    for (const [name, x] of Object.entries(expected.snap.ad_sets)) {
      const set = sets.get(name);
      expect(usd(set?.spend ?? 0n), name).toBe(x.spend);
      expect(Number(set?.impressions ?? 0n), name).toBe(x.impressions);
      expect(set?.stance).toBe(x.stance);
    }
    expect(sets.get('mi-harris-friend-of-israel')?.regions).toEqual(new Set(['Michigan']));
    expect(sets.get('pa-harris-ally-of-palestine')?.regions).toEqual(new Set(['Pennsylvania']));
    // Pairs: same sponsor and subject, opposite stances, no region in common.
    let pairs = 0;
    for (const a of ads)
      for (const b of ads) {
        const ca = byId.get(a.ad_id);
        const cb = byId.get(b.ad_id);
        if (!ca || !cb || a.ad_id >= b.ad_id) continue;
        const disjoint = !a.targeting.regions.some((r) => b.targeting.regions.includes(r));
        if (
          ca.subject === cb.subject &&
          ca.stance !== cb.stance &&
          disjoint &&
          a.sponsor_committee_id === b.sponsor_committee_id
        )
          pairs++;
      }
    expect(pairs).toBe(expected.snap.contradictory_ad_pairs);
    // The Snapchat lines of Schedule E equal each set's library spend.
    const se = latestPayouts(
      payloads<PayoutPayloadV1>(CAMPAIGN_FILES.scheduleE).map((payload) => ({ payload })),
    ).map((e) => e.payload);
    const snapBuys = se.filter((p) => p.purpose.includes('SNAPCHAT'));
    expect(snapBuys.map((p) => [stateOfPurpose(p.purpose), p.amount]).sort()).toEqual([
      ['MI', expected.snap.ad_sets['mi-harris-friend-of-israel']?.spend],
      ['PA', expected.snap.ad_sets['pa-harris-ally-of-palestine']?.spend],
    ]);
  });

  it('sums Meta spend ranges per side, about ten to one, with tokens stripped', () => {
    const ads = [
      ...payloads<AdPayloadV1>(CAMPAIGN_FILES.metaPage1),
      ...payloads<AdPayloadV1>(CAMPAIGN_FILES.metaPage2),
    ];
    const points = new Map<string, bigint>();
    for (const [side, x] of Object.entries(expected.meta.sides)) {
      const mine = ads.filter(
        (a) =>
          x.pages.includes(a.advertiser_name) &&
          (a.delivery_start ?? '') >= `${expected.meta.window.from}T00:00:00Z` &&
          (a.delivery_end ?? '') <= `${expected.meta.window.to}T23:59:59Z`,
      );
      expect(mine.length, side).toBe(x.ads);
      expect(usd(mine.reduce((t, a) => t + cents(a.spend.low), 0n)), side).toBe(x.spend_low);
      // Points of closed buckets are half-dollar midpoints: sum twice the point, in cents.
      const point2 = mine.reduce((t, a) => t + twiceCents(a.spend.point), 0n);
      expect(div(point2, 200n, 2), side).toBe(x.spend_point);
      points.set(side, point2);
      const open = mine.filter((a) => a.spend.high === null).length;
      expect(open, side).toBe(x.open_ranges);
      expect(open > 0 ? null : usd(mine.reduce((t, a) => t + cents(a.spend.high ?? '0'), 0n)), side).toBe(
        x.spend_high,
      );
      for (const a of mine) {
        expect(a.creative.snapshot_url ?? '').not.toContain('access_token');
        expect(a.paying_entity).not.toBeNull();
        expect(a.creative.bodies.length).toBeGreaterThan(0);
      }
    }
    const ratio = div(points.get('pro-Harris') ?? 0n, points.get('pro-Trump') ?? 1n, 2);
    expect(ratio).toBe(expected.meta.ratio_point);
    expect(Number(ratio)).toBeGreaterThan(9);
    expect(Number(ratio)).toBeLessThan(11);
  });

  it('keeps @America posts with their author and the petition link', () => {
    const posts = payloads<PostPayloadV1>(CAMPAIGN_FILES.x);
    expect(posts.length).toBe(expected.posts.count);
    expect(new Set(posts.map((p) => p.account_id))).toEqual(new Set([expected.posts.author_id]));
    expect(posts.every((p) => p.account_handle === 'America')).toBe(true);
    expect(
      posts.filter((p) => p.urls.some((u) => u.startsWith('https://petition.america-pac.example/sign')))
        .length,
    ).toBe(expected.posts.with_petition_link);
  });

  it('is rewritten byte for byte by the generator', async () => {
    const files = await renderCampaign();
    for (const [name, content] of files)
      expect(
        content === readFileSync(path.join(CAMPAIGN_DIR, name), 'utf8'),
        `${name} differs: run generate.ts`,
      ).toBe(true);
  });
});

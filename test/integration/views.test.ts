/**
 * The analysts' model (infra/clickhouse/migrations 0003–0005) on the real ClickHouse of the test
 * stack: small hand-built rows go into the typed tables of 0002 and the views must apply the
 * sources' rules — restatements, cumulative snapshots, memo lines, replays — and compute the
 * figures the cookbook and the correlation workflow rely on. One migrated database for the file;
 * each test keeps to its own sponsors and ads.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { loadMigrations, MIGRATIONS_DIR } from '../../infra/clickhouse/migrate.ts';
import type { CampaignFigures } from '../../infra/sample/campaign/generate.ts';
import { createClickHouse } from '../../services/shared/clickhouse.ts';
import { recomputeSponsorRollups } from '../../services/worker/activities/rollup.activities.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { compareRows, expectedFor, loadCookbook, sameValue } from '../helpers/cookbook.ts';
import { freshDatabase, stackEndpoints, uniqueSuffix } from '../helpers/stack.ts';

let db: string;
let client: ClickHouseClient;
let analyst: ClickHouseClient;

beforeAll(async () => {
  ({ database: db, client } = await freshDatabase('views'));
  const url = stackEndpoints().clickhouse.analyst_url;
  if (!url) throw new Error('the stack has no read-only analyst user (external ClickHouse?)');
  analyst = createClickHouse({ url, log: silentLogger, database: db });
});

afterAll(async () => {
  await client?.close();
  await analyst?.close();
});

/** A deterministic 32-hex event id for a label, unique to this run. */
function eid(label: string): string {
  return createHash('md5').update(`${db}:${label}`).digest('hex');
}

/** A sponsor id of this test run (isolates a test's rows from the others' in the shared database). */
function sponsor(name: string): string {
  return `T${name}${uniqueSuffix()}`.toUpperCase();
}

const INGESTED = '2024-11-07 00:00:00.000';

async function insert(table: string, values: object[]): Promise<void> {
  await client.insert({ table, values, format: 'JSONEachRow' });
}

async function select<T>(query: string, params: Record<string, unknown> = {}, as = client): Promise<T[]> {
  const rs = await as.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

function payout(p: {
  label: string;
  committee: string;
  transaction: string;
  amount: string;
  category: string;
  paid_on: string;
  rank?: number;
  state?: string | null;
  form?: string;
  payee?: string;
}): object {
  const event_id = eid(p.label);
  const rank = p.rank ?? 1;
  const version = BigInt(rank) * 2n ** 32n + BigInt(`0x${event_id.slice(0, 8)}`);
  return {
    event_id,
    source: 'test',
    source_record_id: p.label,
    payer_committee_id: p.committee,
    payer_entity_id: p.committee,
    payer_name: p.committee,
    cycle: 2024,
    transaction_id: p.transaction,
    payout_key: `${p.committee}:2024:${p.transaction}`,
    restatement_rank: rank,
    version: String(version),
    payee_name: p.payee ?? 'EXAMPLE VENDOR LLC',
    payee_pseudonym: null,
    purpose: p.category.toUpperCase(),
    category: p.category,
    amount: p.amount,
    currency: 'USD',
    amount_usd: p.amount,
    fx_rate: '1',
    fx_rate_date: null,
    paid_on: p.paid_on,
    state: p.state === undefined ? 'PA' : p.state,
    state_method: p.state === null ? 'unknown' : 'filed',
    is_swing_state: p.state !== null,
    form: p.form ?? (rank === 1 ? 'F24' : 'F3X'),
    source_kind: 'fec_schedule_e',
    occurred_at: `${p.paid_on} 00:00:00.000`,
    ingested_at: INGESTED,
  };
}

function donation(d: {
  label: string;
  committee: string;
  donor: string;
  amount: string;
  memo?: boolean;
  on?: string;
}): object {
  const on = d.on ?? '2024-08-01';
  return {
    event_id: eid(d.label),
    source: 'test',
    source_record_id: d.label,
    committee_id: d.committee,
    recipient_entity_id: d.committee,
    cycle: 2024,
    contributed_on: on,
    contributor_name: d.donor.toUpperCase(),
    donor_entity_id: `person:${d.donor}`,
    donor_name: d.donor,
    donor_confidence: 0.5,
    donor_match_method: 'normalised_name',
    amount: d.amount,
    currency: 'USD',
    amount_usd: d.amount,
    fx_rate: '1',
    memo: d.memo ?? false,
    transaction_type: d.amount.startsWith('-') ? '22Y' : '15',
    occurred_at: `${on} 00:00:00.000`,
    ingested_at: INGESTED,
  };
}

interface Stance {
  subject: string;
  stance: string;
  origin: string;
}

function snapshot(s: {
  label: string;
  ad: string;
  sponsor: string;
  at: string;
  states: string[];
  start: string | null;
  end: string | null;
  spend: [string, string | null, string];
  impressions?: [string | null, string | null, string | null];
  stances?: Stance[];
  platform?: string;
}): object {
  const [low, high, point] = s.spend;
  const [ilow, ihigh, ipoint] = s.impressions ?? ['1000', '2000', '1500'];
  return {
    event_id: eid(s.label),
    source: 'test',
    source_record_id: `${s.ad}@${s.at}`,
    platform: s.platform ?? 'snap',
    ad_id: s.ad,
    granularity: 'ad',
    snapshot_at: s.at,
    advertiser_name: s.sponsor,
    paying_advertiser: s.sponsor,
    sponsor_id: s.sponsor,
    sponsor_name: s.sponsor,
    sponsor_confidence: 1,
    sponsor_match_method: 'fec_id',
    currency: 'USD',
    spend_low: low,
    spend_high: high,
    spend_point: point,
    spend_point_method: high === null ? 'low_bound_for_open_range' : low === high ? 'exact' : 'midpoint',
    fx_rate: '1',
    spend_usd_low: low,
    spend_usd_high: high,
    spend_usd_point: point,
    impressions_low: ilow,
    impressions_high: ihigh,
    impressions_point: ipoint,
    impressions_point_method: 'midpoint',
    delivery_start: s.start,
    delivery_end: s.end,
    target_states: s.states,
    target_states_method: 'regions',
    swing_states: s.states,
    stance_subjects: (s.stances ?? []).map((x) => x.subject),
    stance_values: (s.stances ?? []).map((x) => x.stance),
    stance_origins: (s.stances ?? []).map((x) => x.origin),
    occurred_at: s.at,
    ingested_at: INGESTED,
  };
}

function annotation(a: {
  label: string;
  ad: string;
  subject: string;
  stance: string;
  coder: string;
  on: string;
}): object {
  return {
    event_id: eid(a.label),
    source: 'annotations:csv',
    source_record_id: `snap:${a.ad}:${a.coder}:${a.subject}@${a.on}`,
    platform: 'snap',
    ad_id: a.ad,
    ad_set: 'set-1',
    subject: a.subject,
    stance: a.stance,
    message: `${a.subject}: ${a.stance}`,
    transcript: '',
    coder: a.coder,
    coded_on: a.on,
    occurred_at: `${a.on} 00:00:00.000`,
    ingested_at: INGESTED,
  };
}

function signup(s: {
  label: string;
  sponsor: string;
  petition?: string;
  at: string;
  state?: string;
  referred?: boolean;
  phones?: number;
  channel?: string;
}): object {
  return {
    event_id: eid(s.label),
    source: 'test',
    source_record_id: s.label,
    petition_id: s.petition ?? `petition-${s.sponsor}`,
    sponsor_id: s.sponsor,
    signed_at: s.at,
    signed_on: s.at.slice(0, 10),
    signer: `hmac-sha256:${eid(`${s.label}:signer`)}`,
    referrer: s.referred ? `hmac-sha256:${eid(`${s.label}:referrer`)}` : null,
    referred: s.referred ?? false,
    state: s.state ?? 'PA',
    state_method: 'filed',
    is_swing_state: true,
    phone_provided: (s.phones ?? 0) > 0,
    phones_collected: s.phones ?? 0,
    email_provided: true,
    channel: s.channel ?? (s.referred ? 'referral' : 'direct'),
    occurred_at: s.at,
    ingested_at: INGESTED,
  };
}

function contact(c: {
  label: string;
  sponsor: string;
  at: string;
  contacted: boolean;
  state?: string;
}): object {
  return {
    event_id: eid(c.label),
    source: 'test',
    source_record_id: c.label,
    campaign_id: `canvass-${c.sponsor}`,
    attempt_id: c.label,
    sponsor_id: c.sponsor,
    attempted_at: c.at,
    attempted_on: c.at.slice(0, 10),
    method: 'door',
    outcome: c.contacted ? 'contacted' : 'not_home',
    contacted: c.contacted,
    canvasser: `hmac-sha256:${eid('canvasser')}`,
    voter: `hmac-sha256:${eid(`${c.label}:voter`)}`,
    state: c.state ?? 'PA',
    state_method: 'filed',
    is_swing_state: true,
    petition_signed: null,
    occurred_at: c.at,
    ingested_at: INGESTED,
  };
}

/**
 * What the sponsor workflow runs before it correlates: the sponsors' rollups behind
 * efficiency_daily, spend_daily, funding_flows and the *_daily views of migration 0007.
 */
async function rollups(...sponsorIds: string[]): Promise<void> {
  for (const s of sponsorIds) await recomputeSponsorRollups(client, s);
}

/** What the correlation activity runs for one kind and sponsor (services/worker/activities/correlate). */
async function recordCorrelations(kind: string, sponsorId: string, version: number): Promise<void> {
  await client.command({
    query: `INSERT INTO correlations (correlation_id, kind, sponsor_id, subject, detail, source_event_ids, computed_at, version, is_deleted)
            SELECT correlation_id, {kind:String}, sponsor_id, subject, detail, source_event_ids, now64(3), {version:UInt64}, 0
            FROM ${kind}_candidates WHERE sponsor_id = {sponsor:String}`,
    query_params: { kind, sponsor: sponsorId, version },
  });
}

describe('payouts', () => {
  it('keeps the filing with the highest restatement rank, and two same-day equal payments stay two', async () => {
    const c = sponsor('pay');
    const filings = [
      payout({
        label: `${c}:f24`,
        committee: c,
        transaction: 'SE.1',
        amount: '1000.00',
        category: 'canvassing',
        paid_on: '2024-10-01',
        rank: 1,
      }),
      payout({
        label: `${c}:f3x`,
        committee: c,
        transaction: 'SE.1',
        amount: '1000.00',
        category: 'canvassing',
        paid_on: '2024-10-01',
        rank: 2,
      }),
      payout({
        label: `${c}:amended`,
        committee: c,
        transaction: 'SE.1',
        amount: '1200.00',
        category: 'canvassing',
        paid_on: '2024-10-01',
        rank: 3,
        form: 'F3X',
      }),
      payout({
        label: `${c}:print-a`,
        committee: c,
        transaction: 'SE.2',
        amount: '111111.00',
        category: 'printing',
        paid_on: '2024-10-01',
        rank: 2,
      }),
      payout({
        label: `${c}:print-b`,
        committee: c,
        transaction: 'SE.3',
        amount: '111111.00',
        category: 'printing',
        paid_on: '2024-10-01',
        rank: 2,
      }),
    ];
    // The amended filing arrives first: order of arrival must not matter.
    await insert('payout_filings', [...filings].reverse());
    const read = () =>
      select<{
        transaction_id: string;
        amount: number;
        restatement_rank: number;
        filings: string;
        event_id: string;
        filing_event_ids: string[];
        sponsor_id: string;
      }>(
        `SELECT transaction_id, amount, restatement_rank, filings, toString(event_id) AS event_id, filing_event_ids, sponsor_id
         FROM payouts WHERE committee_id = {c:String} ORDER BY transaction_id`,
        { c },
      );
    const want = [
      {
        transaction_id: 'SE.1',
        amount: 1200,
        restatement_rank: 3,
        filings: '3',
        event_id: eid(`${c}:amended`),
        filing_event_ids: [eid(`${c}:f24`), eid(`${c}:f3x`), eid(`${c}:amended`)].sort(),
        sponsor_id: c,
      },
      {
        transaction_id: 'SE.2',
        amount: 111111,
        restatement_rank: 2,
        filings: '1',
        event_id: eid(`${c}:print-a`),
        filing_event_ids: [eid(`${c}:print-a`)],
        sponsor_id: c,
      },
      {
        transaction_id: 'SE.3',
        amount: 111111,
        restatement_rank: 2,
        filings: '1',
        event_id: eid(`${c}:print-b`),
        filing_event_ids: [eid(`${c}:print-b`)],
        sponsor_id: c,
      },
    ];
    expect(await read()).toEqual(want);

    // A replay inserts every filing again; nothing changes.
    await insert('payout_filings', filings);
    expect(await read()).toEqual(want);
  });
});

describe('ads_current', () => {
  it('shows the latest snapshot (ties by event_id), first and last seen over all, and the current codings', async () => {
    const s = sponsor('ads');
    const ad = eid(`${s}:ad`);
    const older = snapshot({
      label: `${s}:older`,
      ad,
      sponsor: s,
      at: '2024-10-01 00:00:00.000',
      states: ['PA'],
      start: '2024-09-30 00:00:00.000',
      end: null,
      spend: ['100.00', '199.00', '149.50'],
      stances: [{ subject: 'Trump', stance: 'support', origin: 'advertiser' }],
    });
    // The latest snapshot has an open top range: its NULL must win over the older bound.
    const latest = snapshot({
      label: `${s}:latest`,
      ad,
      sponsor: s,
      at: '2024-10-08 00:00:00.000',
      states: ['PA'],
      start: '2024-09-30 00:00:00.000',
      end: null,
      spend: ['1000000.00', null, '1000000.00'],
      stances: [{ subject: 'Trump', stance: 'support', origin: 'advertiser' }],
    });
    await insert('ad_snapshots', [latest]);
    await insert('ad_snapshots', [older, older]);
    // The same coder codes the ad twice: the later coding supersedes.
    await insert('ad_annotations', [
      annotation({
        label: `${s}:code-1`,
        ad,
        subject: 'Harris',
        stance: 'pro-Israel',
        coder: 'group/a',
        on: '2024-11-01',
      }),
    ]);
    await insert('ad_annotations', [
      annotation({
        label: `${s}:code-2`,
        ad,
        subject: 'Harris',
        stance: 'pro-Palestine',
        coder: 'group/a',
        on: '2024-11-02',
      }),
    ]);
    // Two snapshots at the same instant: the larger event_id counts.
    const tied = eid(`${s}:tied-ad`);
    const tieA = snapshot({
      label: `${s}:tie-a`,
      ad: tied,
      sponsor: s,
      at: '2024-10-05 00:00:00.000',
      states: ['MI'],
      start: null,
      end: null,
      spend: ['1.00', '1.00', '1.00'],
    });
    const tieB = snapshot({
      label: `${s}:tie-b`,
      ad: tied,
      sponsor: s,
      at: '2024-10-05 00:00:00.000',
      states: ['MI'],
      start: null,
      end: null,
      spend: ['2.00', '2.00', '2.00'],
    });
    await insert('ad_snapshots', [tieA, tieB]);

    const rows = await select<Record<string, unknown>>(
      `SELECT ad_id, spend_usd_low, spend_usd_high, spend_open_range, first_seen, last_seen, snapshots,
              toString(event_id) AS event_id, stance_subjects, stance_values, stance_origins, stance_coders,
              annotation_event_ids, coded_ad_sets
       FROM ads_current WHERE sponsor_id = {s:String} ORDER BY ad_id`,
      { s },
    );
    const byAd = new Map(rows.map((r) => [r.ad_id, r]));
    expect(byAd.get(ad)).toEqual({
      ad_id: ad,
      spend_usd_low: 1000000,
      spend_usd_high: null,
      spend_open_range: true,
      first_seen: '2024-10-01 00:00:00.000',
      last_seen: '2024-10-08 00:00:00.000',
      snapshots: '2',
      event_id: eid(`${s}:latest`),
      stance_subjects: ['Trump', 'Harris'],
      stance_values: ['support', 'pro-Palestine'],
      stance_origins: ['advertiser', 'coder'],
      stance_coders: ['', 'group/a'],
      annotation_event_ids: [eid(`${s}:code-2`)],
      coded_ad_sets: ['set-1'],
    });
    const winner = [eid(`${s}:tie-a`), eid(`${s}:tie-b`)].sort()[1];
    expect(byAd.get(tied)).toMatchObject({
      snapshots: '2',
      event_id: winner,
      spend_usd_low: winner === eid(`${s}:tie-a`) ? 1 : 2,
    });
    expect(rows).toHaveLength(2);
  });
});

describe('contradiction_candidates and contradictions', () => {
  it('pairs opposite stances of one sponsor or funder network in disjoint places at overlapping times', async () => {
    const S = sponsor('con-s');
    const U = sponsor('con-u'); // funded mostly by the same donor as S
    const T = sponsor('con-t'); // unrelated
    const funder = `funder-${uniqueSuffix()}`;
    await insert('donation_events', [
      donation({ label: `${S}:d1`, committee: S, donor: funder, amount: '900.00' }),
      donation({ label: `${S}:d2`, committee: S, donor: `other-${S}`, amount: '100.00' }),
      donation({ label: `${U}:d1`, committee: U, donor: funder, amount: '600.00' }),
      donation({ label: `${U}:d2`, committee: U, donor: `other-${U}`, amount: '400.00' }),
      donation({ label: `${T}:d1`, committee: T, donor: `own-${T}`, amount: '1000.00' }),
    ]);
    await insert('ref_stance_opposites', [
      { stance_a: 'pro-Israel', stance_b: 'pro-Palestine', version: '1' },
      { stance_a: 'pro-Palestine', stance_b: 'pro-Israel', version: '1' },
      { stance_a: 'support', stance_b: 'oppose', version: '1' },
      { stance_a: 'oppose', stance_b: 'support', version: '1' },
    ]);
    const ad = (n: string) => eid(`${S}:${n}`);
    const october = { start: '2024-10-01 00:00:00.000', end: '2024-10-31 00:00:00.000' };
    const snap = (
      n: string,
      who: string,
      states: string[],
      when: { start: string; end: string | null },
      stances: Stance[] = [],
    ) =>
      snapshot({
        label: `${S}:${n}:snap`,
        ad: ad(n),
        sponsor: who,
        at: '2024-11-06 00:00:00.000',
        states,
        ...when,
        spend: ['10.00', '10.00', '10.00'],
        stances,
      });
    const text = (stance: string): Stance[] => [{ subject: 'Harris', stance, origin: 'text' }];
    await insert('ad_snapshots', [
      snap('a1', S, ['MI'], october), // pro-Israel by annotation
      snap('a2', S, ['PA'], { start: '2024-10-15 00:00:00.000', end: null }, text('pro-Palestine')), // still running
      snap('a3', S, ['MI', 'PA'], october, text('pro-Palestine')), // shares MI with a1
      snap(
        'a4',
        S,
        ['PA'],
        { start: '2024-11-10 00:00:00.000', end: '2024-11-20 00:00:00.000' },
        text('pro-Palestine'),
      ), // after a1
      snap('a5', T, ['PA'], october, text('pro-Palestine')), // unrelated sponsor
      snap('a6', U, ['WI'], october, text('pro-Palestine')), // same funder network
      snap('a7', S, ['NC'], october, [{ subject: 'Harris', stance: 'oppose', origin: 'advertiser' }]), // an alignment, not a message
      snap('a8', S, ['AZ'], october, text('support')),
    ]);
    await insert('ad_annotations', [
      annotation({
        label: `${S}:a1:code`,
        ad: ad('a1'),
        subject: 'Harris',
        stance: 'pro-Israel',
        coder: 'group/a',
        on: '2024-11-07',
      }),
    ]);
    await rollups(S, U, T);

    const candidates = (who: string) =>
      select<{
        correlation_id: string;
        sponsor_id: string;
        subject: string;
        detail: string;
        source_event_ids: string[];
      }>(
        `SELECT correlation_id, sponsor_id, subject, detail, source_event_ids
         FROM contradiction_candidates WHERE sponsor_id = {s:String} ORDER BY correlation_id`,
        { s: who },
      );
    const pairOf = (r: { detail: string }) => {
      const d = JSON.parse(r.detail) as { relation: string; a: { ad_id: string }; b: { ad_id: string } };
      return { relation: d.relation, ads: [d.a.ad_id, d.b.ad_id] };
    };
    const sorted = (x: string, y: string) => (x < y ? [x, y] : [y, x]);
    const forS = await candidates(S);
    expect(forS.map(pairOf).sort((p, q) => p.relation.localeCompare(q.relation))).toEqual([
      { relation: 'same_sponsor', ads: sorted(ad('a1'), ad('a2')) },
      { relation: 'shared_majority_funder', ads: sorted(ad('a1'), ad('a6')) },
    ]);
    expect(forS.every((r) => /^[0-9a-f]{32}$/.test(r.correlation_id) && r.subject === 'Harris')).toBe(true);
    const sameSponsor = forS.find((r) => pairOf(r).relation === 'same_sponsor');
    expect(sameSponsor?.source_event_ids).toEqual(
      [eid(`${S}:a1:snap`), eid(`${S}:a2:snap`), eid(`${S}:a1:code`)].sort(),
    );
    const detail = JSON.parse(sameSponsor?.detail ?? '{}') as Record<string, unknown>;
    expect(detail).toMatchObject({
      overlap_start: '2024-10-15T00:00:00.000Z',
      overlap_end: '2024-10-31T00:00:00.000Z',
    });
    // The network pair belongs to both sponsors, under one id; the unrelated sponsor has none.
    const forU = await candidates(U);
    expect(forU.map(pairOf)).toEqual([
      { relation: 'shared_majority_funder', ads: sorted(ad('a1'), ad('a6')) },
    ]);
    expect(forS.map((r) => r.correlation_id)).toContain(forU[0]?.correlation_id);
    expect(await candidates(T)).toEqual([]);
    // Recomputing gives byte-identical rows (the caller diffs details).
    expect(await candidates(S)).toEqual(forS);

    await recordCorrelations('contradiction', S, 1);
    await recordCorrelations('contradiction', U, 1);
    await recordCorrelations('contradiction', S, 2);
    const recorded = await select<Record<string, unknown>>(
      `SELECT relation, a_ad_id, b_ad_id, a_stance, b_stance, a_target_states, b_target_states, sponsor_ids,
              a_spend_usd_point, b_delivery_end, overlap_start, overlap_end
       FROM contradictions WHERE has(sponsor_ids, {s:String}) ORDER BY relation`,
      { s: S },
    );
    const [a1, a2] = sorted(ad('a1'), ad('a2'));
    const [n1, n6] = sorted(ad('a1'), ad('a6'));
    const stanceOf = (id: string | undefined) => (id === ad('a1') ? 'pro-Israel' : 'pro-Palestine');
    const statesOf = (id: string | undefined) => [id === ad('a1') ? 'MI' : id === ad('a2') ? 'PA' : 'WI'];
    expect(recorded).toEqual([
      {
        relation: 'same_sponsor',
        a_ad_id: a1,
        b_ad_id: a2,
        a_stance: stanceOf(a1),
        b_stance: stanceOf(a2),
        a_target_states: statesOf(a1),
        b_target_states: statesOf(a2),
        sponsor_ids: [S],
        a_spend_usd_point: 10,
        b_delivery_end: a2 === ad('a2') ? null : '2024-10-31 00:00:00.000',
        overlap_start: '2024-10-15 00:00:00.000',
        overlap_end: '2024-10-31 00:00:00.000',
      },
      {
        relation: 'shared_majority_funder',
        a_ad_id: n1,
        b_ad_id: n6,
        a_stance: stanceOf(n1),
        b_stance: stanceOf(n6),
        a_target_states: statesOf(n1),
        b_target_states: statesOf(n6),
        sponsor_ids: [S, U].sort(),
        a_spend_usd_point: 10,
        b_delivery_end: '2024-10-31 00:00:00.000',
        overlap_start: '2024-10-01 00:00:00.000',
        overlap_end: '2024-10-31 00:00:00.000',
      },
    ]);
  });
});

describe('funding_flows and spend_daily', () => {
  it('shares net receipts (memo lines out, refunds netted) and attributes spend without double counting', async () => {
    const X = sponsor('fund');
    const Y = sponsor('nofund');
    const [big, mid, tiny] = ['big', 'mid', 'tiny'].map((n) => `${n}-${X.toLowerCase()}`) as [
      string,
      string,
      string,
    ];
    await insert('donation_events', [
      donation({ label: `${X}:1`, committee: X, donor: big, amount: '800.00' }),
      donation({ label: `${X}:2`, committee: X, donor: big, amount: '-50.00', on: '2024-09-01' }),
      donation({ label: `${X}:3`, committee: X, donor: big, amount: '1000.00', memo: true }),
      donation({ label: `${X}:4`, committee: X, donor: mid, amount: '245.00' }),
      donation({ label: `${X}:5`, committee: X, donor: tiny, amount: '5.00' }),
    ]);
    await insert('payout_filings', [
      payout({
        label: `${X}:p1`,
        committee: X,
        transaction: 'P1',
        amount: '400.00',
        category: 'canvassing',
        paid_on: '2024-10-01',
      }),
      payout({
        label: `${X}:p2`,
        committee: X,
        transaction: 'P2',
        amount: '600.00',
        category: 'mail',
        paid_on: '2024-10-02',
      }),
      payout({
        label: `${Y}:p1`,
        committee: Y,
        transaction: 'P1',
        amount: '50.00',
        category: 'mail',
        paid_on: '2024-10-02',
      }),
    ]);
    await rollups(X, Y);

    const flows = await select<Record<string, unknown>>(
      `SELECT donor_entity_id, donor_receipts, donor_refunds, toString(donor_net_usd) AS net, toString(committee_net_usd) AS committee_net,
              round(share, 6) AS share, toString(committee_spend_usd) AS spend, toString(attributed_spend_usd) AS attributed,
              length(donation_event_ids) AS donations
       FROM funding_flows WHERE sponsor_id = {x:String} ORDER BY donor_net_usd DESC`,
      { x: X },
    );
    expect(flows).toEqual([
      {
        donor_entity_id: `person:${big}`,
        donor_receipts: '1',
        donor_refunds: '1',
        net: '750',
        committee_net: '1000',
        share: 0.75,
        spend: '1000',
        attributed: '750',
        donations: '2',
      },
      {
        donor_entity_id: `person:${mid}`,
        donor_receipts: '1',
        donor_refunds: '0',
        net: '245',
        committee_net: '1000',
        share: 0.245,
        spend: '1000',
        attributed: '245',
        donations: '1',
      },
      {
        donor_entity_id: `person:${tiny}`,
        donor_receipts: '1',
        donor_refunds: '0',
        net: '5',
        committee_net: '1000',
        share: 0.005,
        spend: '1000',
        attributed: '5',
        donations: '1',
      },
    ]);

    const byFunder = await select<{
      funder_entity_id: string;
      funder_rank: string;
      cells: string;
      spend: string;
      attributed: string;
    }>(
      `SELECT funder_entity_id, any(funder_rank) AS funder_rank, count() AS cells,
              toString(sum(spend_usd)) AS spend, toString(sum(attributed_spend_usd)) AS attributed
       FROM spend_daily WHERE sponsor_id = {x:String} GROUP BY funder_entity_id ORDER BY funder_rank`,
      { x: X },
    );
    // Donors under 1% are folded into one row; each funder row repeats the sponsor's spend.
    expect(byFunder).toEqual([
      { funder_entity_id: `person:${big}`, funder_rank: '1', cells: '2', spend: '1000', attributed: '750' },
      { funder_entity_id: `person:${mid}`, funder_rank: '2', cells: '2', spend: '1000', attributed: '245' },
      { funder_entity_id: '(other donors)', funder_rank: '3', cells: '2', spend: '1000', attributed: '5' },
    ]);
    const [once] = await select<{ spend: string }>(
      `SELECT toString(sum(spend_usd)) AS spend FROM spend_daily WHERE sponsor_id = {x:String} AND funder_rank = 1`,
      { x: X },
    );
    expect(once?.spend).toBe('1000');
    const cell = await select<Record<string, unknown>>(
      `SELECT toString(day) AS day, channel, toString(attributed_spend_usd) AS attributed, funder_is_majority
       FROM spend_daily WHERE sponsor_id = {x:String} AND funder_entity_id = {f:String} ORDER BY day`,
      { x: X, f: `person:${big}` },
    );
    expect(cell).toEqual([
      { day: '2024-10-01', channel: 'canvassing', attributed: '300', funder_is_majority: true },
      { day: '2024-10-02', channel: 'mail', attributed: '450', funder_is_majority: true },
    ]);
    // Spend without itemised receipts keeps one row, unattributed.
    expect(
      await select(
        `SELECT funder_entity_id, funder_rank, attribution_method, toString(spend_usd) AS spend, attributed_spend_usd
         FROM spend_daily WHERE sponsor_id = {y:String}`,
        { y: Y },
      ),
    ).toEqual([
      {
        funder_entity_id: '',
        funder_rank: '1',
        attribution_method: 'no_itemized_receipts',
        spend: '50',
        attributed_spend_usd: null,
      },
    ]);
  });
});

describe('efficiency_daily, ad_efficiency and funnel_candidates', () => {
  it('computes cost per signup, phone and contact, and the CPM interval of the live ads', async () => {
    const E = sponsor('eff');
    const day = '2024-10-20';
    await insert('payout_filings', [
      payout({
        label: `${E}:b1`,
        committee: E,
        transaction: 'B1',
        amount: '47.00',
        category: 'referral_bounty',
        paid_on: day,
      }),
      payout({
        label: `${E}:b2`,
        committee: E,
        transaction: 'B2',
        amount: '47.00',
        category: 'referral_bounty',
        paid_on: day,
      }),
      payout({
        label: `${E}:l1`,
        committee: E,
        transaction: 'L1',
        amount: '1000.00',
        category: 'lottery_award',
        paid_on: day,
      }),
      payout({
        label: `${E}:c1`,
        committee: E,
        transaction: 'C1',
        amount: '100.00',
        category: 'canvasser_pay',
        paid_on: day,
      }),
      payout({
        label: `${E}:s1`,
        committee: E,
        transaction: 'S1',
        amount: '300.00',
        category: 'canvassing',
        paid_on: day,
      }),
    ]);
    await insert('signup_events', [
      signup({ label: `${E}:g1`, sponsor: E, at: `${day} 10:00:00.000`, referred: true, phones: 2 }),
      signup({ label: `${E}:g2`, sponsor: E, at: `${day} 11:00:00.000`, referred: true, phones: 2 }),
      signup({ label: `${E}:g3`, sponsor: E, at: `${day} 12:00:00.000`, phones: 1 }),
    ]);
    await insert(
      'contact_events',
      [1, 2, 3, 4].map((n) =>
        contact({ label: `${E}:k${n}`, sponsor: E, at: `${day} 14:0${n}:00.000`, contacted: n <= 2 }),
      ),
    );
    await insert('ad_snapshots', [
      snapshot({
        label: `${E}:ad1`,
        ad: eid(`${E}:ad1`),
        sponsor: E,
        at: '2024-11-06 00:00:00.000',
        states: ['PA'],
        start: '2024-10-19 00:00:00.000',
        end: '2024-10-21 23:00:00.000',
        spend: ['100.00', '200.00', '150.00'],
        impressions: ['1000', '2000', '1500'],
      }),
      snapshot({
        label: `${E}:ad2`,
        ad: eid(`${E}:ad2`),
        sponsor: E,
        at: '2024-11-06 00:00:00.000',
        states: ['PA'],
        start: `${day} 00:00:00.000`,
        end: `${day} 23:00:00.000`,
        spend: ['1000000.00', null, '1000000.00'],
        impressions: ['100000', '200000', '150000'],
      }),
    ]);
    await rollups(E);

    const rows = await select<Record<string, unknown>>(
      `SELECT toString(day) AS day, toString(spend_usd_total) AS spend, toString(petition_spend_usd) AS petition,
              toString(canvass_spend_usd) AS canvass, signups, referred_signups, phones_collected, phones_collected_referred,
              contact_attempts, contacted,
              toString(round(cost_per_signup, 2)) AS cost_per_signup, toString(round(lottery_cost_per_signup, 2)) AS lottery_per_signup,
              toString(round(cost_per_phone, 2)) AS cost_per_phone, toString(bounty_cost_per_phone) AS bounty_per_phone,
              toString(cost_per_contact) AS cost_per_contact, ads_live,
              toString(ads_live_cpm_low) AS cpm_low, toString(ads_live_cpm_high) AS cpm_high,
              length(payout_event_ids) AS payouts, length(ad_event_ids) AS ads
       FROM efficiency_daily WHERE sponsor_id = {e:String} AND state = 'PA' ORDER BY day`,
      { e: E },
    );
    expect(rows).toEqual([
      {
        day: '2024-10-19',
        spend: '0',
        petition: '0',
        canvass: '0',
        signups: '0',
        referred_signups: '0',
        phones_collected: '0',
        phones_collected_referred: '0',
        contact_attempts: '0',
        contacted: '0',
        cost_per_signup: null,
        lottery_per_signup: null,
        cost_per_phone: null,
        bounty_per_phone: null,
        cost_per_contact: null,
        ads_live: '1',
        cpm_low: '50',
        cpm_high: '200',
        payouts: '0',
        ads: '1',
      },
      {
        day,
        spend: '1494',
        petition: '1094',
        canvass: '400',
        signups: '3',
        referred_signups: '2',
        phones_collected: '5',
        phones_collected_referred: '4',
        contact_attempts: '4',
        contacted: '2',
        cost_per_signup: '364.67',
        lottery_per_signup: '333.33',
        cost_per_phone: '218.8',
        bounty_per_phone: '23.5',
        cost_per_contact: '200',
        ads_live: '2',
        // (100 + 1,000,000) / (2,000 + 200,000) × 1000; the open range leaves no upper bound.
        cpm_low: '4950.990099',
        cpm_high: null,
        payouts: '5',
        ads: '2',
      },
      {
        day: '2024-10-21',
        spend: '0',
        petition: '0',
        canvass: '0',
        signups: '0',
        referred_signups: '0',
        phones_collected: '0',
        phones_collected_referred: '0',
        contact_attempts: '0',
        contacted: '0',
        cost_per_signup: null,
        lottery_per_signup: null,
        cost_per_phone: null,
        bounty_per_phone: null,
        cost_per_contact: null,
        ads_live: '1',
        cpm_low: '50',
        cpm_high: '200',
        payouts: '0',
        ads: '1',
      },
    ]);

    expect(
      await select(
        `SELECT state, state_share_method, toString(cpm_low) AS low, toString(cpm_point) AS point, toString(cpm_high) AS high
         FROM ad_efficiency WHERE sponsor_id = {e:String} ORDER BY cpm_low`,
        { e: E },
      ),
    ).toEqual([
      { state: 'PA', state_share_method: 'single_state', low: '50', point: '100', high: '200' },
      { state: 'PA', state_share_method: 'single_state', low: '5000', point: '6666.666666', high: null },
    ]);

    const funnel = await select<{ subject: string; detail: string; source_event_ids: string[] }>(
      `SELECT subject, detail, source_event_ids FROM funnel_candidates WHERE sponsor_id = {e:String}`,
      { e: E },
    );
    expect(funnel.map((r) => r.subject)).toEqual([`PA ${day}`]);
    expect(JSON.parse(funnel[0]?.detail ?? '{}')).toMatchObject({
      referral_bounty_usd: '94.00',
      lottery_award_usd: '1000.00',
      signups: 3,
      phones_collected_referred: 4,
      contacted: 2,
      bounty_cost_per_phone: '23.50',
      cost_per_contact: '200.00',
      cost_per_signup: '364.67',
    });
    expect(funnel[0]?.source_event_ids).toHaveLength(5 + 3 + 4);
  });
});

describe('rollups', () => {
  it('are unchanged when the same block is inserted twice, and count what is new', async () => {
    const R = sponsor('roll');
    const day = '2024-10-25';
    const signupsBlock = [
      signup({ label: `${R}:s1`, sponsor: R, at: `${day} 09:00:00.000`, referred: true, phones: 2 }),
      signup({ label: `${R}:s2`, sponsor: R, at: `${day} 10:00:00.000`, referred: true, phones: 2 }),
      signup({ label: `${R}:s3`, sponsor: R, at: `${day} 11:00:00.000`, phones: 1 }),
    ];
    const contactsBlock = [1, 2, 3].map((n) =>
      contact({ label: `${R}:c${n}`, sponsor: R, at: `${day} 12:0${n}:00.000`, contacted: n !== 3 }),
    );
    const ad = eid(`${R}:ad`);
    const adsBlock = [
      snapshot({
        label: `${R}:ad@1`,
        ad,
        sponsor: R,
        at: '2024-10-20 00:00:00.000',
        states: ['PA'],
        start: null,
        end: null,
        spend: ['5.00', '5.00', '5.00'],
      }),
      snapshot({
        label: `${R}:ad@2`,
        ad,
        sponsor: R,
        at: '2024-10-27 00:00:00.000',
        states: ['PA'],
        start: null,
        end: null,
        spend: ['9.00', '9.00', '9.00'],
      }),
    ];
    const read = async () => ({
      signups: await select(
        `SELECT channel, signups, referred_signups, phones_collected, phones_collected_referred, first_signed_at, last_signed_at
         FROM signups_daily WHERE sponsor_id = {r:String} ORDER BY channel`,
        { r: R },
      ),
      contacts: await select(
        `SELECT outcome, contacted, attempts, voters, canvassers FROM contacts_daily WHERE sponsor_id = {r:String} ORDER BY outcome`,
        { r: R },
      ),
      ads: await select(
        `SELECT first_seen, last_seen, snapshots, latest_event_id, latest_spend_usd_point FROM ads_seen WHERE platform = 'snap' AND ad_id = {ad:String}`,
        { ad },
      ),
    });
    const insertBlock = async () => {
      await insert('signup_events', signupsBlock);
      await insert('contact_events', contactsBlock);
      await insert('ad_snapshots', adsBlock);
    };

    await insertBlock();
    const once = await read();
    expect(once).toEqual({
      signups: [
        {
          channel: 'direct',
          signups: '1',
          referred_signups: '0',
          phones_collected: '1',
          phones_collected_referred: '0',
          first_signed_at: `${day} 11:00:00.000`,
          last_signed_at: `${day} 11:00:00.000`,
        },
        {
          channel: 'referral',
          signups: '2',
          referred_signups: '2',
          phones_collected: '4',
          phones_collected_referred: '4',
          first_signed_at: `${day} 09:00:00.000`,
          last_signed_at: `${day} 10:00:00.000`,
        },
      ],
      contacts: [
        { outcome: 'contacted', contacted: true, attempts: '2', voters: '2', canvassers: '1' },
        { outcome: 'not_home', contacted: false, attempts: '1', voters: '1', canvassers: '1' },
      ],
      ads: [
        {
          first_seen: '2024-10-20 00:00:00.000',
          last_seen: '2024-10-27 00:00:00.000',
          snapshots: '2',
          latest_event_id: eid(`${R}:ad@2`),
          latest_spend_usd_point: 9,
        },
      ],
    });

    await insertBlock();
    expect(await read()).toEqual(once);

    // The same block once more with one new signature: only the new one counts.
    await insert('signup_events', [
      ...signupsBlock,
      signup({ label: `${R}:s4`, sponsor: R, at: `${day} 13:00:00.000`, referred: true, phones: 2 }),
    ]);
    const after = await read();
    expect(after.signups).toEqual([
      once.signups[0],
      {
        channel: 'referral',
        signups: '3',
        referred_signups: '3',
        phones_collected: '6',
        phones_collected_referred: '6',
        first_signed_at: `${day} 09:00:00.000`,
        last_signed_at: `${day} 13:00:00.000`,
      },
    ]);
    // The rollup agrees with the de-duplicated events.
    const [counted] = await select<{ n: string }>(
      `SELECT count() AS n FROM signups WHERE sponsor_id = {r:String}`,
      { r: R },
    );
    expect(counted?.n).toBe('4');

    // Re-running the analyst migrations (as after a half-applied run) backfills again, harmlessly.
    const mine = new Set(['analyst_views', 'rollups', 'correlation_candidates', 'sponsor_rollups']);
    for (const m of loadMigrations().filter((x) => mine.has(x.name)))
      for (const statement of m.statements) await client.command({ query: statement });
    expect(await read()).toEqual(after);
  });
});

describe('sponsor rollups (0007)', () => {
  /** The 0003 definition of a view that 0007 now backs with a rollup, as `base_<view>`. */
  async function createBaseView(view: string): Promise<void> {
    const sql = readFileSync(path.join(MIGRATIONS_DIR, '0003_analyst_views.sql'), 'utf8');
    const m = new RegExp(`CREATE OR REPLACE VIEW ${view}\\n[\\s\\S]*?;\\n`).exec(sql);
    if (!m) throw new Error(`0003 defines no view ${view}`);
    const body = m[0]
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('--'))
      .join('\n')
      .replace(`VIEW ${view}`, `VIEW base_${view}`)
      .replace(/FROM funding_flows\b/g, 'FROM base_funding_flows')
      .replace(/;\n$/, '');
    await client.command({ query: body });
  }

  /** What each rollup-backed view must equal: the 0003 view, or the base view it sums. */
  const BASES: Record<string, string> = {
    funding_flows: 'base_funding_flows',
    spend_daily: 'base_spend_daily',
    efficiency_daily: 'base_efficiency_daily',
    payouts_daily: `(SELECT sponsor_id, committee_id, cycle, paid_on AS day, state, is_swing_state, category AS channel,
        source_kind, count() AS payouts, sum(filings) AS filed_lines, countIf(filings > 1) AS restated_payouts,
        sum(amount_usd) AS spend_usd, arraySort(groupArray(toString(event_id))) AS payout_event_ids
      FROM payouts GROUP BY sponsor_id, committee_id, cycle, day, state, is_swing_state, channel, source_kind)`,
    donations_daily: `(SELECT sponsor_id, committee_id, cycle, contributed_on AS day, memo, counted, is_refund,
        count() AS lines, sum(amount_usd) AS amount_usd, sum(counted_amount_usd) AS counted_amount_usd
      FROM donations GROUP BY sponsor_id, committee_id, cycle, day, memo, counted, is_refund)`,
    sponsor_signups_daily: `(SELECT sponsor_id, petition_id, state, signed_on AS day, channel, count() AS signups,
        countIf(referred) AS referred_signups, sum(phones) AS phones_collected,
        sumIf(phones, referred) AS phones_collected_referred
      FROM (SELECT *, phones_collected AS phones FROM signups) GROUP BY sponsor_id, petition_id, state, day, channel)`,
  };

  /** Rows of the view and of its base that the other lacks (EXCEPT ALL both ways), and its rows. */
  async function against(
    view: string,
    sponsors: string[],
  ): Promise<{ missing: number; extra: number; rows: number }> {
    const one = (a: string, b: string) =>
      `(SELECT count() FROM (SELECT * FROM ${a} WHERE sponsor_id IN {s:Array(String)}
         EXCEPT ALL SELECT * FROM ${b} WHERE sponsor_id IN {s:Array(String)}))`;
    const base = BASES[view] ?? '';
    const [r] = await select<{ missing: string; extra: string; rows: string }>(
      `SELECT ${one(base, view)} AS missing, ${one(view, base)} AS extra,
              (SELECT count() FROM ${view} WHERE sponsor_id IN {s:Array(String)}) AS rows`,
      { s: sponsors },
    );
    return { missing: Number(r?.missing), extra: Number(r?.extra), rows: Number(r?.rows) };
  }

  /** Every visible rollup row of the sponsors, as sorted JSON lines. */
  async function state(sponsors: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const view of [...Object.keys(BASES), 'funders']) {
      const rows = await select<object>(`SELECT * FROM ${view} WHERE sponsor_id IN {s:Array(String)}`, {
        s: sponsors,
      });
      out.push(...rows.map((r) => `${view} ${JSON.stringify(r)}`));
    }
    return out.sort();
  }

  it('equal the views they replace, and recomputing or replaying changes nothing', async () => {
    for (const v of ['funding_flows', 'spend_daily', 'efficiency_daily']) await createBaseView(v);
    const A = sponsor('roll-a');
    const B = sponsor('roll-b');
    const sponsors = [A, B];
    const filings = [
      payout({
        label: `${A}:p1`,
        committee: A,
        transaction: 'P1',
        amount: '100.00',
        category: 'canvassing',
        paid_on: '2024-10-01',
      }),
      // P1 restated on the F3X: one payment, two filed lines, the restatement's amount counts.
      payout({
        label: `${A}:p1r`,
        committee: A,
        transaction: 'P1',
        amount: '120.00',
        category: 'canvassing',
        paid_on: '2024-10-01',
        rank: 2,
      }),
      payout({
        label: `${A}:p2`,
        committee: A,
        transaction: 'P2',
        amount: '47.00',
        category: 'referral_bounty',
        paid_on: '2024-10-02',
        state: 'GA',
      }),
      payout({
        label: `${A}:p3`,
        committee: A,
        transaction: 'P3',
        amount: '1000.00',
        category: 'lottery_award',
        paid_on: '2024-10-02',
        state: null,
      }),
      payout({
        label: `${B}:p1`,
        committee: B,
        transaction: 'P1',
        amount: '75.00',
        category: 'mail',
        paid_on: '2024-10-03',
      }),
    ];
    const gifts = [
      donation({ label: `${A}:d1`, committee: A, donor: `big-${A}`, amount: '900.00' }),
      donation({ label: `${A}:d2`, committee: A, donor: `big-${A}`, amount: '-40.00', on: '2024-09-01' }),
      donation({ label: `${A}:d3`, committee: A, donor: `memo-${A}`, amount: '500.00', memo: true }),
      donation({ label: `${A}:d4`, committee: A, donor: `tiny-${A}`, amount: '5.00' }),
    ];
    const signatures = [
      signup({ label: `${A}:s1`, sponsor: A, at: '2024-10-01 10:00:00.000', referred: true, phones: 2 }),
      signup({ label: `${A}:s2`, sponsor: A, at: '2024-10-01 11:00:00.000', phones: 1, state: 'GA' }),
    ];
    const attempts = [
      contact({ label: `${A}:c1`, sponsor: A, at: '2024-10-01 12:00:00.000', contacted: true }),
      contact({ label: `${A}:c2`, sponsor: A, at: '2024-10-02 12:00:00.000', contacted: false }),
    ];
    const ads = [
      snapshot({
        label: `${A}:ad1:old`,
        ad: eid(`${A}:ad1`),
        sponsor: A,
        at: '2024-10-05 00:00:00.000',
        states: ['PA'],
        start: '2024-10-01 00:00:00.000',
        end: null,
        spend: ['100.00', '199.00', '150.00'],
      }),
      snapshot({
        label: `${A}:ad1:new`,
        ad: eid(`${A}:ad1`),
        sponsor: A,
        at: '2024-10-06 00:00:00.000',
        states: ['PA'],
        start: '2024-10-01 00:00:00.000',
        end: '2024-10-03 00:00:00.000',
        spend: ['200.00', '299.00', '250.00'],
      }),
    ];
    await insert('payout_filings', filings);
    await insert('donation_events', gifts);
    await insert('signup_events', signatures);
    await insert('contact_events', attempts);
    await insert('ad_snapshots', ads);
    await rollups(...sponsors);

    for (const view of Object.keys(BASES)) {
      const r = await against(view, sponsors);
      expect(r, view).toMatchObject({ missing: 0, extra: 0 });
      expect(r.rows, view).toBeGreaterThan(0);
    }
    const first = await state(sponsors);
    expect(first.some((l) => l.startsWith('funders '))).toBe(true);

    // Recomputing again writes every row again under a new version: nothing visible changes.
    await rollups(...sponsors);
    expect(await state(sponsors)).toEqual(first);

    // A replay inserts the same events again, in other batches: the rollups stay the same.
    await insert('payout_filings', [...filings].reverse().slice(0, 3));
    await insert('payout_filings', [...filings].reverse().slice(3));
    await insert('donation_events', gifts);
    await insert('signup_events', [...signatures, ...signatures]);
    await insert('contact_events', attempts);
    await insert('ad_snapshots', [...ads].reverse());
    await rollups(...sponsors);
    expect(await state(sponsors)).toEqual(first);
    // ... and merging the rollups' parts (what the engine does in the background) keeps them so.
    for (const t of [
      'rollup_payouts_daily',
      'rollup_spend_daily',
      'rollup_efficiency_daily',
      'rollup_funding_flows',
    ])
      await client.command({ query: `OPTIMIZE TABLE ${t} FINAL` });
    expect(await state(sponsors)).toEqual(first);

    // A restatement moves P2 to NC: its GA cells vanish from every rollup (tombstones), and the
    // rollups still equal the views they replace.
    await insert('payout_filings', [
      payout({
        label: `${A}:p2r`,
        committee: A,
        transaction: 'P2',
        amount: '47.00',
        category: 'referral_bounty',
        paid_on: '2024-10-04',
        state: 'NC',
        rank: 2,
      }),
    ]);
    await rollups(A);
    for (const view of Object.keys(BASES))
      expect(await against(view, sponsors), view).toMatchObject({ missing: 0, extra: 0 });
    const ga = await select<{ n: string }>(
      `SELECT count() AS n FROM payouts_daily WHERE sponsor_id = {a:String} AND state = 'GA'`,
      { a: A },
    );
    expect(ga).toEqual([{ n: '0' }]);
    const moved = await state(sponsors);
    expect(moved).not.toEqual(first);
    // Recomputing twice from here gives the same state again.
    await rollups(A, A);
    expect(await state(sponsors)).toEqual(moved);
  });
});

describe('post_lift_candidates', () => {
  it('compares signups in the 6 hours after a post with the same window on the preceding days', async () => {
    const L = sponsor('lift');
    const petition = `petition-${L.toLowerCase()}`;
    await insert('ref_petitions', [
      { petition_id: petition, sponsor_id: L, url_prefixes: [`${petition}.example/sign`], version: '1' },
    ]);
    const post = {
      event_id: eid(`${L}:post`),
      source: 'test',
      source_record_id: `${L}:post`,
      platform: 'x',
      post_id: '1850000000000000001',
      account_id: '1800000000000000042',
      account_handle: 'America',
      sponsor_id: L,
      created_at: '2024-10-10 12:00:30.000',
      observed_at: '2024-10-11 00:00:00.000',
      text: 'Sign the petition',
      urls: [`https://${petition}.example/sign`],
      petition_ids: [petition],
      occurred_at: '2024-10-10 12:00:30.000',
      ingested_at: INGESTED,
    };
    await insert('post_observations', [post]);
    const at = (d: string, t: string) => `2024-10-${d} ${t}.000`;
    await insert('signup_events', [
      signup({ label: `${L}:first`, sponsor: L, petition, at: at('01', '00:00:00') }),
      // One signature in the same window on each of the 7 days before.
      ...['03', '04', '05', '06', '07', '08', '09'].map((d) =>
        signup({ label: `${L}:base-${d}`, sponsor: L, petition, at: at(d, '13:00:00') }),
      ),
      // Outside every window.
      signup({ label: `${L}:evening`, sponsor: L, petition, at: at('09', '20:00:00') }),
      signup({ label: `${L}:late`, sponsor: L, petition, at: at('10', '18:00:00') }),
      // Five within the 6 hours after the post's minute.
      ...['12:30:00', '13:30:00', '14:30:00', '15:30:00', '17:59:00'].map((t, n) =>
        signup({ label: `${L}:after-${n + 1}`, sponsor: L, petition, at: at('10', t) }),
      ),
    ]);

    const rows = await select<{ subject: string; detail: string; source_event_ids: string[] }>(
      `SELECT subject, detail, source_event_ids FROM post_lift_candidates WHERE sponsor_id = {l:String}`,
      { l: L },
    );
    expect(rows.map((r) => r.subject)).toEqual(['x:1850000000000000001']);
    expect(JSON.parse(rows[0]?.detail ?? '{}')).toMatchObject({
      petition_id: petition,
      window_hours: 6,
      signups_after: 5,
      baseline_days: 7,
      baseline_signups: 7,
      baseline_avg: 1,
      lift: 4,
      ratio: 5,
    });
    expect(rows[0]?.source_event_ids).toEqual(
      [eid(`${L}:post`), ...[1, 2, 3, 4, 5].map((n) => eid(`${L}:after-${n}`))].sort(),
    );
  });
});

describe('dlq_counts', () => {
  it('counts dead letters by source and reason', async () => {
    const source = `test-source-${uniqueSuffix()}`;
    const letter = (offset: number, reason: string) => ({
      dlq_partition: 0,
      dlq_offset: offset,
      reason,
      detail: 'bad',
      step: 'parse',
      service: 'ingest-test',
      source,
      position: `line ${offset}`,
      raw_sealed: false,
      raw_bytes: 10,
      dead_lettered_at: '2024-11-07 00:00:00.000',
    });
    const base = Number.parseInt(uniqueSuffix(), 16);
    await insert('dlq_events', [
      letter(base, 'schema_invalid'),
      letter(base + 1, 'schema_invalid'),
      letter(base + 2, 'parse_error'),
    ]);
    await insert('dlq_events', [letter(base, 'schema_invalid')]); // copied twice: one message
    expect(
      await select(
        `SELECT reason, dead_letters, raw_bytes FROM dlq_counts WHERE source = {s:String} ORDER BY reason`,
        { s: source },
      ),
    ).toEqual([
      { reason: 'parse_error', dead_letters: '1', raw_bytes: '10' },
      { reason: 'schema_invalid', dead_letters: '2', raw_bytes: '20' },
    ]);
  });
});

describe('the cookbook', () => {
  const expected = JSON.parse(
    readFileSync(path.join(MIGRATIONS_DIR, '..', '..', 'sample', 'campaign', 'expected.json'), 'utf8'),
  ) as CampaignFigures;
  const cookbook = loadCookbook();

  it('has the required questions, each with defaults and figures derived from expected.json', () => {
    const names = cookbook.map((q) => q.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'musk-funded-spend-by-swing-state-and-channel',
        'cost-per-phone-via-referral-bounties',
        'lottery-cost-per-signup-by-state',
        'contradictory-ad-pairs',
        'meta-spend-harris-vs-trump',
        'canvass-contacts-per-dollar-by-state',
      ]),
    );
    for (const q of cookbook) {
      expect(q.sql, q.name).toMatch(/^-- Question: /);
      expect(q.sql, q.name).toMatch(/\n-- On the bundled sample/);
      // Analysts read the stable views, never the typed tables.
      expect(q.sql, q.name).not.toMatch(
        /\b(donation_events|payout_filings|ad_snapshots|ad_annotations|post_observations|signup_events|contact_events|raw_events)\b/,
      );
      const rows = expectedFor(q.name, expected);
      if (q.name !== 'dlq-by-source-and-reason') expect(rows.length, q.name).toBeGreaterThan(0);
    }
    expect(expectedFor('contradictory-ad-pairs', expected)).toHaveLength(
      expected.snap.contradictory_ad_pairs,
    );
    expect(() => expectedFor('no-such-query', expected)).toThrow(/no expected rows/);
  });

  it('compares values whatever their formatting, and no looser', () => {
    expect(sameValue('23.5', '23.50')).toBe(true);
    expect(sameValue(23.5, '23.50')).toBe(true);
    expect(sameValue(7.1056, '7.106')).toBe(true);
    expect(sameValue(7.1, '7.106')).toBe(false);
    expect(sameValue('331', 331)).toBe(true);
    expect(sameValue('332', 331)).toBe(false);
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue('0', null)).toBe(false);
    expect(sameValue(null, '0.00')).toBe(false);
    expect(sameValue('AZ', 'AZ')).toBe(true);
    expect(compareRows([{ state: 'AZ', n: '1' }], [{ state: 'AZ', n: 1 }])).toEqual([]);
    expect(compareRows([{ state: 'AZ', n: '2' }], [{ state: 'AZ', n: 1 }])).toEqual([
      'missing {"state":"AZ","n":1}',
      'unexpected {"state":"AZ","n":"2"}',
    ]);
    expect(compareRows([], [{ n: 1 }])).toEqual(['missing {"n":1}']);
  });

  it('runs every query as the read-only analyst with its default parameters', async () => {
    for (const q of cookbook) {
      const rs = await analyst.query({ query: q.sql, query_params: q.params, format: 'JSONEachRow' });
      const rows = await rs.json<Record<string, unknown>>();
      expect(Array.isArray(rows), q.name).toBe(true);
    }
    // The analyst reads; it cannot write through the same connection.
    await expect(analyst.command({ query: `INSERT INTO correlations (kind) VALUES ('x')` })).rejects.toThrow(
      /readonly/i,
    );
  });

  it('answers with a parameter other than the default: cost per phone for a test sponsor', async () => {
    const P = sponsor('phone');
    await insert('payout_filings', [
      payout({
        label: `${P}:b1`,
        committee: P,
        transaction: 'B1',
        amount: '47.00',
        category: 'referral_bounty',
        paid_on: '2024-10-02',
        state: 'GA',
      }),
      payout({
        label: `${P}:b2`,
        committee: P,
        transaction: 'B2',
        amount: '47.00',
        category: 'referral_bounty',
        paid_on: '2024-10-03',
        state: 'GA',
      }),
    ]);
    await insert('signup_events', [
      signup({
        label: `${P}:s1`,
        sponsor: P,
        at: '2024-10-01 10:00:00.000',
        referred: true,
        phones: 2,
        state: 'GA',
      }),
      signup({
        label: `${P}:s2`,
        sponsor: P,
        at: '2024-10-02 10:00:00.000',
        referred: true,
        phones: 2,
        state: 'GA',
      }),
      signup({ label: `${P}:s3`, sponsor: P, at: '2024-10-02 11:00:00.000', phones: 1, state: 'GA' }),
    ]);
    await rollups(P);
    const q = cookbook.find((x) => x.name === 'cost-per-phone-via-referral-bounties');
    if (!q) throw new Error('cost-per-phone-via-referral-bounties.sql is missing');
    const rs = await analyst.query({
      query: q.sql,
      query_params: { ...q.params, committee: P },
      format: 'JSONEachRow',
    });
    expect(
      compareRows(await rs.json(), [
        {
          bounties: 2,
          bounty_usd: '94.00',
          referred_signups: 2,
          phones_collected: 4,
          cost_per_phone_usd: '23.50',
          cost_per_referred_signup_usd: '47.00',
        },
      ]),
    ).toEqual([]);
  });
});

describe('latest-state tables (0011)', () => {
  /** A view as an earlier migration defined it, as `base_<view>`: what 0011 must still answer. */
  async function createOldView(file: string, view: string): Promise<void> {
    const sql = readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
    const m = new RegExp(`CREATE OR REPLACE VIEW ${view}\\n[\\s\\S]*?;\\n`).exec(sql);
    if (!m) throw new Error(`${file} defines no view ${view}`);
    const body = m[0]
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('--'))
      .join('\n')
      .replace(`VIEW ${view}`, `VIEW base_${view}`)
      .replace(/;\n$/, '');
    await client.command({ query: body });
  }

  /** Rows of the view and of its old definition that the other lacks, for a filter. */
  async function differences(
    view: string,
    where: string,
    params: Record<string, unknown>,
  ): Promise<number[]> {
    const one = (a: string, b: string) =>
      `(SELECT count() FROM (SELECT * FROM ${a} WHERE ${where} EXCEPT ALL SELECT * FROM ${b} WHERE ${where}))`;
    const [r] = await select<{ missing: string; extra: string }>(
      `SELECT ${one(`base_${view}`, view)} AS missing, ${one(view, `base_${view}`)} AS extra`,
      params,
    );
    return [Number(r?.missing), Number(r?.extra)];
  }

  /** Inserts rows one batch of `size` at a time. */
  async function insertInBatches(table: string, rows: object[], size: number): Promise<void> {
    for (let i = 0; i < rows.length; i += size) await insert(table, rows.slice(i, i + size));
  }

  it('ads_current: the latest snapshot of each ad whatever the order, batches and repeats of the inserts', async () => {
    await createOldView('0003_analyst_views.sql', 'ads_current');
    const s = sponsor('latest');
    const ad = (n: string) => eid(`${s}:ad-${n}`);
    const snap = (
      n: string,
      label: string,
      at: string,
      spend: [string, string | null, string],
      states = ['PA'],
    ) =>
      snapshot({
        label: `${s}:${label}`,
        ad: ad(n),
        sponsor: s,
        at,
        states,
        start: '2024-09-01 00:00:00.000',
        end: null,
        spend,
        stances: [{ subject: 'Harris', stance: 'support', origin: 'advertiser' }],
        platform: n === 'meta' ? 'meta' : 'snap',
      });
    const snapshots = [
      // Three snapshots; the latest has an open top range and must win over the bounded ones.
      snap('1', '1a', '2024-10-01 00:00:00.000', ['10.00', '20.00', '15.00']),
      snap('1', '1b', '2024-10-08 00:00:00.000', ['1000000.00', null, '1000000.00']),
      snap('1', '1c', '2024-10-04 00:00:00.000', ['500.00', '600.00', '550.00'], ['MI']),
      // Two snapshots at the same instant: the larger event_id counts.
      snap('2', '2a', '2024-10-05 00:00:00.000', ['1.00', '1.00', '1.00']),
      snap('2', '2b', '2024-10-05 00:00:00.000', ['2.00', '2.00', '2.00']),
      snap('meta', 'm1', '2024-10-02 00:00:00.000', ['100.00', '199.00', '149.50']),
      // A Meta Ad Library Report row is no ad: left out of ads_current.
      {
        ...snap('3', 'report', '2024-10-03 00:00:00.000', ['5.00', '5.00', '5.00']),
        granularity: 'advertiser_period',
      },
    ];
    await insert('ad_annotations', [
      annotation({
        label: `${s}:code`,
        ad: ad('1'),
        subject: 'Harris',
        stance: 'pro-Israel',
        coder: 'g/a',
        on: '2024-11-01',
      }),
    ]);
    const read = () =>
      select<Record<string, unknown>>(
        `SELECT * FROM ads_current WHERE sponsor_id = {s:String} ORDER BY platform, ad_id`,
        { s },
      );

    // Newest first, one row per insert.
    await insertInBatches('ad_snapshots', [...snapshots].reverse(), 1);
    const first = await read();
    expect(await differences('ads_current', 'sponsor_id = {s:String}', { s })).toEqual([0, 0]);
    expect(first).toHaveLength(3);
    const byAd = new Map(first.map((r) => [r.ad_id, r]));
    expect(byAd.get(ad('1'))).toMatchObject({
      event_id: eid(`${s}:1b`),
      spend_usd_low: 1000000,
      spend_usd_high: null,
      spend_open_range: true,
      first_seen: '2024-10-01 00:00:00.000',
      last_seen: '2024-10-08 00:00:00.000',
      snapshots: '3',
      stance_origins: ['advertiser', 'coder'],
      stance_values: ['support', 'pro-Israel'],
    });
    const tieWinner = [eid(`${s}:2a`), eid(`${s}:2b`)].sort()[1];
    expect(byAd.get(ad('2'))).toMatchObject({ event_id: tieWinner, snapshots: '2' });

    // The same snapshots again, oldest first in one batch, then in batches of two: a replay.
    await insert('ad_snapshots', snapshots);
    await insertInBatches('ad_snapshots', snapshots, 2);
    expect(await read()).toEqual(first);
    expect(await differences('ads_current', 'sponsor_id = {s:String}', { s })).toEqual([0, 0]);

    // Merges (which FINAL otherwise does at read time) change nothing either.
    await client.command({ query: 'OPTIMIZE TABLE ad_latest_snapshots FINAL' });
    expect(await read()).toEqual(first);
  });

  /**
   * Runs `body` with the background merges of the latest-state tables stopped, so every insert
   * stays a part of its own and FINAL alone must pick the latest row (a merge would pick it for
   * FINAL and hide a read that picks by part order), then merges everything.
   */
  async function withMergesStopped(prefix: string, body: () => Promise<void>): Promise<void> {
    const tables = (
      await select<{ name: string }>(
        `SELECT name FROM system.tables
         WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND startsWith(name, {p:String})`,
        { p: prefix },
      )
    ).map((t) => t.name);
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) await client.command({ query: `SYSTEM STOP MERGES ${t}` });
    try {
      await body();
    } finally {
      for (const t of tables) await client.command({ query: `SYSTEM START MERGES ${t}` });
    }
    for (const t of tables) await client.command({ query: `OPTIMIZE TABLE ${t} FINAL` });
  }

  it('ads_current: an older snapshot inserted first (an earlier part) never hides the latest, ties included', async () => {
    // The real-data Snap check failed on this: each file's snapshots arrive in the file's order,
    // so an ad's older snapshot sits in an earlier part than its newer one until they merge.
    await createOldView('0003_analyst_views.sql', 'ads_current');
    const s = sponsor('order');
    const ad = (n: string) => eid(`${s}:ad-${n}`);
    const snap = (n: string, label: string, at: string, spend: string) =>
      snapshot({
        label: `${s}:${label}`,
        ad: ad(n),
        sponsor: s,
        at,
        states: ['WI'],
        start: '2024-07-01 16:29:46.000',
        end: null,
        spend: [spend, spend, spend],
      });
    const [lowTie, highTie] = [eid(`${s}:t1`), eid(`${s}:t2`)].sort() as [string, string];
    const tieLabel = (id: string) => (id === eid(`${s}:t1`) ? 't1' : 't2');
    // One insert per row, in this order.
    const inserts = [
      // "Abiding Care Center": 269 on 2024-07-28, 343 on 2024-08-05 (the Snap files' figures).
      snap('1', '1a', '2024-07-28 00:00:00.000', '269.00'),
      snap('1', '1b', '2024-08-05 00:00:00.000', '343.00'),
      // The newer first: the order the old test used, which hid the fault.
      snap('2', '2b', '2024-08-05 00:00:00.000', '20.00'),
      snap('2', '2a', '2024-07-28 00:00:00.000', '10.00'),
      // Equal snapshot_at: the larger event_id wins, whichever is inserted first.
      snap('3', tieLabel(lowTie), '2024-08-05 00:00:00.000', '1.00'),
      snap('3', tieLabel(highTie), '2024-08-05 00:00:00.000', '2.00'),
      snap('4', `${tieLabel(highTie)}x`, '2024-08-05 00:00:00.000', '0.00'),
    ];
    const read = () =>
      select<Record<string, unknown>>(
        `SELECT ad_id, spend_low, event_id, first_seen, last_seen, snapshots
         FROM ads_current WHERE sponsor_id = {s:String} ORDER BY ad_id`,
        { s },
      );
    const expected = [
      {
        ad_id: ad('1'),
        spend_low: 343,
        event_id: eid(`${s}:1b`),
        first_seen: '2024-07-28 00:00:00.000',
        last_seen: '2024-08-05 00:00:00.000',
        snapshots: '2',
      },
      {
        ad_id: ad('2'),
        spend_low: 20,
        event_id: eid(`${s}:2b`),
        first_seen: '2024-07-28 00:00:00.000',
        last_seen: '2024-08-05 00:00:00.000',
        snapshots: '2',
      },
      {
        ad_id: ad('3'),
        spend_low: 2,
        event_id: highTie,
        first_seen: '2024-08-05 00:00:00.000',
        last_seen: '2024-08-05 00:00:00.000',
        snapshots: '2',
      },
      {
        ad_id: ad('4'),
        spend_low: 0,
        event_id: eid(`${s}:${tieLabel(highTie)}x`),
        first_seen: '2024-08-05 00:00:00.000',
        last_seen: '2024-08-05 00:00:00.000',
        snapshots: '1',
      },
    ].sort((a, b) => a.ad_id.localeCompare(b.ad_id));

    await withMergesStopped('ad_', async () => {
      await insertInBatches('ad_snapshots', inserts, 1);
      expect(await read()).toEqual(expected);
      expect(await differences('ads_current', 'sponsor_id = {s:String}', { s })).toEqual([0, 0]);
      // A replay, oldest first again, in one batch.
      await insert('ad_snapshots', inserts);
      expect(await read()).toEqual(expected);
    });
    // Merged: the same.
    expect(await read()).toEqual(expected);
    expect(await differences('ads_current', 'sponsor_id = {s:String}', { s })).toEqual([0, 0]);
  });

  it('posts: an older observation inserted first never hides the latest, ties included', async () => {
    await createOldView('0003_analyst_views.sql', 'posts');
    const P = sponsor('porder');
    const account = `acct-${P}`;
    const obs = (post: string, label: string, at: string, handle: string, likes: number) => ({
      event_id: eid(`${P}:${label}`),
      source: 'test',
      source_record_id: `${P}:${label}`,
      platform: 'x',
      post_id: `${P}-${post}`,
      account_id: account,
      account_handle: handle,
      sponsor_id: P,
      sponsor_confidence: 1,
      created_at: '2024-10-10 12:00:00.000',
      observed_at: at,
      text: 'Sign the petition',
      urls: [],
      petition_ids: [],
      likes,
      occurred_at: '2024-10-10 12:00:00.000',
      ingested_at: INGESTED,
    });
    const [, highTie] = [eid(`${P}:t1`), eid(`${P}:t2`)].sort() as [string, string];
    const inserts = [
      obs('1', '1a', '2024-10-11 00:00:00.000', `Old${P}`, 1),
      obs('1', '1b', '2024-10-13 00:00:00.000', `New${P}`, 30),
      obs('2', 't1', '2024-10-12 00:00:00.000', `Old${P}`, highTie === eid(`${P}:t1`) ? 6 : 5),
      obs('2', 't2', '2024-10-12 00:00:00.000', `Old${P}`, highTie === eid(`${P}:t2`) ? 6 : 5),
    ];
    const read = () =>
      select<Record<string, unknown>>(
        `SELECT post_id, account_handle, likes, observations, first_observed_at
         FROM posts WHERE account_id = {a:String} ORDER BY post_id`,
        { a: account },
      );
    const expected = [
      {
        post_id: `${P}-1`,
        account_handle: `New${P}`,
        likes: '30',
        observations: '2',
        first_observed_at: '2024-10-11 00:00:00.000',
      },
      {
        post_id: `${P}-2`,
        account_handle: `Old${P}`,
        likes: '6',
        observations: '2',
        first_observed_at: '2024-10-12 00:00:00.000',
      },
    ];
    await withMergesStopped('post_', async () => {
      await insertInBatches('post_observations', inserts, 1);
      expect(await read()).toEqual(expected);
      expect(await differences('posts', 'account_id = {a:String}', { a: account })).toEqual([0, 0]);
    });
    expect(await read()).toEqual(expected);
  });

  it('posts and post_handles: the latest observation of each post, and every handle, whatever the inserts', async () => {
    await createOldView('0003_analyst_views.sql', 'posts');
    await createOldView('0007_sponsor_rollups.sql', 'post_handles');
    const P = sponsor('posts');
    const account = `acct-${P}`;
    const obs = (post: string, label: string, at: string, handle: string | null, likes: number) => ({
      event_id: eid(`${P}:${label}`),
      source: 'test',
      source_record_id: `${P}:${label}`,
      platform: 'x',
      post_id: `${P}-${post}`,
      account_id: account,
      account_handle: handle,
      sponsor_id: P,
      sponsor_confidence: 1,
      created_at: '2024-10-10 12:00:00.000',
      observed_at: at,
      text: 'Sign the petition',
      urls: ['https://petition.example/sign'],
      petition_ids: post === '1' ? ['petition-1'] : [],
      likes,
      occurred_at: '2024-10-10 12:00:00.000',
      ingested_at: INGESTED,
    });
    const observations = [
      obs('1', '1a', '2024-10-11 00:00:00.000', `Old${P}`, 1),
      // The account renamed itself: the latest observation has the new handle.
      obs('1', '1b', '2024-10-13 00:00:00.000', `New${P}`, 30),
      obs('1', '1c', '2024-10-12 00:00:00.000', `Old${P}`, 20),
      // Two observations at the same instant: the larger event_id counts.
      obs('2', '2a', '2024-10-12 00:00:00.000', null, 5),
      obs('2', '2b', '2024-10-12 00:00:00.000', null, 6),
    ];
    const read = () =>
      select<Record<string, unknown>>(`SELECT * FROM posts WHERE account_id = {a:String} ORDER BY post_id`, {
        a: account,
      });
    const handles = () =>
      select<Record<string, unknown>>(
        `SELECT * FROM post_handles WHERE account_id = {a:String} ORDER BY post_id, account_handle`,
        { a: account },
      );

    await insertInBatches('post_observations', [...observations].reverse(), 1);
    const first = await read();
    const firstHandles = await handles();
    expect(await differences('posts', 'account_id = {a:String}', { a: account })).toEqual([0, 0]);
    expect(await differences('post_handles', 'account_id = {a:String}', { a: account })).toEqual([0, 0]);
    expect(
      first.map((r) => [r.post_id, r.account_handle, r.likes, r.observations, r.first_observed_at]),
    ).toEqual([
      [`${P}-1`, `New${P}`, '30', '3', '2024-10-11 00:00:00.000'],
      [
        `${P}-2`,
        null,
        [eid(`${P}:2a`), eid(`${P}:2b`)].sort()[1] === eid(`${P}:2a`) ? '5' : '6',
        '2',
        '2024-10-12 00:00:00.000',
      ],
    ]);
    expect(firstHandles.map((r) => [r.post_id, r.account_handle])).toEqual([
      [`${P}-1`, `New${P}`],
      [`${P}-1`, `Old${P}`],
      [`${P}-2`, null],
    ]);

    // Replayed: all at once oldest first, then in pairs; then merged.
    await insert('post_observations', observations);
    await insertInBatches('post_observations', observations, 2);
    await client.command({ query: 'OPTIMIZE TABLE post_latest_observations FINAL' });
    await client.command({ query: 'OPTIMIZE TABLE post_handle_index FINAL' });
    expect(await read()).toEqual(first);
    expect(await handles()).toEqual(firstHandles);
    expect(await differences('posts', 'account_id = {a:String}', { a: account })).toEqual([0, 0]);
    // posts_latest (0012) is posts without its two observation statistics.
    const lean = await select<Record<string, unknown>>(
      `SELECT * FROM posts_latest WHERE account_id = {a:String} ORDER BY post_id`,
      { a: account },
    );
    expect(lean).toEqual(first.map(({ first_observed_at: _f, observations: _o, ...rest }) => rest));
  });

  it('contradictions: the parsed records equal the detail parsed at query time, tombstones and versions included', async () => {
    await createOldView('0007_sponsor_rollups.sql', 'contradictions');
    const A = sponsor('cr-a');
    const B = sponsor('cr-b');
    const side = (ad: string, sponsorId: string, stance: string, state: string, spend: string) => ({
      platform: 'snap',
      ad_id: ad,
      sponsor_id: sponsorId,
      stances: [stance],
      target_states: [state],
      spend_usd_low: spend,
      spend_usd_high: spend,
      spend_usd_point: spend,
      impressions_low: '1000',
      impressions_high: '1000',
      impressions_point: '1000',
      delivery_start: '2024-10-01T00:00:00Z',
      delivery_end: null,
    });
    const record = (
      id: string,
      under: string,
      sponsors: string[],
      version: number,
      spend: string,
      deleted = 0,
    ) => ({
      correlation_id: eid(`${A}:${id}`),
      kind: 'contradiction',
      sponsor_id: under,
      subject: 'Harris',
      detail: JSON.stringify({
        subject: 'Harris',
        relation: sponsors.length > 1 ? 'shared_majority_funder' : 'same_sponsor',
        funder_entity_id: sponsors.length > 1 ? 'DONOR' : '',
        sponsor_ids: sponsors,
        a: side(eid(`${A}:${id}:a`), sponsors[0] ?? '', 'pro-Israel', 'MI', spend),
        b: side(eid(`${A}:${id}:b`), sponsors.at(-1) ?? '', 'pro-Palestine', 'PA', spend),
        overlap_start: '2024-10-01T00:00:00Z',
        overlap_end: null,
      }),
      source_event_ids: [eid(`${A}:${id}:a`), eid(`${A}:${id}:b`)],
      computed_at: '2024-11-07 00:00:00.000',
      version,
      is_deleted: deleted,
    });
    const records = [
      // One pair of two sponsors of a funder network, recorded under both.
      record('c1', A, [A, B], 1, '10.00'),
      record('c1', B, [A, B], 1, '10.00'),
      // Recomputed with new figures: version 2 supersedes.
      record('c2', A, [A], 1, '20.00'),
      record('c2', A, [A], 2, '21.00'),
      // No longer found: the tombstone of version 2 retracts it.
      record('c3', A, [A], 1, '30.00'),
      record('c3', A, [A], 2, '30.00', 1),
      // Recorded under B only so far (A's workflow has not run yet): A still sees it.
      record('c4', B, [A, B], 1, '40.00'),
    ];
    const read = () =>
      select<Record<string, unknown>>(
        `SELECT * FROM contradictions WHERE has(sponsor_ids, {a:String}) ORDER BY correlation_id`,
        { a: A },
      );
    const filter = 'has(sponsor_ids, {a:String}) OR has(sponsor_ids, {b:String})';

    await insertInBatches('correlations', records, 1);
    const first = await read();
    expect(await differences('contradictions', filter, { a: A, b: B })).toEqual([0, 0]);
    expect(first.map((r) => [r.correlation_id, r.a_spend_usd_point])).toEqual(
      [
        [eid(`${A}:c1`), 10],
        [eid(`${A}:c2`), 21],
        [eid(`${A}:c4`), 40],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(first.find((r) => r.correlation_id === eid(`${A}:c1`))).toMatchObject({
      sponsor_id: [A, B].sort()[0],
      sponsor_ids: [A, B],
      relation: 'shared_majority_funder',
      b_stance: 'pro-Palestine',
      b_target_states: ['PA'],
      overlap_start: '2024-10-01 00:00:00.000',
      overlap_end: null,
    });

    // Written again, newest first and all at once (a replayed workflow): nothing changes.
    await insert('correlations', [...records].reverse());
    await client.command({ query: 'OPTIMIZE TABLE contradiction_records FINAL' });
    expect(await read()).toEqual(first);
    expect(await differences('contradictions', filter, { a: A, b: B })).toEqual([0, 0]);
  });
});

/**
 * The per-sponsor candidate views of migration 0010 (`sponsor_<kind>_candidates(sponsor = …)`) and
 * what the correlation activity reads (`candidatesQuery`), against the plain views of 0005/0006
 * that analysts read: for every kind and every sponsor, the same rows (ids, details byte for
 * byte, source events). The fixture has several sponsors in one fresh database, so a view that
 * leaked another sponsor's rows, or lost a pair across a funder network, would differ.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import {
  CORRELATION_KINDS,
  candidatesQuery,
  type CandidateRow,
} from '../../services/worker/activities/correlate.activities.ts';
import { recomputeSponsorRollups } from '../../services/worker/activities/rollup.activities.ts';
import { freshDatabase } from '../helpers/stack.ts';

let db: string;
let client: ClickHouseClient;

beforeAll(async () => {
  ({ database: db, client } = await freshDatabase('corr_candidates'));
});

afterAll(async () => {
  await client?.close();
});

const INGESTED = '2024-11-07 00:00:00.000';
/** The kinds with a `sponsor_<kind>_candidates` view (migration 0010). */
const PER_SPONSOR_VIEW_KINDS: readonly string[] = ['contradiction', 'post_lift'];

function eid(label: string): string {
  return createHash('md5').update(`${db}:${label}`).digest('hex');
}

async function insert(table: string, values: object[]): Promise<void> {
  await client.insert({ table, values, format: 'JSONEachRow' });
}

async function select<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

function donation(label: string, committee: string, donor: string, amount: string): object {
  return {
    event_id: eid(label),
    source: 'test',
    source_record_id: label,
    committee_id: committee,
    recipient_entity_id: committee,
    cycle: 2024,
    contributed_on: '2024-08-01',
    contributor_name: donor.toUpperCase(),
    donor_entity_id: `person:${donor}`,
    donor_name: donor,
    donor_confidence: 0.5,
    donor_match_method: 'normalised_name',
    amount,
    currency: 'USD',
    amount_usd: amount,
    fx_rate: '1',
    memo: false,
    transaction_type: '15',
    occurred_at: '2024-08-01 00:00:00.000',
    ingested_at: INGESTED,
  };
}

function payout(label: string, committee: string, category: string, amount: string, paidOn: string): object {
  const event_id = eid(label);
  return {
    event_id,
    source: 'test',
    source_record_id: label,
    payer_committee_id: committee,
    payer_entity_id: committee,
    payer_name: committee,
    cycle: 2024,
    transaction_id: label,
    payout_key: `${committee}:2024:${label}`,
    restatement_rank: 1,
    version: String(2n ** 32n + BigInt(`0x${event_id.slice(0, 8)}`)),
    payee_name: 'EXAMPLE VENDOR LLC',
    payee_pseudonym: null,
    purpose: category.toUpperCase(),
    category,
    amount,
    currency: 'USD',
    amount_usd: amount,
    fx_rate: '1',
    fx_rate_date: null,
    paid_on: paidOn,
    state: 'PA',
    state_method: 'filed',
    is_swing_state: true,
    form: 'F24',
    source_kind: 'fec_schedule_e',
    occurred_at: `${paidOn} 00:00:00.000`,
    ingested_at: INGESTED,
  };
}

function snapshot(s: {
  ad: string;
  sponsor: string;
  at?: string;
  states: string[];
  start?: string;
  end?: string | null;
  stance?: [subject: string, stance: string, origin: string];
}): object {
  const at = s.at ?? '2024-11-06 00:00:00.000';
  const stance = s.stance ? [s.stance] : [];
  return {
    event_id: eid(`${s.ad}@${at}`),
    source: 'test',
    source_record_id: `${s.ad}@${at}`,
    platform: 'snap',
    ad_id: s.ad,
    granularity: 'ad',
    snapshot_at: at,
    advertiser_name: s.sponsor,
    paying_advertiser: s.sponsor,
    sponsor_id: s.sponsor,
    sponsor_name: s.sponsor,
    sponsor_confidence: 1,
    sponsor_match_method: 'fec_id',
    currency: 'USD',
    spend_low: '10.00',
    spend_high: '20.00',
    spend_point: '15.00',
    spend_point_method: 'midpoint',
    fx_rate: '1',
    spend_usd_low: '10.00',
    spend_usd_high: '20.00',
    spend_usd_point: '15.00',
    impressions_low: '1000',
    impressions_high: '2000',
    impressions_point: '1500',
    impressions_point_method: 'midpoint',
    delivery_start: s.start ?? '2024-10-01 00:00:00.000',
    delivery_end: s.end === undefined ? '2024-10-31 00:00:00.000' : s.end,
    target_states: s.states,
    target_states_method: 'regions',
    swing_states: s.states,
    stance_subjects: stance.map((x) => x[0]),
    stance_values: stance.map((x) => x[1]),
    stance_origins: stance.map((x) => x[2]),
    occurred_at: at,
    ingested_at: INGESTED,
  };
}

function signup(label: string, sponsorId: string, petition: string, at: string, referred = false): object {
  return {
    event_id: eid(label),
    source: 'test',
    source_record_id: label,
    petition_id: petition,
    sponsor_id: sponsorId,
    signed_at: at,
    signed_on: at.slice(0, 10),
    signer: `hmac-sha256:${eid(`${label}:signer`)}`,
    referrer: referred ? `hmac-sha256:${eid(`${label}:referrer`)}` : null,
    referred,
    state: 'PA',
    state_method: 'filed',
    is_swing_state: true,
    phone_provided: referred,
    phones_collected: referred ? 2 : 0,
    email_provided: true,
    channel: referred ? 'referral' : 'direct',
    occurred_at: at,
    ingested_at: INGESTED,
  };
}

function contact(label: string, sponsorId: string, at: string, contacted: boolean): object {
  return {
    event_id: eid(label),
    source: 'test',
    source_record_id: label,
    campaign_id: `canvass-${sponsorId}`,
    attempt_id: label,
    sponsor_id: sponsorId,
    attempted_at: at,
    attempted_on: at.slice(0, 10),
    method: 'door',
    outcome: contacted ? 'contacted' : 'not_home',
    contacted,
    canvasser: `hmac-sha256:${eid('canvasser')}`,
    voter: `hmac-sha256:${eid(`${label}:voter`)}`,
    state: 'PA',
    state_method: 'filed',
    is_swing_state: true,
    petition_signed: null,
    occurred_at: at,
    ingested_at: INGESTED,
  };
}

function post(
  id: string,
  sponsorId: string,
  createdAt: string,
  observedAt: string,
  petitions: string[],
): object {
  return {
    event_id: eid(`post:${id}@${observedAt}`),
    source: 'test',
    source_record_id: `post:${id}@${observedAt}`,
    platform: 'x',
    post_id: id,
    account_id: '1800000000000000042',
    account_handle: 'America',
    sponsor_id: sponsorId,
    created_at: createdAt,
    observed_at: observedAt,
    text: 'Sign the petition',
    urls: petitions.map((p) => `https://${p}.example/sign`),
    petition_ids: petitions,
    occurred_at: createdAt,
    ingested_at: INGESTED,
  };
}

describe('candidatesQuery (per-sponsor correlation candidates)', () => {
  it('returns exactly the rows of <kind>_candidates for the sponsor, for every kind and sponsor', async () => {
    // S and U have the same majority funder F; X has F as a minor donor; T and Z are unrelated.
    const [S, U, X, T, Z] = ['CS0000001', 'CU0000002', 'CX0000003', 'CT0000004', 'CZ0000005'];
    const sponsors = [S, U, X, T, Z];
    await insert('donation_events', [
      donation('s1', S, 'funder', '900.00'),
      donation('s2', S, 'small-s', '100.00'),
      donation('u1', U, 'funder', '500.00'), // exactly half: still a majority funder
      donation('u2', U, 'small-u', '500.00'),
      donation('x1', X, 'funder', '100.00'),
      donation('x2', X, 'own-x', '900.00'),
      donation('t1', T, 'own-t', '1000.00'),
    ]);
    await insert('ref_stance_opposites', [
      { stance_a: 'pro-Israel', stance_b: 'pro-Palestine', version: '1' },
      { stance_a: 'pro-Palestine', stance_b: 'pro-Israel', version: '1' },
      { stance_a: 'support', stance_b: 'oppose', version: '1' },
      { stance_a: 'oppose', stance_b: 'support', version: '1' },
    ]);
    await insert('ad_snapshots', [
      snapshot({ ad: 's-mi', sponsor: S, states: ['MI'] }), // pro-Israel by annotation
      snapshot({
        ad: 's-pa',
        sponsor: S,
        states: ['PA'],
        end: null,
        stance: ['Harris', 'pro-Palestine', 'text'],
      }),
      snapshot({ ad: 's-nc', sponsor: S, states: ['NC'], stance: ['Harris', 'oppose', 'advertiser'] }),
      snapshot({ ad: 's-az', sponsor: S, states: ['AZ'], stance: ['Trump', 'support', 'text'] }),
      snapshot({ ad: 'u-wi', sponsor: U, states: ['WI'], stance: ['Harris', 'pro-Palestine', 'text'] }),
      snapshot({ ad: 'u-ga', sponsor: U, states: ['GA'], stance: ['Trump', 'oppose', 'coder'] }),
      snapshot({ ad: 'x-nv', sponsor: X, states: ['NV'], stance: ['Harris', 'pro-Palestine', 'text'] }),
      snapshot({ ad: 't-mi', sponsor: T, states: ['MI'], stance: ['Trump', 'support', 'text'] }),
      snapshot({ ad: 't-pa', sponsor: T, states: ['PA'], stance: ['Trump', 'oppose', 'text'] }),
      // Moved from S to T: its latest snapshot's sponsor counts.
      snapshot({
        ad: 'moved',
        sponsor: S,
        at: '2024-11-01 00:00:00.000',
        states: ['WI'],
        stance: ['Trump', 'oppose', 'text'],
      }),
      snapshot({ ad: 'moved', sponsor: T, states: ['WI'], stance: ['Trump', 'oppose', 'text'] }),
    ]);
    await insert('ad_annotations', [
      {
        event_id: eid('s-mi:code'),
        source: 'annotations:csv',
        source_record_id: 'snap:s-mi:group/a:Harris@2024-11-07',
        platform: 'snap',
        ad_id: 's-mi',
        ad_set: 'set-1',
        subject: 'Harris',
        stance: 'pro-Israel',
        message: 'Harris: pro-Israel',
        transcript: '',
        coder: 'group/a',
        coded_on: '2024-11-07',
        occurred_at: '2024-11-07 00:00:00.000',
        ingested_at: INGESTED,
      },
    ]);
    await insert('payout_filings', [
      payout('s-bounty', S, 'referral_bounty', '47.00', '2024-10-10'),
      payout('s-lottery', S, 'lottery_award', '1000000.00', '2024-10-11'),
      payout('t-pay', T, 'canvasser_pay', '200.00', '2024-10-10'),
    ]);
    const [pS, pT] = ['petition-s', 'petition-t'];
    await insert('ref_petitions', [
      { petition_id: pS, sponsor_id: S, url_prefixes: [`${pS}.example/sign`], version: '1' },
      { petition_id: pT, sponsor_id: T, url_prefixes: [`${pT}.example/sign`], version: '1' },
    ]);
    const at = (d: string, t: string) => `2024-10-${d} ${t}.000`;
    await insert('signup_events', [
      ...['01', '05', '08', '09'].map((d) => signup(`s-base-${d}`, S, pS, at(d, '13:00:00'))),
      ...['12:30:00', '13:30:00', '17:59:00'].map((t, n) =>
        signup(`s-after-${n}`, S, pS, at('10', t), n > 0),
      ),
      ...['07', '09'].map((d) => signup(`t-base-${d}`, T, pT, at(d, '13:10:00'))),
      signup('t-after', T, pT, at('10', '14:00:00'), true),
    ]);
    await insert('contact_events', [
      contact('s-door-1', S, at('10', '10:00:00'), true),
      contact('t-door-1', T, at('10', '11:00:00'), false),
      contact('t-door-2', T, at('11', '11:00:00'), true),
    ]);
    await insert('post_observations', [
      post('1850000000000000001', S, at('10', '12:00:30'), at('11', '00:00:00'), [pS]),
      post('1850000000000000002', S, at('10', '12:05:00'), at('11', '00:00:00'), [pS, pT]),
      post('1850000000000000003', T, at('10', '12:10:00'), at('11', '00:00:00'), [pT]),
      // Linked S's petition once, and no longer at its latest observation.
      post('1850000000000000004', S, at('10', '12:20:00'), at('10', '13:00:00'), [pS]),
      post('1850000000000000004', S, at('10', '12:20:00'), at('11', '00:00:00'), []),
    ]);
    for (const s of sponsors) await recomputeSponsorRollups(client, s);

    const plain = (kind: string, s: string) =>
      select<CandidateRow>(
        `SELECT toString(correlation_id) AS correlation_id, sponsor_id, subject, detail, source_event_ids
         FROM ${kind}_candidates WHERE sponsor_id = {sponsor:String} ORDER BY correlation_id`,
        { sponsor: s },
      );
    const found: Record<string, Record<string, number>> = {};
    for (const kind of CORRELATION_KINDS) {
      found[kind] = {};
      // Every sponsor of the plain view, and the fixture's sponsors that have none.
      const all = await select<{ sponsor_id: string }>(
        `SELECT DISTINCT sponsor_id FROM ${kind}_candidates ORDER BY sponsor_id`,
      );
      for (const s of new Set([...sponsors, ...all.map((r) => r.sponsor_id)])) {
        const before = await plain(kind, s);
        const after = await select<CandidateRow>(candidatesQuery(kind), { sponsor: s });
        expect({ kind, s, rows: after }).toEqual({ kind, s, rows: before });
        if (PER_SPONSOR_VIEW_KINDS.includes(kind)) {
          const viaView = await select<CandidateRow>(
            `SELECT toString(correlation_id) AS correlation_id, sponsor_id, subject, detail, source_event_ids
             FROM sponsor_${kind}_candidates(sponsor = {sponsor:String}) ORDER BY correlation_id`,
            { sponsor: s },
          );
          expect({ kind, s, rows: viaView }).toEqual({ kind, s, rows: before });
        }
        found[kind][s] = after.length;
      }
    }
    // The fixture exercises what could go wrong: pairs within a sponsor and across the funder
    // network (a record of two sponsors, once for each), flows, funnel days and post lifts of
    // more than one sponsor.
    expect(found).toEqual({
      contradiction: { [S]: 3, [U]: 2, [X]: 0, [T]: 2, [Z]: 0 },
      funding_flow: { [S]: 2, [U]: 2, [X]: 2, [T]: 1, [Z]: 0 },
      funnel: { [S]: 6, [U]: 0, [X]: 0, [T]: 4, [Z]: 0 },
      post_lift: { [S]: 2, [U]: 0, [X]: 0, [T]: 2, [Z]: 0 },
    });
    const relations = (await select<CandidateRow>(candidatesQuery('contradiction'), { sponsor: S })).map(
      (r) => (JSON.parse(r.detail) as { relation: string }).relation,
    );
    expect(relations.sort()).toEqual(['same_sponsor', 'shared_majority_funder', 'shared_majority_funder']);
  });
});

import { describe, expect, it } from 'vitest';
import { CorrelationRecordV1 } from '../../schemas/correlation.ts';
import {
  EnrichedAdV1,
  EnrichedAnnotationV1,
  EnrichedContactV1,
  EnrichedPayoutV1,
  EnrichedSignupV1,
} from '../../schemas/enriched.ts';
import { centsOf, costPer, DashboardAggregates, formatCents } from './aggregates.ts';

// Enriched events of the bundled sample (docs/topics.md), varied per test; every builder parses
// its result with the topic's zod schema, so the aggregates only ever see valid messages.
const PAYOUT = {
  schema_version: 1,
  type: 'payout',
  event_id: 'f87e004e8cf679f300492b00968cc032',
  source: 'fec-schedule-e',
  source_record_id: '4103020241100000007',
  payer_committee_id: 'C00879510',
  payer_entity_id: 'C00879510',
  payer_name: 'America PAC',
  cycle: 2024,
  transaction_id: 'SE24.106',
  payout_key: 'C00879510:2024:SE24.106',
  restatement_rank: 1,
  version: '8463974478',
  payee_name: 'EXAMPLE PRINT WORKS INC.',
  payee_pseudonym: null,
  purpose: 'PRINTING - PENNSYLVANIA',
  category: 'printing',
  amount: '111111.00',
  currency: 'USD',
  amount_usd: '111111.00',
  fx_rate: '1.00000000',
  fx_rate_date: null,
  paid_on: '2024-10-01',
  disseminated_on: '2024-10-01',
  support_oppose: 'support',
  candidate_id: 'P80001571',
  candidate_name: 'TRUMP, DONALD J.',
  state: 'PA',
  state_method: 'purpose_text',
  is_swing_state: true,
  form: 'F24',
  report_type: '48',
  amendment_indicator: 'N',
  fec_sub_id: '4103020241100000007',
  filed_on: '2024-10-03',
  pdf_url: 'https://docquery.fec.gov/cgi-bin/fecimg/?202410039100000000',
  source_kind: 'fec_schedule_e',
  occurred_at: '2024-10-01T00:00:00.000Z',
  ingested_at: '2024-11-07T00:00:00.000Z',
};

const SIGNUP = {
  schema_version: 1,
  type: 'signup',
  event_id: '0f82d740a90e6159f24c3dc661c074b8',
  source: 'signups',
  source_record_id: 'america-pac-1a2a-petition-2024:SIG-000001',
  petition_id: 'america-pac-1a2a-petition-2024',
  sponsor_id: 'C00879510',
  signed_at: '2024-10-01T13:12:27.000Z',
  signed_on: '2024-10-01',
  signer: 'hmac-sha256:b1594dedde24ce133e05f0a583e975453a013d85b0c401395ec05fe112bc8b08',
  referrer: null,
  referred: false,
  state: 'AZ',
  state_method: 'filed',
  is_swing_state: true,
  zip5: '85008',
  phone_provided: false,
  phones_collected: 0,
  email_provided: true,
  channel: 'meta',
  occurred_at: '2024-10-01T13:12:27.000Z',
  ingested_at: '2024-11-07T00:00:00.000Z',
};

const CONTACT = {
  schema_version: 1,
  type: 'contact',
  event_id: '175b7c622c8cff129a0c6a01a8bc3f0f',
  source: 'contacts',
  source_record_id: 'america-pac-canvass-wi-2024:A00001',
  campaign_id: 'america-pac-canvass-wi-2024',
  attempt_id: 'A00001',
  sponsor_id: 'C00879510',
  attempted_at: '2024-09-03T13:01:25.000Z',
  attempted_on: '2024-09-03',
  method: 'door',
  outcome: 'moved',
  contacted: false,
  canvasser: 'hmac-sha256:796df35fb9a8ed4f266a4f635951a1e7975339b6f0b83cafb9f82ca522f455d5',
  voter: 'hmac-sha256:de972b6a53af7b25f9248a0501dc6dd1b0a22a241bf4fa1f69f84c6cbff3e6e9',
  state: 'WI',
  state_method: 'filed',
  is_swing_state: true,
  zip5: '53404',
  petition_signed: null,
  occurred_at: '2024-09-03T13:01:25.000Z',
  ingested_at: '2024-11-07T00:00:00.000Z',
};

const AD = {
  schema_version: 1,
  type: 'ad',
  event_id: '327da8420cbb5f7a362ffe55eee42e42',
  source: 'snap',
  source_record_id: '55ea0ce2c4f4fb16aedc2d93f8e6ca03495e76d003ee5d780f863a13dbf2af9f@2024-11-06T00:00:00Z',
  platform: 'snap',
  ad_id: '55ea0ce2c4f4fb16aedc2d93f8e6ca03495e76d003ee5d780f863a13dbf2af9f',
  granularity: 'ad',
  snapshot_at: '2024-11-06T00:00:00.000Z',
  advertiser_name: 'America PAC',
  advertiser_id: null,
  paying_advertiser: 'America PAC',
  sponsor_id: 'C00879510',
  sponsor_name: 'America PAC',
  sponsor_confidence: 1,
  sponsor_match_method: 'fec_id',
  currency: 'USD',
  spend_low: '4120.00',
  spend_high: '4120.00',
  spend_point: '4120.00',
  spend_point_method: 'exact',
  fx_rate: '1.00000000',
  fx_rate_date: null,
  spend_usd_low: '4120.00',
  spend_usd_high: '4120.00',
  spend_usd_point: '4120.00',
  impressions_low: '512340',
  impressions_high: '512340',
  impressions_point: '512340',
  impressions_point_method: 'exact',
  delivery_start: '2024-10-22T16:00:00.000Z',
  delivery_end: '2024-11-05T23:00:00.000Z',
  target_states: ['MI'],
  target_states_method: 'regions',
  swing_states: ['MI'],
  delivery_states: [],
  delivery_shares: [],
  stance_subjects: ['Trump'],
  stance_values: ['support'],
  stance_origins: ['advertiser'],
  topics: [],
  creative_text: '',
  link_urls: [
    'https://america-pac.example/harris?utm_source=snapchat&utm_content=mi-harris-friend-of-israel-1',
  ],
  snapshot_url: null,
  occurred_at: '2024-11-06T00:00:00.000Z',
  ingested_at: '2024-11-07T00:00:00.000Z',
};

const ANNOTATION = {
  schema_version: 1,
  type: 'annotation',
  event_id: 'c71def71a40613044223d093c2b55593',
  source: 'annotations:csv',
  source_record_id:
    'snap:55ea0ce2c4f4fb16aedc2d93f8e6ca03495e76d003ee5d780f863a13dbf2af9f:sample-ad-research-group/coder-a:Harris@2024-11-07',
  platform: 'snap',
  ad_id: '55ea0ce2c4f4fb16aedc2d93f8e6ca03495e76d003ee5d780f863a13dbf2af9f',
  ad_set: 'mi-harris-friend-of-israel',
  subject: 'Harris',
  stance: 'pro-Israel',
  message: 'Kamala Harris: friend of Israel',
  transcript:
    'Kamala Harris: friend of Israel. For decades she has stood with Israel, and she says she always will. Is that who you are voting for? Paid for by America PAC.',
  coder: 'sample-ad-research-group/coder-a',
  coded_on: '2024-11-07',
  occurred_at: '2024-11-07T00:00:00.000Z',
  ingested_at: '2024-11-07T00:00:00.000Z',
};

let serial = 0;
function id(): string {
  return (++serial).toString(16).padStart(32, '0');
}

function payout(o: Partial<EnrichedPayoutV1> = {}): EnrichedPayoutV1 {
  return EnrichedPayoutV1.parse({ ...PAYOUT, event_id: id(), ...o });
}
function signup(o: Partial<EnrichedSignupV1> = {}): EnrichedSignupV1 {
  return EnrichedSignupV1.parse({ ...SIGNUP, event_id: id(), ...o });
}
function contact(o: Partial<EnrichedContactV1> = {}): EnrichedContactV1 {
  return EnrichedContactV1.parse({ ...CONTACT, event_id: id(), ...o });
}
function ad(o: Partial<EnrichedAdV1> = {}): EnrichedAdV1 {
  return EnrichedAdV1.parse({ ...AD, event_id: id(), ...o });
}
function annotation(o: Partial<EnrichedAnnotationV1> = {}): EnrichedAnnotationV1 {
  return EnrichedAnnotationV1.parse({ ...ANNOTATION, event_id: id(), ...o });
}

function contradiction(o: {
  id?: string;
  sponsor?: string;
  at?: string;
  holds?: boolean;
  a?: string;
  b?: string;
}): CorrelationRecordV1 {
  const side = (adId: string, stance: string, state: string) => ({
    platform: 'snap',
    ad_id: adId,
    sponsor_id: 'C00879510',
    stances: [stance],
    target_states: [state],
    spend_usd_low: '2870.00',
    spend_usd_high: '2870.00',
    spend_usd_point: '2870.00',
    delivery_start: '2024-10-28T16:00:00.000Z',
    delivery_end: '2024-11-05T23:00:00.000Z',
  });
  return CorrelationRecordV1.parse({
    schema_version: 1,
    correlation_id: o.id ?? '4188a544374529b645f21ed450327707',
    kind: 'contradiction',
    sponsor_id: o.sponsor ?? 'C00879510',
    subject: 'Harris',
    holds: o.holds ?? true,
    detail: {
      subject: 'Harris',
      relation: 'same_sponsor',
      sponsor_ids: ['C00879510'],
      a: side(o.a ?? 'ad-pa', 'pro-Palestine', 'PA'),
      b: side(o.b ?? AD.ad_id, 'pro-Israel', 'MI'),
      overlap_start: '2024-10-28T16:00:00.000Z',
      overlap_end: null,
    },
    source_event_ids: [],
    computed_at: o.at ?? '2026-11-26T17:00:57.759Z',
  });
}

describe('money helpers', () => {
  it('reads and writes cents exactly', () => {
    expect(centsOf('-250.00')).toBe(-25000n);
    expect(centsOf('27110163.31')).toBe(2711016331n);
    expect(formatCents(2711016331n)).toBe('27110163.31');
    expect(formatCents(-5n)).toBe('-0.05');
    expect(() => centsOf('1.5')).toThrow(RangeError);
  });

  it('divides like ClickHouse: Decimal(6), truncated, null for no denominator', () => {
    expect(costPer(10000n, 3)).toBe('33.333333');
    expect(costPer(200n, 3)).toBe('0.666666');
    expect(costPer(4700n, 1)).toBe('47.000000');
    expect(costPer(4700n, 0)).toBeNull();
  });
});

describe('spend', () => {
  it('counts a payment once, at its filing with the highest version, in any arrival order', () => {
    const f3x = payout({
      version: String(2n * 2n ** 32n),
      restatement_rank: 2,
      amount: '120000.00',
      amount_usd: '120000.00',
    });
    const f24 = payout({ version: String(2n ** 32n), amount: '111111.00', amount_usd: '111111.00' });
    const agg = new DashboardAggregates();
    expect(agg.addPayout(f3x)).toEqual(['spend', 'efficiency']);
    expect(agg.addPayout(f24)).toEqual([]);
    expect(agg.addPayout(f3x)).toEqual([]);
    const s = agg.view(['spend']).spend;
    expect(s?.by_state['PA']).toEqual({ printing: '120000.00' });
    expect(s?.payments).toBe(1);

    const later = new DashboardAggregates();
    later.addPayout(f24);
    later.addPayout(f3x);
    expect(later.view(['spend']).spend?.by_state['PA']).toEqual({ printing: '120000.00' });
  });

  it('splits swing states by channel and keeps other and unknown states in the totals only', () => {
    const agg = new DashboardAggregates();
    agg.addPayout(payout({ payout_key: 'k1', category: 'canvassing', amount_usd: '100.10' }));
    agg.addPayout(payout({ payout_key: 'k2', category: 'canvassing', amount_usd: '0.20' }));
    agg.addPayout(
      payout({ payout_key: 'k3', category: 'referral_bounty', amount_usd: '47.00', state: 'MI' }),
    );
    agg.addPayout(
      payout({ payout_key: 'k4', category: 'mail', amount_usd: '5.00', state: 'TX', is_swing_state: false }),
    );
    agg.addPayout(
      payout({
        payout_key: 'k5',
        category: 'digital_ads',
        amount_usd: '1.00',
        state: null,
        state_method: 'unknown',
      }),
    );
    agg.addPayout(payout({ payout_key: 'k6', category: 'canvassing', amount_usd: '-0.30' }));
    const s = agg.view(['spend']).spend;
    expect(s?.by_state).toEqual({ PA: { canvassing: '100.00' }, MI: { referral_bounty: '47.00' } });
    expect(s?.channels).toEqual(['canvassing', 'referral_bounty']);
    expect(s?.total_usd).toBe('153.00');
    expect(s?.swing_usd).toBe('147.00');
    expect(s?.unknown_state_usd).toBe('1.00');
  });
});

describe('efficiency', () => {
  it('sums spend and outcomes per state, then divides; duplicates count once', () => {
    const agg = new DashboardAggregates();
    agg.addPayout(payout({ payout_key: 'b', category: 'referral_bounty', amount_usd: '94.00', state: 'AZ' }));
    agg.addPayout(
      payout({ payout_key: 'l', category: 'lottery_award', amount_usd: '1000000.00', state: 'AZ' }),
    );
    agg.addPayout(payout({ payout_key: 'c', category: 'canvasser_pay', amount_usd: '300.00', state: 'AZ' }));
    agg.addPayout(payout({ payout_key: 'd', category: 'digital_ads', amount_usd: '50.00', state: 'AZ' }));
    const s1 = signup({ phones_collected: 2 });
    agg.addSignup(s1);
    expect(agg.addSignup(s1)).toEqual([]);
    agg.addSignup(signup({ phones_collected: 0 }));
    agg.addSignup(signup({ phones_collected: 1 }));
    agg.addContact(contact({ state: 'AZ', contacted: true, outcome: 'contacted' }));
    agg.addContact(contact({ state: 'AZ' }));
    const az = agg.view(['efficiency']).efficiency?.states.find((r) => r.state === 'AZ');
    expect(az).toEqual({
      state: 'AZ',
      spend_usd: '1000444.00',
      petition_spend_usd: '1000094.00',
      canvass_spend_usd: '300.00',
      signups: 3,
      phones_collected: 3,
      contact_attempts: 2,
      contacted: 1,
      cost_per_signup: '333364.666666',
      cost_per_phone: '333364.666666',
      cost_per_contact: '300.000000',
    });
    const wi = agg.view(['efficiency']).efficiency?.states.find((r) => r.state === 'WI');
    expect(wi?.cost_per_signup).toBeNull();
    expect(wi?.spend_usd).toBe('0.00');
  });
});

describe('contradiction alerts', () => {
  it('shows both ads with advertiser, spend, stance, states and the coder’s message', () => {
    const agg = new DashboardAggregates();
    agg.addAd(ad());
    agg.addAnnotation(annotation());
    expect(agg.addCorrelation(contradiction({}))).toEqual(['alerts']);
    const alerts = agg.view(['alerts']).alerts;
    expect(alerts?.total).toBe(1);
    const [alert] = alerts?.alerts ?? [];
    expect(alert?.a).toMatchObject({
      ad_id: 'ad-pa',
      advertiser: null,
      stances: ['pro-Palestine'],
      target_states: ['PA'],
    });
    expect(alert?.b).toMatchObject({
      ad_id: AD.ad_id,
      advertiser: 'America PAC',
      stances: ['pro-Israel'],
      target_states: ['MI'],
      spend_usd_point: '2870.00',
      message: 'Kamala Harris: friend of Israel',
    });
    // The other ad arriving later fills in its side.
    expect(agg.addAd(ad({ ad_id: 'ad-pa', creative_text: 'ally of Palestine' }))).toEqual(['alerts']);
    expect(agg.view(['alerts']).alerts?.alerts[0]?.a).toMatchObject({
      advertiser: 'America PAC',
      message: 'ally of Palestine',
    });
  });

  it('keeps the latest record per sponsor, drops retractions and shows a two-sponsor pair once', () => {
    const agg = new DashboardAggregates();
    agg.addCorrelation(contradiction({ at: '2026-11-26T17:00:00Z' }));
    agg.addCorrelation(contradiction({ sponsor: 'C00000001', at: '2026-11-26T17:00:00Z' }));
    expect(agg.view(['alerts']).alerts?.total).toBe(1);
    agg.addCorrelation(contradiction({ id: 'f'.repeat(32), a: 'x', b: 'y', at: '2026-11-26T18:00:00Z' }));
    expect(agg.view(['alerts']).alerts?.alerts.map((a) => a.correlation_id)).toEqual([
      'f'.repeat(32),
      '4188a544374529b645f21ed450327707',
    ]);
    // An older retraction changes nothing; a newer one removes the alert.
    expect(
      agg.addCorrelation(contradiction({ id: 'f'.repeat(32), holds: false, at: '2026-11-26T17:30:00Z' })),
    ).toEqual([]);
    agg.addCorrelation(contradiction({ id: 'f'.repeat(32), holds: false, at: '2026-11-26T19:00:00Z' }));
    expect(agg.view(['alerts']).alerts?.total).toBe(1);
  });
});

describe('funding flows', () => {
  it('lists the flows that hold, largest net receipts first', () => {
    const flow = (donor: string, net: string, holds = true): CorrelationRecordV1 =>
      CorrelationRecordV1.parse({
        schema_version: 1,
        correlation_id: id(),
        kind: 'funding_flow',
        sponsor_id: 'C00879510',
        subject: donor,
        holds,
        detail: {
          donor_entity_id: `person:${donor}`,
          donor_name: donor,
          committee_id: 'C00879510',
          cycle: 2024,
          donor_net_usd: net,
          share: 0.5,
          committee_spend_usd: '100.00',
          attributed_spend_usd: '50.00',
        },
        source_event_ids: [],
        computed_at: '2026-11-26T17:00:00Z',
      });
    const agg = new DashboardAggregates();
    agg.addCorrelation(flow('small', '9.99'));
    agg.addCorrelation(flow('big', '75000000.00'));
    agg.addCorrelation(flow('gone', '99999999.00', false));
    expect(agg.view(['flows']).flows?.flows.map((f) => [f.donor_name, f.donor_net_usd, f.cycle])).toEqual([
      ['big', '75000000.00', 2024],
      ['small', '9.99', 2024],
    ]);
  });
});

describe('health', () => {
  it('counts each dead letter once by reason and step, unreadable ones too', () => {
    const agg = new DashboardAggregates();
    agg.addDeadLetter('0:1', { reason: 'schema_invalid', step: 'import:signups' });
    agg.addDeadLetter('0:1', { reason: 'schema_invalid', step: 'import:signups' });
    agg.addDeadLetter('0:2', null);
    agg.setLag({ bridge: { 'influence.raw.ad.v1': 3 }, dlq_sink: 0, read_at: '2026-11-26T17:00:00.000Z' });
    const h = agg.view(['health']).health;
    expect(h?.dlq).toEqual({
      total: 2,
      by_reason: { schema_invalid: 1, unreadable: 1 },
      by_step: { 'import:signups': 1, unknown: 1 },
    });
    expect(h?.lag?.bridge).toEqual({ 'influence.raw.ad.v1': 3 });
    expect(agg.setLagError('broker down')).toEqual(['health']);
    expect(agg.view(['health']).health?.lag_error).toBe('broker down');
  });
});

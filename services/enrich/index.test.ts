import { describe, expect, it } from 'vitest';
import { ENRICHED_SCHEMAS } from '../../schemas/enriched.ts';
import type { EventType } from '../../schemas/topics.ts';
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';
import { createEnricher, loadReferenceData, referenceRows, type EnrichOutcome } from './index.ts';
import { migrationColumns } from './migration.test-support.ts';
import { payoutVersion } from './rows/payout.ts';
import { rawRowOf, repoReference } from './testing.ts';

const ref = repoReference();
const enricher = createEnricher(ref);
const columns = migrationColumns();

const EVENT_ID = '0123456789abcdef0123456789abcdef';
const P1 = `hmac-sha256:${'a1'.repeat(32)}`;
const P2 = `hmac-sha256:${'b2'.repeat(32)}`;
const SNAP_ADID = '55ea0ce2c4f4fb16aedc2d93f8e6ca03495e76d003ee5d780f863a13dbf2af9f';

type Payload = Record<string, unknown>;

function raw(type: EventType, payload: Payload, over: Partial<RawEventRow> = {}): RawEventRow {
  return {
    ...rawRowOf({
      event_id: EVENT_ID,
      type,
      schema_version: 1,
      source: `test-${type}`,
      source_record_id: 'rec-1',
      occurred_at: '2024-10-19T14:00:00Z',
      ingested_at: '2024-11-07T00:00:00.000Z',
      payload,
    }),
    ...over,
  };
}

type Ok = Extract<EnrichOutcome, { ok: true }>;

/** Enriches, asserts success and that the row has exactly its table's columns. */
function ok(type: EventType, payload: Payload, over: Partial<RawEventRow> = {}): Ok {
  const out = enricher.enrich(raw(type, payload, over));
  if (!out.ok) throw new Error(`expected ${type} to enrich: ${out.reason}`);
  expect(Object.keys(out.row)).toEqual((columns.get(out.table) ?? []).map(([n]) => n));
  const parsed = ENRICHED_SCHEMAS[type].schema.safeParse(out.enriched.value);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return out;
}

function failure(type: string, payload: unknown, over: Partial<RawEventRow> = {}): string {
  const out = enricher.enrich({
    ...raw('donation', {}, over),
    type,
    payload: JSON.stringify(payload),
    ...over,
  });
  expect(out.ok).toBe(false);
  return out.ok ? '' : out.reason;
}

const donation = (over: Payload = {}): Payload => ({
  committee_id: 'C00879510',
  contributor_name: 'MUSK, ELON',
  contributor_state: 'TX',
  contributor_zip: '787010000',
  amount: '15000000',
  contributed_on: '2024-07-10',
  transaction_type: '15',
  entity_type: 'IND',
  fec_sub_id: '4102420241000000999',
  transaction_id: 'SA11AI.9',
  ...over,
});

const payout = (over: Payload = {}): Payload => ({
  payer_committee_id: 'C00879510',
  payer_name: 'America PAC',
  cycle: 2024,
  transaction_id: 'SE24.644',
  payout_key: 'C00879510:2024:SE24.644',
  payee_name: 'BLITZ CANVASSING LLC',
  payee_pseudonym: null,
  purpose: 'CANVASSING/FIELD OPERATIONS - PENNSYLVANIA',
  category: 'canvassing',
  amount: '111111.00',
  currency: 'USD',
  paid_on: '2024-10-15',
  disseminated_on: '2024-10-14',
  support_oppose: 'support',
  candidate_id: 'P80001571',
  candidate_name: 'TRUMP, DONALD J.',
  candidate_office: 'P',
  candidate_state: 'US',
  candidate_district: '00',
  state: null,
  filing: {
    form: 'F3X',
    report_type: '30G',
    amendment_indicator: 'N',
    sub_id: '4103020241012034611',
    file_number: '1858330',
    image_number: '202410099684835318',
    pdf_url: 'https://docquery.fec.gov/cgi-bin/fecimg/?202410099684835318',
    filed_on: '2024-12-05',
  },
  restatement_rank: 2,
  source_kind: 'fec_schedule_e',
  ...over,
});

const targeting = (over: Payload = {}): Payload => ({
  countries: [],
  regions: [],
  excluded_regions: [],
  postal_codes: [],
  excluded_postal_codes: [],
  age_min: 18,
  age_max: null,
  genders: [],
  interests: [],
  languages: [],
  ...over,
});

const metaAd = (over: Payload = {}): Payload => ({
  platform: 'meta',
  ad_id: '9120240000007919',
  snapshot_at: '2024-11-06T12:00:00Z',
  granularity: 'ad',
  advertiser_name: 'Future Forward',
  advertiser_id: '610000000000102',
  paying_entity: 'FF PAC',
  sponsor_committee_id: null,
  currency: 'USD',
  spend: { low: '100000', high: '149999', point: '124999.5', point_method: 'midpoint' },
  impressions: { low: '10000000', high: '19999999', point: '14999999', point_method: 'midpoint' },
  delivery_start: '2024-10-09T00:00:00Z',
  delivery_end: '2024-10-16T00:00:00Z',
  targeting: targeting({ regions: ['Arizona', 'Washington, District of Columbia'] }),
  region_distribution: [
    { region: 'Arizona', share: '0.5' },
    { region: 'Washington, District of Columbia', share: '0.25' },
    { region: 'District of Columbia', share: '0.2' },
    { region: 'Unknown', share: '0.05' },
  ],
  creative: {
    bodies: ['Our freedoms are on the ballot. Vote early for Kamala Harris and Tim Walz.'],
    link_titles: ['Vote for Harris'],
    link_descriptions: ['Make a plan to vote.'],
    link_urls: ['kamalaharris.example'],
    snapshot_url: 'https://www.facebook.com/ads/archive/render_ad/?id=9120240000007919',
    media_urls: [],
  },
  stance: [],
  raw_fields_version: 'meta-ads-archive',
  ...over,
});

const snapAd = (over: Payload = {}): Payload => ({
  ...metaAd(),
  platform: 'snap',
  ad_id: SNAP_ADID,
  advertiser_name: 'America PAC',
  advertiser_id: null,
  paying_entity: 'America PAC',
  sponsor_committee_id: 'C00879510',
  currency: 'GBP',
  spend: { low: '4120', high: '4120', point: '4120', point_method: 'exact' },
  impressions: null,
  delivery_start: '2024-10-04T16:00:00Z',
  delivery_end: '2024-10-05T23:00:00Z',
  targeting: targeting({ countries: ['united states'], postal_codes: ['48126', '48212'] }),
  region_distribution: [],
  creative: {
    bodies: [],
    link_titles: [],
    link_descriptions: [],
    link_urls: [],
    snapshot_url: null,
    media_urls: [],
  },
  stance: [
    { subject: 'Kamala Harris', stance: 'friend of Israel', origin: 'coder', coder: 'group/coder-a' },
    { subject: 'Harris', stance: 'pro-Israel', origin: 'coder', coder: 'group/coder-b' },
  ],
  raw_fields_version: 'snap-csv-38',
  ...over,
});

const post = (over: Payload = {}): Payload => ({
  platform: 'x',
  post_id: '1853836148208566296',
  account_id: '1800000000000000042',
  account_handle: 'America',
  account_name: 'America',
  created_at: '2024-11-05T16:25:55.000Z',
  text: 'Sign the petition in support of free speech and the right to bear arms! Vote Trump.',
  lang: 'en',
  urls: ['https://petition.america-pac.example/sign?utm_source=x', 'https://elsewhere.example/sign'],
  mentions: [],
  hashtags: [],
  conversation_id: '1853836148208566296',
  in_reply_to_post_id: null,
  referenced_posts: [],
  metrics: {
    likes: '64276',
    reposts: '12855',
    replies: '5142',
    quotes: '1285',
    impressions: null,
    bookmarks: '2571',
  },
  observed_at: '2024-11-07T00:00:00.000Z',
  ...over,
});

const signup = (over: Payload = {}): Payload => ({
  petition_id: 'america-pac-1a2a-petition-2024',
  signed_at: '2024-10-19T23:04:05-04:00',
  signer: P1,
  referrer: P2,
  state: null,
  zip5: '19131',
  phone_provided: true,
  phones_collected: 2,
  email_provided: true,
  channel: null,
  ...over,
});

const contact = (over: Payload = {}): Payload => ({
  campaign_id: 'america-pac-canvass-wi-2024',
  attempt_id: 'A00001',
  attempted_at: '2024-09-03T13:01:25Z',
  method: 'door',
  outcome: 'contacted',
  canvasser: P1,
  voter: P2,
  state: 'WI',
  zip5: '53404',
  petition_signed: true,
  paid_by_committee_id: 'C00879510',
  ...over,
});

const annotation = (over: Payload = {}): Payload => ({
  platform: 'snap',
  ad_id: SNAP_ADID,
  ad_set: 'mi-harris-friend-of-israel',
  subject: ' Kamala Harris ',
  stance: 'friend of Israel',
  message: 'Kamala Harris: friend of Israel',
  transcript: 'Kamala Harris: friend of Israel.',
  coder: 'sample-ad-research-group/coder-a',
  coded_on: '2024-11-07',
  ...over,
});

describe('donation → donation_events', () => {
  it('resolves recipient and donor, keeps the amount, converts USD at rate 1, keys by the recipient', () => {
    const out = ok('donation', donation());
    expect(out.table).toBe('donation_events');
    expect(out.row).toMatchObject({
      committee_id: 'C00879510',
      recipient_entity_id: 'C00879510',
      cycle: 2024,
      contributed_on: '2024-07-10',
      donor_entity_id: 'person:musk-elon',
      donor_name: 'Elon Musk',
      donor_confidence: 0.9,
      donor_match_method: 'alias',
      entity_type: 'IND',
      contributor_state: 'TX',
      contributor_zip5: '78701',
      amount: '15000000.00',
      currency: 'USD',
      amount_usd: '15000000.00',
      fx_rate: '1.00000000',
      fx_rate_date: null,
      memo: false,
      occurred_at: '2024-10-19 14:00:00.000',
      ingested_at: '2024-11-07 00:00:00.000',
    });
    expect(out.enriched).toMatchObject({
      topic: 'influence.enriched.donation.v1',
      key: 'C00879510',
      value: { schema_version: 1, type: 'donation', occurred_at: '2024-10-19T14:00:00.000Z' },
    });
    expect(out.sponsors).toEqual(['C00879510']);
  });

  it('rounds an odd year up to its cycle, reads the state from the ZIP when the filed one is not a state', () => {
    const out = ok(
      'donation',
      donation({ contributed_on: '2023-03-01', contributor_state: 'ZZ', contributor_zip: '19103' }),
    );
    expect(out.row).toMatchObject({ cycle: 2024, contributor_state: 'PA', contributor_zip5: '19103' });
    const none = ok(
      'donation',
      donation({ contributor_state: undefined, contributor_zip: undefined, entity_type: undefined }),
    );
    expect(none.row).toMatchObject({ contributor_state: null, contributor_zip5: null, entity_type: '' });
  });

  it('converts another currency with the dated table and names the rate date', () => {
    const out = ok(
      'donation',
      donation({ currency: 'EUR', amount: '-100.005', contributed_on: '2024-10-05' }),
    );
    expect(out.row).toMatchObject({
      amount: '-100.00',
      fx_rate: '1.10290000', // ECB, Friday 2024-10-04: 1 EUR = 1.1029 USD
      fx_rate_date: '2024-10-04',
      amount_usd: '-110.30', // -110.2955145
    });
  });
});

describe('payout → payout_filings', () => {
  it('reads the state from the purpose of a presidential Schedule E line', () => {
    const out = ok('payout', payout());
    expect(out.row).toMatchObject({
      payer_entity_id: 'C00879510',
      state: 'PA',
      state_method: 'purpose_text',
      is_swing_state: true,
      amount_usd: '111111.00',
      version: String(2n * 2n ** 32n + 0x01234567n),
      form: 'F3X',
      fec_sub_id: '4103020241012034611',
      filed_on: '2024-12-05',
    });
    expect(out.enriched.key).toBe('C00879510');
    expect(out.sponsors).toEqual(['C00879510']);
  });

  it('prefers the filed state, then the purpose, then a House candidate state', () => {
    expect(ok('payout', payout({ state: 'AZ' })).row).toMatchObject({ state: 'AZ', state_method: 'filed' });
    expect(
      ok('payout', payout({ purpose: 'MAIL', candidate_state: 'NY', candidate_office: 'H' })).row,
    ).toMatchObject({ state: 'NY', state_method: 'candidate_state', is_swing_state: false });
    expect(ok('payout', payout({ purpose: 'MAIL' })).row).toMatchObject({
      state: null,
      state_method: 'unknown',
      is_swing_state: false,
    });
  });

  it('orders filings by rank first, then by event id', () => {
    expect(payoutVersion(1, 'ffffffff000000000000000000000000')).toBe('8589934591');
    expect(payoutVersion(2, '00000000ffffffffffffffffffffffff')).toBe('8589934592');
    expect(BigInt(payoutVersion(3, 'ffffffff000000000000000000000000'))).toBeGreaterThan(2n ** 32n * 3n);
  });

  it('keeps a first-party sponsor slug as the payer and a private payee as a pseudonym', () => {
    const out = ok(
      'payout',
      payout({
        payer_committee_id: 'building-americas-future',
        payout_key: 'building-americas-future:2024:SE24.644',
        payee_name: null,
        payee_pseudonym: P1,
        state: 'MI',
        filing: {
          ...(payout().filing as Payload),
          form: 'first_party',
          sub_id: null,
          filed_on: null,
          pdf_url: null,
        },
        source_kind: 'first_party',
      }),
    );
    expect(out.row).toMatchObject({
      payer_entity_id: 'building-americas-future',
      payee_name: null,
      payee_pseudonym: P1,
      fec_sub_id: null,
      filed_on: null,
    });
    expect(out.sponsors).toEqual(['building-americas-future']);
  });
});

describe('ad → ad_snapshots', () => {
  it('resolves a Meta page, keeps ranges, reads states in every notation and aligns the side', () => {
    const out = ok('ad', metaAd());
    expect(out.row).toMatchObject({
      sponsor_id: 'C00669259',
      sponsor_name: 'Future Forward USA PAC',
      sponsor_confidence: 0.95,
      sponsor_match_method: 'platform_id',
      spend_low: '100000.00',
      spend_high: '149999.00',
      spend_point: '124999.50',
      spend_point_method: 'midpoint',
      spend_usd_point: '124999.50',
      impressions_point: '14999999',
      impressions_point_method: 'midpoint',
      target_states: ['AZ', 'DC'],
      target_states_method: 'regions',
      swing_states: ['AZ'],
      delivery_states: ['AZ', 'DC'],
      delivery_shares: [0.5, 0.45],
      stance_subjects: ['Harris', 'Harris'],
      stance_values: ['support', 'support'],
      stance_origins: ['advertiser', 'text'],
      topics: ['voting'],
      creative_text:
        'Our freedoms are on the ballot. Vote early for Kamala Harris and Tim Walz.\nVote for Harris\nMake a plan to vote.',
    });
    expect(out.enriched.key).toBe('meta:9120240000007919');
    expect(out.sponsors).toEqual(['C00669259']);
  });

  it('converts a Snap spend in GBP at the rate of the last delivery day, and merges coder stances', () => {
    const out = ok('ad', snapAd());
    expect(out.row).toMatchObject({
      sponsor_id: 'C00879510',
      sponsor_match_method: 'fec_id',
      currency: 'GBP',
      spend_point: '4120.00',
      fx_rate_date: '2024-10-04', // delivery ended Saturday 2024-10-05
      target_states: ['MI'],
      target_states_method: 'postal_codes',
      impressions_low: null,
      impressions_point_method: null,
      stance_subjects: ['Harris', 'Trump'],
      stance_values: ['pro-Israel', 'support'],
      stance_origins: ['coder', 'advertiser'],
    });
    const rate = out.row.fx_rate as string;
    expect(rate).toMatch(/^1\.3\d{7}$/);
    expect(out.row.spend_usd_point).toBe(out.row.spend_usd_low);
  });

  it('uses the snapshot day while the ad runs, and ignores regions of an ad for another country', () => {
    const running = ok('ad', snapAd({ delivery_end: null, snapshot_at: '2024-10-07T00:00:00Z' }));
    expect(running.row.fx_rate_date).toBe('2024-10-07');
    const abroad = ok(
      'ad',
      snapAd({
        targeting: targeting({
          countries: ['georgia'],
          regions: ['Tbilisi', 'Georgia'],
          postal_codes: ['48126'],
        }),
      }),
    );
    expect(abroad.row).toMatchObject({
      target_states: [],
      target_states_method: 'unknown',
      swing_states: [],
    });
    const national = ok('ad', snapAd({ targeting: targeting({ countries: ['US'] }) }));
    expect(national.row).toMatchObject({ target_states: [], target_states_method: 'country_only' });
    const excluded = ok(
      'ad',
      metaAd({
        targeting: targeting({ regions: ['Arizona'], excluded_regions: ['Arizona'] }),
        region_distribution: [],
      }),
    );
    expect(excluded.row.target_states).toEqual([]);
  });

  it('resolves by name when no id is known, and leaves a report total over all advertisers unresolved', () => {
    const byAlias = ok('ad', metaAd({ advertiser_id: '1', advertiser_name: 'FF', paying_entity: 'FF PAC' }));
    expect(byAlias.row).toMatchObject({
      sponsor_id: 'C00669259',
      sponsor_match_method: 'alias',
      sponsor_confidence: 0.9,
    });
    const unknown = ok(
      'ad',
      metaAd({ advertiser_id: '1', advertiser_name: 'Local Diner', paying_entity: null }),
    );
    expect(unknown.row).toMatchObject({
      sponsor_id: 'name:local-diner',
      sponsor_match_method: 'normalised_name',
    });
    expect(unknown.row.stance_origins).toEqual(['text']);
    const total = ok(
      'ad',
      metaAd({
        granularity: 'advertiser_period',
        ad_id: 'report:US:all-advertisers:all:last_90_days',
        advertiser_name: '(all advertisers)',
        advertiser_id: null,
        paying_entity: null,
        spend: { low: '0', high: '100', point: '50', point_method: 'midpoint' },
      }),
    );
    expect(total.row).toMatchObject({
      sponsor_id: '',
      sponsor_match_method: 'unresolved',
      sponsor_confidence: 0,
    });
    expect(total.sponsors).toEqual([]);
  });
});

describe('annotation → ad_annotations', () => {
  it('makes subject and stance canonical and changes no sponsor', () => {
    const out = ok('annotation', annotation());
    expect(out.row).toMatchObject({ subject: 'Harris', stance: 'pro-Israel', coded_on: '2024-11-07' });
    expect(out.enriched.key).toBe(`snap:${SNAP_ADID}`);
    expect(out.sponsors).toEqual([]);
    expect(ok('annotation', annotation({ subject: 'Israel', stance: ' hawkish ' })).row).toMatchObject({
      subject: 'Israel',
      stance: 'hawkish',
    });
  });
});

describe('post → post_observations', () => {
  it("credits @America's posts to America PAC and finds the petition behind the link", () => {
    const out = ok('post', post());
    expect(out.row).toMatchObject({
      sponsor_id: 'C00879510',
      sponsor_confidence: 0.95,
      petition_ids: ['america-pac-1a2a-petition-2024'],
      likes: '64276',
      impressions: null,
      stance_subjects: ['Trump'],
      stance_values: ['support'],
      topics: ['free speech', 'gun rights', 'petition'],
      created_at: '2024-11-05 16:25:55.000',
    });
    expect(out.enriched.key).toBe('x:1800000000000000042');
    expect(out.enriched.value.created_at).toBe('2024-11-05T16:25:55.000Z');
    expect(out.sponsors).toEqual(['C00879510']);
  });

  it('leaves an unlisted account without sponsor, even when its name is an alias', () => {
    const out = ok('post', post({ account_id: '42', account_name: 'America PAC', urls: [] }));
    expect(out.row).toMatchObject({ sponsor_id: '', sponsor_confidence: 0, petition_ids: [] });
    expect(out.sponsors).toEqual([]);
  });
});

describe('signup → signup_events', () => {
  it("credits the petition's sponsor, reads the state from the ZIP, days in UTC", () => {
    const out = ok('signup', signup());
    expect(out.row).toMatchObject({
      sponsor_id: 'C00879510',
      signed_at: '2024-10-20 03:04:05.000',
      signed_on: '2024-10-20',
      referred: true,
      state: 'PA',
      state_method: 'zip_prefix',
      is_swing_state: true,
      channel: '',
    });
    expect(out.enriched.key).toBe('america-pac-1a2a-petition-2024');
    expect(out.sponsors).toEqual(['C00879510']);
    const filed = ok('signup', signup({ state: 'GA', referrer: null, channel: 'x', petition_id: 'other' }));
    expect(filed.row).toMatchObject({
      state: 'GA',
      state_method: 'filed',
      referred: false,
      channel: 'x',
      sponsor_id: '',
    });
    expect(filed.sponsors).toEqual([]);
    expect(ok('signup', signup({ zip5: null })).row).toMatchObject({ state: null, state_method: 'unknown' });
  });
});

describe('contact → contact_events', () => {
  it('resolves who paid and whether the voter was reached', () => {
    const out = ok('contact', contact());
    expect(out.row).toMatchObject({
      sponsor_id: 'C00879510',
      attempted_on: '2024-09-03',
      contacted: true,
      state: 'WI',
      state_method: 'filed',
      is_swing_state: true,
      petition_signed: true,
    });
    expect(out.enriched.key).toBe('america-pac-canvass-wi-2024');
    const unpaid = ok('contact', contact({ paid_by_committee_id: null, outcome: 'not_home', state: null }));
    expect(unpaid.row).toMatchObject({
      sponsor_id: '',
      contacted: false,
      state: 'WI',
      state_method: 'zip_prefix',
    });
    expect(unpaid.sponsors).toEqual([]);
  });
});

describe('failures are returned, never thrown', () => {
  it('refuses an unknown currency and a date before the FX table', () => {
    expect(failure('donation', donation({ currency: 'XYZ' }))).toMatch(/^unknown_currency: .*XYZ/);
    expect(failure('ad', snapAd({ currency: 'RUB' }))).toMatch(/^unknown_currency/);
    expect(failure('donation', donation({ currency: 'EUR', contributed_on: '2015-06-01' }))).toMatch(
      /^fx_rate_missing: no EUR rate on or before 2015-06-01/,
    );
  });

  it('refuses an unknown type or version, bad JSON, an invalid payload and a bad envelope', () => {
    expect(failure('bribe', donation())).toMatch(/^unknown_type/);
    expect(failure('donation', donation(), { schema_version: 2 })).toMatch(/^unknown_version/);
    expect(enricher.enrich({ ...raw('donation', donation()), payload: '{"committee_id":' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^payload_unreadable/) as string,
    });
    expect(failure('donation', donation({ amount: 250.5 }))).toMatch(/^payload_invalid: amount/);
    expect(failure('donation', null)).toMatch(/^payload_invalid/);
    expect(failure('donation', donation(), { event_id: 'nope' })).toMatch(/^bad_envelope: event_id/);
    expect(failure('donation', donation(), { occurred_at: '2024-10-19T14:00:00Z' })).toMatch(
      /^bad_time: occurred_at/,
    );
    expect(failure('donation', donation(), { source: '' })).toMatch(/^bad_envelope: source/);
  });

  it('refuses what ClickHouse columns cannot hold', () => {
    expect(failure('donation', donation({ contributed_on: '1969-12-31' }))).toMatch(
      /^out_of_range: contributed_on/,
    );
    expect(failure('post', post({ created_at: '1899-12-31T23:00:00Z' }))).toMatch(
      /^out_of_range: created_at/,
    );
  });

  it('never throws, whatever the row', () => {
    const rows: unknown[] = [
      {},
      { type: 'ad' },
      { ...raw('ad', metaAd()), payload: 'null' },
      { ...raw('ad', metaAd()), occurred_at: null },
      { ...raw('post', post()), payload: JSON.stringify({ ...post(), metrics: null }) },
    ];
    for (const r of rows) expect(() => enricher.enrich(r as RawEventRow)).not.toThrow();
    for (const r of rows) expect(enricher.enrich(r as RawEventRow).ok).toBe(false);
  });
});

describe('determinism', () => {
  it('gives byte-identical output for the same row, with another enricher over freshly loaded data', () => {
    const other = createEnricher(loadReferenceData());
    const cases: [EventType, Payload][] = [
      ['donation', donation()],
      ['payout', payout()],
      ['ad', metaAd()],
      ['ad', snapAd()],
      ['annotation', annotation()],
      ['post', post()],
      ['signup', signup()],
      ['contact', contact()],
    ];
    for (const [type, payload] of cases) {
      const a = JSON.stringify(enricher.enrich(raw(type, payload)));
      expect(JSON.stringify(enricher.enrich(raw(type, payload))), type).toBe(a);
      expect(JSON.stringify(other.enrich(raw(type, payload))), type).toBe(a);
    }
  });
});

describe('referenceRows', () => {
  it('gives each reference table its columns and the content hash as version', () => {
    const rows = referenceRows(ref);
    for (const [table, list] of Object.entries(rows)) {
      expect(list.length, table).toBeGreaterThan(0);
      for (const r of list) {
        expect(Object.keys(r)).toEqual((columns.get(table) ?? []).map(([n]) => n));
        expect(r.version).toMatch(/^\d{1,19}$/);
      }
    }
    expect(rows.ref_entities.find((e) => e.entity_id === 'C00669259')).toMatchObject({
      kind: 'committee',
      fec_committee_id: 'C00669259',
      aliases: expect.arrayContaining(['FF PAC', 'meta:610000000000102']) as string[],
      version: ref.versions.entities,
    });
    expect(rows.ref_stance_opposites).toContainEqual({
      stance_a: 'pro-Palestine',
      stance_b: 'pro-Israel',
      version: ref.versions.lexicon,
    });
    expect(rows.ref_petitions).toEqual([
      {
        petition_id: 'america-pac-1a2a-petition-2024',
        sponsor_id: 'C00879510',
        url_prefixes: ['petition.america-pac.example/sign'],
        version: ref.versions.petitions,
      },
    ]);
    expect(JSON.stringify(referenceRows(loadReferenceData()))).toBe(JSON.stringify(rows));
  });
});

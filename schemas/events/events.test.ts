import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { EVENT_TYPES } from '../topics.ts';
import { adKey, AdV1 } from './ad.ts';
import { contactKey, ContactV1 } from './contact.ts';
import { donationKey, DonationV1 } from './donation.ts';
import { EVENT_SPECS } from './index.ts';
import { payoutKey, PayoutV1 } from './payout.ts';
import { postKey, PostV1 } from './post.ts';
import { signupKey, SignupV1 } from './signup.ts';

const P1 = `hmac-sha256:${'a1'.repeat(32)}`;
const P2 = `hmac-sha256:${'b2'.repeat(32)}`;
const SNAP_ADID = 'bf86642bdae5399192f35fece945a8b67a66919ab2cb53ffc793310dfa3466ee';

function envelope(type: string, payload: Record<string, unknown>, sourceRecordId = 'rec-1') {
  return {
    event_id: '0123456789abcdef0123456789abcdef',
    type,
    schema_version: 1,
    source: `test:${type}`,
    source_record_id: sourceRecordId,
    occurred_at: '2024-10-19T00:00:00Z',
    ingested_at: '2024-10-20T08:30:00.000Z',
    payload,
  };
}

const donation = (): Record<string, unknown> => ({
  committee_id: 'C00570994',
  contributor_name: 'KEELER, TIM',
  contributor_state: 'VA',
  contributor_zip: '221803447',
  amount: '250',
  currency: 'USD',
  contributed_on: '2017-09-02',
  memo: false,
  transaction_type: '15',
  entity_type: 'IND',
  contributor_city: 'VIENNA',
  contributor_employer: 'MAYER BROWN, LLP',
  contributor_occupation: 'ATTORNEY',
  report_type: 'Q3',
  amendment_indicator: 'N',
  transaction_pgi: 'P',
  image_number: '201710130200292272',
  file_number: '1187824',
  fec_sub_id: '2101720171458474471',
  transaction_id: 'SA101717227228',
});

const payout = (): Record<string, unknown> => ({
  payer_committee_id: 'C00879510',
  payer_name: 'America PAC',
  cycle: 2024,
  transaction_id: 'SE24.644',
  payout_key: 'C00879510:2024:SE24.644',
  payee_name: 'BLITZ CANVASSING LLC',
  payee_pseudonym: null,
  purpose: 'CANVASSING/FIELD OPERATIONS',
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
  state: 'PA',
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
});

const lotteryAward = (): Record<string, unknown> => ({
  ...payout(),
  transaction_id: 'LOTTERY-2024-10-19',
  payout_key: 'C00879510:2024:LOTTERY-2024-10-19',
  payee_name: null,
  payee_pseudonym: P1,
  purpose: '$1M daily petition signer award',
  category: 'lottery_award',
  amount: '1000000.00',
  support_oppose: null,
  candidate_id: null,
  candidate_name: null,
  candidate_office: null,
  candidate_state: null,
  candidate_district: null,
  filing: {
    form: 'first_party',
    report_type: null,
    amendment_indicator: null,
    sub_id: null,
    file_number: null,
    image_number: null,
    pdf_url: null,
    filed_on: null,
  },
  restatement_rank: 1,
  source_kind: 'first_party',
});

const metaAd = (): Record<string, unknown> => ({
  platform: 'meta',
  ad_id: '1234567890123456789',
  snapshot_at: '2024-10-20T06:00:00Z',
  granularity: 'ad',
  advertiser_name: 'America PAC',
  advertiser_id: '100094170213155',
  paying_entity: 'AMERICA PAC',
  sponsor_committee_id: 'C00879510',
  currency: 'USD',
  spend: { low: '1000000', high: null, point: '1000000', point_method: 'low_bound_for_open_range' },
  impressions: { low: '1000', high: '1999', point: '1499', point_method: 'midpoint' },
  delivery_start: '2024-10-01T00:00:00Z',
  delivery_end: null,
  targeting: {
    countries: ['US'],
    regions: ['Pennsylvania', 'Michigan'],
    excluded_regions: [],
    postal_codes: ['01002'],
    excluded_postal_codes: [],
    age_min: 18,
    age_max: null,
    genders: ['all'],
    interests: [],
    languages: ['en'],
  },
  region_distribution: [
    { region: 'Pennsylvania', share: '0.6' },
    { region: 'Michigan', share: '0.4' },
  ],
  creative: {
    bodies: ['Sign the petition to protect the 1st and 2nd amendments.'],
    link_titles: [],
    link_descriptions: [],
    link_urls: ['petition.theamericapac.org'],
    snapshot_url: 'https://www.facebook.com/ads/archive/render_ad/?id=1234567890123456789',
    media_urls: [],
  },
  stance: [{ subject: 'Kamala Harris', stance: 'oppose', origin: 'text', coder: null }],
  raw_fields_version: 'meta-ads-archive-v21.0',
});

const snapAd = (): Record<string, unknown> => ({
  ...metaAd(),
  platform: 'snap',
  ad_id: SNAP_ADID,
  advertiser_id: null,
  spend: { low: '72', high: '72', point: '72', point_method: 'exact' },
  impressions: { low: '61411', high: '61411', point: '61411', point_method: 'exact' },
  region_distribution: [],
  creative: {
    bodies: [],
    link_titles: [],
    link_descriptions: [],
    link_urls: ['https://www.elsoc.lu/fr/'],
    snapshot_url: null,
    media_urls: [`https://www.snap.com/political-ads/asset/${'5e'.repeat(32)}?mediaType=mp4`],
  },
  stance: [{ subject: 'Kamala Harris', stance: 'friend of Israel', origin: 'coder', coder: 'coder-7' }],
  raw_fields_version: 'snap-csv-38',
});

const post = (): Record<string, unknown> => ({
  platform: 'x',
  post_id: '1847382910293847561',
  account_id: '1318632367553163265',
  account_handle: 'America',
  account_name: 'America',
  created_at: '2024-10-19T14:00:00.000Z',
  text: 'Sign the petition: https://t.co/abc',
  lang: 'en',
  urls: ['https://petition.theamericapac.org/?utm_source=x'],
  mentions: ['elonmusk'],
  hashtags: [],
  conversation_id: '1847382910293847561',
  in_reply_to_post_id: null,
  referenced_posts: [{ type: 'quoted', id: '1847382910293840000' }],
  metrics: {
    likes: '52000',
    reposts: '9100',
    replies: '3100',
    quotes: '800',
    impressions: null,
    bookmarks: '400',
  },
  observed_at: '2024-10-20T06:00:00Z',
});

const signup = (): Record<string, unknown> => ({
  petition_id: 'americapac-2a-1a',
  signed_at: '2024-10-19T15:04:05-04:00',
  signer: P1,
  referrer: P2,
  state: 'PA',
  zip5: '01002',
  phone_provided: true,
  phones_collected: 2,
  email_provided: true,
  channel: 'x',
});

const contact = (): Record<string, unknown> => ({
  campaign_id: 'blitz-pa-2024',
  attempt_id: 'att-000001',
  attempted_at: '2024-10-19T16:00:00Z',
  method: 'door',
  outcome: 'not_home',
  canvasser: P1,
  voter: P2,
  state: 'PA',
  zip5: '19103',
  petition_signed: null,
  paid_by_committee_id: 'C00879510',
});

type Payload = Record<string, unknown>;

function ok(schema: z.ZodType, type: string, payload: Payload) {
  const r = schema.safeParse(envelope(type, payload));
  if (!r.success) throw new Error(`expected ${type} to parse: ${JSON.stringify(r.error.issues)}`);
  return r.data as { payload: Payload };
}

/** Asserts rejection and returns the failing payload paths, joined by dots. */
function failPaths(schema: z.ZodType, type: string, payload: Payload): string[] {
  const r = schema.safeParse(envelope(type, payload));
  expect(r.success, `expected ${type} to be rejected: ${JSON.stringify(payload)}`).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => i.path.slice(1).join('.'));
}

const with_ = (base: () => Payload, patch: Payload): Payload => ({ ...base(), ...patch });

describe('registry', () => {
  it('registers every event type with its envelope, payload and key', () => {
    for (const t of EVENT_TYPES) {
      const spec = EVENT_SPECS[t];
      expect(spec.type).toBe(t);
      expect(spec.schema_version).toBe(1);
    }
  });

  it('rejects an envelope whose type does not match the schema', () => {
    expect(PayoutV1.safeParse(envelope('donation', payout())).success).toBe(false);
  });
});

describe('donation', () => {
  it('parses a full itcont row and keys it by the recipient committee', () => {
    const e = DonationV1.parse(envelope('donation', donation()));
    expect(donationKey(e)).toBe('C00570994');
    expect(EVENT_SPECS.donation.key(e)).toBe('C00570994');
  });

  it('still accepts the minimal first-party donation, filling currency and memo', () => {
    const e = ok(DonationV1, 'donation', {
      committee_id: 'C00879510',
      contributor_name: 'DOE, JANE',
      amount: '-47.00',
      contributed_on: '2024-10-19',
    });
    expect(e.payload).toMatchObject({ currency: 'USD', memo: false });
  });

  it('rejects a float amount, a numeric sub id, a bad committee id and an unknown field', () => {
    expect(failPaths(DonationV1, 'donation', with_(donation, { amount: 250.5 }))).toEqual(['amount']);
    expect(failPaths(DonationV1, 'donation', with_(donation, { amount: '1e3' }))).toEqual(['amount']);
    expect(failPaths(DonationV1, 'donation', with_(donation, { fec_sub_id: 2101720171458474471 }))).toEqual([
      'fec_sub_id',
    ]);
    expect(failPaths(DonationV1, 'donation', with_(donation, { committee_id: 'C0087951' }))).toEqual([
      'committee_id',
    ]);
    expect(failPaths(DonationV1, 'donation', with_(donation, { donor_email: 'jane@example.com' }))).toEqual([
      '',
    ]);
    expect(failPaths(DonationV1, 'donation', with_(donation, { amendment_indicator: 'X' }))).toEqual([
      'amendment_indicator',
    ]);
  });
});

describe('payout', () => {
  it('parses a Schedule E vendor payment and keys it by the payer', () => {
    const e = PayoutV1.parse(envelope('payout', payout()));
    expect(payoutKey(e)).toBe('C00879510');
  });

  it('parses a first-party lottery award to a pseudonymous winner', () => {
    expect(ok(PayoutV1, 'payout', lotteryAward()).payload.payee_pseudonym).toBe(P1);
  });

  it('accepts a negative amount (refund) and a first-party sponsor slug', () => {
    ok(PayoutV1, 'payout', with_(payout, { amount: '-500.00' }));
    ok(
      PayoutV1,
      'payout',
      with_(lotteryAward, {
        payer_committee_id: 'building-americas-future',
        payout_key: 'building-americas-future:2024:LOTTERY-2024-10-19',
      }),
    );
  });

  it('rejects a float amount, a numeric cycle string and a numeric transaction id', () => {
    expect(failPaths(PayoutV1, 'payout', with_(payout, { amount: 111111 }))).toEqual(['amount']);
    expect(failPaths(PayoutV1, 'payout', with_(payout, { cycle: '2024' }))).toContain('cycle');
    expect(
      failPaths(PayoutV1, 'payout', with_(payout, { cycle: 2025, payout_key: 'C00879510:2025:SE24.644' })),
    ).toEqual(['cycle']);
    expect(failPaths(PayoutV1, 'payout', with_(payout, { transaction_id: 644 }))).toContain('transaction_id');
  });

  it('rejects a raw email or phone where a pseudonym is required', () => {
    for (const raw of ['winner@example.com', '+12155550100', 'hmac-sha256:XYZ'])
      expect(failPaths(PayoutV1, 'payout', with_(lotteryAward, { payee_pseudonym: raw }))).toEqual([
        'payee_pseudonym',
      ]);
  });

  it('rejects a payout_key that does not match payer, cycle and transaction id', () => {
    expect(failPaths(PayoutV1, 'payout', with_(payout, { payout_key: 'C00879510:2024:SE24.645' }))).toEqual([
      'payout_key',
    ]);
  });

  it('rejects a payout without any payee', () => {
    expect(failPaths(PayoutV1, 'payout', with_(payout, { payee_name: null }))).toEqual(['payee_name']);
  });

  it('rejects first_party source with an FEC form, and an FEC source with form first_party', () => {
    expect(failPaths(PayoutV1, 'payout', with_(lotteryAward, { source_kind: 'fec_schedule_b' }))).toEqual([
      'filing.form',
    ]);
    expect(failPaths(PayoutV1, 'payout', with_(payout, { source_kind: 'first_party' }))).toEqual([
      'filing.form',
    ]);
  });

  it('rejects a pdf_url that still carries an access token, and an unknown category', () => {
    const filing = { ...(payout().filing as Payload), pdf_url: 'https://x.example/a.pdf?access_token=abc' };
    expect(failPaths(PayoutV1, 'payout', with_(payout, { filing }))).toEqual(['filing.pdf_url']);
    expect(failPaths(PayoutV1, 'payout', with_(payout, { category: 'bribe' }))).toEqual(['category']);
  });
});

describe('ad', () => {
  it('parses a Meta ad with an open spend range and keys it by platform:ad id', () => {
    const e = AdV1.parse(envelope('ad', metaAd()));
    expect(adKey(e)).toBe('meta:1234567890123456789');
  });

  it('parses a Snap ad with exact figures and a coder stance', () => {
    const e = AdV1.parse(envelope('ad', snapAd()));
    expect(adKey(e)).toBe(`snap:${SNAP_ADID}`);
  });

  it('defaults stance to empty and accepts a Meta Ad Library Report advertiser row', () => {
    const { stance: _, ...noStance } = metaAd();
    expect(ok(AdV1, 'ad', noStance).payload.stance).toEqual([]);
    ok(
      AdV1,
      'ad',
      with_(metaAd, {
        granularity: 'advertiser_period',
        ad_id: 'report:TH:yesterday:2022-11-18:100094170213155',
        currency: 'THB',
        spend: { low: '0', high: '100', point: '50', point_method: 'midpoint' },
        impressions: null,
      }),
    );
  });

  it('rejects a range with high < low, a point outside the range, and a float bound', () => {
    const bad = [
      { low: '2000', high: '1999', point: '2000', point_method: 'midpoint' },
      { low: '100', high: '99.99', point: '100', point_method: 'exact' },
    ];
    for (const spend of bad) expect(failPaths(AdV1, 'ad', with_(metaAd, { spend }))).toContain('spend.high');
    expect(
      failPaths(
        AdV1,
        'ad',
        with_(metaAd, { spend: { low: '100', high: '200', point: '250', point_method: 'midpoint' } }),
      ),
    ).toEqual(['spend.point']);
    expect(
      failPaths(
        AdV1,
        'ad',
        with_(metaAd, { spend: { low: 100, high: null, point: '100', point_method: 'exact' } }),
      ),
    ).toContain('spend.low');
  });

  it('rejects point methods that do not fit the bounds', () => {
    const cases = [
      { low: '100', high: null, point: '100', point_method: 'midpoint' },
      { low: '100', high: '200', point: '100', point_method: 'low_bound_for_open_range' },
      { low: '100', high: '200', point: '150', point_method: 'exact' },
      { low: '-1', high: '0', point: '0', point_method: 'midpoint' },
    ];
    for (const spend of cases)
      expect(failPaths(AdV1, 'ad', with_(metaAd, { spend })).length).toBeGreaterThan(0);
  });

  it('rejects impressions as numbers or with a fraction', () => {
    for (const impressions of [
      { low: 1000, high: 1999, point: 1499, point_method: 'midpoint' },
      { low: '1000', high: '1999', point: '1499.5', point_method: 'midpoint' },
    ])
      expect(failPaths(AdV1, 'ad', with_(metaAd, { impressions })).length).toBeGreaterThan(0);
  });

  it('rejects a snapshot_url that still carries the access token', () => {
    const creative = {
      ...(metaAd().creative as Payload),
      snapshot_url: 'https://www.facebook.com/ads/archive/render_ad/?id=1&access_token=EAAB123',
    };
    expect(failPaths(AdV1, 'ad', with_(metaAd, { creative }))).toEqual(['creative.snapshot_url']);
  });

  it('rejects a numeric ad id, a Snap id that is not 64 hex and a Meta id that is not digits', () => {
    expect(failPaths(AdV1, 'ad', with_(metaAd, { ad_id: 1234567890123456789 }))).toContain('ad_id');
    expect(failPaths(AdV1, 'ad', with_(snapAd, { ad_id: 'ABC' }))).toEqual(['ad_id']);
    expect(failPaths(AdV1, 'ad', with_(metaAd, { ad_id: '1.2345678901234568e+18' }))).toEqual(['ad_id']);
  });

  it('rejects a coder stance without its coder, and keeps a delivery that ends before it starts', () => {
    expect(
      failPaths(
        AdV1,
        'ad',
        with_(metaAd, { stance: [{ subject: 'x', stance: 'y', origin: 'coder', coder: null }] }),
      ),
    ).toEqual(['stance.0.coder']);
    // The Snap library has such rows; they are kept as reported, not rejected.
    expect(() =>
      AdV1.parse(envelope('ad', with_(metaAd, { delivery_end: '2024-09-01T00:00:00Z' }))),
    ).not.toThrow();
  });

  it('rejects a share above 1 and an unknown platform', () => {
    expect(
      failPaths(
        AdV1,
        'ad',
        with_(metaAd, { region_distribution: [{ region: 'Pennsylvania', share: '1.2' }] }),
      ),
    ).toEqual(['region_distribution.0.share']);
    expect(failPaths(AdV1, 'ad', with_(metaAd, { platform: 'tiktok' }))).toContain('platform');
  });
});

describe('post', () => {
  it('parses an X post and keys it by platform:account id', () => {
    const e = PostV1.parse(envelope('post', post()));
    expect(postKey(e)).toBe('x:1318632367553163265');
  });

  it('rejects a numeric X id and an id that went through a float', () => {
    expect(failPaths(PostV1, 'post', with_(post, { post_id: 1847382910293847600 }))).toEqual(['post_id']);
    expect(failPaths(PostV1, 'post', with_(post, { account_id: '1.3186323675531633e+18' }))).toEqual([
      'account_id',
    ]);
  });

  it('rejects metrics as numbers and a URL with an access token', () => {
    const metrics = { ...(post().metrics as Payload), likes: 52000 };
    expect(failPaths(PostV1, 'post', with_(post, { metrics }))).toEqual(['metrics.likes']);
    expect(
      failPaths(PostV1, 'post', with_(post, { urls: ['https://example.com/?oauth_token=abc'] })),
    ).toEqual(['urls.0']);
  });
});

describe('signup', () => {
  it('parses a referred signature and keys it by petition', () => {
    const e = SignupV1.parse(envelope('signup', signup()));
    expect(signupKey(e)).toBe('americapac-2a-1a');
    ok(SignupV1, 'signup', with_(signup, { referrer: null, state: null, zip5: null, channel: null }));
  });

  it('rejects a raw email or phone as signer or referrer', () => {
    expect(failPaths(SignupV1, 'signup', with_(signup, { signer: 'jane@example.com' }))).toEqual(['signer']);
    expect(failPaths(SignupV1, 'signup', with_(signup, { referrer: '2155550100' }))).toEqual(['referrer']);
  });

  it('rejects a numeric ZIP, a ZIP without its leading zero, a state name and a fractional count', () => {
    expect(failPaths(SignupV1, 'signup', with_(signup, { zip5: 19103 }))).toEqual(['zip5']);
    expect(failPaths(SignupV1, 'signup', with_(signup, { zip5: '1002' }))).toEqual(['zip5']);
    expect(failPaths(SignupV1, 'signup', with_(signup, { state: 'Pennsylvania' }))).toEqual(['state']);
    expect(failPaths(SignupV1, 'signup', with_(signup, { phones_collected: 1.5 }))).toEqual([
      'phones_collected',
    ]);
    expect(failPaths(SignupV1, 'signup', with_(signup, { phones_collected: -1 }))).toEqual([
      'phones_collected',
    ]);
  });
});

describe('contact', () => {
  it('parses a door knock and keys it by campaign', () => {
    const e = ContactV1.parse(envelope('contact', contact()));
    expect(contactKey(e)).toBe('blitz-pa-2024');
    ok(ContactV1, 'contact', with_(contact, { canvasser: null, voter: null, paid_by_committee_id: null }));
  });

  it('rejects a raw voter name, an unknown outcome and a numeric campaign id', () => {
    expect(failPaths(ContactV1, 'contact', with_(contact, { voter: 'DOE, JOHN' }))).toEqual(['voter']);
    expect(failPaths(ContactV1, 'contact', with_(contact, { outcome: 'persuaded' }))).toEqual(['outcome']);
    expect(failPaths(ContactV1, 'contact', with_(contact, { campaign_id: 42 }))).toEqual(['campaign_id']);
  });
});

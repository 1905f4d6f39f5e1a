/**
 * A generated mix of every event type (donation, payout, ad, post, signup, contact, annotation),
 * shaped like the sample campaign's (infra/sample/campaign) but spread over many sponsors, states
 * and days, so enrichment and the sponsor correlation workflows get the kind of work a real
 * campaign gives them: FEC committees with one majority donor (funding flows and funder
 * networks), Schedule E filings restated on an F3X, first-party bounties, lottery awards and
 * canvasser pay, Meta and Snap ads re-snapshotted, a few ads with contradictory stances (by text
 * or by a coder's annotation) in disjoint states, signatures of the known petition with referrers,
 * canvass attempts paid by each committee, and posts that link the petition.
 *
 * Every event is completed by the project's own envelope code (services/shared/ingest/envelope.ts:
 * deterministic event id, zod validation, Kafka key), so it is exactly what an import would
 * publish. The source is `bench:<tag>` and every id carries the tag, so events of two runs on one
 * stack never collapse into each other and a run's rows can be counted by source.
 */
import { createHash } from 'node:crypto';
import { completeEvent } from '../../services/shared/ingest/envelope.ts';
import { createPseudonymizer, type Pseudonymizer } from '../../services/shared/pseudonym.ts';
import { EVENT_TYPES, type EventType } from '../../schemas/topics.ts';
import { between, pick, seeded } from './random.ts';

/** America PAC: the sample campaign's committee, the cookbook's default sponsor. */
export const AMERICA_PAC = 'C00879510';
/** The petition infra/reference/petitions.json knows (its signatures resolve to America PAC). */
export const KNOWN_PETITION = 'america-pac-1a2a-petition-2024';
/** The sample's X account @America and Meta page, known to infra/reference/entities.json. */
const AMERICA_X_ACCOUNT = '1800000000000000042';
const AMERICA_META_PAGE = '610000000000202';

/** Share of each type in the mix, close to the sample campaign's proportions. */
export const DEFAULT_MIX: Readonly<Record<EventType, number>> = {
  donation: 0.35,
  payout: 0.12,
  ad: 0.06,
  post: 0.03,
  signup: 0.24,
  contact: 0.18,
  annotation: 0.02,
};

/** USPS code, name as ad libraries spell it, a three-digit ZIP prefix of the state. */
const STATES = [
  ['PA', 'Pennsylvania', '191'],
  ['MI', 'Michigan', '482'],
  ['GA', 'Georgia', '303'],
  ['AZ', 'Arizona', '850'],
  ['WI', 'Wisconsin', '532'],
  ['NV', 'Nevada', '891'],
  ['NC', 'North Carolina', '276'],
  ['TX', 'Texas', '752'],
  ['CA', 'California', '941'],
  ['NY', 'New York', '100'],
  ['FL', 'Florida', '331'],
  ['OH', 'Ohio', '432'],
] as const;
type State = (typeof STATES)[number];
const SWING = STATES.slice(0, 7);

const CANDIDATES = [
  { id: 'P80001571', name: 'TRUMP, DONALD J.' },
  { id: 'P00009423', name: 'HARRIS, KAMALA' },
] as const;

const IE_CATEGORIES = [
  ['media', 'MEDIA BUY'],
  ['digital_ads', 'DIGITAL ADVERTISING'],
  ['printing', 'PRINTING'],
  ['mail', 'DIRECT MAIL'],
  ['canvassing', 'CANVASSING/FIELD OPERATIONS'],
  ['field_staff', 'FIELD STAFF'],
  ['consulting', 'STRATEGY CONSULTING'],
] as const;
const VENDORS = ['RACONTEUR MEDIA', 'EXAMPLE PRINT WORKS INC.', 'BLUE RIDGE MAIL LLC', 'FIELD FORCE LLC'];
const CHANNELS = ['snapchat', 'x', 'meta', 'email', 'sms', null] as const;
const OUTCOMES = [
  'contacted',
  'not_home',
  'not_home',
  'refused',
  'wrong_number',
  'moved',
  'callback',
  'contacted',
] as const;

/** First day of the generated activity (2024-07-01) and how many days it spans (to election day). */
const DAY0 = Date.UTC(2024, 6, 1);
const DAYS = 128;
/** When the ad libraries and X were read. */
const SNAPSHOT0 = Date.UTC(2024, 10, 6);

function isoDay(day: number): string {
  return new Date(DAY0 + day * 86_400_000).toISOString().slice(0, 10);
}
function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** The generated sponsors: America PAC first, then committees C00990101… */
export function committeeId(k: number): string {
  return k === 0 ? AMERICA_PAC : `C${String(990_100 + k).padStart(8, '0')}`;
}
function committeeName(k: number): string {
  return k === 0 ? 'America PAC' : `Bench Committee ${k}`;
}
/**
 * The majority donor of committee k. America PAC and every tenth committee share one (the
 * sample's), which makes them a funder network whose contradictory ads are paired across sponsors.
 */
function majorDonor(k: number): string {
  return k % 10 === 0 ? 'MUSK, ELON' : `MAJOR, DONOR ${k}`;
}

export interface MixOptions {
  /** Digits that make this run's ids and source unique (e.g. the start time in seconds). */
  tag: string;
  /** How many committees the events are spread over (America PAC included). */
  sponsors: number;
  seed?: number;
  ingestedAt?: Date;
  mix?: Readonly<Record<EventType, number>>;
}

export interface MixMessage {
  type: EventType;
  topic: string;
  key: string;
  value: string;
}

interface SnapAd {
  id: string;
  k: number;
  state: State;
  stanced: boolean;
}

/**
 * A deterministic stream of valid events. `next()` gives the following one; `counts` how many of
 * each type it gave. @throws when a generated event fails the project's schema (a bug here, or a
 * schema that changed under the bench: the message names the type and the zod issues).
 */
export function createEventMix(opts: MixOptions): {
  source: string;
  next(): MixMessage;
  counts: Record<EventType, number>;
} {
  if (!/^\d{1,9}$/.test(opts.tag)) throw new Error(`the run tag must be 1 to 9 digits, not ${opts.tag}`);
  const source = `bench:${opts.tag}`;
  const rnd = seeded(opts.seed ?? 7);
  const ingestedAt = opts.ingestedAt ?? new Date();
  const sponsors = Math.max(1, opts.sponsors);
  const pseudonym: Pseudonymizer = createPseudonymizer(Buffer.alloc(32, 7));
  const weights = opts.mix ?? DEFAULT_MIX;
  const total = EVENT_TYPES.reduce((t, type) => t + weights[type], 0);
  const cumulative = EVENT_TYPES.map(
    (type, i) => [type, EVENT_TYPES.slice(0, i + 1).reduce((t, x) => t + weights[x], 0) / total] as const,
  );
  const counts = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
  // A 19-digit id space per run: tag in front, sequence behind (X and FEC ids are digits as strings).
  const digits = (seq: number, width = 10): string =>
    `${opts.tag.padStart(9, '0')}${String(seq).padStart(width, '0')}`;
  const snapAds: SnapAd[] = [];
  const metaAds: { id: string; k: number }[] = [];
  const restatable: { k: number; transactionId: string; amount: number; day: number; cat: number }[] = [];
  const signers: string[] = [];

  const sponsor = (): number => (rnd() < 0.25 ? 0 : between(rnd, 1, sponsors - 1) % sponsors);
  const state = (): State => (rnd() < 0.8 ? pick(rnd, SWING) : pick(rnd, STATES));
  const zip = (s: State): string => `${s[2]}${String(between(rnd, 0, 99)).padStart(2, '0')}`;

  function donation(n: number): [string, string, unknown] {
    const k = sponsor();
    const s = state();
    const day = between(rnd, 0, DAYS - 1);
    const major = rnd() < 0.12;
    const refund = !major && rnd() < 0.02;
    const cents = major ? between(rnd, 100_000, 1_000_000) * 100 : between(rnd, 5, 3_300) * 100;
    const memo = !major && rnd() < 0.05;
    const sub = digits(n);
    return [
      sub,
      `${isoDay(day)}T00:00:00Z`,
      {
        committee_id: committeeId(k),
        contributor_name: major
          ? majorDonor(k)
          : `DONOR${between(rnd, 1, 40_000)}, PERSON ${between(rnd, 1, 997)}`,
        contributor_state: s[0],
        contributor_zip: zip(s),
        amount: money(refund ? -cents : cents),
        currency: 'USD',
        contributed_on: isoDay(day),
        memo,
        transaction_type: memo ? '15E' : '15',
        entity_type: 'IND',
        contributor_city: `CITY ${between(rnd, 1, 300)}`,
        contributor_employer: `EMPLOYER ${between(rnd, 1, 500)}`,
        contributor_occupation: `OCCUPATION ${between(rnd, 1, 70)}`,
        ...(memo ? { memo_text: 'EARMARKED THROUGH A CONDUIT' } : {}),
        report_type: 'Q3',
        amendment_indicator: 'N',
        transaction_pgi: 'G2024',
        image_number: `2024101592${String(n % 100_000_000).padStart(8, '0')}`,
        file_number: String(1_810_000 + k),
        fec_sub_id: sub,
        transaction_id: `SA11AI.${n}`,
      },
    ];
  }

  function payout(n: number): [string, string, unknown] {
    const k = sponsor();
    const s = state();
    // A fifth of the Schedule E filings restate an earlier notice on the F3X (same transaction id).
    const restate = restatable.length > 0 && rnd() < 0.2 ? restatable.shift() : undefined;
    if (restate || rnd() < 0.6) {
      const kk = restate?.k ?? k;
      const day = restate?.day ?? between(rnd, 0, DAYS - 1);
      const cat = restate?.cat ?? between(rnd, 0, IE_CATEGORIES.length - 1);
      const [category, purpose] = IE_CATEGORIES[cat] ?? IE_CATEGORIES[0];
      const transactionId = restate?.transactionId ?? `SE24.${n}`;
      const amount = restate?.amount ?? between(rnd, 500, 250_000) * 100;
      const candidate = pick(rnd, CANDIDATES);
      if (!restate && restatable.length < 1000) restatable.push({ k: kk, transactionId, amount, day, cat });
      const sub = digits(n);
      const image = `2024100391${String(n % 100_000_000).padStart(8, '0')}`;
      return [
        sub,
        `${isoDay(day)}T00:00:00Z`,
        {
          payer_committee_id: committeeId(kk),
          payer_name: committeeName(kk),
          cycle: 2024,
          transaction_id: transactionId,
          payout_key: `${committeeId(kk)}:2024:${transactionId}`,
          payee_name: pick(rnd, VENDORS),
          payee_pseudonym: null,
          purpose: `${purpose} - ${s[1].toUpperCase()}`,
          category,
          amount: money(amount),
          currency: 'USD',
          paid_on: isoDay(day),
          disseminated_on: isoDay(day),
          support_oppose: candidate.id === 'P80001571' ? 'support' : 'oppose',
          candidate_id: candidate.id,
          candidate_name: candidate.name,
          candidate_office: 'P',
          candidate_state: 'US',
          candidate_district: '00',
          state: rnd() < 0.7 ? s[0] : null,
          filing: {
            form: restate ? 'F3X' : 'F24',
            report_type: restate ? 'Q3' : '48',
            amendment_indicator: 'N',
            sub_id: sub,
            file_number: String(1_821_000 + kk),
            image_number: image,
            pdf_url: `https://docquery.fec.gov/cgi-bin/fecimg/?${image}`,
            filed_on: isoDay(Math.min(DAYS - 1, day + 2)),
          },
          restatement_rank: restate ? 2 : 1,
          source_kind: 'fec_schedule_e',
        },
      ];
    }
    // First-party payments to private people: referral bounties ($47), canvasser pay, rare lottery awards.
    const r = rnd();
    const [category, purpose, cents] =
      r < 0.55
        ? (['referral_bounty', 'PETITION REFERRAL BOUNTY', 4_700] as const)
        : r < 0.995
          ? (['canvasser_pay', 'CANVASSER WAGES', between(rnd, 20_000, 120_000)] as const)
          : (['lottery_award', 'PETITION SIGNER AWARD', 100_000_000] as const);
    const day = between(rnd, 0, DAYS - 1);
    const transactionId = `FP-${n}`;
    return [
      `${committeeId(k)}:2024:${transactionId}`,
      `${isoDay(day)}T00:00:00Z`,
      {
        payer_committee_id: committeeId(k),
        payer_name: committeeName(k),
        cycle: 2024,
        transaction_id: transactionId,
        payout_key: `${committeeId(k)}:2024:${transactionId}`,
        payee_name: null,
        payee_pseudonym: pseudonym('name', `payee ${between(rnd, 1, 20_000)}`),
        purpose,
        category,
        amount: money(cents),
        currency: 'USD',
        paid_on: isoDay(day),
        disseminated_on: null,
        support_oppose: null,
        candidate_id: null,
        candidate_name: null,
        candidate_office: null,
        candidate_state: null,
        candidate_district: null,
        state: s[0],
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
      },
    ];
  }

  function ad(n: number): [string, string, unknown] {
    // Three in ten events are a later snapshot of an ad already seen (cumulative figures).
    const again = rnd() < 0.3;
    const meta = rnd() < 0.6;
    let id: string;
    let k: number;
    let s: State = state();
    let stanced = rnd() < 0.02;
    if (again && meta && metaAds.length > 0) {
      ({ id, k } = pick(rnd, metaAds));
    } else if (again && !meta && snapAds.length > 0) {
      const old = pick(rnd, snapAds);
      ({ id, k, state: s, stanced } = old);
    } else if (meta) {
      k = sponsor();
      id = `9${digits(n, 8)}`;
      metaAds.push({ id, k });
      if (metaAds.length > 5000) metaAds.splice(0, 1000);
    } else {
      k = sponsor();
      id = createHash('sha256').update(`${opts.tag}:snap:${n}`).digest('hex');
      if (stanced) s = rnd() < 0.5 ? STATES[1] : STATES[0];
      snapAds.push({ id, k, state: s, stanced });
      if (snapAds.length > 5000) snapAds.splice(0, 1000);
    }
    // One second per event: a later snapshot of an ad is a later event, and no two collide.
    const snapshotAt = isoTime(SNAPSHOT0 + n * 1000);
    const startDay = between(rnd, 0, DAYS - 20);
    const start = isoTime(DAY0 + startDay * 86_400_000);
    const end = rnd() < 0.1 ? null : isoTime(DAY0 + (startDay + between(rnd, 3, 19)) * 86_400_000);
    // The sample's contradiction: Harris as Israel's friend in Michigan, Palestine's ally in Pennsylvania.
    const proIsrael = s[0] === 'MI';
    const body = stanced
      ? proIsrael
        ? `Kamala Harris: a friend of Israel. Paid for by ${committeeName(k)}.`
        : `Kamala Harris stands with Palestine. Paid for by ${committeeName(k)}.`
      : pick(rnd, [
          'Sign the petition in support of free speech and the right to bear arms.',
          'Registered voters in the swing states: sign the petition and make your voice heard.',
          'Make your voice heard this November.',
        ]);
    const regions = stanced ? [s[1]] : [s[1], ...(rnd() < 0.4 ? [pick(rnd, SWING)[1]] : [])];
    const distinct = [...new Set(regions)];
    if (meta) {
      const bucket = between(rnd, 0, 9);
      const low = bucket * 5_000;
      const high = low + 4_999;
      const ilow = bucket * 500_000;
      const ihigh = ilow + 499_999;
      const half = Math.floor(distinct.length > 1 ? 50 : 100);
      return [
        `${id}@${snapshotAt}`,
        snapshotAt,
        {
          platform: 'meta',
          ad_id: id,
          snapshot_at: snapshotAt,
          granularity: 'ad',
          advertiser_name: committeeName(k),
          advertiser_id: k === 0 ? AMERICA_META_PAGE : `61${String(k).padStart(13, '0')}`,
          paying_entity: committeeName(k).toUpperCase(),
          sponsor_committee_id: committeeId(k),
          currency: 'USD',
          spend: {
            low: String(low),
            high: String(high),
            point: String((low + high) / 2),
            point_method: 'midpoint',
          },
          impressions: {
            low: String(ilow),
            high: String(ihigh),
            point: String(Math.floor((ilow + ihigh) / 2)),
            point_method: 'midpoint',
          },
          delivery_start: start,
          delivery_end: end,
          targeting: {
            countries: [],
            regions: distinct,
            excluded_regions: [],
            postal_codes: [],
            excluded_postal_codes: [],
            age_min: 18,
            age_max: null,
            genders: [],
            interests: [],
            languages: ['en'],
          },
          region_distribution: distinct.map((region, i) => ({
            region,
            share: distinct.length === 1 ? '1' : i === 0 ? `0.${half}` : `0.${100 - half}`,
          })),
          creative: {
            bodies: [body],
            link_titles: ['Sign the petition'],
            link_descriptions: [],
            link_urls: ['petition.america-pac.example'],
            snapshot_url: `https://www.facebook.com/ads/archive/render_ad/?id=${id}`,
            media_urls: [],
          },
          stance: [],
          raw_fields_version: 'meta-ads-archive',
        },
      ];
    }
    const spend = String(between(rnd, 100, 20_000));
    const impressions = String(between(rnd, 10_000, 2_000_000));
    return [
      `${id}@${snapshotAt}`,
      snapshotAt,
      {
        platform: 'snap',
        ad_id: id,
        snapshot_at: snapshotAt,
        granularity: 'ad',
        advertiser_name: committeeName(k),
        advertiser_id: null,
        paying_entity: committeeName(k),
        sponsor_committee_id: committeeId(k),
        currency: 'USD',
        spend: { low: spend, high: spend, point: spend, point_method: 'exact' },
        impressions: { low: impressions, high: impressions, point: impressions, point_method: 'exact' },
        delivery_start: start,
        delivery_end: end,
        targeting: {
          countries: ['united states'],
          regions: distinct,
          excluded_regions: [],
          postal_codes: [`${s[2]}20`, `${s[2]}24`],
          excluded_postal_codes: [],
          age_min: 18,
          age_max: null,
          genders: [],
          interests: [],
          languages: [],
        },
        region_distribution: [],
        creative: {
          bodies: [],
          link_titles: [],
          link_descriptions: [],
          link_urls: [`https://america-pac.example/harris?utm_source=snapchat&utm_content=${n}`],
          snapshot_url: null,
          media_urls: [`https://www.snap.com/political-ads/asset/${id}?mediaType=mp4`],
        },
        stance: [],
        raw_fields_version: 'snap-csv-38',
      },
    ];
  }

  function post(n: number): [string, string, unknown] {
    const k = sponsor();
    const account = k === 0 ? AMERICA_X_ACCOUNT : `18${String(k).padStart(17, '0')}`;
    const id = digits(n);
    const created = isoTime(DAY0 + between(rnd, 0, DAYS * 24 - 1) * 3_600_000);
    const observed = isoTime(SNAPSHOT0 + between(rnd, 0, 3) * 86_400_000);
    const petition = rnd() < 0.4;
    const m = () => String(between(rnd, 0, 50_000));
    return [
      `${id}@${observed}`,
      created,
      {
        platform: 'x',
        post_id: id,
        account_id: account,
        account_handle: k === 0 ? 'America' : `BenchCommittee${k}`,
        account_name: committeeName(k),
        created_at: created,
        text: petition
          ? 'Sign the petition for free speech and the right to bear arms! https://t.co/58b11b0ef5'
          : 'Early voting is open in the swing states. Make a plan to vote.',
        lang: 'en',
        urls: petition
          ? ['https://petition.america-pac.example/sign?utm_source=x&utm_campaign=petition']
          : [],
        mentions: [],
        hashtags: petition ? ['petition'] : [],
        conversation_id: id,
        in_reply_to_post_id: null,
        referenced_posts: [],
        metrics: {
          likes: m(),
          reposts: m(),
          replies: m(),
          quotes: m(),
          impressions: String(between(rnd, 1e4, 2e7)),
          bookmarks: m(),
        },
        observed_at: observed,
      },
    ];
  }

  function signup(n: number): [string, string, unknown] {
    const k = sponsor();
    const petition = rnd() < 0.6 ? KNOWN_PETITION : `${committeeId(k).toLowerCase()}-petition-2024`;
    const s = state();
    const signedAt = isoTime(DAY0 + between(rnd, 0, DAYS * 86_400 - 1) * 1000);
    const signer = pseudonym('email', `signer${opts.tag}.${n}@example.com`);
    const referrer = signers.length > 0 && rnd() < 0.4 ? pick(rnd, signers) : null;
    if (signers.length < 10_000) signers.push(signer);
    const phones = referrer ? between(rnd, 1, 2) : between(rnd, 0, 1);
    return [
      `${petition}:SIG-${opts.tag}-${n}`,
      signedAt,
      {
        petition_id: petition,
        signed_at: signedAt,
        signer,
        referrer,
        state: rnd() < 0.9 ? s[0] : null,
        zip5: zip(s),
        phone_provided: phones > 0,
        phones_collected: phones,
        email_provided: true,
        channel: pick(rnd, CHANNELS),
      },
    ];
  }

  function contact(n: number): [string, string, unknown] {
    const k = sponsor();
    const s = pick(rnd, SWING);
    const campaign = `${k === 0 ? 'america-pac' : committeeId(k).toLowerCase()}-canvass-${s[0].toLowerCase()}-2024`;
    const at = isoTime(DAY0 + between(rnd, 60 * 86_400, DAYS * 86_400 - 1) * 1000);
    const attempt = `A${opts.tag}-${n}`;
    return [
      `${campaign}:${attempt}`,
      at,
      {
        campaign_id: campaign,
        attempt_id: attempt,
        attempted_at: at,
        method: pick(rnd, ['door', 'door', 'phone', 'text'] as const),
        outcome: pick(rnd, OUTCOMES),
        canvasser: pseudonym('name', `canvasser ${k}.${between(rnd, 1, 200)}`),
        voter: pseudonym('phone', `555${String(between(rnd, 0, 9_999_999)).padStart(7, '0')}`),
        state: s[0],
        zip5: zip(s),
        petition_signed: rnd() < 0.3 ? rnd() < 0.4 : null,
        paid_by_committee_id: committeeId(k),
      },
    ];
  }

  let annotations = 0;
  function annotation(): [string, string, unknown] {
    // Codes the Snap ads in turn (their exports carry no words); a second pass is another coder,
    // so every (ad, coder, subject) is distinct. Only the stanced ads get the contradictory stances.
    let target = snapAds[annotations % Math.max(1, snapAds.length)];
    if (!target) {
      const k = sponsor();
      target = {
        id: createHash('sha256').update(`${opts.tag}:uncoded:${annotations}`).digest('hex'),
        k,
        state: state(),
        stanced: false,
      };
    }
    const coder = `bench-research/coder-${Math.floor(annotations / Math.max(1, snapAds.length))}-${annotations}`;
    annotations++;
    const [subject, stance, message] = target.stanced
      ? target.state[0] === 'MI'
        ? ['Harris', 'pro-Israel', 'Kamala Harris: friend of Israel']
        : ['Harris', 'pro-Palestine', 'Kamala Harris: ally of Palestine']
      : ['Trump', 'support', 'Vote for Trump'];
    const codedOn = isoDay(DAYS + between(rnd, 0, 10));
    return [
      `snap:${target.id}:${coder}:${subject}@${codedOn}`,
      `${codedOn}T00:00:00Z`,
      {
        platform: 'snap',
        ad_id: target.id,
        ad_set: `${committeeId(target.k).toLowerCase()}-${target.state[0].toLowerCase()}-${stance}`,
        subject,
        stance,
        message,
        transcript: `${message}. Paid for by ${committeeName(target.k)}.`,
        coder,
        coded_on: codedOn,
      },
    ];
  }

  let n = 0;
  return {
    source,
    counts,
    next() {
      const r = rnd();
      const type = cumulative.find(([, c]) => r < c)?.[0] ?? 'donation';
      const [sourceRecordId, occurredAt, payload] =
        type === 'donation'
          ? donation(n)
          : type === 'payout'
            ? payout(n)
            : type === 'ad'
              ? ad(n)
              : type === 'post'
                ? post(n)
                : type === 'signup'
                  ? signup(n)
                  : type === 'contact'
                    ? contact(n)
                    : annotation();
      n++;
      const done = completeEvent(
        source,
        type,
        { source_record_id: sourceRecordId, occurred_at: occurredAt, payload },
        ingestedAt,
      );
      if (!done.ok) throw new Error(`the generated ${type} #${n} is not valid: ${done.detail}`);
      counts[type]++;
      return { type, topic: done.topic, key: done.key, value: done.value };
    },
  };
}

/**
 * The bundled sample campaign: America PAC in the 2024 swing states (DESIGN.md, the motivating
 * case), written in the real formats the ingestion sources read, plus the figures it was built to
 * produce (`expected.json`, and the README that shows them).
 *
 * Deterministic: a seeded PRNG per file, fixed dates, no clock. `renderCampaign()` returns every
 * file as name → content; running this module writes them next to it
 * (`node infra/sample/campaign/generate.ts`). Re-running gives byte-identical files, which the
 * unit test checks. JSON and Markdown go through Prettier with the repository's settings, so
 * `prettier --check` leaves them alone.
 *
 * Every private person (donor, signer, referrer, lottery winner, canvasser, voter) is invented:
 * e-mails at example.com, phones 555-01xx. Committee, candidate and page names are the real
 * public ones the case is about; every amount, id, date and text is invented.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

export const CAMPAIGN_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SEED = 20241105;

export const COMMITTEE_ID = 'C00879510';
export const COMMITTEE_NAME = 'America PAC';
export const PETITION_ID = 'america-pac-1a2a-petition-2024';
export const PETITION_URL = 'https://petition.america-pac.example/sign';

/** The file names, in import order, with the source that reads each. */
export const CAMPAIGN_FILES = {
  itcont: 'fec-itcont-america-pac.txt',
  scheduleE: 'schedule-e-america-pac.csv',
  payouts: 'payouts.csv',
  signups: 'signups.csv',
  contacts: 'contacts.csv',
  snap: 'snap-america-pac_snapshot_2024-11-06.csv',
  annotations: 'ad-annotations.csv',
  metaPage1: 'meta-ads_archive_page1.json',
  metaPage2: 'meta-ads_archive_page2.json',
  x: 'x-america-posts.json',
  expected: 'expected.json',
  readme: 'README.md',
} as const;

/** Which source imports which file (`influence import <source> <file>`). */
export const IMPORTS: readonly { source: string; file: string }[] = [
  { source: 'fec-itcont', file: CAMPAIGN_FILES.itcont },
  { source: 'fec-schedule-e', file: CAMPAIGN_FILES.scheduleE },
  { source: 'payouts', file: CAMPAIGN_FILES.payouts },
  { source: 'signups', file: CAMPAIGN_FILES.signups },
  { source: 'contacts', file: CAMPAIGN_FILES.contacts },
  { source: 'snap', file: CAMPAIGN_FILES.snap },
  { source: 'annotations', file: CAMPAIGN_FILES.annotations },
  { source: 'meta-ads', file: CAMPAIGN_FILES.metaPage1 },
  { source: 'meta-ads', file: CAMPAIGN_FILES.metaPage2 },
  { source: 'x-posts', file: CAMPAIGN_FILES.x },
];

// ---------------------------------------------------------------------------------------------
// Determinism helpers

/** mulberry32: a small seeded PRNG; one stream per file so files do not shift each other. */
class Rng {
  private a: number;
  constructor(label: string) {
    this.a = (SEED ^ createHash('sha256').update(label).digest().readUInt32BE(0)) >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** A whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return at(items, this.int(0, items.length - 1));
  }
}

function at<T>(items: readonly T[], i: number): T {
  const v = items[i];
  if (v === undefined) throw new RangeError(`index ${i} out of ${items.length}`);
  return v;
}

function hex64(label: string): string {
  return createHash('sha256').update(`influence-ledger sample ${label}`).digest('hex');
}

/** `YYYY-MM-DD` plus n days. */
function addDays(date: string, n: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

/** Every date from `from` to `to`, inclusive. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** A time of day between 13:00 and 23:59 UTC (daytime in the four swing-state time zones). */
function instantOn(rng: Rng, date: string): string {
  const s = rng.int(13 * 3600, 24 * 3600 - 1);
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${date}T${hh}:${mm}:${ss}Z`;
}

/** Integer cents → `1234.50` (negative with a leading `-`). */
export function money(cents: bigint | number): string {
  const c = BigInt(cents);
  const neg = c < 0n;
  const abs = neg ? -c : c;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** numerator / denominator rounded half up to `places` decimals (both non-negative). */
export function ratio(numerator: bigint, denominator: bigint, places: number): string {
  if (denominator === 0n) return 'n/a';
  const scale = 10n ** BigInt(places);
  const q = (numerator * scale * 2n + denominator) / (denominator * 2n);
  if (places === 0) return q.toString();
  return `${q / scale}.${String(q % scale).padStart(places, '0')}`;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const r of rows)
    if (r.length !== header.length) throw new Error(`row of ${r.length} cells for ${header.length} columns`);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

function addTo(map: Map<string, bigint>, key: string, cents: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + cents);
}

// ---------------------------------------------------------------------------------------------
// The swing states

export type SwingState = 'AZ' | 'GA' | 'MI' | 'NV' | 'NC' | 'PA' | 'WI';

interface StateInfo {
  code: SwingState;
  name: string;
  /** Relative weight of activity (PA the heaviest, as in the case). */
  weight: number;
  zips: readonly string[];
  /** Area codes for invented 555-01xx numbers: 100 numbers each. */
  areas: readonly string[];
  canvassers: number;
}

export const STATES: readonly StateInfo[] = [
  {
    code: 'AZ',
    name: 'Arizona',
    weight: 12,
    zips: ['85004', '85008', '85201', '85281', '85710', '86001'],
    areas: ['480', '520', '602', '623'],
    canvassers: 2,
  },
  {
    code: 'GA',
    name: 'Georgia',
    weight: 13,
    zips: ['30303', '30310', '30060', '30501', '31401', '31901'],
    areas: ['404', '470', '678', '912'],
    canvassers: 2,
  },
  {
    code: 'MI',
    name: 'Michigan',
    weight: 15,
    zips: ['48126', '48128', '48212', '48201', '48933', '49503'],
    areas: ['313', '517', '616', '734'],
    canvassers: 3,
  },
  {
    code: 'NV',
    name: 'Nevada',
    weight: 9,
    zips: ['89101', '89109', '89121', '89014', '89502', '89701'],
    areas: ['702', '725', '775'],
    canvassers: 2,
  },
  {
    code: 'NC',
    name: 'North Carolina',
    weight: 12,
    zips: ['27601', '27701', '28202', '27401', '28801', '27103'],
    areas: ['336', '704', '828', '919'],
    canvassers: 2,
  },
  {
    code: 'PA',
    name: 'Pennsylvania',
    weight: 26,
    zips: ['19103', '19131', '15217', '17101', '18101', '16501'],
    areas: ['215', '267', '412', '610', '717'],
    canvassers: 4,
  },
  {
    code: 'WI',
    name: 'Wisconsin',
    weight: 13,
    zips: ['53202', '53703', '54301', '53404', '54701', '53081'],
    areas: ['414', '608', '715', '920'],
    canvassers: 2,
  },
];
const WEIGHT_TOTAL = STATES.reduce((s, x) => s + x.weight, 0);

function stateInfo(code: SwingState): StateInfo {
  const s = STATES.find((x) => x.code === code);
  if (!s) throw new Error(`not a swing state: ${code}`);
  return s;
}

/** Invented phone numbers: `(215) 555-0100` … one per person, never reused. */
class Phones {
  private next = new Map<SwingState, number>();
  take(state: SwingState): string {
    const info = stateInfo(state);
    const n = this.next.get(state) ?? 0;
    this.next.set(state, n + 1);
    const area = info.areas[Math.floor(n / 100)];
    if (area === undefined) throw new Error(`out of 555-01xx numbers for ${state}`);
    return `(${area}) 555-01${String(n % 100).padStart(2, '0')}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The campaign's records, built once and shared by the writers and the figures

interface Contact {
  campaign: string;
  attempt: string;
  at: string;
  state: SwingState;
  zip: string;
  method: string;
  outcome: string;
  contacted: boolean;
  canvasser: string;
  voterId: string | null;
  voterEmail: string | null;
  signed: boolean | null;
}

interface Signup {
  id: string;
  at: string;
  state: SwingState;
  zip: string;
  email: string;
  phone: string | null;
  referrer: string | null;
  phones: number;
  channel: string;
}

interface FirstPartyPayout {
  id: string;
  paidOn: string;
  category: 'referral_bounty' | 'lottery_award' | 'canvasser_pay';
  purpose: string;
  amount: bigint;
  state: SwingState;
  payeeEmail: string;
}

interface Expenditure {
  transactionId: string;
  date: string;
  state: SwingState;
  purpose: string;
  category: string;
  payee: string;
  payeeCity: string;
  payeeState: string;
  amount: bigint;
  /** Corrected amount on the amended Q3, when amended. */
  amended?: bigint;
  supportOppose: 'S' | 'O';
}

const TRUMP = { id: 'P80001571', name: 'TRUMP, DONALD J.' };
const HARRIS = { id: 'P00009423', name: 'HARRIS, KAMALA D.' };

const PETITION_START = '2024-10-01';
const REFERRALS_START = '2024-10-07';
const LOTTERY_START = '2024-10-19';
const ELECTION_DAY = '2024-11-05';
const BOUNTY_CENTS = 4_700n;
const LOTTERY_CENTS = 100_000_000n;

/** The winner's state of each daily $1M award, Oct 19 – Nov 5 (18 days, all 7 states). */
const LOTTERY_STATES: readonly SwingState[] = [
  'PA',
  'PA',
  'NC',
  'MI',
  'WI',
  'AZ',
  'GA',
  'NV',
  'PA',
  'MI',
  'NC',
  'WI',
  'GA',
  'AZ',
  'PA',
  'MI',
  'NV',
  'WI',
];

function canvasserEmail(state: SwingState, i: number): string {
  return `canvasser.${state.toLowerCase()}.${String(i + 1).padStart(2, '0')}@example.com`;
}

interface Campaign {
  contacts: Contact[];
  signups: Signup[];
  payouts: FirstPartyPayout[];
  expenditures: Expenditure[];
}

function buildCampaign(): Campaign {
  const rng = new Rng('first-party');
  const phones = new Phones();
  const signerCount = new Map<SwingState, number>();
  const newEmail = (state: SwingState): string => {
    const n = (signerCount.get(state) ?? 0) + 1;
    signerCount.set(state, n);
    return `${state.toLowerCase()}.signer${String(n).padStart(4, '0')}@example.com`;
  };

  // Canvass attempts, Sep 3 – Nov 5; from Oct 1 a contacted voter may sign at the door.
  const contacts: Contact[] = [];
  const doorSignups: Omit<Signup, 'id'>[] = [];
  const voterSeq = new Map<SwingState, number>();
  for (const date of days('2024-09-03', ELECTION_DAY)) {
    for (const s of STATES) {
      const mean = (11 * s.weight) / WEIGHT_TOTAL;
      const n = rng.int(0, Math.round(2 * mean));
      for (let k = 0; k < n; k++) {
        const phone = rng.chance(0.2);
        const r = rng.next();
        let outcome: string;
        if (phone)
          outcome =
            r < 0.45
              ? 'No Answer'
              : r < 0.75
                ? 'Contacted'
                : r < 0.85
                  ? 'Refused'
                  : r < 0.93
                    ? 'Voicemail'
                    : 'Wrong Number';
        else
          outcome =
            r < 0.45
              ? 'Not Home'
              : r < 0.77
                ? 'Contacted'
                : r < 0.88
                  ? 'Refused'
                  : r < 0.92
                    ? 'Moved'
                    : r < 0.95
                      ? 'Inaccessible'
                      : 'Call Back';
        const contacted = outcome === 'Contacted';
        const zip = rng.pick(s.zips);
        const at = instantOn(rng, date);
        let signed: boolean | null = null;
        let voterEmail: string | null = null;
        if (contacted && date >= PETITION_START) {
          signed = rng.chance(0.4);
          if (signed) {
            voterEmail = newEmail(s.code);
            doorSignups.push({
              at,
              state: s.code,
              zip,
              email: voterEmail,
              phone: phones.take(s.code),
              referrer: null,
              phones: 1,
              channel: 'canvass',
            });
          }
        }
        const v = (voterSeq.get(s.code) ?? 0) + 1;
        voterSeq.set(s.code, v);
        contacts.push({
          campaign: `america-pac-canvass-${s.code.toLowerCase()}-2024`,
          attempt: '',
          at,
          state: s.code,
          zip,
          method: phone ? 'Phone' : 'Door',
          outcome,
          contacted,
          canvasser: canvasserEmail(s.code, rng.int(0, s.canvassers - 1)),
          voterId: voterEmail ? null : `${s.code}-VF-${String(v).padStart(7, '0')}`,
          voterEmail,
          signed,
        });
      }
    }
  }
  contacts.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const attemptSeq = new Map<string, number>();
  for (const c of contacts) {
    const n = (attemptSeq.get(c.campaign) ?? 0) + 1;
    attemptSeq.set(c.campaign, n);
    c.attempt = `A${String(n).padStart(5, '0')}`;
  }

  // Online signatures, Oct 1 – Nov 5: more after the lottery starts; referrals from Oct 7.
  const online: Omit<Signup, 'id'>[] = [];
  const earlier = new Map<SwingState, string[]>(); // e-mails of signers of previous days
  const channels = ['x', 'x', 'snapchat', 'meta', 'meta', 'text', 'direct'] as const;
  for (const date of days(PETITION_START, ELECTION_DAY)) {
    const today: Omit<Signup, 'id'>[] = [];
    for (const s of STATES) {
      const daily = date >= LOTTERY_START ? 34 : 15;
      const mean = (daily * s.weight) / WEIGHT_TOTAL;
      const n = rng.int(Math.floor(mean / 2), Math.round((3 * mean) / 2));
      const pool = earlier.get(s.code) ?? [];
      for (let k = 0; k < n; k++) {
        const referred = date >= REFERRALS_START && pool.length > 0 && rng.chance(0.45);
        const email = newEmail(s.code);
        const hasPhone = referred || rng.chance(0.8);
        today.push({
          at: instantOn(rng, date),
          state: s.code,
          zip: rng.pick(s.zips),
          email,
          phone: hasPhone ? phones.take(s.code) : null,
          referrer: referred ? rng.pick(pool) : null,
          // A referral brings in two numbers (the signer's and the referrer's contact list's):
          // the $47 bounty buys two phone numbers.
          phones: referred ? 2 : hasPhone ? 1 : 0,
          channel: referred ? 'referral' : rng.pick(channels),
        });
      }
    }
    for (const d of doorSignups.filter((x) => x.at.slice(0, 10) === date)) today.push(d);
    online.push(...today.filter((x) => x.channel !== 'canvass'));
    for (const x of today) {
      const list = earlier.get(x.state) ?? [];
      list.push(x.email);
      earlier.set(x.state, list);
    }
  }
  const all = [...online, ...doorSignups].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.email < b.email ? -1 : 1,
  );
  const signups: Signup[] = all.map((x, i) => ({ ...x, id: `SIG-${String(i + 1).padStart(6, '0')}` }));

  // First-party payouts: bounties (the day after the referred signature), the daily $1M award to
  // a signer of an earlier day, canvassers' weekly pay.
  const payouts: FirstPartyPayout[] = [];
  for (const s of signups) {
    if (s.referrer === null) continue;
    payouts.push({
      id: `REF-${s.id}`,
      paidOn: addDays(s.at.slice(0, 10), 1),
      category: 'referral_bounty',
      purpose: 'PETITION REFERRAL PAYMENT',
      amount: BOUNTY_CENTS,
      state: s.state,
      payeeEmail: s.referrer,
    });
  }
  const winners = new Set<string>();
  days(LOTTERY_START, ELECTION_DAY).forEach((date, i) => {
    const state = at(LOTTERY_STATES, i);
    const eligible = signups.filter(
      (s) => s.state === state && s.at.slice(0, 10) < date && !winners.has(s.email),
    );
    const w = rng.pick(eligible);
    winners.add(w.email);
    payouts.push({
      id: `LOT-${date.replace(/-/g, '')}`,
      paidOn: date,
      category: 'lottery_award',
      purpose: 'DAILY $1M PETITION SIGNER AWARD',
      amount: LOTTERY_CENTS,
      state,
      payeeEmail: w.email,
    });
  });
  for (const date of days('2024-09-06', '2024-11-08').filter((d) => dayOfWeek(d) === 5)) {
    for (const s of STATES) {
      for (let i = 0; i < s.canvassers; i++) {
        payouts.push({
          id: `CANV-${s.code}-${String(i + 1).padStart(2, '0')}-${date.replace(/-/g, '')}`,
          paidOn: date,
          category: 'canvasser_pay',
          purpose: 'CANVASSER WAGES',
          amount: BigInt(rng.int(60_000, 125_000)),
          state: s.code,
          payeeEmail: canvasserEmail(s.code, i),
        });
      }
    }
  }
  payouts.sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : a.id < b.id ? -1 : 1));

  return { contacts, signups, payouts, expenditures: buildExpenditures() };
}

// ---------------------------------------------------------------------------------------------
// Snap: the two opposite-message ad sets

interface SnapAd {
  adId: string;
  set: 'MI' | 'PA';
  spend: number;
  impressions: number;
  start: string;
  end: string;
  transcript: string;
}

export const SNAP_SETS = {
  MI: {
    name: 'mi-harris-friend-of-israel',
    state: 'MI' as SwingState,
    region: 'Michigan',
    postal: ['48120', '48124', '48126', '48127', '48128', '48212'],
    area: 'Dearborn, Dearborn Heights and Hamtramck (Muslim-majority areas)',
    stance: 'pro-Israel',
    message: 'Kamala Harris: friend of Israel',
  },
  PA: {
    name: 'pa-harris-ally-of-palestine',
    state: 'PA' as SwingState,
    region: 'Pennsylvania',
    postal: ['19004', '19096', '19131', '19152', '15217'],
    area: 'Wynnefield, Northeast Philadelphia, Lower Merion and Squirrel Hill (Jewish neighbourhoods)',
    stance: 'pro-Palestine',
    message: 'Kamala Harris: ally of Palestine',
  },
} as const;

const SNAP_ADS: readonly SnapAd[] = [
  {
    adId: hex64('snap mi 1'),
    set: 'MI',
    spend: 4120,
    impressions: 512_340,
    start: '2024/10/22 16:00:00Z',
    end: '2024/11/05 23:00:00Z',
    transcript:
      'Kamala Harris: friend of Israel. For decades she has stood with Israel, and she says she always will. Is that who you are voting for? Paid for by America PAC.',
  },
  {
    adId: hex64('snap mi 2'),
    set: 'MI',
    spend: 3385,
    impressions: 420_115,
    start: '2024/10/24 16:00:00Z',
    end: '2024/11/05 23:00:00Z',
    transcript:
      'Harris and her husband: Israel’s steadfast friends in the White House. Kamala Harris, friend of Israel. Paid for by America PAC.',
  },
  {
    adId: hex64('snap mi 3'),
    set: 'MI',
    spend: 2640,
    impressions: 338_902,
    start: '2024/10/28 16:00:00Z',
    end: '2024/11/05 23:00:00Z',
    transcript:
      'Kamala Harris promises Israel unwavering support. Friend of Israel. Remember that on November 5. Paid for by America PAC.',
  },
  {
    adId: hex64('snap pa 1'),
    set: 'PA',
    spend: 5210,
    impressions: 640_775,
    start: '2024/10/22 16:00:00Z',
    end: '2024/11/05 23:00:00Z',
    transcript:
      'Kamala Harris: ally of Palestine. She calls for a ceasefire and aid to Gaza. Is that who you are voting for? Paid for by America PAC.',
  },
  {
    adId: hex64('snap pa 2'),
    set: 'PA',
    spend: 3905,
    impressions: 488_410,
    start: '2024/10/24 16:00:00Z',
    end: '2024/11/05 23:00:00Z',
    transcript:
      'Kamala Harris stands with Palestine. Ally of Palestine. Think about that before you vote. Paid for by America PAC.',
  },
  {
    adId: hex64('snap pa 3'),
    set: 'PA',
    spend: 2870,
    impressions: 351_260,
    start: '2024/10/28 16:00:00Z',
    end: '2024/11/05 23:00:00Z',
    transcript:
      'Harris: the ally of Palestine in the White House. Kamala Harris, ally of Palestine. Paid for by America PAC.',
  },
];

const SNAP_HEADER = [
  'ADID',
  'CreativeUrl',
  'Currency Code',
  'Spend',
  'Impressions',
  'StartDate',
  'EndDate',
  'OrganizationName',
  'BillingAddress',
  'CandidateBallotInformation',
  'PayingAdvertiserName',
  'CommitteeName',
  'CommitteeIdentificationNumber',
  'DisclosureNameOfCommittee',
  'AdvertisingJurisdiction',
  'Gender',
  'AgeBracket',
  'CountryCode',
  'Regions (Included)',
  'Regions (Excluded)',
  'Electoral Districts (Included)',
  'Electoral Districts (Excluded)',
  'Radius Targeting (Included)',
  'Radius Targeting (Excluded)',
  'Metros (Included)',
  'Metros (Excluded)',
  'Postal Codes (Included)',
  'Postal Codes (Excluded)',
  'Location Categories (Included)',
  'Location Categories (Excluded)',
  'Interests',
  'OsType',
  'Segments',
  'Language',
  'AdvancedDemographics',
  'Targeting Connection Type',
  'Targeting Carrier (ISP)',
  'CreativeProperties',
] as const;

function renderSnap(): string {
  const rows = SNAP_ADS.map((ad, i) => {
    const set = SNAP_SETS[ad.set];
    const cells: Record<(typeof SNAP_HEADER)[number], string> = {
      ADID: ad.adId,
      CreativeUrl: `https://www.snap.com/political-ads/asset/${hex64(`snap asset ${i}`)}?mediaType=mp4`,
      'Currency Code': 'USD',
      Spend: String(ad.spend),
      Impressions: String(ad.impressions),
      StartDate: ad.start,
      EndDate: ad.end,
      OrganizationName: COMMITTEE_NAME,
      BillingAddress: '100 Example Ave,Austin,78701,US',
      CandidateBallotInformation: 'Kamala Harris',
      PayingAdvertiserName: COMMITTEE_NAME,
      CommitteeName: COMMITTEE_NAME,
      CommitteeIdentificationNumber: COMMITTEE_ID,
      DisclosureNameOfCommittee: COMMITTEE_NAME,
      AdvertisingJurisdiction: 'United States',
      Gender: '',
      AgeBracket: '18+',
      CountryCode: 'united states',
      'Regions (Included)': set.region,
      'Regions (Excluded)': '',
      'Electoral Districts (Included)': '',
      'Electoral Districts (Excluded)': '',
      'Radius Targeting (Included)': '',
      'Radius Targeting (Excluded)': '',
      'Metros (Included)': '',
      'Metros (Excluded)': '',
      'Postal Codes (Included)': set.postal.join(','),
      'Postal Codes (Excluded)': '',
      'Location Categories (Included)': '',
      'Location Categories (Excluded)': '',
      Interests: '',
      OsType: '',
      Segments: '',
      Language: '',
      AdvancedDemographics: '',
      'Targeting Connection Type': '',
      'Targeting Carrier (ISP)': '',
      CreativeProperties: `web_view_url:https://america-pac.example/harris?utm_source=snapchat&utm_content=${set.name}-${(i % 3) + 1}`,
    };
    return SNAP_HEADER.map((h) => cells[h]);
  });
  return csv(SNAP_HEADER, rows);
}

export const ANNOTATION_COLUMNS = [
  'platform',
  'ad_id',
  'ad_set',
  'subject',
  'stance',
  'message',
  'transcript',
  'coder',
  'coded_on',
] as const;

function renderAnnotations(): string {
  return csv(
    ANNOTATION_COLUMNS,
    SNAP_ADS.map((ad, i) => {
      const set = SNAP_SETS[ad.set];
      return [
        'snap',
        ad.adId,
        set.name,
        'Harris',
        set.stance,
        set.message,
        ad.transcript,
        i % 2 === 0 ? 'sample-ad-research-group/coder-a' : 'sample-ad-research-group/coder-b',
        '2024-11-07',
      ];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// FEC Schedule E: America PAC's independent expenditures

const VENDORS = {
  canvassing: { payee: 'SAMPLE FIELD PARTNERS LLC', city: 'PHOENIX', state: 'AZ' },
  meta: { payee: 'META PLATFORMS, INC.', city: 'MENLO PARK', state: 'CA' },
  snap: { payee: 'SNAP INC.', city: 'SANTA MONICA', state: 'CA' },
  printing: { payee: 'EXAMPLE PRINT WORKS INC.', city: 'ATLANTA', state: 'GA' },
  mail: { payee: 'PLACEHOLDER MAIL CO.', city: 'COLUMBUS', state: 'OH' },
} as const;

function buildExpenditures(): Expenditure[] {
  const rng = new Rng('schedule-e');
  const out: Omit<Expenditure, 'transactionId'>[] = [];
  const mondays = days('2024-08-05', '2024-11-04').filter((d) => dayOfWeek(d) === 1);
  const add = (
    date: string,
    s: StateInfo,
    kind: keyof typeof VENDORS,
    purpose: string,
    category: string,
    dollars: number,
    supportOppose: 'S' | 'O',
  ): void => {
    const v = VENDORS[kind];
    const cents = kind === 'snap' ? 0 : rng.int(0, 99);
    out.push({
      date,
      state: s.code,
      purpose: `${purpose} - ${s.name.toUpperCase()}`,
      category,
      payee: v.payee,
      payeeCity: v.city,
      payeeState: v.state,
      amount: BigInt(dollars) * 100n + BigInt(cents),
      supportOppose,
    });
  };
  const share = (s: StateInfo): number => (7 * s.weight) / WEIGHT_TOTAL;
  for (const s of STATES) {
    for (const [w, monday] of mondays.entries()) {
      // Canvassing ramps up towards election day.
      const ramp = 0.6 + (0.8 * w) / (mondays.length - 1);
      add(
        monday,
        s,
        'canvassing',
        'CANVASSING/FIELD OPERATIONS',
        'canvassing',
        Math.round(share(s) * ramp * rng.int(150_000, 260_000)),
        'S',
      );
      if (w % 2 === 1)
        add(
          addDays(monday, 2),
          s,
          'meta',
          'DIGITAL MEDIA - META ADS',
          'digital_ads',
          Math.round(share(s) * rng.int(40_000, 90_000)),
          'S',
        );
    }
    add(
      '2024-09-09',
      s,
      'printing',
      'PRINTING',
      'printing',
      Math.round(share(s) * rng.int(60_000, 140_000)),
      'S',
    );
    add(
      '2024-10-14',
      s,
      'printing',
      'PRINTING',
      'printing',
      Math.round(share(s) * rng.int(60_000, 140_000)),
      'S',
    );
    add(
      '2024-09-23',
      s,
      'mail',
      'PRINTING/POSTAGE',
      'mail',
      Math.round(share(s) * rng.int(80_000, 160_000)),
      'O',
    );
    add(
      '2024-10-21',
      s,
      'mail',
      'PRINTING/POSTAGE',
      'mail',
      Math.round(share(s) * rng.int(80_000, 160_000)),
      'O',
    );
  }
  // The Snapchat buys: exactly what the Snap library reports for each ad set.
  for (const set of [SNAP_SETS.MI, SNAP_SETS.PA]) {
    const total = SNAP_ADS.filter((a) => SNAP_SETS[a.set] === set).reduce((t, a) => t + a.spend, 0);
    add(
      '2024-10-22',
      stateInfo(set.state),
      'snap',
      'DIGITAL MEDIA - SNAPCHAT ADS',
      'digital_ads',
      total,
      'O',
    );
  }
  // Two same-day equal payments to one vendor: two expenditures, not a duplicate.
  const pa = stateInfo('PA');
  for (let i = 0; i < 2; i++) {
    out.push({
      date: '2024-10-01',
      state: 'PA',
      purpose: `PRINTING - ${pa.name.toUpperCase()}`,
      category: 'printing',
      payee: VENDORS.printing.payee,
      payeeCity: VENDORS.printing.city,
      payeeState: VENDORS.printing.state,
      amount: 11_111_100n,
      supportOppose: 'S',
    });
  }
  out.sort((a, b) =>
    a.date < b.date
      ? -1
      : a.date > b.date
        ? 1
        : a.state < b.state
          ? -1
          : a.state > b.state
            ? 1
            : a.purpose < b.purpose
              ? -1
              : a.purpose > b.purpose
                ? 1
                : 0,
  );
  const list: Expenditure[] = out.map((e, i) => ({ ...e, transactionId: `SE24.${i + 1}` }));
  // The amended Q3 corrects two Q3 lines.
  const firstPrint = list.find(
    (e) => e.category === 'printing' && e.date === '2024-09-09' && e.state === 'PA',
  );
  const firstCanvass = list.find(
    (e) => e.category === 'canvassing' && e.date === '2024-09-16' && e.state === 'WI',
  );
  if (!firstPrint || !firstCanvass) throw new Error('amended lines not found');
  firstPrint.amended = firstPrint.amount + 900_000n;
  firstCanvass.amended = firstCanvass.amount - 1_250_000n;
  return list;
}

/** A filed Schedule E line (one expenditure can have several: F24, F3X, amended F3X). */
interface ScheduleELine {
  e: Expenditure;
  form: 'F24' | 'F3X';
  reportType: string;
  amendment: 'N' | 'A';
  fileNumber: string;
  filingDate: string;
  amount: bigint;
  rank: number;
}

function scheduleELines(expenditures: readonly Expenditure[]): ScheduleELine[] {
  const lines: ScheduleELine[] = [];
  for (const e of expenditures) {
    const { date } = e;
    if (date >= '2024-10-01') {
      // A 48-hour notice before the 20th day before the election, a 24-hour notice after.
      const late = date >= '2024-10-17';
      lines.push({
        e,
        form: 'F24',
        reportType: late ? '24' : '48',
        amendment: 'N',
        fileNumber: String(1_820_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))),
        filingDate: addDays(date, late ? 1 : 2),
        amount: e.amount,
        rank: 1,
      });
    }
    const report =
      date <= '2024-09-30'
        ? { t: 'Q3', file: '1810001', filed: '2024-10-15' }
        : date <= '2024-10-16'
          ? { t: '12G', file: '1810002', filed: '2024-10-24' }
          : { t: '30G', file: '1810003', filed: '2024-12-05' };
    lines.push({
      e,
      form: 'F3X',
      reportType: report.t,
      amendment: 'N',
      fileNumber: report.file,
      filingDate: report.filed,
      amount: e.amount,
      rank: 2,
    });
    if (e.amended !== undefined)
      lines.push({
        e,
        form: 'F3X',
        reportType: 'Q3',
        amendment: 'A',
        fileNumber: '1810004',
        filingDate: '2024-11-20',
        amount: e.amended,
        rank: 3,
      });
  }
  return lines.sort((a, b) =>
    a.filingDate < b.filingDate
      ? -1
      : a.filingDate > b.filingDate
        ? 1
        : a.e.date < b.e.date
          ? -1
          : a.e.date > b.e.date
            ? 1
            : Number(a.e.transactionId.slice(5)) - Number(b.e.transactionId.slice(5)),
  );
}

const SCHEDULE_E_HEADER = [
  'committee_id',
  'committee_name',
  'report_year',
  'report_type',
  'filing_form',
  'is_notice',
  'amendment_indicator',
  'transaction_id',
  'sub_id',
  'file_number',
  'image_number',
  'line_number',
  'payee_name',
  'payee_city',
  'payee_state',
  'expenditure_description',
  'expenditure_date',
  'dissemination_date',
  'expenditure_amount',
  'support_oppose_indicator',
  'candidate_id',
  'candidate_name',
  'candidate_office',
  'candidate_office_state',
  'candidate_office_district',
  'election_type',
  'memo_code',
  'filing_date',
  'pdf_url',
] as const;

function renderScheduleE(lines: readonly ScheduleELine[]): string {
  const rows = lines.map((l, i) => {
    const cand = l.e.supportOppose === 'S' ? TRUMP : HARRIS;
    const image = `${l.filingDate.replace(/-/g, '')}${String(9_100_000_000 + i * 37).padStart(10, '0')}`;
    return [
      COMMITTEE_ID,
      COMMITTEE_NAME,
      '2024',
      l.reportType,
      l.form,
      l.form === 'F24' ? 'true' : 'false',
      l.amendment,
      l.e.transactionId,
      String(4_103_020_241_100_000_000n + BigInt(i + 1) * 7n),
      l.fileNumber,
      image,
      'SE',
      l.e.payee,
      l.e.payeeCity,
      l.e.payeeState,
      l.e.purpose,
      l.e.date,
      l.e.date,
      money(l.amount),
      l.e.supportOppose,
      cand.id,
      cand.name,
      'P',
      'US',
      '00',
      'G2024',
      '',
      l.filingDate,
      `https://docquery.fec.gov/cgi-bin/fecimg/?${image}`,
    ];
  });
  return csv(SCHEDULE_E_HEADER, rows);
}

// ---------------------------------------------------------------------------------------------
// FEC itcont: contributions to America PAC

interface Receipt {
  name: string;
  city: string;
  state: string;
  zip: string;
  employer: string;
  occupation: string;
  date: string;
  amount: bigint;
  type: string;
  memo: boolean;
  memoText: string;
}

export const MUSK_NAME = 'MUSK, ELON';
const MUSK_RECEIPTS: readonly [string, number][] = [
  ['2024-07-12', 4_000_000],
  ['2024-07-25', 8_000_000],
  ['2024-08-08', 13_000_000],
  ['2024-08-30', 15_000_000],
  ['2024-09-12', 20_000_000],
  ['2024-10-03', 15_000_000],
];

const FIRST_NAMES = [
  'AVERY',
  'BLAKE',
  'CASEY',
  'DAKOTA',
  'EMERSON',
  'FINLEY',
  'GRAY',
  'HARPER',
  'JORDAN',
  'KENDALL',
  'LOGAN',
  'MORGAN',
  'PARKER',
  'QUINN',
  'RILEY',
  'SAGE',
  'TAYLOR',
  'WREN',
];
const LAST_NAMES = [
  'SAMPLEWOOD',
  'FICTIONSON',
  'PLACEHOLDER',
  'MOCKRIDGE',
  'DUMMYFIELD',
  'EXAMPLAR',
  'TESTERSON',
  'NOTAREAL',
  'INVENTO',
  'MADEUPPER',
  'PRETENDLY',
  'FAUXBURG',
];
const DONOR_PLACES: readonly [string, string, string][] = [
  ['PHOENIX', 'AZ', '850041234'],
  ['ATLANTA', 'GA', '30303'],
  ['DETROIT', 'MI', '482011520'],
  ['LAS VEGAS', 'NV', '89101'],
  ['RALEIGH', 'NC', '27601'],
  ['PITTSBURGH', 'PA', '15217'],
  ['MILWAUKEE', 'WI', '53202'],
  ['AUSTIN', 'TX', '78701'],
  ['NAPLES', 'FL', '34102'],
  ['DALLAS', 'TX', '752011001'],
  ['SCOTTSDALE', 'AZ', '85251'],
  ['PALO ALTO', 'CA', '94301'],
];
const OCCUPATIONS: readonly [string, string][] = [
  ['RETIRED', 'RETIRED'],
  ['SELF-EMPLOYED', 'OWNER'],
  ['EXAMPLE ENGINEERING CO.', 'ENGINEER'],
  ['SAMPLE HOLDINGS LLC', 'EXECUTIVE'],
  ['NOT EMPLOYED', 'NOT EMPLOYED'],
  ['FICTIONAL FARMS', 'FARMER'],
];

function buildReceipts(): Receipt[] {
  const rng = new Rng('itcont');
  const out: Receipt[] = [];
  for (const [date, dollars] of MUSK_RECEIPTS)
    out.push({
      name: MUSK_NAME,
      city: 'AUSTIN',
      state: 'TX',
      zip: '78701',
      employer: 'SPACEX',
      occupation: 'CEO',
      date,
      amount: BigInt(dollars) * 100n,
      type: '15',
      memo: false,
      memoText: '',
    });
  // A memo line restating the September receipt (already counted above).
  out.push({
    name: MUSK_NAME,
    city: 'AUSTIN',
    state: 'TX',
    zip: '78701',
    employer: 'SPACEX',
    occupation: 'CEO',
    date: '2024-09-12',
    amount: 2_000_000_000n,
    type: '15',
    memo: true,
    memoText: 'MEMO: RESTATES 09/12/2024 RECEIPT REPORTED ABOVE',
  });
  const amounts = [2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 330_000, 500_000, 1_000_000];
  const donors: Receipt[] = [];
  for (let i = 0; i < 270; i++) {
    const [city, state, zip] = rng.pick(DONOR_PLACES);
    const [employer, occupation] = rng.pick(OCCUPATIONS);
    const name = `${rng.pick(LAST_NAMES)}, ${rng.pick(FIRST_NAMES)} ${String.fromCharCode(65 + (i % 26))}.`;
    const date = addDays('2024-07-01', rng.int(0, 126));
    const amount = BigInt(rng.pick(amounts)) + (rng.chance(0.1) ? BigInt(rng.int(1, 99)) : 0n);
    const earmarked = rng.chance(0.08);
    const r: Receipt = {
      name,
      city,
      state,
      zip,
      employer,
      occupation,
      date,
      amount,
      type: earmarked ? '15E' : '15',
      memo: false,
      memoText: earmarked ? '* EARMARKED CONTRIBUTION: SEE BELOW' : '',
    };
    donors.push(r);
    if (earmarked)
      // The conduit's memo line for the same money: shown, never added.
      donors.push({ ...r, type: '15E', memo: true, memoText: 'MEMO: EARMARKED THROUGH A CONDUIT (SAMPLE)' });
  }
  // Refunds of a few earlier contributions.
  const refunded = donors
    .filter((d) => !d.memo && d.date < '2024-10-01')
    .slice(0, 40)
    .filter((_, i) => i % 7 === 3);
  for (const d of refunded)
    donors.push({ ...d, date: addDays(d.date, 21), amount: -d.amount, type: '22Y', memoText: 'REFUND' });
  out.push(...donors);
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function itcontReport(date: string): { rpt: string; file: string } {
  if (date <= '2024-09-30') return { rpt: 'Q3', file: '1810001' };
  if (date <= '2024-10-16') return { rpt: '12G', file: '1810002' };
  return { rpt: '30G', file: '1810003' };
}

function renderItcont(receipts: readonly Receipt[]): string {
  return (
    receipts
      .map((r, i) => {
        const { rpt, file } = itcontReport(r.date);
        const mmddyyyy = `${r.date.slice(5, 7)}${r.date.slice(8, 10)}${r.date.slice(0, 4)}`;
        const dollars = r.amount % 100n === 0n ? (r.amount / 100n).toString() : money(r.amount);
        return [
          COMMITTEE_ID,
          'N',
          rpt,
          'G2024',
          `20241015${String(9_200_000_000 + i * 3).padStart(10, '0')}`,
          r.type,
          'IND',
          r.name,
          r.city,
          r.state,
          r.zip,
          r.employer,
          r.occupation,
          mmddyyyy,
          dollars,
          '',
          `SA11AI.${i + 1}${r.memo ? 'M' : ''}`,
          file,
          r.memo ? 'X' : '',
          r.memoText,
          String(4_102_420_241_000_000_000n + BigInt(i + 1) * 11n),
        ].join('|');
      })
      .join('\n') + '\n'
  );
}

// ---------------------------------------------------------------------------------------------
// First-party files

function renderPayouts(payouts: readonly FirstPartyPayout[]): string {
  return csv(
    [
      'payment_id',
      'paid_at',
      'payer_committee_id',
      'payer_name',
      'payee_email',
      'category',
      'purpose',
      'amount',
      'currency',
      'state',
    ],
    payouts.map((p) => [
      p.id,
      p.paidOn,
      COMMITTEE_ID,
      COMMITTEE_NAME,
      p.payeeEmail,
      p.category,
      p.purpose,
      money(p.amount),
      'USD',
      p.state,
    ]),
  );
}

function renderSignups(signups: readonly Signup[]): string {
  return csv(
    [
      'signature_id',
      'petition_id',
      'signed_at',
      'state',
      'zip',
      'signer_email',
      'signer_phone',
      'referrer_email',
      'phones_collected',
      'channel',
    ],
    signups.map((s) => [
      s.id,
      PETITION_ID,
      s.at,
      s.state,
      s.zip,
      s.email,
      s.phone ?? '',
      s.referrer ?? '',
      String(s.phones),
      s.channel,
    ]),
  );
}

function renderContacts(contacts: readonly Contact[]): string {
  return csv(
    [
      'campaign_id',
      'attempt_id',
      'attempted_at',
      'method',
      'outcome',
      'canvasser_email',
      'voter_id',
      'voter_email',
      'state',
      'zip',
      'petition_signed',
      'paid_by_committee_id',
    ],
    contacts.map((c) => [
      c.campaign,
      c.attempt,
      c.at,
      c.method,
      c.outcome,
      c.canvasser,
      c.voterId ?? '',
      c.voterEmail ?? '',
      c.state,
      c.zip,
      c.signed === null ? '' : c.signed ? 'yes' : 'no',
      COMMITTEE_ID,
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// Meta Ad Library API pages

export const META_FETCHED_AT = '2024-11-06T12:00:00Z';
export const META_WINDOW = { from: '2024-08-05', to: ELECTION_DAY } as const;
/** Sample Meta spend is the design's figures divided by this (the ratio is kept). */
export const META_SCALE = 10;

export type MetaSide = 'pro-Harris' | 'pro-Trump';
interface MetaPage {
  page_id: string;
  page_name: string;
  byline: string;
}

/** The pages of each side (real public pages of the case; their ads here are invented). */
export const META_PAGES: Record<MetaSide, readonly MetaPage[]> = {
  'pro-Harris': [
    { page_id: '610000000000101', page_name: 'Kamala Harris', byline: 'HARRIS FOR PRESIDENT' },
    { page_id: '610000000000102', page_name: 'Future Forward', byline: 'FF PAC' },
  ],
  'pro-Trump': [
    {
      page_id: '610000000000201',
      page_name: 'Donald J. Trump',
      byline: 'DONALD J. TRUMP FOR PRESIDENT 2024, INC.',
    },
    { page_id: '610000000000202', page_name: 'America PAC', byline: 'AMERICA PAC' },
  ],
};

const META_BODIES: Record<MetaSide, readonly string[]> = {
  'pro-Harris': [
    'Kamala Harris will lower costs for families and protect our freedoms. Make a plan to vote.',
    'Our freedoms are on the ballot. Vote early for Kamala Harris and Tim Walz.',
    'A new way forward: Kamala Harris has a plan to build up the middle class.',
    'Your vote decides this election. Find your polling place and vote for Harris.',
  ],
  'pro-Trump': [
    'Prices are up under Kamala. Vote Donald J. Trump to make America affordable again.',
    'Sign the petition in support of free speech and the right to bear arms.',
    'Early voting is open. Vote Trump and secure the border.',
    'Registered voters in the swing states: sign the petition and make your voice heard.',
  ],
};

interface MetaAd {
  side: MetaSide;
  json: Record<string, unknown>;
  low: bigint;
  high: bigint | null;
}

function buildMetaAds(): MetaAd[] {
  const rng = new Rng('meta');
  const ads: MetaAd[] = [];
  let seq = 0;
  const make = (side: MetaSide, low: number, high: number | null, legacy: boolean): void => {
    seq++;
    const page = rng.pick(META_PAGES[side]);
    const id = `91${String(20_240_000_000_000 + seq * 7919).padStart(14, '0')}`;
    const start = addDays(META_WINDOW.from, rng.int(0, 75));
    const stopCandidate = addDays(start, rng.int(7, 35));
    const stop = stopCandidate > ELECTION_DAY ? ELECTION_DAY : stopCandidate;
    const n = rng.int(1, 3);
    const states: StateInfo[] = [];
    while (states.length < n) {
      const s = rng.pick(STATES);
      if (!states.includes(s)) states.push(s);
    }
    states.sort((a, b) => (a.name < b.name ? -1 : 1));
    const shares: number[] = states.map(() => rng.int(20, 60));
    const total = shares.reduce((a, b) => a + b, 0);
    const pct = shares.map((x) => Math.floor((x * 100) / total));
    pct[0] = (pct[0] ?? 0) + 100 - pct.reduce((a, b) => a + b, 0);
    const distribution = states.map((s, i) => ({
      percentage: at(pct, i) === 100 ? '1' : `0.${String(at(pct, i)).padStart(2, '0')}`.replace(/0$/, ''),
      region: s.name,
    }));
    const impLow = Math.max(1000, Math.round((low / 10) * 1000) - (Math.round((low / 10) * 1000) % 1000));
    const body = rng.pick(META_BODIES[side]);
    const json: Record<string, unknown> = {
      id,
      ad_creation_time: addDays(start, -1),
      ad_creative_bodies: [body],
      ad_creative_link_captions: [
        side === 'pro-Harris'
          ? 'kamalaharris.example'
          : page.page_name === 'America PAC'
            ? 'petition.america-pac.example'
            : 'donaldjtrump.example',
      ],
      ad_creative_link_titles: [
        side === 'pro-Harris'
          ? 'Vote for Harris'
          : page.page_name === 'America PAC'
            ? 'Sign the petition'
            : 'Vote for Trump',
      ],
      ad_delivery_start_time: start,
      ad_delivery_stop_time: stop,
      ad_snapshot_url: `https://www.facebook.com/ads/archive/render_ad/?id=${id}&access_token=SAMPLE-NOT-A-REAL-TOKEN`,
      currency: 'USD',
      estimated_audience_size: { lower_bound: '1000000', upper_bound: '5000000' },
      impressions: { lower_bound: String(impLow), upper_bound: String(impLow * 2 - 1) },
      languages: ['en'],
      page_id: page.page_id,
      page_name: page.page_name,
      publisher_platforms: ['facebook', 'instagram'],
      spend:
        high === null
          ? { lower_bound: String(low) }
          : { lower_bound: String(low), upper_bound: String(high) },
      target_ages: ['18', '65+'],
      target_gender: 'All',
      target_locations: states.map((s) => ({
        excluded: false,
        name: s.name,
        num_obfuscated: 0,
        type: 'region',
      })),
    };
    if (legacy) {
      json.funding_entity = page.byline;
      json.region_distribution = distribution;
    } else {
      json.bylines = page.byline;
      json.delivery_by_region = distribution;
    }
    ads.push({ side, json, low: BigInt(low) * 100n, high: high === null ? null : BigInt(high) * 100n });
  };
  // Harris buckets are ten times Trump's: the sample keeps the design's ~10:1 ratio.
  for (let i = 0; i < 30; i++) {
    const k = rng.int(2, 9);
    make('pro-Harris', 50_000 * k, 50_000 * k + 49_999, i % 6 === 5);
    make('pro-Trump', 5_000 * k, 5_000 * k + 4_999, i % 6 === 2);
  }
  make('pro-Harris', 1_000_000, null, false); // the open top range: no upper_bound
  for (let i = 0; i < 3; i++) {
    const k = rng.int(2, 9);
    make('pro-Trump', 5_000 * k, 5_000 * k + 4_999, false);
  }
  return ads;
}

function renderMetaPage(ads: readonly MetaAd[], page: 1 | 2): Record<string, unknown> {
  const body: Record<string, unknown> = { _fetched_at: META_FETCHED_AT, data: ads.map((a) => a.json) };
  const cursor = (s: string): string => Buffer.from(`sample-cursor-${s}`).toString('base64');
  body.paging =
    page === 1
      ? {
          cursors: { before: cursor('p1-before'), after: cursor('p1-after') },
          next: `https://graph.facebook.com/v21.0/ads_archive?ad_reached_countries=%5B%22US%22%5D&ad_type=POLITICAL_AND_ISSUE_ADS&search_terms=harris%20trump&limit=${ads.length}&after=${cursor('p1-after')}&access_token=SAMPLE-NOT-A-REAL-TOKEN`,
        }
      : { cursors: { before: cursor('p2-before'), after: cursor('p2-after') } };
  return body;
}

// ---------------------------------------------------------------------------------------------
// X: @America's posts

export const X_AUTHOR = { id: '1800000000000000042', username: 'America', name: 'America' } as const;

const X_TEXTS: readonly string[] = [
  'Sign the petition in support of free speech and the right to bear arms!',
  'Registered voters in PA, GA, NV, AZ, MI, WI & NC: refer a friend who signs the petition and earn $47.',
  'Every day until Election Day, one signer of the petition in a swing state wins $1,000,000.',
  'Congratulations to today’s $1M winner! Sign the petition and you could be next.',
  'Stand up for the First and Second Amendments. Sign now.',
  'Only registered voters in Pennsylvania, Georgia, Nevada, Arizona, Michigan, Wisconsin and North Carolina can sign.',
];

function snowflake(instant: string, seq: number): string {
  return (((BigInt(Date.parse(instant)) - 1_288_834_974_657n) << 22n) | BigInt(seq)).toString();
}

function buildPosts(): Record<string, unknown> {
  const rng = new Rng('x');
  const posts: Record<string, unknown>[] = [];
  const postDays = days('2024-10-06', ELECTION_DAY).filter((_, i) => i % 4 !== 3);
  postDays.forEach((date, i) => {
    const createdAt = `${instantOn(rng, date).slice(0, 19)}.000Z`;
    const id = snowflake(createdAt, i + 1);
    const daily = date >= LOTTERY_START && i % 2 === 0;
    const text = daily ? at(X_TEXTS, 3) : at(X_TEXTS, i % 3 === 2 ? 4 + (i % 2) : i % 3);
    const short = `https://t.co/${hex64(`tco ${i}`).slice(0, 10)}`;
    const full = `${text} ${short}`;
    const link = `${PETITION_URL}?utm_source=x&utm_campaign=${daily ? 'million-a-day' : 'petition'}`;
    const views = rng.int(2_000_000, 40_000_000);
    posts.push({
      author_id: X_AUTHOR.id,
      conversation_id: id,
      created_at: createdAt,
      edit_history_tweet_ids: [id],
      entities: {
        urls: [
          {
            start: text.length + 1,
            end: full.length,
            url: short,
            expanded_url: link,
            display_url: 'petition.america-pac.example/sign',
          },
        ],
      },
      id,
      lang: 'en',
      public_metrics: {
        retweet_count: Math.floor(views / 2_000),
        reply_count: Math.floor(views / 5_000),
        like_count: Math.floor(views / 400),
        quote_count: Math.floor(views / 20_000),
        bookmark_count: Math.floor(views / 10_000),
        impression_count: views,
      },
      text: full,
    });
  });
  posts.reverse(); // the API returns newest first
  const ids = posts.map((p) => p.id as string);
  return {
    data: posts,
    includes: { users: [{ id: X_AUTHOR.id, name: X_AUTHOR.name, username: X_AUTHOR.username }] },
    meta: { newest_id: ids[0], oldest_id: ids[ids.length - 1], result_count: posts.length },
  };
}

// ---------------------------------------------------------------------------------------------
// The figures

type Money = string;

/** What the sample was built to produce (also in expected.json). */
export interface CampaignFigures {
  committee_id: string;
  rows: Record<string, number>;
  donations: {
    musk_total: Money;
    musk_receipts: number;
    receipts_net_total: Money;
    refunds_total: Money;
    refunds_count: number;
    memo_lines: number;
    memo_total_not_counted: Money;
    musk_share_of_net_receipts_pct: string;
  };
  schedule_e: {
    rows: number;
    f24_rows: number;
    f3x_rows: number;
    amended_rows: number;
    expenditures: number;
    naive_total_all_rows: Money;
    total: Money;
    by_state_category: Record<string, Record<string, Money>>;
  };
  first_party_payouts: {
    referral_bounty: { count: number; total: Money };
    lottery_award: { count: number; total: Money; by_state: Record<string, { count: number; total: Money }> };
    canvasser_pay: { count: number; total: Money; by_state: Record<string, Money> };
  };
  spend_by_state_category: Record<string, Record<string, Money>>;
  spend_by_state: Record<string, Money>;
  spend_total: Money;
  signups: {
    total: number;
    by_state: Record<string, number>;
    referred: number;
    phones_collected_referred: number;
    phones_collected_total: number;
    by_channel: Record<string, number>;
    during_lottery_by_state: Record<string, number>;
  };
  cost_per_phone_via_bounties: Money;
  lottery_cost_per_signup_by_state: Record<string, Money>;
  contacts: {
    attempts: number;
    contacted: number;
    by_state: Record<
      string,
      {
        attempts: number;
        contacted: number;
        canvass_spend: Money;
        contacted_per_million_usd: string;
        spend_per_contact: Money;
      }
    >;
  };
  snap: {
    ad_sets: Record<
      string,
      { state: string; stance: string; message: string; ads: string[]; spend: Money; impressions: number }
    >;
    contradictory_ad_pairs: number;
  };
  meta: {
    window: { from: string; to: string };
    scale_divisor: number;
    sides: Record<
      string,
      {
        pages: string[];
        ads: number;
        spend_low: Money;
        spend_point: Money;
        spend_high: Money | null;
        open_ranges: number;
      }
    >;
    ratio_point: string;
  };
  posts: { count: number; account: string; author_id: string; with_petition_link: number };
}

function sortedRecord<V>(m: Map<string, V>): Record<string, V> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function moneyRecord(m: Map<string, bigint>): Record<string, Money> {
  const out = new Map<string, Money>();
  for (const [k, v] of m) out.set(k, money(v));
  return sortedRecord(out);
}

function nested(m: Map<string, Map<string, bigint>>): Record<string, Record<string, Money>> {
  const out = new Map<string, Record<string, Money>>();
  for (const [k, v] of m) out.set(k, moneyRecord(v));
  return sortedRecord(out);
}

function addNested(m: Map<string, Map<string, bigint>>, a: string, b: string, cents: bigint): void {
  const inner = m.get(a) ?? new Map<string, bigint>();
  addTo(inner, b, cents);
  m.set(a, inner);
}

function figuresOf(
  c: Campaign,
  receipts: readonly Receipt[],
  lines: readonly ScheduleELine[],
  meta: readonly MetaAd[],
  posts: Record<string, unknown>,
  rows: Record<string, number>,
): CampaignFigures {
  const counted = receipts.filter((r) => !r.memo);
  const sum = (xs: readonly { amount: bigint }[]): bigint => xs.reduce((t, x) => t + x.amount, 0n);
  const musk = sum(counted.filter((r) => r.name === MUSK_NAME));
  const net = sum(counted);
  const refunds = counted.filter((r) => r.amount < 0n);

  const latest = new Map<string, ScheduleELine>();
  for (const l of lines) {
    const cur = latest.get(l.e.transactionId);
    if (!cur || l.rank > cur.rank) latest.set(l.e.transactionId, l);
  }
  const seByStateCat = new Map<string, Map<string, bigint>>();
  const spend = new Map<string, Map<string, bigint>>();
  for (const l of latest.values()) {
    addNested(seByStateCat, l.e.state, l.e.category, l.amount);
    addNested(spend, l.e.state, l.e.category, l.amount);
  }
  const fp = c.payouts;
  const lotteryByState = new Map<string, { count: number; total: bigint }>();
  const canvPayByState = new Map<string, bigint>();
  for (const p of fp) {
    addNested(spend, p.state, p.category, p.amount);
    if (p.category === 'lottery_award') {
      const cur = lotteryByState.get(p.state) ?? { count: 0, total: 0n };
      lotteryByState.set(p.state, { count: cur.count + 1, total: cur.total + p.amount });
    }
    if (p.category === 'canvasser_pay') addTo(canvPayByState, p.state, p.amount);
  }
  const spendByState = new Map<string, bigint>();
  for (const [st, cats] of spend) for (const v of cats.values()) addTo(spendByState, st, v);

  const signupsByState = new Map<string, number>();
  const lotterySignups = new Map<string, number>();
  const byChannel = new Map<string, number>();
  for (const s of c.signups) {
    signupsByState.set(s.state, (signupsByState.get(s.state) ?? 0) + 1);
    byChannel.set(s.channel, (byChannel.get(s.channel) ?? 0) + 1);
    if (s.at.slice(0, 10) >= LOTTERY_START)
      lotterySignups.set(s.state, (lotterySignups.get(s.state) ?? 0) + 1);
  }
  const referred = c.signups.filter((s) => s.referrer !== null);
  const phonesReferred = referred.reduce((t, s) => t + s.phones, 0);
  const bounties = fp.filter((p) => p.category === 'referral_bounty');
  const bountyTotal = sum(bounties);
  const lottery = fp.filter((p) => p.category === 'lottery_award');
  const canvPay = fp.filter((p) => p.category === 'canvasser_pay');

  const contactsByState = new Map<
    string,
    {
      attempts: number;
      contacted: number;
      canvass_spend: Money;
      contacted_per_million_usd: string;
      spend_per_contact: Money;
    }
  >();
  for (const s of STATES) {
    const mine = c.contacts.filter((x) => x.state === s.code);
    const contacted = mine.filter((x) => x.contacted).length;
    const canvassSpend =
      (spend.get(s.code)?.get('canvassing') ?? 0n) + (spend.get(s.code)?.get('canvasser_pay') ?? 0n);
    contactsByState.set(s.code, {
      attempts: mine.length,
      contacted,
      canvass_spend: money(canvassSpend),
      contacted_per_million_usd: ratio(BigInt(contacted) * 100_000_000n, canvassSpend, 3),
      spend_per_contact: ratio(canvassSpend, BigInt(contacted) * 100n, 2),
    });
  }

  const lotteryPerSignup = new Map<string, Money>();
  for (const s of STATES)
    lotteryPerSignup.set(
      s.code,
      ratio(lotteryByState.get(s.code)?.total ?? 0n, BigInt(signupsByState.get(s.code) ?? 0) * 100n, 2),
    );

  const adSets = new Map<string, CampaignFigures['snap']['ad_sets'][string]>();
  for (const key of ['MI', 'PA'] as const) {
    const set = SNAP_SETS[key];
    const ads = SNAP_ADS.filter((a) => a.set === key);
    adSets.set(set.name, {
      state: set.state,
      stance: set.stance,
      message: set.message,
      ads: ads.map((a) => a.adId),
      spend: money(BigInt(ads.reduce((t, a) => t + a.spend, 0)) * 100n),
      impressions: ads.reduce((t, a) => t + a.impressions, 0),
    });
  }

  const sides = new Map<string, CampaignFigures['meta']['sides'][string]>();
  const points = new Map<string, bigint>();
  for (const side of Object.keys(META_PAGES) as MetaSide[]) {
    const mine = meta.filter((a) => a.side === side);
    const low = mine.reduce((t, a) => t + a.low, 0n);
    // Twice the point, so a closed bucket's half-cent midpoint stays exact.
    const point2 = mine.reduce((t, a) => t + (a.high === null ? 2n * a.low : a.low + a.high), 0n);
    const open = mine.filter((a) => a.high === null).length;
    const high = mine.reduce((t, a) => t + (a.high ?? 0n), 0n);
    points.set(side, point2);
    sides.set(side, {
      pages: META_PAGES[side].map((p) => p.page_name),
      ads: mine.length,
      spend_low: money(low),
      spend_point: ratio(point2, 200n, 2),
      spend_high: open > 0 ? null : money(high),
      open_ranges: open,
    });
  }

  const data = posts.data as { entities: { urls: { expanded_url: string }[] } }[];
  return {
    committee_id: COMMITTEE_ID,
    rows,
    donations: {
      musk_total: money(musk),
      musk_receipts: counted.filter((r) => r.name === MUSK_NAME).length,
      receipts_net_total: money(net),
      refunds_total: money(sum(refunds)),
      refunds_count: refunds.length,
      memo_lines: receipts.length - counted.length,
      memo_total_not_counted: money(sum(receipts.filter((r) => r.memo))),
      musk_share_of_net_receipts_pct: ratio(musk * 100n, net, 3),
    },
    schedule_e: {
      rows: lines.length,
      f24_rows: lines.filter((l) => l.form === 'F24').length,
      f3x_rows: lines.filter((l) => l.form === 'F3X').length,
      amended_rows: lines.filter((l) => l.amendment === 'A').length,
      expenditures: latest.size,
      naive_total_all_rows: money(sum(lines)),
      total: money(sum([...latest.values()])),
      by_state_category: nested(seByStateCat),
    },
    first_party_payouts: {
      referral_bounty: { count: bounties.length, total: money(bountyTotal) },
      lottery_award: {
        count: lottery.length,
        total: money(sum(lottery)),
        by_state: sortedRecord(
          new Map([...lotteryByState].map(([k, v]) => [k, { count: v.count, total: money(v.total) }])),
        ),
      },
      canvasser_pay: {
        count: canvPay.length,
        total: money(sum(canvPay)),
        by_state: moneyRecord(canvPayByState),
      },
    },
    spend_by_state_category: nested(spend),
    spend_by_state: moneyRecord(spendByState),
    spend_total: money([...spendByState.values()].reduce((t, v) => t + v, 0n)),
    signups: {
      total: c.signups.length,
      by_state: sortedRecord(signupsByState),
      referred: referred.length,
      phones_collected_referred: phonesReferred,
      phones_collected_total: c.signups.reduce((t, s) => t + s.phones, 0),
      by_channel: sortedRecord(byChannel),
      during_lottery_by_state: sortedRecord(lotterySignups),
    },
    cost_per_phone_via_bounties: ratio(bountyTotal, BigInt(phonesReferred) * 100n, 2),
    lottery_cost_per_signup_by_state: sortedRecord(lotteryPerSignup),
    contacts: {
      attempts: c.contacts.length,
      contacted: c.contacts.filter((x) => x.contacted).length,
      by_state: sortedRecord(contactsByState),
    },
    snap: {
      ad_sets: sortedRecord(adSets),
      contradictory_ad_pairs:
        SNAP_ADS.filter((a) => a.set === 'MI').length * SNAP_ADS.filter((a) => a.set === 'PA').length,
    },
    meta: {
      window: { ...META_WINDOW },
      scale_divisor: META_SCALE,
      sides: sortedRecord(sides),
      ratio_point: ratio(points.get('pro-Harris') ?? 0n, points.get('pro-Trump') ?? 1n, 2),
    },
    posts: {
      count: data.length,
      account: X_AUTHOR.username,
      author_id: X_AUTHOR.id,
      with_petition_link: data.filter((p) =>
        p.entities.urls.some((u) => u.expanded_url.startsWith(PETITION_URL)),
      ).length,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The README

function usd(m: Money | null): string {
  if (m === null) return 'open (no upper bound)';
  const [int = '0', frac = '00'] = m.replace('-', '').split('.');
  return `${m.startsWith('-') ? '−' : ''}$${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(String).join(' | ')} |`),
  ].join('\n');
}

const CATEGORY_ORDER = [
  'canvassing',
  'canvasser_pay',
  'digital_ads',
  'printing',
  'mail',
  'referral_bounty',
  'lottery_award',
];

function renderReadme(f: CampaignFigures): string {
  const states = STATES.map((s) => s.code);
  const cats = CATEGORY_ORDER.filter((cat) =>
    states.some((s) => f.spend_by_state_category[s]?.[cat] !== undefined),
  );
  const spendRows = states.map((s) => [
    s,
    ...cats.map((cat) => usd(f.spend_by_state_category[s]?.[cat] ?? '0.00')),
    usd(f.spend_by_state[s] ?? '0.00'),
  ]);
  const imports = IMPORTS.map((i) => `npx influence import ${i.source} infra/sample/campaign/${i.file}`).join(
    '\n',
  );
  const harris = f.meta.sides['pro-Harris'];
  const trump = f.meta.sides['pro-Trump'];
  const mi = f.snap.ad_sets[SNAP_SETS.MI.name];
  const pa = f.snap.ad_sets[SNAP_SETS.PA.name];
  return `# Sample campaign: America PAC in the 2024 swing states

A small, invented data set built from the facts of the motivating case of the project's design
(DESIGN.md): America PAC (FEC ${COMMITTEE_ID}), funded by one
donor, ran a petition in the 7 swing states, paid $47 per referred signer, gave $1M a day by lottery
from Oct 19 to Nov 5, 2024, paid canvassers, bought Snapchat ads with opposite messages in Michigan and
Pennsylvania, and promoted it all from @America on X; meanwhile Meta sold about ten times more
pro-Harris than pro-Trump ads. Every file is in the real format its source reads, so the sample
exercises the same parsers as real data, and every figure below is what a correct pipeline must get
back from it.

**Nothing here is real data.** Committee, candidate, vendor-platform and page names are the public
ones the case is about; every amount, date, id, text and person is invented. Private people (donors
other than the one named in the case, signers, referrers, lottery winners, canvassers, voters) have
made-up names, e-mails at \`example.com\` and phone numbers \`555-0100\`–\`555-0199\`. Links point at
\`.example\` domains.

## Import it

\`\`\`sh
${imports}
\`\`\`

${Object.values(f.rows).reduce((a, b) => a + b, 0)} records in all: the imports take seconds.

## Files

| file | source | what it holds |
| --- | --- | --- |
| \`${CAMPAIGN_FILES.itcont}\` | \`fec-itcont\` | ${f.rows[CAMPAIGN_FILES.itcont]} contribution lines to America PAC (pipe-delimited, no header, MMDDYYYY): Elon Musk's ${f.donations.musk_receipts} receipts (Jul–Oct 2024), contributions of invented small donors, ${f.donations.refunds_count} refunds (negative, type 22Y) and ${f.donations.memo_lines} memo lines (MEMO_CD X) that must not be added. |
| \`${CAMPAIGN_FILES.scheduleE}\` | \`fec-schedule-e\` | ${f.schedule_e.rows} Schedule E lines (OpenFEC CSV column names) for ${f.schedule_e.expenditures} independent expenditures: canvassing, Meta and Snapchat ads, printing, mail, supporting Trump or opposing Harris. Expenditures from Oct 1 have an F24 notice (48-hour before Oct 17, 24-hour after) and the F3X line that restates it (same transaction_id, another sub_id); ${f.schedule_e.amended_rows} Q3 lines are restated again on an amended Q3 with corrected amounts. |
| \`${CAMPAIGN_FILES.payouts}\` | \`payouts\` | ${f.rows[CAMPAIGN_FILES.payouts]} first-party payments: a $47 bounty per referred signer (paid to the referrer the next day), the $1,000,000 award each day Oct 19 – Nov 5 (to a signer of an earlier day), canvassers' weekly pay. Payees are e-mails (pseudonymized at import). |
| \`${CAMPAIGN_FILES.signups}\` | \`signups\` | ${f.signups.total} petition signatures, Oct 1 – Nov 5 2024, in the 7 states, with referrer, phones collected and channel. |
| \`${CAMPAIGN_FILES.contacts}\` | \`contacts\` | ${f.contacts.attempts} canvass attempts (door and phone), Sep 3 – Nov 5, with outcomes, paid by ${COMMITTEE_ID}; a voter who signed at the door appears in \`signups.csv\` with channel \`canvass\` and the same e-mail. |
| \`${CAMPAIGN_FILES.snap}\` | \`snap\` | The Snap library's 38-column export (snapshot 2024-11-06) with America PAC's two ad sets: "${SNAP_SETS.MI.message}" in ${SNAP_SETS.MI.area}, and "${SNAP_SETS.PA.message}" in ${SNAP_SETS.PA.area}. |
| \`${CAMPAIGN_FILES.annotations}\` | \`annotations\` | A first-party coding of those six creatives (Snap exports carry no text): ad set, subject, stance, message and transcript of each, and who coded it. |
| \`${CAMPAIGN_FILES.metaPage1}\`, \`${CAMPAIGN_FILES.metaPage2}\` | \`meta-ads\` | Meta Ad Library API (\`ads_archive\`) pages: ${harris?.ads ?? 0} pro-Harris and ${trump?.ads ?? 0} pro-Trump ads in the swing states, Aug 5 – Nov 5 2024; numbers as strings, one open top range, \`access_token\` in \`ad_snapshot_url\` and \`paging.next\`, legacy \`funding_entity\` / \`region_distribution\` on some ads; \`_fetched_at\` sets the snapshot time. |
| \`${CAMPAIGN_FILES.x}\` | \`x-posts\` | An X API v2 \`get_users_tweets\` response: ${f.posts.count} posts by @${f.posts.account} (author_id ${f.posts.author_id}) promoting the petition, each linking to ${PETITION_URL}. |
| \`expected.json\` | — | The figures below, machine-readable. |

### \`${CAMPAIGN_FILES.annotations}\` columns (the \`annotations\` source)

Columns are bound by name, in any order; \`ad_set\`, \`message\` and \`transcript\` may be left out, the
others are required (a file without one is refused whole).

| column | meaning |
| --- | --- |
| \`platform\` | \`snap\` (later also \`google\`, \`meta\`): the platform whose ad id follows |
| \`ad_id\` | the platform's ad id as in its export (Snap: the 64-hex ADID) |
| \`ad_set\` | the coder's grouping of ads that carry one message to one audience |
| \`subject\` | who or what the ad is about (\`Harris\`) |
| \`stance\` | the coded stance on the subject: \`pro-Israel\` (Harris shown as a friend of Israel) or \`pro-Palestine\` (as an ally of Palestine) |
| \`message\` | the message in a few words, as coded |
| \`transcript\` | the words spoken or shown in the creative |
| \`coder\` | who coded it (\`<group>/<coder>\`): a stance from a coder names its coder (AdStanceV1) |
| \`coded_on\` | the date of the coding, \`YYYY-MM-DD\` |

## Conventions of the sample

- America PAC received almost all its money from one donor, so every dollar it spent counts as
  Musk-funded (his share of net receipts: ${f.donations.musk_share_of_net_receipts_pct}%).
- Schedule E lines of a presidential race carry no state (the payout's \`state\` is null). The
  sample names the state at the end of the purpose, \`CANVASSING/FIELD OPERATIONS - PENNSYLVANIA\`,
  and the per-state figures read it from there. First-party payouts carry \`state\`.
- One expenditure is \`committee_id + cycle + transaction_id\`; the filing that counts is the one
  with the highest restatement rank (F24 = 1, F3X = 2, amended F3X = 3). Summing every line would
  give ${usd(f.schedule_e.naive_total_all_rows)} instead of ${usd(f.schedule_e.total)}. Two PRINTING
  payments of $111,111.00 on 2024-10-01 to one vendor are two expenditures.
- No payment is in both FEC and first-party files: Schedule E holds vendor payments; lottery awards,
  bounties and canvassers' own pay are first-party.
- The Snapchat lines of Schedule E equal the Snap library's spend of each ad set.
- Meta spend is the design's scaled down by ${f.meta.scale_divisor} (pro-Harris ≈ $100M → ≈ $10M); the
  ratio is kept. Pages: pro-Harris ${(harris?.pages ?? []).join(', ')}; pro-Trump ${(trump?.pages ?? []).join(', ')}.
  A bucket's point is its midpoint; the open top range's point is its lower bound.
- A referred signature brings two phone numbers (\`phones_collected\` = 2) for one $47 bounty.

## The figures it was built to produce

### Money in (fec-itcont)

- Elon Musk: **${usd(f.donations.musk_total)}** in ${f.donations.musk_receipts} receipts (memo lines excluded).
- Net receipts: ${usd(f.donations.receipts_net_total)}, after ${f.donations.refunds_count} refunds of ${usd(f.donations.refunds_total)}; ${f.donations.memo_lines} memo lines worth ${usd(f.donations.memo_total_not_counted)} are not counted.

### Musk-funded spend per swing state and channel (Schedule E latest filings + first-party payouts)

${table(['state', ...cats, 'total'], spendRows)}

Total: ${usd(f.spend_total)} (Schedule E ${usd(f.schedule_e.total)} in ${f.schedule_e.expenditures} expenditures, from ${f.schedule_e.rows} lines: ${f.schedule_e.f24_rows} F24, ${f.schedule_e.f3x_rows} F3X).

### Referral bounties and phone numbers

- Bounties: **${f.first_party_payouts.referral_bounty.count}** × $47 = ${usd(f.first_party_payouts.referral_bounty.total)}.
- Referred signatures: ${f.signups.referred}, bringing ${f.signups.phones_collected_referred} phone numbers.
- Cost per phone number through bounties: **${usd(f.cost_per_phone_via_bounties)}**.

### Lottery cost per signup by state

Lottery total: **${usd(f.first_party_payouts.lottery_award.total)}** (${f.first_party_payouts.lottery_award.count} daily awards). Signups: ${f.signups.total} in all.

${table(
  ['state', 'awards', 'lottery $', 'signups (Oct 1 – Nov 5)', 'signups from Oct 19', 'lottery $ per signup'],
  states.map((s) => [
    s,
    f.first_party_payouts.lottery_award.by_state[s]?.count ?? 0,
    usd(f.first_party_payouts.lottery_award.by_state[s]?.total ?? '0.00'),
    f.signups.by_state[s] ?? 0,
    f.signups.during_lottery_by_state[s] ?? 0,
    usd(f.lottery_cost_per_signup_by_state[s] ?? '0.00'),
  ]),
)}

Signups by channel: ${Object.entries(f.signups.by_channel)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}.

### The contradictory ad pairs (Snap + annotations)

${table(
  ['ad set', 'state', 'message', 'coded stance', 'ads', 'spend', 'impressions'],
  [mi, pa].flatMap((x, i) =>
    x
      ? [
          [
            i === 0 ? SNAP_SETS.MI.name : SNAP_SETS.PA.name,
            x.state,
            x.message,
            x.stance,
            x.ads.length,
            usd(x.spend),
            x.impressions,
          ],
        ]
      : [],
  ),
)}

Same sponsor (${COMMITTEE_ID}), same subject (Harris), opposite stances, disjoint places:
**${f.snap.contradictory_ad_pairs}** contradictory ad pairs (every MI ad with every PA ad).

### Meta spend, pro-Harris vs pro-Trump (${f.meta.window.from} – ${f.meta.window.to})

${table(
  ['side', 'ads', 'spend low', 'spend point', 'spend high', 'open ranges'],
  Object.entries(f.meta.sides).map(([side, s]) => [
    side,
    s.ads,
    usd(s.spend_low),
    usd(s.spend_point),
    usd(s.spend_high),
    s.open_ranges,
  ]),
)}

Ratio of points: **${f.meta.ratio_point}** (× ${f.meta.scale_divisor} for the design's scale).

### Canvass contacts per dollar by state

Canvass spend = Schedule E \`canvassing\` (latest filings) + first-party \`canvasser_pay\`. Contacted = outcome \`contacted\`.

${table(
  ['state', 'attempts', 'contacted', 'canvass spend', 'contacted per $1M', 'spend per contacted voter'],
  states.map((s) => {
    const x = f.contacts.by_state[s];
    return [
      s,
      x?.attempts ?? 0,
      x?.contacted ?? 0,
      usd(x?.canvass_spend ?? '0.00'),
      x?.contacted_per_million_usd ?? '',
      usd(x?.spend_per_contact ?? '0.00'),
    ];
  }),
)}

### Posts

${f.posts.count} posts by @${f.posts.account}, ${f.posts.with_petition_link} of them linking to the petition.

## Regenerate

\`\`\`sh
node infra/sample/campaign/generate.ts   # Node >= 22.18 (type stripping), e.g. node_modules/.bin/node
\`\`\`

The generator is deterministic (seed ${SEED}, no clock): re-running it rewrites the same bytes, and
\`campaign.test.ts\` checks that, imports every file through the real sources (no dead letters) and
recomputes the figures above from the published events.
`;
}

// ---------------------------------------------------------------------------------------------
// Entry points

async function pretty(name: string, text: string): Promise<string> {
  const filepath = path.join(CAMPAIGN_DIR, name);
  const options = (await resolveConfig(filepath)) ?? {};
  return format(text, { ...options, filepath });
}

/** Every file of the sample, name → content (what `node generate.ts` writes). Deterministic. */
export async function renderCampaign(): Promise<Map<string, string>> {
  const campaign = buildCampaign();
  const receipts = buildReceipts();
  const lines = scheduleELines(campaign.expenditures);
  const meta = buildMetaAds();
  const posts = buildPosts();
  const split = Math.ceil(meta.length / 2);
  const files = new Map<string, string>();
  files.set(CAMPAIGN_FILES.itcont, renderItcont(receipts));
  files.set(CAMPAIGN_FILES.scheduleE, renderScheduleE(lines));
  files.set(CAMPAIGN_FILES.payouts, renderPayouts(campaign.payouts));
  files.set(CAMPAIGN_FILES.signups, renderSignups(campaign.signups));
  files.set(CAMPAIGN_FILES.contacts, renderContacts(campaign.contacts));
  files.set(CAMPAIGN_FILES.snap, renderSnap());
  files.set(CAMPAIGN_FILES.annotations, renderAnnotations());
  files.set(
    CAMPAIGN_FILES.metaPage1,
    await pretty(CAMPAIGN_FILES.metaPage1, JSON.stringify(renderMetaPage(meta.slice(0, split), 1))),
  );
  files.set(
    CAMPAIGN_FILES.metaPage2,
    await pretty(CAMPAIGN_FILES.metaPage2, JSON.stringify(renderMetaPage(meta.slice(split), 2))),
  );
  files.set(CAMPAIGN_FILES.x, await pretty(CAMPAIGN_FILES.x, JSON.stringify(posts)));

  const rows: Record<string, number> = {
    [CAMPAIGN_FILES.itcont]: receipts.length,
    [CAMPAIGN_FILES.scheduleE]: lines.length,
    [CAMPAIGN_FILES.payouts]: campaign.payouts.length,
    [CAMPAIGN_FILES.signups]: campaign.signups.length,
    [CAMPAIGN_FILES.contacts]: campaign.contacts.length,
    [CAMPAIGN_FILES.snap]: SNAP_ADS.length,
    [CAMPAIGN_FILES.annotations]: SNAP_ADS.length,
    [CAMPAIGN_FILES.metaPage1]: split,
    [CAMPAIGN_FILES.metaPage2]: meta.length - split,
    [CAMPAIGN_FILES.x]: (posts.data as unknown[]).length,
  };
  const figures = figuresOf(campaign, receipts, lines, meta, posts, rows);
  files.set(CAMPAIGN_FILES.expected, await pretty(CAMPAIGN_FILES.expected, JSON.stringify(figures)));
  files.set(CAMPAIGN_FILES.readme, await pretty(CAMPAIGN_FILES.readme, renderReadme(figures)));
  return files;
}

/** Writes every file next to this module. */
export async function writeCampaign(dir: string = CAMPAIGN_DIR): Promise<string[]> {
  const files = await renderCampaign();
  for (const [name, content] of files) writeFileSync(path.join(dir, name), content);
  return [...files.keys()];
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await writeCampaign();
  process.stdout.write(`wrote ${written.length} files to ${CAMPAIGN_DIR}\n`);
}

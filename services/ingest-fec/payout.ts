/**
 * Schedule E rows (from OpenFEC JSON pages, CSV exports of them, or the FEC bulk
 * independent-expenditure file) → payout events, and the rule that picks the one filing that
 * counts for each real expenditure.
 *
 * One real expenditure is `committee_id + cycle + transaction_id` (`payout_key`): a 24/48-hour
 * notice (F24) and the F3X that restates it are the same payout. Each filed row stays its own
 * event (source_record_id = its sub_id) with a `restatement_rank`; consumers keep the highest.
 * Never dedupe on date + amount + payee: two same-day equal payments to one vendor (America PAC's
 * SE24.644 and SE24.645) are two expenditures.
 */
import { PayoutPayloadV1, type PayoutCategory } from '../../schemas/events/payout.ts';
import { US_STATE_CODES } from '../../schemas/geo.ts';
import { outcome, type ParseOutcome } from '../shared/ingest/source.ts';
import { stripTokens } from '../shared/urls.ts';
import {
  compareDigits,
  cycleOfYear,
  describeIssues,
  digits,
  normaliseAmount,
  parseFecDate,
  text,
} from './fec-values.ts';

/** A Schedule E line with the source's field names already mapped to OpenFEC's; all text as filed. */
export interface ScheduleERow {
  committee_id?: string | undefined;
  committee_name?: string | undefined;
  /** Explicit two-year cycle (WIRED's export, OpenFEC's committee.cycle, bulk fec_election_yr). */
  cycle?: string | undefined;
  report_year?: string | undefined;
  transaction_id?: string | undefined;
  sub_id?: string | undefined;
  amount?: string | undefined;
  expenditure_date?: string | undefined;
  disbursement_date?: string | undefined;
  dissemination_date?: string | undefined;
  support_oppose?: string | undefined;
  purpose?: string | undefined;
  payee_name?: string | undefined;
  candidate_id?: string | undefined;
  candidate_name?: string | undefined;
  candidate_office?: string | undefined;
  candidate_state?: string | undefined;
  candidate_district?: string | undefined;
  filing_form?: string | undefined;
  is_notice?: string | undefined;
  report_type?: string | undefined;
  amendment_indicator?: string | undefined;
  file_number?: string | undefined;
  image_number?: string | undefined;
  pdf_url?: string | undefined;
  filing_date?: string | undefined;
}

/**
 * Purpose text → category: the first rule whose pattern matches the upper-cased purpose wins, so
 * order matters ("DIGITAL MEDIA" is digital_ads before "MEDIA" is media; "PRINTING/POSTAGE" is
 * mail before "PRINTING" is printing). Voter contact by text message or phone is canvassing.
 * Anything else is `other`.
 */
export const PURPOSE_CATEGORIES: readonly (readonly [PayoutCategory, RegExp])[] = [
  ['referral_bounty', /\bREFERRAL|\bBOUNTY|PER SIGNATURE|SIGNER (BONUS|PAYMENT)/],
  ['lottery_award', /LOTTERY|SWEEPSTAKE|GIVEAWAY|\bPRIZE|DRAWING AWARD/],
  ['canvasser_pay', /CANVASSER[S']* *(PAY|WAGE|SALAR|STIPEND|COMPENSATION)/],
  ['field_staff', /FIELD STAFF|PAYROLL|SALAR(Y|IES)|\bWAGES\b|STAFF(ING)? (COST|SERVICES)/],
  [
    'canvassing',
    /CANVASS|FIELD OPERATIONS?|DOOR[- ]TO[- ]DOOR|DOOR KNOCK|\bGOTV\b|GET OUT THE VOTE|VOTER CONTACT|PHONE BANK|PHONE CALLS|\bTEXTING\b|TEXT (MESSAG|SERVICE)|\bSMS\b|PEER[- ]TO[- ]PEER/,
  ],
  [
    'digital_ads',
    /DIGITAL|ONLINE|INTERNET|SOCIAL MEDIA|\bWEB\b|WEBSITE|E-?MAIL|STREAMING|\bCTV\b|\bOTT\b|SEARCH AD|PROGRAMMATIC/,
  ],
  ['mail', /MAIL|POSTAGE|POSTCARD|LETTER/],
  [
    'printing',
    /PRINT|COLLATERAL|\bSIGNS?\b|SHIRTS?|\bHATS?\b|LITERATURE|FLYERS?|BANNERS?|DOOR HANGERS?|PALM CARDS?/,
  ],
  ['media', /MEDIA|\bTV\b|TELEVISION|RADIO|AD BUY|ADVERTIS|BROADCAST|CABLE|PRODUCTION|BILLBOARD|VIDEO/],
  ['consulting', /CONSULT|STRATEG|RESEARCH|POLLING|\bPOLL\b|SURVEY|\bDATA\b|ANALYTICS/],
  ['travel', /TRAVEL|AIRFARE|LODGING|HOTEL|MILEAGE|CHARTER/],
  ['fundraising', /FUNDRAIS/],
];

/** The category of a purpose text (see {@link PURPOSE_CATEGORIES}). */
export function categoryOf(purpose: string | null | undefined): PayoutCategory {
  const p = (purpose ?? '').toUpperCase();
  for (const [category, pattern] of PURPOSE_CATEGORIES) if (pattern.test(p)) return category;
  return 'other';
}

/**
 * Which filing of an expenditure supersedes which: a 24/48-hour notice (F24, or any row flagged
 * is_notice) = 1, a periodic report's original line (F3X, F5, F3…) = 2, its amendment
 * (amendment_indicator A, or the bulk files' A1, A2…: 2 + n) = 3 and up.
 */
export function restatementRankOf(form: string, isNotice: boolean, amendment: string | undefined): number {
  if (form === 'F24' || isNotice) return 1;
  const a = (amendment ?? '').toUpperCase();
  if (a === 'A') return 3;
  const n = /^A(\d{1,3})$/.exec(a);
  if (n) return Math.min(2 + Number(n[1]), 1000);
  return 2;
}

const STATES = new Set<string>(US_STATE_CODES);

/** Query parameters that carry credentials (an OpenFEC link copied with its api_key). */
const CREDENTIAL_PARAM = /^(api_key|apikey|access_token|oauth_token|token|key|sig|signature)$/i;

/**
 * A filing URL without credentials. The query is filtered as text, so parameters without a value
 * (docquery's `?202410099684835318`) stay as filed; stripTokens then drops any user info. (Calling
 * stripTokens alone rewrites such a query to `?202410099684835318=` once it deletes a parameter.)
 */
export function publicUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return stripTokens(url);
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const name = (part: string): string => {
    const raw = part.split('=')[0] ?? '';
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw; // a malformed %-escape: judge the name as written
    }
  };
  const kept = query.split('&').filter((part) => !CREDENTIAL_PARAM.test(name(part)));
  const rebuilt = `${url.slice(0, q)}${kept.length > 0 ? `?${kept.join('&')}` : ''}${hash < 0 ? '' : url.slice(hash)}`;
  return stripTokens(rebuilt);
}

function truthy(v: string | undefined): boolean {
  return /^(true|t|y|yes|1)$/i.test((v ?? '').trim());
}

/** The source kind written into the payload. */
export type ScheduleEKind = 'fec_schedule_e' | 'fec_ie_bulk';

/**
 * Builds and validates one payout from a Schedule E row. Rejections:
 * - `parse_error`: no committee_id, transaction_id, amount that is a number, cycle (explicit or
 *   derivable from report_year or a date), date (expenditure, disbursement or dissemination),
 *   filing form, or an unreadable support/oppose, office or date value;
 * - `schema_invalid`: the payload fails PayoutPayloadV1 (bad ids, empty payee…), with the issues.
 * `sourceRecordId` is the sub_id for OpenFEC rows; the bulk file, which has none, passes its own.
 */
export function buildPayout(
  row: ScheduleERow,
  kind: ScheduleEKind,
  sourceRecordId: string | undefined = digits(row.sub_id),
): ParseOutcome {
  const committeeId = text(row.committee_id)?.toUpperCase();
  if (!committeeId) return outcome.reject('parse_error', 'committee_id is missing');
  const transactionId = text(row.transaction_id);
  if (!transactionId) return outcome.reject('parse_error', 'transaction_id is missing');
  if (!sourceRecordId)
    return outcome.reject('parse_error', `sub_id missing or not digits: ${JSON.stringify(row.sub_id ?? '')}`);
  const amount = normaliseAmount(row.amount ?? '');
  if (amount === undefined)
    return outcome.reject('parse_error', `amount is not a number: ${JSON.stringify(row.amount ?? '')}`);

  const dates: Record<'expenditure' | 'disbursement' | 'dissemination' | 'filing', string | null> = {
    expenditure: null,
    disbursement: null,
    dissemination: null,
    filing: null,
  };
  for (const [k, v] of [
    ['expenditure', row.expenditure_date],
    ['disbursement', row.disbursement_date],
    ['dissemination', row.dissemination_date],
    ['filing', row.filing_date],
  ] as const) {
    const t = text(v);
    if (!t) continue;
    const d = parseFecDate(t);
    if (!d) return outcome.reject('parse_error', `${k} date is not a date: ${JSON.stringify(t)}`);
    dates[k] = d;
  }
  const paidOn = dates.expenditure ?? dates.disbursement ?? dates.dissemination;
  if (!paidOn) return outcome.reject('parse_error', 'no expenditure, disbursement or dissemination date');

  let cycle: number | undefined;
  const cycleText = text(row.cycle);
  const yearText = text(row.report_year);
  if (cycleText !== undefined) {
    if (!/^\d{4}$/.test(cycleText))
      return outcome.reject('parse_error', `cycle is not a year: ${JSON.stringify(cycleText)}`);
    cycle = Number(cycleText);
  } else if (yearText !== undefined) {
    if (!/^\d{4}$/.test(yearText))
      return outcome.reject('parse_error', `report_year is not a year: ${JSON.stringify(yearText)}`);
    cycle = cycleOfYear(Number(yearText));
  } else {
    cycle = cycleOfYear(Number(paidOn.slice(0, 4)));
  }

  const isNotice = truthy(row.is_notice);
  const form = text(row.filing_form)?.toUpperCase() ?? (isNotice ? 'F24' : undefined);
  if (!form) return outcome.reject('parse_error', 'filing_form is missing (and is_notice is not set)');

  const so = text(row.support_oppose)?.toUpperCase();
  let supportOppose: 'support' | 'oppose' | null = null;
  if (so === 'S' || so === 'SUPPORT') supportOppose = 'support';
  else if (so === 'O' || so === 'OPPOSE') supportOppose = 'oppose';
  else if (so !== undefined)
    return outcome.reject('parse_error', `support/oppose is not S or O: ${JSON.stringify(so)}`);

  const officeText = text(row.candidate_office)?.toUpperCase();
  let office: 'P' | 'S' | 'H' | null = null;
  if (officeText !== undefined) {
    const o = officeText[0];
    if ((o === 'P' || o === 'S' || o === 'H') && /^(P|S|H|PRESIDENT(IAL)?|SENATE|HOUSE)$/.test(officeText))
      office = o;
    else
      return outcome.reject(
        'parse_error',
        `candidate office is not P, S or H: ${JSON.stringify(officeText)}`,
      );
  }
  const candidateState = text(row.candidate_state)?.toUpperCase() ?? null;
  const districtText = text(row.candidate_district);
  const district =
    districtText && /^\d{1,2}$/.test(districtText) ? districtText.padStart(2, '0') : (districtText ?? null);
  const amendment = text(row.amendment_indicator)?.toUpperCase();
  const pdf = text(row.pdf_url);

  const payload = {
    payer_committee_id: committeeId,
    // A payer without a name in the row keeps its committee id as the name: the schema needs one.
    payer_name: text(row.committee_name) ?? committeeId,
    cycle,
    transaction_id: transactionId,
    payout_key: `${committeeId}:${cycle}:${transactionId}`,
    payee_name: text(row.payee_name) ?? null,
    payee_pseudonym: null,
    purpose: text(row.purpose) ?? '(not stated)',
    category: categoryOf(row.purpose),
    amount,
    currency: 'USD',
    paid_on: paidOn,
    disseminated_on: dates.dissemination,
    support_oppose: supportOppose,
    candidate_id: text(row.candidate_id)?.toUpperCase() ?? null,
    candidate_name: text(row.candidate_name) ?? null,
    candidate_office: office,
    candidate_state: candidateState,
    candidate_district: district,
    state:
      (office === 'S' || office === 'H') && candidateState && STATES.has(candidateState)
        ? candidateState
        : null,
    filing: {
      form,
      report_type: text(row.report_type)?.toUpperCase() ?? null,
      // The bulk files number amendments (A1, A2…); the schema keeps the letter.
      amendment_indicator: amendment ? (amendment[0] as string) : null,
      sub_id: digits(row.sub_id) ?? null,
      file_number: digits(row.file_number) ?? null,
      image_number: digits(row.image_number) ?? null,
      pdf_url: pdf ? publicUrl(pdf) : null,
      filed_on: dates.filing,
    },
    restatement_rank: restatementRankOf(form, isNotice, amendment),
    source_kind: kind,
  };
  const parsed = PayoutPayloadV1.safeParse(payload);
  if (!parsed.success) return outcome.reject('schema_invalid', describeIssues(parsed.error.issues));
  return outcome.parsedEvent(sourceRecordId, `${paidOn}T00:00:00Z`, parsed.data, PayoutPayloadV1);
}

/** What {@link latestPayouts} needs of a payout payload. */
export interface RankedPayout {
  payout_key: string;
  restatement_rank: number;
  filing: { sub_id: string | null; file_number: string | null };
}

/**
 * The filing that counts for each real expenditure — the rule ClickHouse applies when it folds
 * payouts: group by `payout_key`, keep the highest `restatement_rank`; on a tie the larger
 * `filing.sub_id`, then the larger `filing.file_number` (both compared as numbers; a missing one
 * loses). In SQL: `argMax(payload, (restatement_rank, toUInt64OrZero(sub_id),
 * toUInt64OrZero(file_number))) GROUP BY payout_key`. Pure; keeps the first-seen order of keys.
 */
export function latestPayouts<E extends { payload: RankedPayout }>(events: Iterable<E>): E[] {
  const best = new Map<string, E>();
  for (const e of events) {
    const current = best.get(e.payload.payout_key);
    if (!current || supersedes(e.payload, current.payload)) best.set(e.payload.payout_key, e);
  }
  return [...best.values()];
}

function supersedes(a: RankedPayout, b: RankedPayout): boolean {
  if (a.restatement_rank !== b.restatement_rank) return a.restatement_rank > b.restatement_rank;
  const bySub = compareDigits(a.filing.sub_id ?? '0', b.filing.sub_id ?? '0');
  if (bySub !== 0) return bySub > 0;
  return compareDigits(a.filing.file_number ?? '0', b.filing.file_number ?? '0') > 0;
}

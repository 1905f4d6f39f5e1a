/**
 * Field readers for first-party records (CSV cells or JSON values). Each either returns the
 * normalised value or throws a {@link FieldError} whose message is the rejection detail; the
 * parsers turn it into a `schema_invalid` outcome. Messages never repeat a private person's
 * identifier (the raw bytes are in the dead letter already).
 */
import { US_STATE_CODES, type UsStateCode } from '../../schemas/geo.ts';
import type { Pseudonymizer } from '../shared/pseudonym.ts';

/** A bad or missing field: the message is the rejection detail. */
export class FieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldError';
  }
}

/** One record: column (or JSON key) → value. Keys are normalised by {@link normaliseKey}. */
export type FirstPartyRecord = Record<string, unknown>;

/** `Payee Email` → `payee_email`: lower case, spaces and dashes to underscores. */
export function normaliseKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** A record with normalised keys (for records that did not come through the reader). */
export function normaliseRecord(record: Record<string, unknown>): FirstPartyRecord {
  const out: FirstPartyRecord = {};
  for (const [k, v] of Object.entries(record)) out[normaliseKey(k)] = v;
  return out;
}

/** Shows a non-private value in a message, shortened. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

/** The field as trimmed text, or undefined when absent, null or blank. */
export function text(rec: FirstPartyRecord, key: string): string | undefined {
  const v = rec[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  throw new FieldError(`${key} must be text, not ${Array.isArray(v) ? 'an array' : 'an object'}`);
}

/** The field as text; @throws FieldError when absent. */
export function required(rec: FirstPartyRecord, key: string): string {
  const v = text(rec, key);
  if (v === undefined) throw new FieldError(`${key} missing`);
  return v;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|z|[+-]\d{2}:?\d{2})$/;

const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A calendar date `YYYY-MM-DD` from `YYYY-MM-DD`, `M/D/YYYY` (US spreadsheets) or an instant
 * (its date as written, i.e. the payer's local date). @throws FieldError otherwise.
 */
export function dateOf(v: string, key: string): string {
  let m = DATE.exec(v);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (realDate(y, mo, d)) return iso(y, mo, d);
  }
  m = US_DATE.exec(v);
  if (m) {
    const [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (realDate(y, mo, d)) return iso(y, mo, d);
  }
  m = INSTANT.exec(v);
  if (m && instantOf(v, key)) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  throw new FieldError(`${key} is not a date (YYYY-MM-DD, M/D/YYYY or an ISO instant): ${show(v)}`);
}

/**
 * An instant as ISO-8601 UTC (`2024-10-19T14:03:00Z`) from an instant with `Z` or an offset, or
 * from a date alone (midnight UTC). A time without a zone is refused: the swing states span four
 * time zones and guessing one would move events across days. @throws FieldError otherwise.
 */
export function instantOf(v: string, key: string): string {
  // The canonical form (`2024-10-19T14:03:00Z`) of a real date and time is its own answer.
  if (v.length === 20 && CANONICAL_INSTANT.test(v)) {
    const y = Number(v.slice(0, 4));
    const mo = Number(v.slice(5, 7));
    const day = Number(v.slice(8, 10));
    const [h, mi, sec] = [Number(v.slice(11, 13)), Number(v.slice(14, 16)), Number(v.slice(17, 19))];
    if (realDate(y, mo, day) && h <= 23 && mi <= 59 && sec <= 59) return v;
  }
  const d = DATE.exec(v);
  if (d) {
    const [y, mo, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    if (realDate(y, mo, day)) return `${iso(y, mo, day)}T00:00:00Z`;
  }
  const m = INSTANT.exec(v);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) {
      throw new FieldError(`${key} has no time zone (add Z or an offset such as -04:00): ${show(v)}`);
    }
    throw new FieldError(`${key} is not an ISO-8601 instant: ${show(v)}`);
  }
  const [y, mo, day, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!realDate(y, mo, day) || h > 23 || mi > 59 || s > 59)
    throw new FieldError(`${key} is not a real date and time: ${show(v)}`);
  const zone = (m[8] ?? 'Z').toUpperCase();
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(
    `${iso(y, mo, day)}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${(m[7] ?? '').slice(0, 4)}${offset}`,
  );
  if (Number.isNaN(ms)) throw new FieldError(`${key} is not an ISO-8601 instant: ${show(v)}`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * A money amount as a decimal string with at least two fraction digits (`47.00`,
 * `1000000.00`, `-250.00`), from `47`, `$1,000,000`, `1000000.00`, `(250.00)` or a JSON number.
 * Digits are kept as written, never through a float. @throws FieldError otherwise.
 */
export function moneyOf(v: string, key: string): string {
  let s = v.replace(/\s+/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  }
  s = s.replace(/^\$/, '').replace(/^USD/i, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new FieldError(`${key} is not an amount: ${show(v)}`);
  const int = (m[1] ?? '').replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').padEnd(2, '0');
  if (int.length > 15 || frac.length > 6) throw new FieldError(`${key} has too many digits: ${show(v)}`);
  const zero = /^0+$/.test(int) && /^0*$/.test(frac);
  return `${negative && !zero ? '-' : ''}${int}.${frac}`;
}

const STATE_NAMES: Record<string, UsStateCode> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  'district of columbia': 'DC',
  'washington dc': 'DC',
  'washington d.c.': 'DC',
  'puerto rico': 'PR',
  guam: 'GU',
  'virgin islands': 'VI',
  'u.s. virgin islands': 'VI',
  'american samoa': 'AS',
  'northern mariana islands': 'MP',
};
const CODES = new Set<string>(US_STATE_CODES);

/** A USPS state code from a code (any case) or a full state name. @throws FieldError otherwise. */
export function stateOf(v: string, key: string): UsStateCode {
  const upper = v.toUpperCase();
  if (CODES.has(upper)) return upper as UsStateCode;
  const byName = STATE_NAMES[v.toLowerCase().replace(/\s+/g, ' ')];
  if (byName) return byName;
  throw new FieldError(`${key} is not a US state: ${show(v)}`);
}

/** The 5-digit ZIP of `19103`, `19103-1234` or `191031234`. @throws FieldError otherwise. */
export function zip5Of(v: string, key: string): string {
  const m = /^(\d{5})(-?\d{4})?$/.exec(v);
  if (!m?.[1]) throw new FieldError(`${key} is not a 5-digit ZIP (leading zeros lost?): ${show(v)}`);
  return m[1];
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/** A yes/no field, or undefined when absent. @throws FieldError on anything else. */
export function boolOf(rec: FirstPartyRecord, key: string): boolean | undefined {
  const v = text(rec, key)?.toLowerCase();
  if (v === undefined) return undefined;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new FieldError(`${key} is not yes/no: ${show(v)}`);
}

/** A whole number >= 0, or undefined when absent. @throws FieldError otherwise. */
export function countOf(rec: FirstPartyRecord, key: string): number | undefined {
  const v = text(rec, key);
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new FieldError(`${key} must be a whole number >= 0: ${show(v)}`);
  return Number(v);
}

/** An e-mail address (trimmed). @throws FieldError when it does not look like one. */
export function emailOf(v: string, key: string): string {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) throw new FieldError(`${key} is not an e-mail address`);
  return v;
}

/** A phone number with 10 to 15 digits. @throws FieldError otherwise. */
export function phoneOf(v: string, key: string): string {
  const digits = v.replace(/\D/g, '');
  if (digits.length < 10 || digits.length > 15 || /[a-z]/i.test(v)) {
    throw new FieldError(`${key} is not a phone number (10 to 15 digits)`);
  }
  return v;
}

/**
 * A payer id: an FEC committee id (`C00879510`, any case) or a first-party sponsor slug (lower
 * case, digits, `.`, `_`, `-`). @throws FieldError otherwise.
 */
export function sponsorIdOf(v: string, key: string): string {
  if (/^c\d{8}$/i.test(v)) return v.toUpperCase();
  const slug = v.toLowerCase();
  if (/^[a-z0-9][a-z0-9._-]{0,127}$/.test(slug)) return slug;
  throw new FieldError(
    `${key} must be an FEC committee id (C00879510) or a sponsor slug like america-pac: ${show(v)}`,
  );
}

/** An id: non-empty, at most 256 characters. @throws FieldError otherwise. */
export function idOf(rec: FirstPartyRecord, key: string): string {
  const v = required(rec, key);
  if (v.length > 256) throw new FieldError(`${key} is longer than 256 characters`);
  return v;
}

/**
 * The pseudonym of a person from the first of their identifier columns that is present, in
 * order of preference (e.g. `referrer_email`, then `referrer_phone`, then `referrer_code`);
 * null when none is. Emails and phones are validated first (a FieldError names the column).
 */
export function personOf(
  rec: FirstPartyRecord,
  pseudonymize: Pseudonymizer,
  columns: readonly { key: string; kind: 'email' | 'phone' | 'id' }[],
): string | null {
  for (const { key, kind } of columns) {
    const v = text(rec, key);
    if (v === undefined) continue;
    if (kind === 'email') return pseudonymize('email', emailOf(v, key));
    if (kind === 'phone') return pseudonymize('phone', phoneOf(v, key));
    return pseudonymize('id', v);
  }
  return null;
}

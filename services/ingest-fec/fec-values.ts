/**
 * Value parsing shared by the FEC sources: amounts as decimal strings (never floats), FEC's date
 * spellings, ids. Every function returns `undefined` for a value it cannot read, so the caller
 * decides whether that rejects the record or just leaves an optional field out.
 */

/**
 * An amount as filed → a decimal string with at least two fraction digits: `250` → `250.00`,
 * `111111.0` → `111111.00`, `-2300` → `-2300.00`, `14405.625` → `14405.625`. The source's digits are
 * kept (no float arithmetic). `undefined` for anything that is not a plain decimal number
 * (`1e3`, `12,50`, `$5`, empty) or has more than 15 integer / 6 fraction digits.
 */
export function normaliseAmount(text: string): string | undefined {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, sign, intDigits = '', fracDigits = ''] = m;
  if (intDigits === '' && fracDigits === '') return undefined;
  const int = intDigits.replace(/^0+(?=\d)/, '') || '0';
  const frac = fracDigits.length >= 2 ? fracDigits : fracDigits.padEnd(2, '0');
  if (int.length > 15 || frac.length > 6) return undefined;
  const zero = /^0+$/.test(int) && /^0+$/.test(frac);
  return `${sign === '-' && !zero ? '-' : ''}${int}.${frac}`;
}

/** Amount → integer cents as a BigInt (for sums in tests and checks); throws on a non-decimal. */
export function centsOf(amount: string): bigint {
  const m = /^(-)?(\d+)\.(\d+)$/.exec(amount);
  if (!m) throw new RangeError(`not a normalised amount: ${amount}`);
  const [, neg, int = '0', frac = ''] = m;
  const cents = BigInt(int) * 100n + BigInt(frac.slice(0, 2).padEnd(2, '0'));
  if (/[1-9]/.test(frac.slice(2))) throw new RangeError(`amount has sub-cent digits: ${amount}`);
  return neg ? -cents : cents;
}

const MONTHS: Record<string, number> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

function isoIfValid(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return undefined;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** itcont's TRANSACTION_DT, `MMDDYYYY` → `YYYY-MM-DD`; undefined when malformed or not a real day. */
export function parseMmddyyyy(text: string): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  return isoIfValid(Number(m[3]), Number(m[1]), Number(m[2]));
}

/**
 * A date as the FEC's exports spell it → `YYYY-MM-DD`: `2024-10-15`, `2024-10-15T00:00:00`
 * (OpenFEC), `10/15/2024`, `15-OCT-24` / `15-OCT-2024` (bulk files; two-digit years are 20YY).
 * undefined when it is none of these or not a real day.
 */
export function parseFecDate(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  if (m) return isoIfValid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) return isoIfValid(Number(m[3]), Number(m[1]), Number(m[2]));
  m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$/.exec(t);
  if (m) {
    const month = MONTHS[(m[2] ?? '').toUpperCase()];
    if (month === undefined) return undefined;
    const y = (m[3] ?? '').length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return isoIfValid(y, month, Number(m[1]));
  }
  return undefined;
}

/** The two-year cycle (an even year) a year belongs to: 2025 → 2026, 2024 → 2024. */
export function cycleOfYear(year: number): number {
  return year % 2 === 0 ? year : year + 1;
}

/** Trimmed text, or undefined when empty. */
export function text(value: string | undefined): string | undefined {
  const t = value?.trim();
  return t ? t : undefined;
}

/** Digits only (FEC numeric ids), or undefined. */
export function digits(value: string | undefined): string | undefined {
  const t = value?.trim();
  return t && /^\d{1,20}$/.test(t) ? t : undefined;
}

/** Compares two digit strings as numbers (19-digit sub_ids exceed 2^53). */
export function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `<path>: <message>` for zod issues, one per line, bounded. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map((i) => `${i.path.map(String).join('.') || '(payload)'}: ${i.message}`)
    .join('; ')
    .slice(0, 4000);
}

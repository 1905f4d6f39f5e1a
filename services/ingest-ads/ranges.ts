/**
 * Figures as the ad libraries print them, turned into ranges with a point estimate: exact figures
 * (Snap), `{lower_bound, upper_bound}` pairs with an open top (Meta API), `≤100` (Meta report) and
 * bucket labels in two vocabularies (Google: `≤ 10k`, `10k-100k`, `> 10M`, or `1000-2000`).
 * Decimal strings throughout; midpoints are computed with BigInt, never floats.
 */
import type { CountRange, MoneyRange } from '../../schemas/ranges.ts';

/** `"0072"` → `"72"`, `"12.50"` → `"12.50"`; undefined when not a plain non-negative decimal. */
export function normaliseDecimal(text: string): string | undefined {
  const m = /^(\d{1,15})(\.\d{1,6})?$/.exec(text.trim());
  if (!m) return undefined;
  const int = (m[1] ?? '').replace(/^0+(?=\d)/, '');
  return int + (m[2] ?? '');
}

/** `"061411"` → `"61411"`; undefined when not a whole non-negative count. */
export function normaliseCount(text: string): string | undefined {
  const m = /^\d{1,15}$/.exec(text.trim());
  return m ? m[0].replace(/^0+(?=\d)/, '') : undefined;
}

function scaled(d: string, scale: number): bigint {
  const [i = '0', f = ''] = d.split('.');
  return BigInt(i + f.padEnd(scale, '0'));
}

function format(v: bigint, scale: number): string {
  if (scale === 0) return v.toString();
  const s = v.toString().padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}

function fracDigits(d: string): number {
  return d.split('.')[1]?.length ?? 0;
}

function compare(a: string, b: string): number {
  const s = Math.max(fracDigits(a), fracDigits(b));
  const x = scaled(a, s);
  const y = scaled(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The exact midpoint of two non-negative decimals (one more fraction digit when needed). */
export function midpointDecimal(a: string, b: string): string {
  const s = Math.max(fracDigits(a), fracDigits(b));
  const sum = scaled(a, s) + scaled(b, s);
  return sum % 2n === 0n ? format(sum / 2n, s) : format(sum * 5n, s + 1);
}

/**
 * A money range from normalised bounds: high = low → `exact`; a closed range → `midpoint`; no
 * high → `low_bound_for_open_range`. Undefined when high < low.
 */
export function moneyRange(low: string, high: string | null): MoneyRange | undefined {
  if (high === null) return { low, high: null, point: low, point_method: 'low_bound_for_open_range' };
  const c = compare(low, high);
  if (c > 0) return undefined;
  if (c === 0) return { low, high, point: low, point_method: 'exact' };
  return { low, high, point: midpointDecimal(low, high), point_method: 'midpoint' };
}

/** A count range, like {@link moneyRange}; a midpoint is rounded down to a whole number. */
export function countRange(low: string, high: string | null): CountRange | undefined {
  if (high === null) return { low, high: null, point: low, point_method: 'low_bound_for_open_range' };
  const x = BigInt(low);
  const y = BigInt(high);
  if (x > y) return undefined;
  if (x === y) return { low, high, point: low, point_method: 'exact' };
  return { low, high, point: ((x + y) / 2n).toString(), point_method: 'midpoint' };
}

const SUFFIX: Record<string, number> = { '': 0, k: 3, K: 3, m: 6, M: 6, b: 9, B: 9 };

/** `"10k"` → `"10000"`, `"1.5M"` → `"1500000"`, `"1,000"` → `"1000"`; undefined otherwise. */
export function bucketNumber(text: string): string | undefined {
  const m = /^(\d{1,15})(?:\.(\d{1,6}))?([kKmMbB]?)$/.exec(text.replace(/,/g, ''));
  if (!m) return undefined;
  const zeros = SUFFIX[m[3] ?? ''] ?? 0;
  const frac = m[2] ?? '';
  if (frac.length > zeros && zeros > 0) return undefined;
  if (zeros === 0) return normaliseDecimal(frac ? `${m[1]}.${frac}` : (m[1] ?? ''));
  return BigInt((m[1] ?? '') + frac.padEnd(zeros, '0')).toString();
}

/**
 * Bounds of a bucket label: `≤ 10k` / `< 10k` → 0..10000, `10k-100k` and `1000-2000` (hyphen or
 * en dash) → closed, `> 10M` / `≥ 10M` / `10M+` → open top, a bare figure → exact. Undefined when
 * the label is not a bucket.
 */
export function parseBucket(text: string): { low: string; high: string | null } | undefined {
  const t = text.replace(/[\u2013\u2014]/g, '-').replace(/\s+/g, '');
  let m = /^(?:≤|<=|<)(.+)$/.exec(t);
  if (m) {
    const high = bucketNumber(m[1] ?? '');
    return high === undefined ? undefined : { low: '0', high };
  }
  m = /^(?:>|≥|>=)(.+)$/.exec(t) ?? /^(.+)\+$/.exec(t);
  if (m) {
    const low = bucketNumber(m[1] ?? '');
    return low === undefined ? undefined : { low, high: null };
  }
  m = /^([^-]+)-([^-]+)$/.exec(t);
  if (m) {
    const low = bucketNumber(m[1] ?? '');
    const high = bucketNumber(m[2] ?? '');
    return low === undefined || high === undefined ? undefined : { low, high };
  }
  const v = bucketNumber(t);
  return v === undefined ? undefined : { low: v, high: v };
}

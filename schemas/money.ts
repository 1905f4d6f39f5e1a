/**
 * Money and dates as strings: amounts are decimal strings (never floats), so a figure read from a
 * source reaches ClickHouse digit for digit. Comparisons go through {@link compareDecimal}.
 */
import { z } from 'zod';

/** `-250.00`, `47`, `111111.00`: optional minus, up to 15 integer and 6 fraction digits. */
export const DECIMAL_PATTERN = /^-?\d{1,15}(\.\d{1,6})?$/;

/** A decimal amount as a string (never a float): `-250.00`, `47`, `111111.00`. */
export const DecimalString = z.string().regex(DECIMAL_PATTERN, 'expected a decimal number as a string').meta({
  id: 'DecimalString',
  description: 'A decimal number as a string, never a float: "-250.00", "47", "111111.00".',
});

/** ISO 4217 currency code. */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected a 3-letter currency code')
  .meta({ id: 'CurrencyCode', description: 'ISO 4217 currency code, e.g. "USD".' });

/** A calendar date, `YYYY-MM-DD`. */
export const IsoDate = z.iso
  .date()
  .meta({ id: 'IsoDate', description: 'A calendar date, YYYY-MM-DD (no time zone).' });

/** A decimal string taken apart once, for comparisons ({@link compareDecimalParts}). */
export interface DecimalParts {
  sign: -1 | 0 | 1;
  /** Integer digits without leading zeros. */
  int: string;
  /** Fraction digits without trailing zeros. */
  frac: string;
}

/** The parts of a {@link DecimalString}. @throws RangeError when `s` is not one. */
export function decimalParts(s: string): DecimalParts {
  if (!DECIMAL_PATTERN.test(s)) throw new RangeError(`not a decimal string: ${JSON.stringify(s)}`);
  // Index arithmetic instead of split/replace: range checks take apart several of these per ad.
  const start = s.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const dot = s.indexOf('.');
  const intEnd = dot < 0 ? s.length : dot;
  let i = start;
  while (i < intEnd && s.charCodeAt(i) === 48 /* 0 */) i++;
  let fracEnd = s.length;
  if (dot >= 0) while (fracEnd > dot + 1 && s.charCodeAt(fracEnd - 1) === 48) fracEnd--;
  const int = s.slice(i, intEnd);
  const frac = dot < 0 ? '' : s.slice(dot + 1, fracEnd);
  const sign = int === '' && frac === '' ? 0 : start === 1 ? -1 : 1;
  return { sign, int, frac };
}

/** {@link compareDecimal} on values already taken apart. */
export function compareDecimalParts(x: DecimalParts, y: DecimalParts): -1 | 0 | 1 {
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  let magnitude: -1 | 0 | 1 = 0;
  if (x.int.length !== y.int.length) magnitude = x.int.length < y.int.length ? -1 : 1;
  else if (x.int !== y.int) magnitude = x.int < y.int ? -1 : 1;
  else {
    const n = Math.max(x.frac.length, y.frac.length);
    const xf = x.frac.padEnd(n, '0');
    const yf = y.frac.padEnd(n, '0');
    if (xf !== yf) magnitude = xf < yf ? -1 : 1;
  }
  return x.sign === 1 ? magnitude : magnitude === 0 ? 0 : magnitude === 1 ? -1 : 1;
}

/** True when `s` is a {@link DecimalString}. */
export function isDecimal(s: unknown): s is string {
  return typeof s === 'string' && DECIMAL_PATTERN.test(s);
}

/**
 * Compares two decimal strings exactly (no floats): -1 when a < b, 0 when equal (`"1.50"` equals
 * `"1.5"`, `"-0"` equals `"0"`), 1 when a > b. Throws a RangeError when either is not a
 * {@link DecimalString}.
 */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  return compareDecimalParts(decimalParts(a), decimalParts(b));
}

/**
 * Decimal arithmetic on strings, never floats: an amount read from a source reaches ClickHouse
 * digit for digit, and a conversion rounds exactly once, half to even, at the column's scale.
 * Values are carried as a BigInt scaled by a power of ten.
 */

/** A plain decimal: optional minus, digits, optional fraction (any length, unlike DecimalString). */
const PLAIN_DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** True when `s` is a plain decimal string (`-12.5`, `0.00695614`, `47`). */
export function isPlainDecimal(s: unknown): s is string {
  return typeof s === 'string' && PLAIN_DECIMAL.test(s);
}

/** `value / 10^scale` rounded half to even to a whole number (a BigInt division that is exact). */
function divRoundHalfEven(value: bigint, divisor: bigint): bigint {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let q = magnitude / divisor;
  const r = magnitude % divisor;
  const twice = r * 2n;
  if (twice > divisor || (twice === divisor && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/**
 * The decimal string as an integer count of `10^-places`, rounded half to even when it has more
 * fraction digits than `places`. Throws a RangeError for a string that is not a plain decimal
 * (callers pass values that a schema already checked).
 */
export function toScaled(s: string, places: number): bigint {
  const m = PLAIN_DECIMAL.exec(s);
  if (!m) throw new RangeError(`not a decimal string: ${JSON.stringify(s)}`);
  const [, minus, int = '0', frac = ''] = m;
  const digits = BigInt(int + frac);
  const signed = minus ? -digits : digits;
  if (frac.length <= places) return signed * 10n ** BigInt(places - frac.length);
  return divRoundHalfEven(signed, 10n ** BigInt(frac.length - places));
}

/** An integer count of `10^-places` as a decimal string with exactly `places` fraction digits. */
export function formatScaled(value: bigint, places: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  const int = places === 0 ? digits : digits.slice(0, -places);
  const text = places === 0 ? int : `${int}.${digits.slice(-places)}`;
  return negative ? `-${text}` : text;
}

/** `s` with exactly `places` fraction digits, rounded half to even: `"124999.5"` → `"124999.50"`. */
export function roundDecimal(s: string, places: number): string {
  return formatScaled(toScaled(s, places), places);
}

/** The exact sum of two decimal strings, with as many fraction digits as the longer one. */
export function addDecimal(a: string, b: string): string {
  const places = Math.max(fractionDigits(a), fractionDigits(b));
  return formatScaled(toScaled(a, places) + toScaled(b, places), places);
}

/**
 * `amount × rate` rounded half to even to `places` fraction digits (cents by default): the
 * product is exact before the one rounding, so `"100.005" × "1"` is `"100.00"` and
 * `"0.125" × "1"` is `"0.12"`.
 */
export function multiplyDecimal(amount: string, rate: string, places = 2): string {
  const pa = fractionDigits(amount);
  const pr = fractionDigits(rate);
  const exact = toScaled(amount, pa) * toScaled(rate, pr);
  return formatScaled(divRoundHalfEven(exact * 10n ** BigInt(places), 10n ** BigInt(pa + pr)), places);
}

function fractionDigits(s: string): number {
  const m = PLAIN_DECIMAL.exec(s);
  if (!m) throw new RangeError(`not a decimal string: ${JSON.stringify(s)}`);
  return m[3]?.length ?? 0;
}

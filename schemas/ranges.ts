/**
 * Ranges as the ad libraries publish them: Meta gives spend and impressions as buckets whose top
 * bucket has no upper bound, Snap gives exact figures. We keep the bounds and a point estimate
 * with the method that produced it, and never silently pick one.
 */
import { z } from 'zod';
import { compareDecimalParts, decimalParts, DecimalString, isDecimal } from './money.ts';

/** A non-negative whole count as a string, no leading zeros: `"0"`, `"61411"`. */
export const CountString = z
  .string()
  .regex(/^(0|[1-9]\d{0,14})$/, 'expected a whole count as a string')
  .meta({ id: 'CountString', description: 'A non-negative whole count as a string: "0", "61411".' });

/** A share between 0 and 1 inclusive as a decimal string: `"0.25"`, `"1"`. */
export const Fraction = z
  .string()
  .regex(/^(0(\.\d{1,12})?|1(\.0{1,12})?)$/, 'expected a fraction between 0 and 1 as a string')
  .meta({ id: 'Fraction', description: 'A share between 0 and 1 inclusive as a decimal string: "0.25".' });

/**
 * How `point` was derived from the bounds:
 * - `exact`: the source gives one figure; low = high = point.
 * - `midpoint`: (low + high) / 2 of a closed range (for counts, rounded down to a whole number).
 * - `low_bound_for_open_range`: the top bucket has no upper bound; point = low.
 */
export const PointMethod = z
  .enum(['exact', 'midpoint', 'low_bound_for_open_range'])
  .meta({ id: 'PointMethod', description: 'How point was derived from low and high.' });
export type PointMethod = z.infer<typeof PointMethod>;

interface RangeValue {
  low: string;
  high: string | null;
  point: string;
  point_method: PointMethod;
}

/**
 * The rules every range obeys: 0 <= low <= high (when high is present), low <= point <= high,
 * and a point_method that fits the bounds. Decimal comparisons, no floats. Skips rules whose
 * fields already failed their own format check.
 */
function checkRange(v: RangeValue, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const { low, high, point, point_method } = v;
  if (!isDecimal(low) || !isDecimal(point) || (high !== null && !isDecimal(high))) return;
  // Each bound taken apart once (an ad has two ranges to check).
  const lo = decimalParts(low);
  const pt = decimalParts(point);
  const hi = high === null ? null : decimalParts(high);
  const cmp = compareDecimalParts;
  if (lo.sign < 0) issue('low', 'low must not be negative');
  if (hi !== null && cmp(hi, lo) < 0) issue('high', 'high must be >= low');
  if (cmp(pt, lo) < 0) issue('point', 'point must be >= low');
  if (hi !== null && cmp(pt, hi) > 0) issue('point', 'point must be <= high');
  if (point_method === 'exact' && (hi === null || cmp(hi, lo) !== 0))
    issue('point_method', 'exact requires high = low');
  if (point_method === 'midpoint' && hi === null)
    issue('point_method', 'midpoint requires a closed range (high not null)');
  if (point_method === 'low_bound_for_open_range' && (hi !== null || cmp(pt, lo) !== 0))
    issue('point_method', 'low_bound_for_open_range requires high = null and point = low');
}

/**
 * An amount range in the currency stated beside it: `{ low, high | null, point, point_method }`.
 * high is null for an open top bucket (Meta's `>1M`).
 */
export const MoneyRange = z
  .object({
    low: DecimalString,
    high: DecimalString.nullable(),
    point: DecimalString,
    point_method: PointMethod,
  })
  .strict()
  .superRefine(checkRange)
  .meta({
    id: 'MoneyRange',
    description:
      'Amount range; high null = no upper bound. Zod-only rules: 0 <= low <= high, ' +
      'low <= point <= high; exact means low = high; midpoint needs a high; ' +
      'low_bound_for_open_range means high = null and point = low.',
  });
export type MoneyRange = z.infer<typeof MoneyRange>;

/** A count range (impressions), same rules as {@link MoneyRange}, whole numbers only. */
export const CountRange = z
  .object({
    low: CountString,
    high: CountString.nullable(),
    point: CountString,
    point_method: PointMethod,
  })
  .strict()
  .superRefine(checkRange)
  .meta({
    id: 'CountRange',
    description:
      'Count range; high null = no upper bound; a midpoint is rounded down to a whole number. ' +
      'Zod-only rules: as MoneyRange.',
  });
export type CountRange = z.infer<typeof CountRange>;

/**
 * Conversion to US dollars with a dated rate table (infra/reference/fx/usd-rates.csv, derived
 * from the ECB euro reference rates): an amount in currency C on day D uses C's rate of the
 * latest table day on or before D, and says which day that was. The original amount and
 * currency are always kept beside the converted one.
 */
import { isPlainDecimal, multiplyDecimal, roundDecimal } from './money.ts';

/** Scale of the rate columns (ClickHouse Decimal(18, 8)). */
export const RATE_PLACES = 8;

/** The rate of USD itself. */
export const USD_RATE = roundDecimal('1', RATE_PLACES);

interface Series {
  /** `YYYY-MM-DD`, ascending, distinct. */
  dates: string[];
  /** USD per unit, parallel to dates, with {@link RATE_PLACES} fraction digits. */
  rates: string[];
}

/** Rates by currency code. */
export interface FxTable {
  readonly series: ReadonlyMap<string, Series>;
}

export type FxRate =
  { ok: true; currency: string; rate: string; rate_date: string | null } | { ok: false; reason: string };

/**
 * Parses `date,currency,usd_per_unit`. Throws on a malformed line, a non-positive rate or dates
 * out of order within a currency: the file is generated (infra/reference/fx/generate.py), so
 * that means a broken checkout, not bad input.
 */
export function parseFxCsv(text: string): FxTable {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== 'date,currency,usd_per_unit')
    throw new Error('fx table: the header is not "date,currency,usd_per_unit"');
  const series = new Map<string, Series>();
  for (const [i, line] of lines.slice(1).entries()) {
    const m = /^(\d{4}-\d{2}-\d{2}),([A-Z]{3}),(\d+(?:\.\d+)?)$/.exec(line.trim());
    const [, date = '', currency = '', rate = ''] = m ?? [];
    if (!m || !isPlainDecimal(rate) || /^0+(\.0+)?$/.test(rate))
      throw new Error(`fx table line ${i + 2} is not "<date>,<currency>,<positive rate>": ${line}`);
    const s = series.get(currency) ?? { dates: [], rates: [] };
    const last = s.dates.at(-1);
    if (last !== undefined && last >= date)
      throw new Error(`fx table line ${i + 2}: ${currency} dates are not ascending (${last}, then ${date})`);
    s.dates.push(date);
    s.rates.push(roundDecimal(rate, RATE_PLACES));
    series.set(currency, s);
  }
  return { series };
}

/** Index of the last date <= `date`, or -1. */
function latestOnOrBefore(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] ?? '') <= date) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * USD per unit of `currency` on `date` (`YYYY-MM-DD`): the rate of the latest table date on or
 * before it, with that date in `rate_date`; USD is 1 with `rate_date` null. A currency the table
 * does not have, or a date before its first rate, is a failure (returned, not thrown).
 */
export function usdRate(table: FxTable, currency: string, date: string): FxRate {
  if (currency === 'USD') return { ok: true, currency, rate: USD_RATE, rate_date: null };
  const s = table.series.get(currency);
  if (!s) return { ok: false, reason: `unknown_currency: the FX table has no USD rate for ${currency}` };
  const i = latestOnOrBefore(s.dates, date);
  if (i < 0)
    return {
      ok: false,
      reason: `fx_rate_missing: no ${currency} rate on or before ${date} (the table starts ${s.dates[0] ?? '?'})`,
    };
  return { ok: true, currency, rate: s.rates[i] ?? '', rate_date: s.dates[i] ?? null };
}

/** `amount` in USD at `rate`, rounded half to even to cents. */
export function toUsd(amount: string, rate: string): string {
  return multiplyDecimal(amount, rate, 2);
}

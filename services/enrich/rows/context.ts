/**
 * What every row builder gets and gives: the reference data, the envelope columns already in
 * ClickHouse form, and back the row's fields, the Kafka key of the enriched event and the
 * sponsors whose correlations the event may change.
 */
import { EnrichmentFailure } from '../clickhouse-text.ts';
import { toUsd, usdRate } from '../fx.ts';
import { isSwingState } from '../geo.ts';
import type { ReferenceData } from '../reference.ts';

/** The envelope of the raw row, checked and in ClickHouse form. */
export interface EnvelopeColumns {
  event_id: string;
  source: string;
  source_record_id: string;
  /** DateTime64 text. */
  occurred_at: string;
  ingested_at: string;
}

export interface RowContext {
  ref: ReferenceData;
  envelope: EnvelopeColumns;
}

/** A built row (not yet in column order), its enriched-event key and its sponsors. */
export interface Built {
  fields: Record<string, unknown>;
  key: string;
  sponsors: string[];
}

/** The rate columns of a conversion. */
export interface Conversion {
  fx_rate: string;
  fx_rate_date: string | null;
  /** `amount` in USD, cents, half to even. */
  usd(amount: string): string;
}

/**
 * The USD conversion of amounts in `currency` on `date`; an {@link EnrichmentFailure} for a
 * currency the table does not know or a date before its first rate.
 */
export function conversion(ref: ReferenceData, currency: string, date: string): Conversion {
  const r = usdRate(ref.fx, currency, date);
  if (!r.ok) throw new EnrichmentFailure(r.reason);
  return { fx_rate: r.rate, fx_rate_date: r.rate_date, usd: (amount) => toUsd(amount, r.rate) };
}

/** `state`, `state_method` and `is_swing_state` from the first method that finds a state. */
export function stateColumns(attempts: readonly (readonly [method: string, state: string | null])[]): {
  state: string | null;
  state_method: string;
  is_swing_state: boolean;
} {
  for (const [method, state] of attempts)
    if (state !== null) return { state, state_method: method, is_swing_state: isSwingState(state) };
  return { state: null, state_method: 'unknown', is_swing_state: false };
}

/** The entity ids that are not empty, distinct, in order. */
export function sponsorsOf(...ids: string[]): string[] {
  return [...new Set(ids.filter((id) => id !== ''))];
}

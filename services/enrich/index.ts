/**
 * The enrichment library: each raw event of a batch becomes one row of its typed ClickHouse
 * table (infra/clickhouse/migrations/0002_event_tables.sql) and one enriched event for
 * `influence.enriched.<type>.v1` (schemas/enriched.ts), with geography, USD amounts, canonical
 * entities, stances and topics from the reference data in infra/reference.
 *
 * Deterministic: the same raw row gives byte-identical output (no clock, no randomness;
 * ingested_at comes from the row). Never throws for bad data: an event it cannot enrich comes
 * back as `{ ok: false, reason }` for the caller to dead-letter.
 */
import { EVENT_SPECS } from '../../schemas/events/index.ts';
import type { AdPayloadV1 } from '../../schemas/events/ad.ts';
import type { AnnotationPayloadV1 } from '../../schemas/events/annotation.ts';
import type { ContactPayloadV1 } from '../../schemas/events/contact.ts';
import type { DonationPayloadV1 } from '../../schemas/events/donation.ts';
import type { PayoutPayloadV1 } from '../../schemas/events/payout.ts';
import type { PostPayloadV1 } from '../../schemas/events/post.ts';
import type { SignupPayloadV1 } from '../../schemas/events/signup.ts';
import { EVENT_TYPES, enrichedTopic, type EventType } from '../../schemas/topics.ts';
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';
import { EnrichmentFailure, isoOfDateTimeText, rowDateTimeText } from './clickhouse-text.ts';
import type { ReferenceData } from './reference.ts';
import { buildAd } from './rows/ad.ts';
import { buildAnnotation } from './rows/annotation.ts';
import { buildContact } from './rows/contact.ts';
import type { Built, RowContext } from './rows/context.ts';
import { buildDonation } from './rows/donation.ts';
import { buildPayout } from './rows/payout.ts';
import { buildPost } from './rows/post.ts';
import { buildSignup } from './rows/signup.ts';
import { dateTimeColumns, orderRow, type EnrichedTable } from './tables.ts';

export { loadReferenceData, referenceDataFromTexts, referenceRows, type ReferenceData } from './reference.ts';
export {
  ENRICHED_TABLES,
  REFERENCE_TABLES,
  TABLE_COLUMNS,
  type EnrichedTable,
  type ReferenceTable,
} from './tables.ts';

export type EnrichOutcome =
  | {
      ok: true;
      table: EnrichedTable;
      /** The table row as JSONEachRow values, columns in declaration order. */
      row: Record<string, unknown>;
      /** The event for `influence.enriched.<type>.v1`: `{ schema_version: 1, type, ...row }`, times in ISO-8601. */
      enriched: { topic: string; key: string; value: Record<string, unknown> };
      /** Canonical entity ids whose correlations this event may change (none empty). */
      sponsors: string[];
    }
  | { ok: false; reason: string };

export interface Enricher {
  /** One raw event to its row and enriched event, or why not. Never throws. */
  enrich(row: RawEventRow): EnrichOutcome;
}

/** Which table each type fills. */
export const TABLE_OF_TYPE: Readonly<Record<EventType, EnrichedTable>> = {
  donation: 'donation_events',
  payout: 'payout_filings',
  ad: 'ad_snapshots',
  annotation: 'ad_annotations',
  post: 'post_observations',
  signup: 'signup_events',
  contact: 'contact_events',
};

type Builder = (ctx: RowContext, payload: unknown) => Built;

const BUILDERS: Readonly<Record<EventType, Builder>> = {
  donation: (ctx, p) => buildDonation(ctx, p as DonationPayloadV1),
  payout: (ctx, p) => buildPayout(ctx, p as PayoutPayloadV1),
  ad: (ctx, p) => buildAd(ctx, p as AdPayloadV1),
  annotation: (ctx, p) => buildAnnotation(ctx, p as AnnotationPayloadV1),
  post: (ctx, p) => buildPost(ctx, p as PostPayloadV1),
  signup: (ctx, p) => buildSignup(ctx, p as SignupPayloadV1),
  contact: (ctx, p) => buildContact(ctx, p as ContactPayloadV1),
};

const MAX_DETAIL = 2000;

function isEventType(t: string): t is EventType {
  return (EVENT_TYPES as readonly string[]).includes(t);
}

function fail(reason: string): never {
  throw new EnrichmentFailure(reason.length > MAX_DETAIL ? `${reason.slice(0, MAX_DETAIL)}…` : reason);
}

/** The payload of the row, checked again against its schema (defaults filled in, as producers write it). */
function payloadOf(row: RawEventRow, type: EventType): unknown {
  let json: unknown;
  try {
    json = JSON.parse(row.payload) as unknown;
  } catch (err) {
    fail(`payload_unreadable: the payload is not JSON (${(err as Error).message})`);
  }
  const parsed = EVENT_SPECS[type].payload.safeParse(json);
  if (!parsed.success)
    fail(
      `payload_invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function enrichOne(ref: ReferenceData, raw: RawEventRow): EnrichOutcome {
  if (typeof raw.type !== 'string' || !isEventType(raw.type))
    fail(`unknown_type: no enrichment for type ${JSON.stringify(raw.type)}`);
  const type = raw.type;
  if (raw.schema_version !== 1)
    fail(`unknown_version: ${type} schema_version ${String(raw.schema_version)} is not 1`);
  if (typeof raw.event_id !== 'string' || !/^[0-9a-f]{32}$/.test(raw.event_id))
    fail(`bad_envelope: event_id ${JSON.stringify(raw.event_id)} is not 32 lower-case hex digits`);
  if (typeof raw.source !== 'string' || raw.source === '') fail('bad_envelope: source is empty');
  if (typeof raw.source_record_id !== 'string' || raw.source_record_id === '')
    fail('bad_envelope: source_record_id is empty');
  const ctx: RowContext = {
    ref,
    envelope: {
      event_id: raw.event_id,
      source: raw.source,
      source_record_id: raw.source_record_id,
      occurred_at: rowDateTimeText(String(raw.occurred_at), 'occurred_at'),
      ingested_at: rowDateTimeText(String(raw.ingested_at), 'ingested_at'),
    },
  };
  const built = BUILDERS[type](ctx, payloadOf(raw, type));
  const table = TABLE_OF_TYPE[type];
  const row = orderRow(table, built.fields);
  const value: Record<string, unknown> = { schema_version: 1, type, ...row };
  for (const column of dateTimeColumns(table)) {
    const text = row[column];
    if (typeof text === 'string') value[column] = isoOfDateTimeText(text);
  }
  return {
    ok: true,
    table,
    row,
    enriched: { topic: enrichedTopic(type), key: built.key, value },
    sponsors: built.sponsors,
  };
}

/**
 * An enricher over loaded reference data. `enrich` checks the envelope and re-validates the
 * payload against its event schema, then builds the row. Failures it returns: `unknown_type`,
 * `unknown_version`, `bad_envelope`, `bad_time`, `bad_date`, `out_of_range`,
 * `payload_unreadable`, `payload_invalid`, `unknown_currency`, `fx_rate_missing`; and
 * `internal_error` for a fault of the library itself, so that one event cannot stop a batch.
 */
export function createEnricher(ref: ReferenceData): Enricher {
  return {
    enrich(raw: RawEventRow): EnrichOutcome {
      try {
        return enrichOne(ref, raw);
      } catch (err) {
        if (err instanceof EnrichmentFailure) return { ok: false, reason: err.reason };
        const e = err instanceof Error ? err : new Error(String(err));
        return { ok: false, reason: `internal_error: ${e.name}: ${e.message}`.slice(0, MAX_DETAIL) };
      }
    },
  };
}

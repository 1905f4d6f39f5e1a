/**
 * Completing a parsed record into an event: the deterministic id, the envelope, validation
 * against the type's schema and the Kafka key. Shared by file imports and the webhook, so the
 * same record gives the same event whichever way it arrives.
 */
import { Instant } from '../../../schemas/envelope.ts';
import { EVENT_SPECS } from '../../../schemas/events/index.ts';
import type { DlqReason } from '../../../schemas/dlq.ts';
import { rawTopic, type EventType } from '../../../schemas/topics.ts';
import { eventId } from '../event-id.ts';

export type Completed =
  | { ok: true; eventId: string; topic: string; key: string; value: string }
  | { ok: false; reason: DlqReason; detail: string };

/** A record to complete; `parsedBy` as in ParseOutcome (source.ts). */
export interface CompletableRecord {
  source_record_id: string;
  occurred_at: string;
  payload: unknown;
  parsedBy?: unknown;
}

/** The last `ingested_at` seen and whether it is a valid Instant: one import uses one time. */
let lastIngested: { time: number; iso: string; ok: boolean } | undefined;

function ingestedText(at: Date): { iso: string; ok: boolean } {
  const time = at.getTime();
  if (lastIngested?.time !== time) {
    const iso = at.toISOString();
    lastIngested = { time, iso, ok: Instant.safeParse(iso).success };
  }
  return lastIngested;
}

/** The last `occurred_at` checked and its verdict: rows in a row often share one (a file's snapshot). */
let lastOccurred: { value: unknown; ok: boolean } = { value: undefined, ok: false };

function isInstant(value: unknown): boolean {
  if (lastOccurred.value !== value || value === undefined)
    lastOccurred = { value, ok: Instant.safeParse(value).success };
  return lastOccurred.ok;
}

/** The last `source` seen and whether it passes the envelope's `source` (1 to 128 characters). */
let lastSource: { source: string; json: string } | undefined;

function sourceJson(source: string): string | undefined {
  if (lastSource?.source !== source) {
    if (source.length < 1 || source.length > 128) return undefined;
    lastSource = { source, json: JSON.stringify(source) };
  }
  return lastSource.json;
}

/**
 * The event of `type` for a record of source `source`, ingested at `ingestedAt`, or why it is
 * not one (`schema_invalid` with the zod issues of the whole envelope).
 *
 * The envelope schema is the contract; it is not run whole on every record because most of it
 * is known valid by construction (the id is ours, type and version are constants, `source` and
 * `ingested_at` are the same for a whole import). So the fast path checks `source_record_id` and
 * `occurred_at`, parses the payload with the type's payload schema (skipped when the parser
 * already did: `record.parsedBy` is that very schema and `payload` its output) and writes the
 * JSON of the envelope around it. That accepts exactly what the envelope accepts and writes the
 * same bytes as JSON.stringify of the envelope's output (the envelope parses each field with the
 * schema used here, in the same key order). Anything the fast path refuses goes through the
 * envelope schema whole, so a dead letter's reason and detail stay those of the envelope.
 */
export function completeEvent(
  source: string,
  type: EventType,
  record: CompletableRecord,
  ingestedAt: Date,
): Completed {
  const spec = EVENT_SPECS[type];
  if (!spec) return { ok: false, reason: 'unknown_type', detail: `no schema is registered for ${type}` };
  const id = eventId(source, record.source_record_id, spec.schema_version);
  const ingested = ingestedText(ingestedAt);
  const srcJson = sourceJson(source);
  const rid = record.source_record_id;
  if (
    srcJson !== undefined &&
    ingested.ok &&
    typeof rid === 'string' &&
    rid.length >= 1 &&
    rid.length <= 512 &&
    isInstant(record.occurred_at)
  ) {
    let payload: unknown;
    let ok = true;
    if (record.parsedBy === spec.payload) {
      payload = record.payload;
    } else {
      const parsed = spec.payload.safeParse(record.payload);
      ok = parsed.success;
      payload = parsed.data;
    }
    if (ok) {
      const event = {
        event_id: id,
        type,
        schema_version: spec.schema_version,
        source,
        source_record_id: rid,
        occurred_at: record.occurred_at,
        ingested_at: ingested.iso,
        payload,
      };
      return {
        ok: true,
        eventId: id,
        topic: rawTopic(type),
        key: spec.key(event),
        value:
          `{"event_id":"${id}","type":${JSON.stringify(type)},"schema_version":${spec.schema_version},` +
          `"source":${srcJson},"source_record_id":${JSON.stringify(rid)},` +
          `"occurred_at":${JSON.stringify(record.occurred_at)},"ingested_at":"${ingested.iso}",` +
          `"payload":${JSON.stringify(payload)}}`,
      };
    }
  }
  return completeEventWhole(source, type, record, ingestedAt, id);
}

/**
 * The envelope schema run whole on the record (with its id `id`): the reference that
 * {@link completeEvent} must agree with, and the path that words its rejections.
 */
export function completeEventWhole(
  source: string,
  type: EventType,
  record: CompletableRecord,
  ingestedAt: Date,
  id: string,
): Completed {
  const spec = EVENT_SPECS[type];
  const parsed = spec.envelope.safeParse({
    event_id: id,
    type,
    schema_version: spec.schema_version,
    source,
    source_record_id: record.source_record_id,
    occurred_at: record.occurred_at,
    ingested_at: ingestedAt.toISOString(),
    payload: record.payload,
  });
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'schema_invalid',
      detail: JSON.stringify(parsed.error.issues).slice(0, 8000),
    };
  }
  return {
    ok: true,
    eventId: id,
    topic: rawTopic(type),
    key: spec.key(parsed.data),
    value: JSON.stringify(parsed.data),
  };
}

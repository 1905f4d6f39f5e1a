/**
 * Completing a parsed record into an event: the deterministic id, the envelope, validation
 * against the type's schema and the Kafka key. Shared by file imports and the webhook, so the
 * same record gives the same event whichever way it arrives.
 */
import { EVENT_SPECS } from '../../../schemas/events/index.ts';
import type { DlqReason } from '../../../schemas/dlq.ts';
import { rawTopic, type EventType } from '../../../schemas/topics.ts';
import { eventId } from '../event-id.ts';

export type Completed =
  | { ok: true; eventId: string; topic: string; key: string; value: string }
  | { ok: false; reason: DlqReason; detail: string };

/**
 * The event of `type` for a record of source `source`, ingested at `ingestedAt`, or why it is
 * not one (`schema_invalid` with the zod issues).
 */
export function completeEvent(
  source: string,
  type: EventType,
  record: { source_record_id: string; occurred_at: string; payload: unknown },
  ingestedAt: Date,
): Completed {
  const spec = EVENT_SPECS[type];
  if (!spec) return { ok: false, reason: 'unknown_type', detail: `no schema is registered for ${type}` };
  const id = eventId(source, record.source_record_id, spec.schema_version);
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

/**
 * The one check a raw-topic message must pass before it enters the pipeline: JSON, then the
 * envelope's fields, then the schema of its type. The bridge decodes every message with it, and
 * `influence dlq replay` re-checks a bridge dead letter with it, so both judge alike.
 */
import { EVENT_SPECS } from '../../schemas/events/index.ts';
import { EnvelopeFieldsV1 } from '../../schemas/envelope.ts';

export type RawEventCheck =
  | { ok: true; event: EnvelopeFieldsV1 & { payload: unknown } }
  | { ok: false; reason: 'parse_error' | 'schema_invalid' | 'unknown_type'; detail: string };

/** Validates the bytes of one raw-topic message against its event type's schema. */
export function checkRawEvent(raw: Buffer): RawEventCheck {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'parse_error', detail: `not JSON: ${(err as Error).message}` };
  }
  const head = EnvelopeFieldsV1.safeParse(json);
  if (!head.success)
    return { ok: false, reason: 'schema_invalid', detail: JSON.stringify(head.error.issues) };
  const spec = EVENT_SPECS[head.data.type];
  if (!spec)
    return { ok: false, reason: 'unknown_type', detail: `no schema registered for type ${head.data.type}` };
  const full = spec.envelope.safeParse(json);
  if (!full.success)
    return { ok: false, reason: 'schema_invalid', detail: JSON.stringify(full.error.issues) };
  return { ok: true, event: full.data as EnvelopeFieldsV1 & { payload: unknown } };
}

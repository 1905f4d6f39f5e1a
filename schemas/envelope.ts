/**
 * The envelope every event travels in. `event_id` is deterministic from source, source record id
 * and schema version, so importing a record again yields the same id and is a no-op downstream.
 */
import { z } from 'zod';
import { EVENT_TYPES } from './topics.ts';

/** ISO-8601 instant with an offset, e.g. `2024-10-19T14:00:00Z`. */
export const Instant = z.iso.datetime({ offset: true }).meta({
  id: 'Instant',
  description: 'ISO-8601 instant with Z or an offset, e.g. "2024-10-19T14:00:00Z".',
});

/** Source record ids are strings everywhere (X and Meta ids exceed 2^53). */
export const SourceRecordId = z.string().min(1).max(512).meta({
  id: 'SourceRecordId',
  description: 'The record id within its source; with source and schema_version it determines event_id.',
});

/** Fields every event carries besides its payload. */
export const EnvelopeFieldsV1 = z.object({
  event_id: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'expected 32 hex characters')
    .describe('Deterministic from source, source_record_id and schema_version: a re-import is a no-op.'),
  type: z.enum(EVENT_TYPES),
  schema_version: z.literal(1),
  source: z
    .string()
    .min(1)
    .max(128)
    .describe('Where the record came from, e.g. "fec:itcont", "snap:csv", "webhook:actblue".'),
  source_record_id: SourceRecordId,
  occurred_at: Instant.describe('When the thing happened in the world (see each payload for which time).'),
  ingested_at: Instant.describe('When the pipeline accepted the record.'),
});
export type EnvelopeFieldsV1 = z.infer<typeof EnvelopeFieldsV1>;

/** Builds the envelope schema of one event type around its payload schema. */
export function envelopeOf<T extends (typeof EVENT_TYPES)[number], P extends z.ZodType>(type: T, payload: P) {
  return EnvelopeFieldsV1.extend({ type: z.literal(type), payload });
}

/** What a producer submits before the envelope is completed (ids and times filled in). */
export const SubmissionV1 = z.object({
  source: z.string().min(1).max(128),
  source_record_id: SourceRecordId,
  occurred_at: Instant,
  payload: z.unknown(),
});
export type SubmissionV1 = z.infer<typeof SubmissionV1>;

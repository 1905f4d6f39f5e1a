/**
 * A dead letter: what could not be processed, why, where it came from, and its raw bytes, so
 * nothing is lost and it can be replayed after a fix.
 */
import { z } from 'zod';
import { Instant } from './envelope.ts';

export const DlqReason = z.enum([
  'schema_invalid',
  'parse_error',
  'encoding_error',
  'too_large',
  'unknown_type',
  'enrichment_failed',
  'insert_failed',
]);
export type DlqReason = z.infer<typeof DlqReason>;

export const DlqRecordV1 = z.object({
  schema_version: z.literal(1),
  reason: DlqReason,
  /** Human-readable detail, e.g. the zod issues. */
  detail: z.string().max(16_384),
  /** The pipeline step that gave up: `ingest-http`, `import:fec-itcont`, `bridge`, … */
  step: z.string().min(1),
  service: z.string().min(1),
  /** The source file, URL or topic. */
  source: z.string().min(1),
  /** Line or record number in a file, or offset in a topic; null when there is none. */
  position: z.string().nullable(),
  source_partition: z.number().int().nullable(),
  /** The original key and headers, when the record came from Kafka. */
  original_key: z.string().nullable(),
  original_headers: z.record(z.string(), z.string()),
  /**
   * The raw bytes as base64, exactly as received; or, when `raw_sealed`, sealed with AES-256-GCM
   * under a key derived from the ingestion HMAC key, because the record holds private people's
   * identifiers that must not sit in Kafka in the clear (`influence dlq` opens them for replay).
   */
  raw_base64: z.string(),
  raw_sealed: z.boolean().default(false),
  failed_at: Instant,
});
export type DlqRecordV1 = z.infer<typeof DlqRecordV1>;

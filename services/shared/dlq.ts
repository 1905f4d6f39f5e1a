/**
 * Writing dead letters. A DLQ record keeps the original key, value and headers and adds reason,
 * step, source position, service and time. Callers commit their input offsets only after
 * `publish` resolves (the DLQ write was acknowledged by all in-sync replicas).
 */
import type { Producer, IHeaders } from 'kafkajs';
import { DLQ_TOPIC } from '../../schemas/topics.ts';
import { sendInChunks } from './kafka.ts';
import type { DlqReason, DlqRecordV1 } from '../../schemas/dlq.ts';
import { metrics } from './metrics.ts';

export interface DeadLetter {
  reason: DlqReason;
  detail: string;
  step: string;
  source: string;
  position: string | null;
  partition?: number | null;
  key?: string | null;
  headers?: Record<string, string>;
  raw: Buffer;
  /** `raw` is sealed (see seal.ts) because it holds private identifiers. */
  sealed?: boolean;
}

/** Builds the DLQ record for `letter`, written by `service`. */
export function toDlqRecord(letter: DeadLetter, service: string, now: Date = new Date()): DlqRecordV1 {
  return {
    schema_version: 1,
    reason: letter.reason,
    detail: letter.detail.length > 16_384 ? `${letter.detail.slice(0, 16_380)}…` : letter.detail,
    step: letter.step,
    service,
    source: letter.source,
    position: letter.position,
    source_partition: letter.partition ?? null,
    original_key: letter.key ?? null,
    original_headers: letter.headers ?? {},
    raw_base64: letter.raw.toString('base64'),
    raw_sealed: letter.sealed ?? false,
    failed_at: now.toISOString(),
  };
}

/** Kafka headers as plain strings. */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return out;
}

/** Publishes dead letters to the DLQ topic. */
export class DlqPublisher {
  private readonly producer: Producer;
  private readonly service: string;

  constructor(producer: Producer, service: string) {
    this.producer = producer;
    this.service = service;
  }

  /** Resolves once every record is acknowledged. @throws the producer's error (retriable or not). */
  async publish(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    // A batch may dead-letter thousands of records: requests stay below the broker's 1 MiB.
    await sendInChunks(
      this.producer,
      letters.map((l) => ({
        topic: DLQ_TOPIC,
        key: l.key ?? l.source,
        value: JSON.stringify(toDlqRecord(l, this.service)),
        headers: { 'dlq-reason': l.reason, 'dlq-step': l.step },
      })),
    );
    for (const l of letters) metrics.deadLetters.inc({ reason: l.reason, step: l.step });
  }
}

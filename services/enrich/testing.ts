/**
 * Test support: raw rows as the ingest-batch activity reads them from ClickHouse `raw_events`,
 * built from events as the importers publish them (ISO times, payload as an object).
 */
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';
import { dateTimeText } from './clickhouse-text.ts';
import { loadReferenceData, type ReferenceData } from './reference.ts';

export interface PublishedEvent {
  event_id: string;
  type: string;
  schema_version: number;
  source: string;
  source_record_id: string;
  occurred_at: string;
  ingested_at: string;
  payload: unknown;
}

/** The raw_events row of a published event: ClickHouse time text, payload as JSON text. */
export function rawRowOf(e: PublishedEvent, offset = 0): RawEventRow {
  return {
    event_id: e.event_id,
    type: e.type,
    schema_version: e.schema_version,
    source: e.source,
    source_record_id: e.source_record_id,
    occurred_at: dateTimeText(e.occurred_at, 'occurred_at'),
    ingested_at: dateTimeText(e.ingested_at, 'ingested_at'),
    payload: JSON.stringify(e.payload),
    kafka_topic: `influence.raw.${e.type}.v1`,
    kafka_partition: 0,
    kafka_offset: String(offset),
    workflow_id: 'test',
  };
}

let shared: ReferenceData | undefined;

/** The checked-in reference data, loaded once per test file. */
export function repoReference(): ReferenceData {
  shared ??= loadReferenceData();
  return shared;
}

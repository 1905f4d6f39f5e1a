/**
 * Activities of the ingest-batch workflow: idempotent inserts into ClickHouse.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ClickHouseClient } from '@clickhouse/client';
import type {
  IngestActivities,
  InsertRawEventsInput,
  InsertRawEventsResult,
  RawEventRow,
} from '../../../workflows/ingest-batch/activity-contracts.ts';
import type { Logger } from '../../shared/logger.ts';
import type { DlqPublisher } from '../../shared/dlq.ts';

/** ClickHouse error codes that mean "this data is wrong", not "try again later". */
const DATA_ERROR_CODES = new Set(['6', '26', '27', '38', '41', '53', '69', '70', '72', '117', '131', '173']);

function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && DATA_ERROR_CODES.has(code);
}

export interface IngestActivityDeps {
  clickhouse: ClickHouseClient;
  dlq: DlqPublisher;
  log: Logger;
}

/** Creates the activities bound to their clients. */
export function createIngestActivities(deps: IngestActivityDeps): IngestActivities {
  const log = deps.log.child({ module: 'ingest-activities' });

  async function insert(rows: RawEventRow[], token: string): Promise<void> {
    await deps.clickhouse.insert({
      table: 'raw_events',
      values: rows,
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: token, insert_deduplicate: 1 },
    });
  }

  return {
    async insertRawEvents({ rows, dedupToken }: InsertRawEventsInput): Promise<InsertRawEventsResult> {
      if (rows.length === 0) return { inserted: 0, deadLettered: 0 };
      try {
        await insert(rows, dedupToken);
        return { inserted: rows.length, deadLettered: 0 };
      } catch (err) {
        if (!isDataError(err)) {
          // Unreachable or overloaded ClickHouse: Temporal retries the activity.
          throw ApplicationFailure.retryable(
            `ClickHouse insert failed: ${(err as Error).message}`,
            'InsertUnavailable',
          );
        }
        log.warn({ err, dedupToken, rows: rows.length }, 'batch rejected as invalid; inserting row by row');
      }
      let inserted = 0;
      const rejected: { row: RawEventRow; reason: string }[] = [];
      for (const row of rows) {
        try {
          await insert([row], `${dedupToken}:${row.event_id}`);
          inserted++;
        } catch (err) {
          if (!isDataError(err)) {
            throw ApplicationFailure.retryable(
              `ClickHouse insert failed: ${(err as Error).message}`,
              'InsertUnavailable',
            );
          }
          rejected.push({ row, reason: (err as Error).message });
        }
      }
      await deps.dlq.publish(
        rejected.map(({ row, reason }) => ({
          reason: 'insert_failed',
          detail: reason,
          step: 'worker:insertRawEvents',
          source: row.kafka_topic,
          position: row.kafka_offset,
          partition: row.kafka_partition,
          key: row.event_id,
          raw: Buffer.from(JSON.stringify(row)),
        })),
      );
      return { inserted, deadLettered: rejected.length };
    },
  };
}

/**
 * Activities of the ingest-batch workflow: the raw audit insert, enrichment into the typed
 * tables and the enriched topics, and waking the sponsors' correlation workflows. Each is
 * idempotent, so Temporal may retry any of them.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Producer } from 'kafkajs';
import type {
  EnrichAndStoreInput,
  EnrichAndStoreResult,
  IngestActivities,
  InsertRawEventsInput,
  InsertRawEventsResult,
  NotifySponsorsInput,
  RawEventRow,
  StoreClaimedBatchInput,
} from '../../../workflows/ingest-batch/activity-contracts.ts';
import {
  SPONSOR_WORKFLOW_TYPE,
  sponsorWorkflowId,
  touchedSignal,
  type SponsorCorrelationInput,
} from '../../../workflows/sponsor-correlation/contracts.ts';
import { SPONSOR } from '../../../workflows/search-attributes.ts';
import type { createEnricher } from '../../enrich/index.ts';

export type Enricher = ReturnType<typeof createEnricher>;
import type { DeadLetter, DlqPublisher } from '../../shared/dlq.ts';
import type { Logger } from '../../shared/logger.ts';
import { ClaimMissingError, insertRawFromClaim, readClaim } from '../../shared/batch-claims.ts';
import { sendInChunks } from '../../shared/kafka.ts';
import { createSignalCoalescer } from './sponsor-signals.ts';
import { insertIdempotent, isDataError, unavailable, type Rejected } from './clickhouse-insert.ts';
import { metrics } from '../../shared/metrics.ts';

export interface IngestActivityDeps {
  clickhouse: ClickHouseClient;
  dlq: DlqPublisher;
  log: Logger;
  /** Publishes the enriched events. */
  producer: Producer;
  enricher: Enricher;
  /** Starts and signals the sponsors' correlation workflows. */
  temporal: Client;
  taskQueue: string;
  /** How long a sponsor's signal waits for other batches to share it (default SIGNAL_LINGER_MS). */
  signalLingerMs?: number;
}

/**
 * The signal coalescer's linger: batches that finish within it share one signal per sponsor, so
 * an import costs each sponsor's workflow about one workflow task per second, not one per batch.
 */
export const SIGNAL_LINGER_MS = 1_000;

function rowLetter(row: RawEventRow, reason: DeadLetter['reason'], detail: string, step: string): DeadLetter {
  return {
    reason,
    detail,
    step,
    source: row.kafka_topic,
    position: row.kafka_offset,
    partition: row.kafka_partition,
    key: row.event_id,
    raw: Buffer.from(JSON.stringify(row)),
  };
}

/** The steps of a batch as plain functions, for the activities and for the rebuild's replay. */
export interface BatchSteps {
  insertRaw(rows: RawEventRow[], token: string): Promise<InsertRawEventsResult>;
  /**
   * insertRaw for rows that are the claim of `batchId`: ClickHouse copies them from the claim,
   * and only when it refuses one does the worker insert `rows` itself, row by row.
   */
  insertRawClaimed(batchId: string, rows: RawEventRow[], token: string): Promise<InsertRawEventsResult>;
  enrichAndStore(rows: RawEventRow[], token: string): Promise<EnrichAndStoreResult>;
}

export function createBatchSteps(deps: Omit<IngestActivityDeps, 'temporal' | 'taskQueue'>): BatchSteps {
  const log = deps.log.child({ module: 'ingest-activities' });

  async function deadLetterRejected(rejected: Rejected<RawEventRow>[], step: string): Promise<number> {
    await deps.dlq.publish(rejected.map(({ row, reason }) => rowLetter(row, 'insert_failed', reason, step)));
    return rejected.length;
  }

  /** Sponsors of the ads that annotations point at (an annotation alone does not know them). */
  async function sponsorsOfAnnotatedAds(keys: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    try {
      const rs = await deps.clickhouse.query({
        query: `SELECT DISTINCT sponsor_id FROM ad_snapshots
                WHERE concat(platform, ':', ad_id) IN {keys:Array(String)} AND sponsor_id != ''`,
        query_params: { keys },
        format: 'JSONEachRow',
      });
      return (await rs.json<{ sponsor_id: string }>()).map((r) => r.sponsor_id);
    } catch (err) {
      throw unavailable(err);
    }
  }

  async function insertRaw(rows: RawEventRow[], token: string): Promise<InsertRawEventsResult> {
    if (rows.length === 0) return { inserted: 0, deadLettered: 0 };
    const rejected = await insertIdempotent(
      deps.clickhouse,
      'raw_events',
      rows,
      token,
      (r) => r.event_id,
      (err) => log.warn({ err, token, rows: rows.length }, 'batch rejected as invalid; inserting row by row'),
    );
    const deadLettered = await deadLetterRejected(rejected, 'worker:insertRawEvents');
    metrics.eventsStored.inc({ table: 'raw_events' }, rows.length - deadLettered);
    return { inserted: rows.length - deadLettered, deadLettered };
  }

  return {
    insertRaw,

    async insertRawClaimed(batchId, rows, token) {
      if (rows.length === 0) return { inserted: 0, deadLettered: 0 };
      try {
        await insertRawFromClaim(deps.clickhouse, batchId, token);
      } catch (err) {
        if (!isDataError(err)) throw unavailable(err);
        // The same token: the refused copy wrote nothing, and the client insert is refused too
        // before it goes row by row, dead-lettering exactly the rows it did before the copy.
        log.warn(
          { err, token, rows: rows.length },
          'claim copy rejected as invalid; inserting from the worker',
        );
        return insertRaw(rows, token);
      }
      metrics.eventsStored.inc({ table: 'raw_events' }, rows.length);
      return { inserted: rows.length, deadLettered: 0 };
    },

    async enrichAndStore(rows, token) {
      const byTable = new Map<string, { raw: RawEventRow; row: Record<string, unknown> }[]>();
      const byTopic = new Map<string, { key: string; value: string }[]>();
      const letters: DeadLetter[] = [];
      const sponsors = new Set<string>();
      const annotated: string[] = [];
      for (const raw of rows) {
        const outcome = deps.enricher.enrich(raw);
        if (!outcome.ok) {
          letters.push(rowLetter(raw, 'enrichment_failed', outcome.reason, 'worker:enrichAndStore'));
          continue;
        }
        const tableRows = byTable.get(outcome.table) ?? [];
        tableRows.push({ raw, row: outcome.row });
        byTable.set(outcome.table, tableRows);
        const messages = byTopic.get(outcome.enriched.topic) ?? [];
        messages.push({ key: outcome.enriched.key, value: JSON.stringify(outcome.enriched.value) });
        byTopic.set(outcome.enriched.topic, messages);
        for (const s of outcome.sponsors) if (s) sponsors.add(s);
        if (outcome.table === 'ad_annotations')
          annotated.push(`${String(outcome.row.platform)}:${String(outcome.row.ad_id)}`);
      }
      let stored = 0;
      for (const [table, entries] of byTable) {
        const rawById = new Map(entries.map((e) => [e.raw.event_id, e.raw]));
        const rejected = await insertIdempotent(
          deps.clickhouse,
          table,
          entries.map((e) => e.row),
          `${token}:${table}`,
          (r) => String(r.event_id),
          (err) => log.warn({ err, token, table }, 'typed rows rejected as invalid; inserting row by row'),
        );
        for (const { row, reason } of rejected) {
          const raw = rawById.get(String(row.event_id));
          if (raw) letters.push(rowLetter(raw, 'insert_failed', reason, `worker:enrichAndStore:${table}`));
        }
        stored += entries.length - rejected.length;
        metrics.eventsStored.inc({ table }, entries.length - rejected.length);
      }
      // Enriched topics are at-least-once: a retried activity publishes again; consumers key
      // on event_id (the value carries it), as the topic's documentation says.
      let published = 0;
      if (byTopic.size > 0) {
        // A batch of thousands of events is megabytes: requests stay below the broker's 1 MiB.
        await sendInChunks(
          deps.producer,
          [...byTopic].flatMap(([topic, messages]) => messages.map((m) => ({ topic, ...m }))),
        );
        for (const [topic, m] of byTopic) {
          published += m.length;
          metrics.eventsPublished.inc({ topic }, m.length);
        }
      }
      await deps.dlq.publish(letters);
      for (const s of await sponsorsOfAnnotatedAds([...new Set(annotated)])) sponsors.add(s);
      return { stored, deadLettered: letters.length, published, sponsors: [...sponsors].sort() };
    },
  };
}

/**
 * Creates the activities bound to their clients, timed and their failures counted (metrics.ts).
 * The batch activities log with `batchId` (the ingestBatch workflow id, the bridge's too).
 */
export function createIngestActivities(deps: IngestActivityDeps): IngestActivities {
  const log = deps.log.child({ module: 'ingest-activities' });
  const steps = createBatchSteps(deps);
  // Concurrent batches that touch one sponsor share a signal sent after all of them asked.
  const signals = createSignalCoalescer(
    async (sponsorId, batchId) => {
      const args: [SponsorCorrelationInput] = [{ sponsorId }];
      await deps.temporal.workflow.signalWithStart(SPONSOR_WORKFLOW_TYPE, {
        workflowId: sponsorWorkflowId(sponsorId, deps.taskQueue),
        taskQueue: deps.taskQueue,
        args,
        signal: touchedSignal,
        signalArgs: [{ batchId }],
        typedSearchAttributes: [{ key: SPONSOR, value: sponsorId }],
      });
    },
    8,
    deps.signalLingerMs ?? SIGNAL_LINGER_MS,
  );
  return {
    insertRawEvents: ({ rows, dedupToken }: InsertRawEventsInput) => steps.insertRaw(rows, dedupToken),
    enrichAndStore: ({ rows, dedupToken }: EnrichAndStoreInput) => steps.enrichAndStore(rows, dedupToken),
    async storeClaimedBatch({ batchId, count }: StoreClaimedBatchInput) {
      let rows: RawEventRow[];
      try {
        rows = await readClaim(deps.clickhouse, batchId, count);
      } catch (err) {
        if (err instanceof ClaimMissingError)
          throw ApplicationFailure.nonRetryable(err.message, 'ClaimMissing');
        throw unavailable(err);
      }
      // The same tokens as the two activities of inline batches: a retry or a replay is a no-op.
      // ClickHouse copies the raw rows while the worker enriches: the two overlap.
      const [rawDone, enrichedDone] = await Promise.allSettled([
        steps.insertRawClaimed(batchId, rows, batchId),
        steps.enrichAndStore(rows, batchId),
      ]);
      if (rawDone.status === 'rejected') throw rawDone.reason;
      if (enrichedDone.status === 'rejected') throw enrichedDone.reason;
      const raw = rawDone.value;
      const enriched = enrichedDone.value;
      const result = {
        ...enriched,
        inserted: raw.inserted,
        deadLettered: raw.deadLettered + enriched.deadLettered,
      };
      log.info(
        {
          batchId,
          events: rows.length,
          inserted: result.inserted,
          stored: result.stored,
          published: result.published,
          deadLettered: result.deadLettered,
          sponsors: result.sponsors.length,
        },
        'claimed batch stored',
      );
      return result;
    },
    async notifySponsors({ sponsors, batchId }: NotifySponsorsInput) {
      await signals.touch(sponsors, batchId);
      log.info({ batchId, sponsors }, 'sponsors notified');
    },
  };
}

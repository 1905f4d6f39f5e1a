/**
 * Activities of the rebuild workflow: empty the derived tables, then replay a raw topic from
 * offset 0 through the same batch steps as ingestBatch (services/worker/activities/ingest).
 */
import { Context } from '@temporalio/activity';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { chunkMessages, decodeRawMessage } from '../../bridge/raw.consumer.ts';
import type { RawEventRow } from '../../../workflows/ingest-batch/activity-contracts.ts';
import type { RebuildActivities, TopicReplayResult } from '../../../workflows/rebuild/contracts.ts';
import type { Logger } from '../../shared/logger.ts';
import type { BatchSteps } from './ingest.activities.ts';
import { unavailable } from './clickhouse-insert.ts';

/** Tables a rebuild leaves alone: not derived from the raw topics. */
const KEPT = new Set(['schema_migrations', 'dlq_events']);

/**
 * The offsets to replay per partition: from the first message at the range's start (or the
 * earliest kept) up to, not including, the first at its end (or the end of the partition now).
 * Partitions with nothing in the range are left out.
 */
export function replayRanges(
  partitions: readonly { partition: number; low: string; high: string }[],
  fromOffsets?: ReadonlyMap<number, bigint>,
  toOffsets?: ReadonlyMap<number, bigint>,
): Map<number, { start: bigint; end: bigint }> {
  const out = new Map<number, { start: bigint; end: bigint }>();
  for (const p of partitions) {
    const low = BigInt(p.low);
    const high = BigInt(p.high);
    const from = fromOffsets?.get(p.partition);
    const to = toOffsets?.get(p.partition);
    const start = from !== undefined && from > low ? from : low;
    const end = to !== undefined && to < high ? to : high;
    if (end > start) out.set(p.partition, { start, end });
  }
  return out;
}

export function createRebuildActivities(deps: {
  clickhouse: ClickHouseClient;
  kafka: Kafka;
  steps: BatchSteps;
  log: Logger;
  maxBatchEvents?: number;
}): RebuildActivities {
  const log = deps.log.child({ module: 'rebuild' });
  const maxEvents = deps.maxBatchEvents ?? 500;

  return {
    async truncateDerived(): Promise<string[]> {
      try {
        const rs = await deps.clickhouse.query({
          query: `SELECT name FROM system.tables
                  WHERE database = currentDatabase() AND engine LIKE '%MergeTree'
                    AND NOT startsWith(name, '.inner') AND NOT startsWith(name, 'ref_')
                  ORDER BY name`,
          format: 'JSONEachRow',
        });
        const names = (await rs.json<{ name: string }>()).map((r) => r.name).filter((n) => !KEPT.has(n));
        for (const name of names) await deps.clickhouse.command({ query: `TRUNCATE TABLE ${name}` });
        log.info({ tables: names }, 'derived tables truncated');
        return names;
      } catch (err) {
        throw unavailable(err);
      }
    },

    async replayTopic({ topic, rebuildId, fromMs, toMs }): Promise<TopicReplayResult> {
      const admin = deps.kafka.admin();
      await admin.connect();
      const groupId = `influence.rebuild.${rebuildId}.${topic}`;
      const result: TopicReplayResult = {
        topic,
        messages: 0,
        inserted: 0,
        stored: 0,
        deadLettered: 0,
        sponsors: [],
      };
      const sponsors = new Set<string>();
      try {
        // The end of the replay: what the topic holds now (later messages are the bridge's), or
        // the first message at `toMs`. Its start: offset 0, or the first message at `fromMs`.
        const ends = new Map<number, bigint>();
        const starts = new Map<number, bigint>();
        const atTime = async (ms: number | undefined): Promise<Map<number, bigint> | undefined> =>
          ms === undefined
            ? undefined
            : new Map(
                (await admin.fetchTopicOffsetsByTimestamp(topic, ms)).map((p) => [
                  p.partition,
                  BigInt(p.offset),
                ]),
              );
        const fromOffsets = await atTime(fromMs);
        const toOffsets = await atTime(toMs);
        for (const [partition, r] of replayRanges(
          await admin.fetchTopicOffsets(topic),
          fromOffsets,
          toOffsets,
        )) {
          starts.set(partition, r.start);
          ends.set(partition, r.end);
        }
        if (ends.size === 0) return result;
        // A fresh group with no member may have its offsets set: the range's start.
        if (fromMs !== undefined)
          await admin.setOffsets({
            groupId,
            topic,
            partitions: [...starts].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
          });
        const remaining = new Set(ends.keys());
        const consumer = deps.kafka.consumer({ groupId, allowAutoTopicCreation: false });
        await consumer.connect();
        try {
          await consumer.subscribe({ topics: [topic], fromBeginning: true });
          const done = new Promise<void>((resolve, reject) => {
            const handle = async (partition: number, messages: KafkaMessage[]): Promise<void> => {
              const end = ends.get(partition);
              if (end === undefined || !remaining.has(partition)) return;
              const start = starts.get(partition) ?? 0n;
              const within = messages.filter((m) => BigInt(m.offset) < end && BigInt(m.offset) >= start);
              for (const chunk of chunkMessages(within, maxEvents, 512 * 1024)) {
                const first = chunk[0]?.offset ?? '0';
                const last = chunk[chunk.length - 1]?.offset ?? first;
                const token = `rebuild:${rebuildId}:${topic}:${partition}:${first}-${last}`;
                const rows: RawEventRow[] = [];
                for (const m of chunk) {
                  const d = decodeRawMessage(topic, partition, m);
                  // Invalid messages were dead-lettered by the bridge already: not again.
                  if (d.ok) rows.push({ ...d.row, workflow_id: token });
                  else result.deadLettered++;
                }
                const raw = await deps.steps.insertRaw(rows, token);
                const enriched = await deps.steps.enrichAndStore(rows, token);
                result.messages += chunk.length;
                result.inserted += raw.inserted;
                result.stored += enriched.stored;
                result.deadLettered += raw.deadLettered + enriched.deadLettered;
                for (const s of enriched.sponsors) sponsors.add(s);
                Context.current().heartbeat({ topic, partition, offset: last, messages: result.messages });
              }
              const lastOffset = messages[messages.length - 1]?.offset;
              if (lastOffset !== undefined && BigInt(lastOffset) + 1n >= end) remaining.delete(partition);
              if (remaining.size === 0) resolve();
            };
            consumer
              .run({
                autoCommit: false,
                eachBatch: async ({ batch }) => {
                  try {
                    await handle(batch.partition, batch.messages);
                  } catch (err) {
                    reject(err instanceof Error ? err : new Error(String(err)));
                  }
                },
              })
              .catch(reject);
          });
          await Promise.race([
            done,
            new Promise<never>((_, reject) => {
              Context.current().cancellationSignal.addEventListener('abort', () =>
                reject(new Error('rebuild cancelled')),
              );
            }),
          ]);
        } finally {
          await consumer.disconnect();
        }
        await admin.deleteGroups([groupId]).catch((err: unknown) => {
          log.warn({ err, groupId }, 'could not delete the replay consumer group; it holds no offsets');
        });
      } finally {
        await admin.disconnect();
      }
      result.sponsors = [...sponsors].sort();
      log.info({ ...result, sponsors: result.sponsors.length }, 'topic replayed');
      return result;
    },
  };
}

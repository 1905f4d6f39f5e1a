/**
 * The raw baseline: the same events through a plain kafkajs consumer that inserts them straight
 * into a scratch table with raw_events' columns — no Temporal, no validation, no enrichment, no
 * correlation. It is what moving the bytes from Kafka into ClickHouse costs on this machine, so
 * pipeline ÷ baseline says how much of the machine the pipeline's own work takes.
 *
 * Two clocks:
 * - end to end (measureBaselineEndToEnd), the one the target compares: the event file is
 *   published again, to topics of the baseline's own, while its consumer runs, and the clock runs
 *   from the first publish to the last acknowledged insert, as the pipeline's does. Publishing
 *   costs both sides the same.
 * - consumer only (measureBaseline): the run's events, already in the raw topics, from the first
 *   fetched batch to the last insert. Publishing is not on this clock, so pipeline ÷ this could
 *   not reach 1 even for a pipeline that cost nothing (docs/performance.md).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { TOPICS } from '../../schemas/topics.ts';
import { publishEventFile, type TopicOffsets } from './pipeline.ts';

export interface BaselineMeasure {
  events: number;
  seconds: number;
  events_per_s: number;
  inserts: number;
  rows_in_table: number;
}

/** ClickHouse DateTime64 text for an ISO instant (as the bridge writes it). */
function chTime(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}

interface Envelope {
  event_id: string;
  type: string;
  schema_version: number;
  source: string;
  source_record_id: string;
  occurred_at: string;
  ingested_at: string;
  payload: unknown;
}

function rowOf(topic: string, partition: number, m: KafkaMessage): Record<string, unknown> {
  const e = JSON.parse(m.value?.toString('utf8') ?? 'null') as Envelope;
  return {
    event_id: e.event_id,
    type: e.type,
    schema_version: e.schema_version,
    source: e.source,
    source_record_id: e.source_record_id,
    occurred_at: chTime(e.occurred_at),
    ingested_at: chTime(e.ingested_at),
    payload: JSON.stringify(e.payload),
    kafka_topic: topic,
    kafka_partition: partition,
    kafka_offset: m.offset,
    workflow_id: '',
  };
}

/**
 * Consumes [from, to) of every raw partition into `<scratchDb>.raw_events_baseline` (created like
 * `<database>.raw_events`). @throws when an insert fails or `timeoutMs` passes.
 */
export async function measureBaseline(opts: {
  kafka: Kafka;
  clickhouse: ClickHouseClient;
  database: string;
  scratchDb: string;
  groupId: string;
  from: TopicOffsets;
  to: TopicOffsets;
  timeoutMs: number;
}): Promise<BaselineMeasure> {
  const ch = opts.clickhouse;
  const table = `${opts.scratchDb}.raw_events_baseline`;
  await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${opts.scratchDb}` });
  await ch.command({ query: `CREATE TABLE IF NOT EXISTS ${table} AS ${opts.database}.raw_events` });

  const remaining = new Map<string, { end: bigint; left: bigint }>();
  let expected = 0n;
  for (const [topic, parts] of Object.entries(opts.to)) {
    for (const p of parts) {
      const start = BigInt(opts.from[topic]?.find((f) => f.partition === p.partition)?.offset ?? '0');
      const end = BigInt(p.offset);
      if (end > start) {
        remaining.set(`${topic}:${p.partition}`, { end, left: end - start });
        expected += end - start;
      }
    }
  }
  const admin = opts.kafka.admin();
  await admin.connect();
  try {
    for (const [topic, parts] of Object.entries(opts.from))
      await admin.setOffsets({
        groupId: opts.groupId,
        topic,
        partitions: parts.map((p) => ({ partition: p.partition, offset: p.offset })),
      });
  } finally {
    await admin.disconnect();
  }

  const consumer = opts.kafka.consumer({
    groupId: opts.groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  let inserted = 0;
  let inserts = 0;
  let finish: () => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  await consumer.connect();
  await consumer.subscribe({ topics: Object.keys(opts.from), fromBeginning: true });
  // The clock starts at the first batch: joining the group is a one-off the bridge has long paid.
  let t0 = 0;
  let t1 = 0;
  await consumer.run({
    eachBatch: async ({ batch }) => {
      if (t0 === 0) t0 = performance.now();
      const key = `${batch.topic}:${batch.partition}`;
      const r = remaining.get(key);
      if (!r) return;
      const rows = batch.messages
        .filter((m) => BigInt(m.offset) < r.end)
        .map((m) => rowOf(batch.topic, batch.partition, m));
      if (rows.length === 0) return;
      try {
        await ch.insert({ table, values: rows, format: 'JSONEachRow' });
      } catch (err) {
        fail(err);
        throw err;
      }
      inserts++;
      inserted += rows.length;
      r.left -= BigInt(rows.length);
      if (r.left <= 0n) remaining.delete(key);
      if (remaining.size === 0) {
        t1 = performance.now();
        finish();
      }
    },
  });
  const timer = setTimeout(
    () => fail(new Error(`the baseline did not finish within ${opts.timeoutMs / 1000} s`)),
    opts.timeoutMs,
  );
  try {
    if (expected > 0n) await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  const seconds = (t1 - t0) / 1000;
  const rs = await ch.query({ query: `SELECT count() AS n FROM ${table} FINAL`, format: 'JSONEachRow' });
  const rowsInTable = Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
  return {
    events: inserted,
    seconds: Number(seconds.toFixed(2)),
    events_per_s: seconds > 0 ? Math.round(inserted / seconds) : 0,
    inserts,
    rows_in_table: rowsInTable,
  };
}

/**
 * The baseline on the pipeline's clock: creates `<prefix><raw topic>` for every raw topic (their
 * partitions), starts a consumer of its own on them, and once it has joined publishes `file` (the
 * run's event file) to them while it inserts into `<scratchDb>.raw_events_e2e`. The clock runs
 * from the first publish to the insert that completes the count. The topics are deleted after.
 * @throws when an insert fails or `timeoutMs` passes.
 */
export async function measureBaselineEndToEnd(opts: {
  kafka: Kafka;
  clickhouse: ClickHouseClient;
  database: string;
  scratchDb: string;
  groupId: string;
  /** Prefix of the baseline's topics, e.g. `bench.<tag>.baseline.`. */
  topicPrefix: string;
  file: string;
  events: number;
  timeoutMs: number;
}): Promise<BaselineMeasure> {
  const ch = opts.clickhouse;
  const table = `${opts.scratchDb}.raw_events_e2e`;
  await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${opts.scratchDb}` });
  await ch.command({ query: `CREATE TABLE IF NOT EXISTS ${table} AS ${opts.database}.raw_events` });
  const raw = TOPICS.filter((t) => t.name.startsWith('influence.raw.'));
  const topics = raw.map((t) => `${opts.topicPrefix}${t.name}`);
  const admin = opts.kafka.admin();
  await admin.connect();
  const consumer = opts.kafka.consumer({
    groupId: opts.groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: raw.map((t) => ({ topic: `${opts.topicPrefix}${t.name}`, numPartitions: t.partitions })),
    });
    let inserted = 0;
    let inserts = 0;
    let lastAt = 0;
    let finish: () => void = () => undefined;
    let fail: (err: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    void done.catch(() => undefined); // awaited below; a failure before that is not unhandled
    const joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const rows = batch.messages.map((m) => rowOf(batch.topic, batch.partition, m));
        if (rows.length === 0) return;
        try {
          await ch.insert({ table, values: rows, format: 'JSONEachRow' });
        } catch (err) {
          fail(err);
          throw err;
        }
        inserts++;
        inserted += rows.length;
        if (inserted >= opts.events) {
          lastAt = Date.now();
          finish();
        }
      },
    });
    // Joining the group is a one-off the bridge has long paid: the clock starts after it.
    await joined;
    const timer = setTimeout(
      () => fail(new Error(`the end-to-end baseline did not finish within ${opts.timeoutMs / 1000} s`)),
      opts.timeoutMs,
    );
    try {
      const publishing = publishEventFile(opts.kafka, opts.file, undefined, (t) => `${opts.topicPrefix}${t}`);
      publishing.catch((err: unknown) => fail(err));
      const published = await publishing;
      await done;
      const seconds = (lastAt - published.firstAt) / 1000;
      const rs = await ch.query({ query: `SELECT count() AS n FROM ${table} FINAL`, format: 'JSONEachRow' });
      return {
        events: inserted,
        seconds: Number(seconds.toFixed(2)),
        events_per_s: seconds > 0 ? Math.round(inserted / seconds) : 0,
        inserts,
        rows_in_table: Number((await rs.json<{ n: string }>())[0]?.n ?? 0),
      };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

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

/** Creates `<scratchDb>.<name>` like `<database>.raw_events`; returns its full name. */
async function scratchTable(
  ch: ClickHouseClient,
  database: string,
  scratchDb: string,
  name: string,
): Promise<string> {
  const table = `${scratchDb}.${name}`;
  await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${scratchDb}` });
  await ch.command({ query: `CREATE TABLE IF NOT EXISTS ${table} AS ${database}.raw_events` });
  return table;
}

/** The figures of a run that inserted `run.inserted` rows in `seconds` on its clock. */
async function measureOf(
  ch: ClickHouseClient,
  table: string,
  run: { inserted: number; inserts: number },
  seconds: number,
): Promise<BaselineMeasure> {
  const rs = await ch.query({ query: `SELECT count() AS n FROM ${table} FINAL`, format: 'JSONEachRow' });
  return {
    events: run.inserted,
    seconds: Number(seconds.toFixed(2)),
    events_per_s: seconds > 0 ? Math.round(run.inserted / seconds) : 0,
    inserts: run.inserts,
    rows_in_table: Number((await rs.json<{ n: string }>())[0]?.n ?? 0),
  };
}

/**
 * The baseline's consumer: a plain kafkajs consumer of `topics` (a group of its own) that inserts
 * the messages `keep` returns of each batch into `table`, until `isDone` says so after an insert.
 * `done` rejects when an insert fails or `timeoutMs` passes; `stop` disconnects it.
 */
async function startInserter(opts: {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  clickhouse: ClickHouseClient;
  table: string;
  keep: (topic: string, partition: number, messages: KafkaMessage[]) => KafkaMessage[];
  isDone: (topic: string, partition: number, rows: number) => boolean;
  timeoutMs: number;
  what: string;
}) {
  const run = { inserted: 0, inserts: 0, firstBatchAt: 0, lastAt: 0 };
  let finish: () => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  void done.catch(() => undefined); // awaited by the caller; a failure before that is not unhandled
  const consumer = opts.kafka.consumer({
    groupId: opts.groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  await consumer.connect();
  await consumer.subscribe({ topics: opts.topics, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      if (run.firstBatchAt === 0) run.firstBatchAt = Date.now();
      const rows = opts
        .keep(batch.topic, batch.partition, batch.messages)
        .map((m) => rowOf(batch.topic, batch.partition, m));
      if (rows.length === 0) return;
      try {
        await opts.clickhouse.insert({ table: opts.table, values: rows, format: 'JSONEachRow' });
      } catch (err) {
        fail(err);
        throw err;
      }
      run.inserts++;
      run.inserted += rows.length;
      if (opts.isDone(batch.topic, batch.partition, rows.length)) {
        run.lastAt = Date.now();
        finish();
      }
    },
  });
  const timer = setTimeout(
    () => fail(new Error(`the ${opts.what} did not finish within ${opts.timeoutMs / 1000} s`)),
    opts.timeoutMs,
  );
  return {
    run,
    joined,
    done,
    fail,
    async stop() {
      clearTimeout(timer);
      await consumer.disconnect();
    },
  };
}

/**
 * Consumes [from, to) of every raw partition into `<scratchDb>.raw_events_baseline` (created like
 * `<database>.raw_events`). The clock runs from the first fetched batch to the last insert.
 * @throws when an insert fails or `timeoutMs` passes.
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
  const table = await scratchTable(opts.clickhouse, opts.database, opts.scratchDb, 'raw_events_baseline');
  const remaining = new Map<string, { end: bigint; left: bigint }>();
  for (const [topic, parts] of Object.entries(opts.to)) {
    for (const p of parts) {
      const start = BigInt(opts.from[topic]?.find((f) => f.partition === p.partition)?.offset ?? '0');
      const end = BigInt(p.offset);
      if (end > start) remaining.set(`${topic}:${p.partition}`, { end, left: end - start });
    }
  }
  const expected = remaining.size > 0;
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
  // The clock starts at the first batch: joining the group is a one-off the bridge has long paid.
  const inserter = await startInserter({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: Object.keys(opts.from),
    clickhouse: opts.clickhouse,
    table,
    keep: (topic, partition, messages) => {
      const r = remaining.get(`${topic}:${partition}`);
      return r ? messages.filter((m) => BigInt(m.offset) < r.end) : [];
    },
    isDone: (topic, partition, rows) => {
      const key = `${topic}:${partition}`;
      const r = remaining.get(key);
      if (r && (r.left -= BigInt(rows)) <= 0n) remaining.delete(key);
      return remaining.size === 0;
    },
    timeoutMs: opts.timeoutMs,
    what: 'baseline',
  });
  try {
    if (expected) await inserter.done;
  } finally {
    await inserter.stop();
  }
  const { run } = inserter;
  return measureOf(opts.clickhouse, table, run, (run.lastAt - run.firstBatchAt) / 1000);
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
  const table = await scratchTable(opts.clickhouse, opts.database, opts.scratchDb, 'raw_events_e2e');
  const raw = TOPICS.filter((t) => t.name.startsWith('influence.raw.'));
  const topics = raw.map((t) => `${opts.topicPrefix}${t.name}`);
  const admin = opts.kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: raw.map((t) => ({ topic: `${opts.topicPrefix}${t.name}`, numPartitions: t.partitions })),
    });
    let inserted = 0;
    const inserter = await startInserter({
      kafka: opts.kafka,
      groupId: opts.groupId,
      topics,
      clickhouse: opts.clickhouse,
      table,
      keep: (_t, _p, messages) => messages,
      isDone: (_t, _p, rows) => (inserted += rows) >= opts.events,
      timeoutMs: opts.timeoutMs,
      what: 'end-to-end baseline',
    });
    try {
      // Joining the group is a one-off the bridge has long paid: the clock starts after it.
      await inserter.joined;
      const publishing = publishEventFile(opts.kafka, opts.file, undefined, (t) => `${opts.topicPrefix}${t}`);
      publishing.catch((err: unknown) => inserter.fail(err));
      const published = await publishing;
      await inserter.done;
      return await measureOf(
        opts.clickhouse,
        table,
        inserter.run,
        (inserter.run.lastAt - published.firstAt) / 1000,
      );
    } finally {
      await inserter.stop();
    }
  } finally {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

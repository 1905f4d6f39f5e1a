/**
 * End-to-end throughput of the pipeline: a generated mix of events (bench/lib/event-mix.ts) is
 * written to a file first (so generating costs nothing in the timed window), then published to
 * the raw topics the way `influence import` publishes (idempotent producer, acks from all
 * replicas, 768 KB requests: services/shared/ingest/kafka-sink.ts), and the clock runs from the
 * first publish until every event is visible in ClickHouse: `raw_events FINAL` and the typed
 * tables both hold all of them (counted by the run's source). Then it waits for the pipeline to
 * be idle (`influence wait --idle`'s check: batches done, sponsors' correlations recomputed), the
 * time a reader would wait for the correlation views to be current.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Client } from '@temporalio/client';
import type { Admin, Kafka } from 'kafkajs';
import { ENRICHED_TABLES } from '../../services/enrich/index.ts';
import { kafkaSink } from '../../services/shared/ingest/kafka-sink.ts';
import { readLines } from '../../services/shared/ingest/readers.ts';
import { pipelineStatus, type PipelineStatus } from '../../services/shared/pipeline-status.ts';
import { sponsorWorkflowId } from '../../workflows/sponsor-correlation/contracts.ts';
import { EVENT_TYPES, rawTopic, type EventType } from '../../schemas/topics.ts';
import { createEventMix, type MixOptions } from './event-mix.ts';

/** Partition → offset, per raw topic. */
export type TopicOffsets = Record<string, { partition: number; offset: string }[]>;

export interface GeneratedEvents {
  file: string;
  source: string;
  events: number;
  bytes: number;
  byType: Record<EventType, number>;
  seconds: number;
}

/** Writes `events` generated events to `file`, one `topic\tkey\tvalue` line each. */
export async function writeEventFile(
  file: string,
  events: number,
  mix: MixOptions,
): Promise<GeneratedEvents> {
  const t0 = performance.now();
  const gen = createEventMix(mix);
  const out = createWriteStream(file, { highWaterMark: 1024 * 1024 });
  let bytes = 0;
  let chunk = '';
  for (let i = 0; i < events; i++) {
    const m = gen.next();
    bytes += Buffer.byteLength(m.value);
    // JSON text never holds a raw tab or line break, and keys are ids: the line splits back safely.
    chunk += `${m.topic}\t${m.key}\t${m.value}\n`;
    if (chunk.length > 1_000_000) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return {
    file,
    source: gen.source,
    events,
    bytes,
    byType: { ...gen.counts },
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The high watermark of every partition of the raw topics: where this run's events will start. */
export async function rawTopicEnds(admin: Admin): Promise<TopicOffsets> {
  const out: TopicOffsets = {};
  for (const type of EVENT_TYPES) {
    const topic = rawTopic(type);
    out[topic] = (await admin.fetchTopicOffsets(topic)).map((p) => ({
      partition: p.partition,
      offset: p.high,
    }));
  }
  return out;
}

/**
 * Publishes the event file as `influence import` would (to `topicOf` each line's topic: the raw
 * baseline publishes to topics of its own). Resolves with the time of the first and last
 * acknowledged request. @throws when Kafka refuses (the run is then meaningless).
 */
export async function publishEventFile(
  kafka: Kafka,
  file: string,
  onProgress?: (published: number) => void,
  topicOf: (topic: string) => string = (t) => t,
): Promise<{ firstAt: number; seconds: number; events: number }> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const sink = kafkaSink(producer, 'bench');
  let firstAt = 0;
  let events = 0;
  let batch: { topic: string; key: string; value: string }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    if (firstAt === 0) firstAt = Date.now();
    await sink.publish(batch);
    events += batch.length;
    batch = [];
    onProgress?.(events);
  };
  try {
    for await (const line of readLines(createReadStream(file, { highWaterMark: 1024 * 1024 }))) {
      const a = line.text.indexOf('\t');
      const b = line.text.indexOf('\t', a + 1);
      batch.push({
        topic: topicOf(line.text.slice(0, a)),
        key: line.text.slice(a + 1, b),
        value: line.text.slice(b + 1),
      });
      // The sink cuts each call into 768 KB requests; a call of a few MB keeps them full.
      if (batch.length >= 5000) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  return { firstAt, seconds: (Date.now() - firstAt) / 1000, events };
}

export interface VisibleCounts {
  raw: number;
  typed: number;
  byTable: Record<string, number>;
}

/** This run's rows in raw_events and in each typed table (FINAL: replays collapsed). */
export async function countVisible(ch: ClickHouseClient, source: string): Promise<VisibleCounts> {
  const tables = ['raw_events', ...ENRICHED_TABLES];
  const rs = await ch.query({
    query: `SELECT ${tables
      .map((t) => `(SELECT count() FROM ${t} FINAL WHERE source = {source:String}) AS ${t}`)
      .join(', ')}`,
    query_params: { source },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<Record<string, string | number>>();
  const byTable = Object.fromEntries(ENRICHED_TABLES.map((t) => [t, Number(row?.[t] ?? 0)]));
  return {
    raw: Number(row?.raw_events ?? 0),
    typed: Object.values(byTable).reduce((a, b) => a + b, 0),
    byTable,
  };
}

export interface PipelineMeasure {
  events: number;
  source: string;
  by_type: Record<EventType, number>;
  event_mb: number;
  generate_seconds: number;
  publish_seconds: number;
  publish_events_per_s: number;
  /** First publish → every event in raw_events and the typed tables. */
  visible_seconds: number | null;
  events_per_s: number | null;
  /**
   * The rate from the first poll that saw a tenth of the events in the typed tables to the end:
   * the pipeline once warm (a fresh worker spends its first seconds bundling and connecting).
   */
  warm_events_per_s: number | null;
  /** First publish → the pipeline idle (correlations recomputed). */
  idle_seconds: number | null;
  visible: VisibleCounts;
  /** Set when the pipeline went idle (or timed out) with events missing. */
  incomplete: string | null;
  /** Set when every event was visible but the pipeline did not become idle: why. */
  not_idle: string | null;
  dead_letters_since_start: number;
  sponsors_running: number;
  /** ingestBatch workflows that carried this run's events (distinct workflow ids in raw_events). */
  batches: number;
  correlations_since_start: Record<string, number>;
  /** Seconds spent in the visibility polls (they load the same ClickHouse). */
  poll_seconds: number;
  /**
   * CPU seconds each process of the stack used, from the first publish until all was visible and
   * from then until idle: where the machine's time went (2 cores give 2 CPU seconds a second).
   */
  cpu_seconds: { to_visible: Record<string, number>; visible_to_idle: Record<string, number> } | null;
}

function cpuDiff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([name, s]) => [name, Number((s - (before[name] ?? 0)).toFixed(1))] as const)
      .sort((a, b) => b[1] - a[1]),
  );
}

/**
 * Publishes the events and waits until they are all visible, then until the pipeline is idle.
 * Never throws for a slow or lossy pipeline: a miss is reported in `incomplete`.
 */
export async function measurePipeline(opts: {
  kafka: Kafka;
  admin: Admin;
  temporal: Client;
  clickhouse: ClickHouseClient;
  events: GeneratedEvents;
  timeoutMs: number;
  say: (line: string) => void;
  /** CPU seconds used so far, by process (bench/lib/memory.ts groupCpuSeconds). */
  cpu?: () => Record<string, number>;
}): Promise<PipelineMeasure> {
  const { clickhouse: ch, events, say } = opts;
  const total = events.events;
  const started = Date.now();
  const cpuAtStart = opts.cpu?.();
  let cpuAtVisible: Record<string, number> | undefined;
  let cpuAtIdle: Record<string, number> | undefined;
  const status = (): Promise<PipelineStatus> =>
    pipelineStatus({ admin: opts.admin, temporal: opts.temporal });
  let lastSaid = 0;
  const publishing = publishEventFile(opts.kafka, events.file, (n) => {
    if (Date.now() - lastSaid > 10_000) {
      lastSaid = Date.now();
      say(`  published ${n.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
    }
  });
  let published: Awaited<typeof publishing> | undefined;
  let publishError: Error | undefined;
  publishing.then(
    (p) => {
      published = p;
      say(`  all ${p.events.toLocaleString('en-US')} events published in ${p.seconds.toFixed(1)} s`);
    },
    (err: unknown) => (publishError = err instanceof Error ? err : new Error(String(err))),
  );

  let visible: VisibleCounts = { raw: 0, typed: 0, byTable: {} };
  let visibleAt: number | undefined;
  let tenth: { at: number; typed: number } | undefined;
  let incomplete: string | null = null;
  let pollSeconds = 0;
  let lastProgress = { at: Date.now(), typed: 0 };
  let lastReport = { at: Date.now(), typed: 0 };
  const deadline = started + opts.timeoutMs;
  for (;;) {
    if (publishError) throw publishError;
    const t = performance.now();
    visible = await countVisible(ch, events.source).catch(() => visible);
    const took = (performance.now() - t) / 1000;
    pollSeconds += took;
    const now = Date.now();
    if (!tenth && visible.typed >= total / 10) tenth = { at: now, typed: visible.typed };
    if (visible.raw >= total && visible.typed >= total) {
      visibleAt = now;
      cpuAtVisible = opts.cpu?.();
      break;
    }
    if (visible.typed > lastProgress.typed) lastProgress = { at: now, typed: visible.typed };
    if (now - lastReport.at >= 15_000) {
      const rate = (visible.typed - lastReport.typed) / ((now - lastReport.at) / 1000);
      const eta = rate > 0 ? Math.round((total - visible.typed) / rate) : undefined;
      say(
        `  visible: raw ${visible.raw.toLocaleString('en-US')}, typed ${visible.typed.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} ` +
          `(${Math.round(rate)} events/s lately${eta !== undefined ? `, ~${formatDuration(eta)} to go` : ''})`,
      );
      lastReport = { at: now, typed: visible.typed };
    }
    // No progress for a minute although everything is published: is the pipeline done short?
    if (published && now - lastProgress.at > 60_000) {
      const s = await status().catch(() => undefined);
      if (s?.idle) {
        incomplete = `the pipeline went idle with ${total - visible.raw} events missing from raw_events and ${total - visible.typed} from the typed tables (dead letters? see dlq_events)`;
        break;
      }
      lastProgress.at = now;
    }
    if (now > deadline) {
      incomplete = `timed out after ${Math.round(opts.timeoutMs / 1000)} s with ${visible.typed} of ${total} events in the typed tables`;
      break;
    }
    // Poll about every 2 s, less often when counting gets slow, so the polls stay a small load.
    await new Promise((r) => setTimeout(r, Math.max(2000, took * 5000)));
  }
  await publishing.catch(() => undefined);

  let idleAt: number | undefined;
  let notIdle: string | null = null;
  let sponsors = 0;
  if (!incomplete) {
    say('  every event visible; waiting for the pipeline to be idle (sponsor correlations)…');
    const idle = await waitIdle(status, opts.temporal, deadline);
    if (idle.ok) {
      idleAt = Date.now();
      cpuAtIdle = opts.cpu?.();
      sponsors = idle.sponsors;
    } else {
      notIdle = idle.why;
    }
  }
  const since = new Date(started).toISOString().replace('T', ' ').replace('Z', '');
  const dlq = await ch
    .query({
      query: 'SELECT count() AS n FROM dlq_events FINAL WHERE dead_lettered_at >= {since:DateTime64(3)}',
      query_params: { since },
      format: 'JSONEachRow',
    })
    .then((r) => r.json<{ n: string }>())
    .then((r) => Number(r[0]?.n ?? 0))
    .catch(() => -1);
  const batches = await ch
    .query({
      query: 'SELECT uniqExact(workflow_id) AS n FROM raw_events WHERE source = {source:String}',
      query_params: { source: events.source },
      format: 'JSONEachRow',
    })
    .then((r) => r.json<{ n: string }>())
    .then((r) => Number(r[0]?.n ?? 0))
    .catch(() => -1);
  const correlations = await ch
    .query({
      query: `SELECT kind, count() AS n FROM correlations FINAL
              WHERE computed_at >= {since:DateTime64(3)} AND is_deleted = 0 GROUP BY kind ORDER BY kind`,
      query_params: { since },
      format: 'JSONEachRow',
    })
    .then((r) => r.json<{ kind: string; n: string }>())
    .then((rows) => Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)])))
    .catch(() => ({}));
  const firstAt = published?.firstAt ?? started;
  const visibleSeconds = visibleAt ? (visibleAt - firstAt) / 1000 : null;
  return {
    events: total,
    source: events.source,
    by_type: events.byType,
    event_mb: Number((statSync(events.file).size / 1e6).toFixed(1)),
    generate_seconds: Number(events.seconds.toFixed(1)),
    publish_seconds: Number((published?.seconds ?? 0).toFixed(2)),
    publish_events_per_s: published ? Math.round(published.events / published.seconds) : 0,
    visible_seconds: visibleSeconds === null ? null : Number(visibleSeconds.toFixed(1)),
    events_per_s: visibleSeconds ? Math.round(total / visibleSeconds) : null,
    warm_events_per_s:
      // Under 10 s the window is a few polls wide: too coarse to say anything.
      visibleAt && tenth && visibleAt - tenth.at >= 10_000
        ? Math.round((total - tenth.typed) / ((visibleAt - tenth.at) / 1000))
        : null,
    idle_seconds: idleAt ? Number(((idleAt - firstAt) / 1000).toFixed(1)) : null,
    visible,
    incomplete,
    not_idle: notIdle,
    dead_letters_since_start: dlq,
    sponsors_running: sponsors,
    batches,
    correlations_since_start: correlations,
    poll_seconds: Number(pollSeconds.toFixed(1)),
    cpu_seconds:
      cpuAtStart && cpuAtVisible
        ? {
            to_visible: cpuDiff(cpuAtVisible, cpuAtStart),
            visible_to_idle: cpuAtIdle ? cpuDiff(cpuAtIdle, cpuAtVisible) : {},
          }
        : null,
  };
}

/**
 * Activities of busy sponsor workflows that keep failing (5 attempts or more): a pipeline that
 * will not become idle however long one waits. One line per activity, with its last failure.
 */
export async function stuckActivities(temporal: Client, busy: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const sponsor of busy.slice(0, 10)) {
    const id = sponsor.startsWith('sponsor:') ? sponsor : sponsorWorkflowId(sponsor);
    const d = await temporal.workflow
      .getHandle(id)
      .describe()
      .catch(() => undefined);
    for (const a of d?.raw.pendingActivities ?? [])
      if ((a.attempt ?? 0) >= 5)
        out.push(
          `${id} ${a.activityType?.name ?? 'activity'} attempt ${a.attempt}: ${a.lastFailure?.message ?? 'no failure recorded'}`,
        );
  }
  return out;
}

/**
 * Waits until the pipeline is idle twice in a row (as `influence wait --idle` does), until
 * `deadline`, or until a busy sponsor's activity is seen failing over and over (then waiting on
 * is pointless: the reason is returned instead).
 */
async function waitIdle(
  status: () => Promise<PipelineStatus>,
  temporal: Client,
  deadline: number,
): Promise<{ ok: true; sponsors: number } | { ok: false; why: string }> {
  let idleBefore = false;
  let checked = Date.now();
  let last: PipelineStatus | undefined;
  for (;;) {
    const s = await status().catch(() => undefined);
    if (s) last = s;
    if (s?.idle && idleBefore) return { ok: true, sponsors: s.sponsors };
    idleBefore = s?.idle ?? false;
    if (s && !s.idle && Date.now() - checked > 30_000) {
      checked = Date.now();
      const stuck = await stuckActivities(temporal, s.busySponsors);
      if (stuck.length > 0) return { ok: false, why: `failing over and over: ${stuck.join('; ')}` };
    }
    if (Date.now() > deadline)
      return {
        ok: false,
        why: `not idle by the deadline: ${last ? `${last.runningBatches} batches running, busy sponsors ${last.busySponsors.join(', ')}` : 'no status could be read'}`,
      };
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** `1 h 05 min`, `12 min`, `45 s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * The process's Prometheus metrics (prom-client): one registry per process, served at /metrics
 * beside /healthz, every series labelled with `{ service }` (initMetrics). Services record into
 * the `metrics` singleton; the names follow Prometheus conventions (influence_…, _total for
 * counters, _seconds for durations).
 */
import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { failureType } from '../../workflows/failure-type.ts';

export { failureType };

/** Buckets of the latency histograms, in seconds: a few ms (one insert) to a minute (a batch). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Unconsumed messages of one partition, as `watchConsumerLag` reads them. */
export interface PartitionLagReading {
  topic: string;
  partition: number;
  lag: number;
}

/** A fresh registry with every instrument of the pipeline (tests make their own). */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  let lagSource: { group: string; read: () => Promise<PartitionLagReading[]> } | null = null;
  let lagTimeoutMs = 5000;
  let onLagError: (err: unknown) => void = () => {};
  const m = {
    registry,
    eventsConsumed: new Counter({
      name: 'influence_events_consumed_total',
      help: 'Messages read from a Kafka topic (the bridge: raw topics, valid or not).',
      labelNames: ['topic'] as const,
      registers,
    }),
    eventsHandedOver: new Counter({
      name: 'influence_events_handed_over_total',
      help: 'Valid events the bridge handed to Temporal in ingestBatch workflows, by raw topic.',
      labelNames: ['topic'] as const,
      registers,
    }),
    eventsPublished: new Counter({
      name: 'influence_events_published_total',
      help: 'Events published to a Kafka topic (ingest-http: raw topics; worker: enriched topics).',
      labelNames: ['topic'] as const,
      registers,
    }),
    eventsStored: new Counter({
      name: 'influence_events_stored_total',
      help: 'Rows the worker stored in a ClickHouse table (raw_events and the typed tables).',
      labelNames: ['table'] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: 'influence_dead_letters_total',
      help: 'Dead letters acknowledged by the DLQ topic, by reason and step.',
      labelNames: ['reason', 'step'] as const,
      registers,
    }),
    consumerLag: new Gauge({
      name: 'influence_consumer_lag',
      help: 'Messages not yet consumed by a consumer group, per topic and partition (read on scrape).',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers,
      async collect() {
        if (!lagSource) return;
        const { group, read } = lagSource;
        let timer: NodeJS.Timeout | undefined;
        try {
          // A scrape must answer even when Kafka does not: the previous readings stay.
          const readings = await Promise.race([
            read(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error('consumer lag: Kafka did not answer')), lagTimeoutMs);
            }),
          ]);
          this.reset();
          for (const r of readings)
            this.set({ group, topic: r.topic, partition: String(r.partition) }, r.lag);
        } catch (err) {
          onLagError(err);
        } finally {
          clearTimeout(timer);
        }
      },
    }),
    batchHandOver: new Histogram({
      name: 'influence_batch_handover_seconds',
      help: 'Bridge: decode, claim and start of one batch workflow, by raw topic.',
      labelNames: ['topic'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    activityDuration: new Histogram({
      name: 'influence_activity_duration_seconds',
      help: 'Worker: duration of an activity attempt (storeClaimedBatch is the batch latency).',
      labelNames: ['activity'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    activityFailures: new Counter({
      name: 'influence_activity_failures_total',
      help: 'Worker: failed activity attempts, by activity and failure type (ApplicationFailure type or error name).',
      labelNames: ['activity', 'type'] as const,
      registers,
    }),
    workflowFailures: new Counter({
      name: 'influence_workflow_failures_total',
      help: 'Worker: workflow attempts that ended in a failure, by workflow type and failure type (continue-as-new and cancellation excluded).',
      labelNames: ['workflow', 'type'] as const,
      registers,
    }),
    insertDuration: new Histogram({
      name: 'influence_clickhouse_insert_seconds',
      help: 'Duration of one ClickHouse insert, by table (failed inserts included).',
      labelNames: ['table'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    importEvents: new Counter({
      name: 'influence_import_events_total',
      help: 'Importer: records by source and outcome (published, dead_lettered, duplicate).',
      labelNames: ['source', 'outcome'] as const,
      registers,
    }),
    /**
     * Reads the lag of `group` with `read` at every scrape (at most `timeoutMs`; on failure the
     * previous readings stay and `onError` hears why). A later call replaces the source.
     */
    watchConsumerLag(
      group: string,
      read: () => Promise<PartitionLagReading[]>,
      opts: { onError?: (err: unknown) => void; timeoutMs?: number } = {},
    ): void {
      lagSource = { group, read };
      lagTimeoutMs = opts.timeoutMs ?? 5000;
      onLagError = opts.onError ?? (() => {});
    },
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The process's metrics. */
export const metrics: Metrics = createMetrics();

const initialised = new WeakSet<Registry>();

/**
 * Labels every series of `m` with `{ service }` and adds Node's process metrics (CPU, memory,
 * event loop lag, GC). Once per registry; later calls only change the label.
 */
export function initMetrics(service: string, m: Metrics = metrics): void {
  m.registry.setDefaultLabels({ service });
  if (initialised.has(m.registry)) return;
  initialised.add(m.registry);
  collectDefaultMetrics({ register: m.registry });
}

/** Runs `fn` and observes its duration in `histogram` under `labels`, whether it fails or not. */
export async function timed<L extends string, T>(
  histogram: Histogram<L>,
  labels: Partial<Record<L, string>>,
  fn: () => Promise<T>,
): Promise<T> {
  const end = histogram.startTimer(labels);
  try {
    return await fn();
  } finally {
    end();
  }
}

type AsyncFunction = (...args: never[]) => Promise<unknown>;

/**
 * The same activities, each attempt timed (influence_activity_duration_seconds) and each failure
 * counted by type (influence_activity_failures_total) before it is rethrown unchanged.
 */
export function instrumentActivities<A extends Record<string, AsyncFunction>>(
  activities: A,
  m: Metrics = metrics,
): A {
  const out: Record<string, AsyncFunction> = {};
  for (const [activity, fn] of Object.entries(activities)) {
    const call = fn as (...args: unknown[]) => Promise<unknown>;
    out[activity] = async (...args: unknown[]) => {
      const end = m.activityDuration.startTimer({ activity });
      try {
        return await call(...args);
      } catch (err) {
        m.activityFailures.inc({ activity, type: failureType(err) });
        throw err;
      } finally {
        end();
      }
    };
  }
  return out as A;
}

/** Answers a scrape with the registry's text exposition (500 with the reason if it fails). */
export function serveMetrics(res: ServerResponse, m: Metrics = metrics): void {
  m.registry.metrics().then(
    (body) => res.writeHead(200, { 'Content-Type': m.registry.contentType }).end(body),
    (err: unknown) =>
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics failed: ${(err as Error).message}`),
  );
}

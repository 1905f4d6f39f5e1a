/**
 * The Temporal worker: runs the workflows in workflows/ (loaded by path, bundled by the SDK)
 * and the activities that reach ClickHouse and Kafka.
 */
import { fileURLToPath } from 'node:url';
import {
  NativeConnection,
  Runtime,
  Worker,
  makeTelemetryFilterString,
  type LogLevel,
  type InjectedSinks,
  type LogMetadata,
} from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '../shared/logger.ts';
import type { DlqPublisher } from '../shared/dlq.ts';
import { INGEST_TASK_QUEUE } from '../shared/temporal.ts';
import { createEnricher, loadReferenceData, type ReferenceData } from '../enrich/index.ts';
import { createBatchSteps, createIngestActivities } from './activities/ingest.activities.ts';
import { createCorrelationActivities } from './activities/correlate.activities.ts';
import { createRebuildActivities } from './activities/rebuild.activities.ts';
import { createRollupActivities } from './activities/rollup.activities.ts';
import { syncReference } from './activities/reference.ts';
import { correlationTaskQueue, signalTaskQueue } from '../../workflows/task-queues.ts';
import { instrumentActivities, metrics } from '../shared/metrics.ts';
import type { MetricsSinks } from '../../workflows/interceptors.ts';
import type { NotifySponsorsInput } from '../../workflows/ingest-batch/activity-contracts.ts';

/** workflows/index.ts, which the SDK bundles for its sandbox. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
/** The workflow interceptors (failure metrics), loaded into every workflow's sandbox. */
export const WORKFLOW_INTERCEPTORS_PATH = fileURLToPath(
  new URL('../../workflows/interceptors.ts', import.meta.url),
);

/** The worker's end of the workflows' metrics sink (workflows/interceptors.ts). */
const metricsSinks: InjectedSinks<MetricsSinks> = {
  metrics: {
    workflowFailed: {
      fn: (_info, workflow, type) => metrics.workflowFailures.inc({ workflow, type }),
    },
  },
};

let runtimeInstalled = false;

/** Routes the SDK's and the core's logs into pino. Once per process; later calls do nothing. */
export function installTemporalLogging(log: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdk = log.child({ module: 'temporal-sdk' });
  const forward = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    const m = meta ?? {};
    switch (level) {
      case 'TRACE':
        sdk.trace(m, message);
        break;
      case 'DEBUG':
        sdk.debug(m, message);
        break;
      case 'INFO':
        sdk.info(m, message);
        break;
      case 'WARN':
        sdk.warn(m, message);
        break;
      default:
        sdk.error(m, message);
    }
  };
  Runtime.install({
    logger: {
      log: forward,
      trace: (msg, meta) => forward('TRACE', msg, meta),
      debug: (msg, meta) => forward('DEBUG', msg, meta),
      info: (msg, meta) => forward('INFO', msg, meta),
      warn: (msg, meta) => forward('WARN', msg, meta),
      error: (msg, meta) => forward('ERROR', msg, meta),
    },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

export interface WorkerDeps {
  address: string;
  namespace: string;
  clickhouse: ClickHouseClient;
  kafka: Kafka;
  /** Publishes enriched events, correlations and dead letters (idempotent producer). */
  producer: Producer;
  dlq: DlqPublisher;
  log: Logger;
  taskQueue?: string;
  /** Reference data (default: infra/reference). */
  reference?: ReferenceData;
  /** Correlation recomputations run at once by this process (default 1). */
  correlationConcurrency?: number;
}

export interface IngestWorker {
  /** Workflows and batch activities, on the main task queue. */
  worker: Worker;
  /** Rollup and correlation activities, on correlationTaskQueue(taskQueue). */
  correlationWorker: Worker;
  /** notifySponsors, on signalTaskQueue(taskQueue). */
  signalWorker: Worker;
  /** Polls until `shutdown()`; then closes the connection. Rejects if the worker fails. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Creates (but does not run) the worker of every workflow and activity, after loading the
 * reference data into ClickHouse. @throws when Temporal or ClickHouse is unreachable.
 */
export async function createIngestWorker(deps: WorkerDeps): Promise<IngestWorker> {
  installTemporalLogging(deps.log);
  const taskQueue = deps.taskQueue ?? INGEST_TASK_QUEUE;
  const reference = deps.reference ?? loadReferenceData();
  const loaded = await syncReference(deps.clickhouse, reference);
  deps.log.info({ rows: loaded }, 'reference data loaded into ClickHouse');
  const connection = await NativeConnection.connect({ address: deps.address });
  // The activities' own client: signal-with-start of the sponsors' entity workflows.
  const clientConnection = await Connection.connect({ address: deps.address });
  const temporal = new Client({ connection: clientConnection, namespace: deps.namespace });
  const enricher = createEnricher(reference);
  const common = {
    clickhouse: deps.clickhouse,
    dlq: deps.dlq,
    log: deps.log,
    producer: deps.producer,
    enricher,
  };
  const steps = createBatchSteps(common);
  // One set of ingest activities for both queues: notifySponsors shares its signal coalescer.
  const ingest = createIngestActivities({ ...common, temporal, taskQueue });
  const worker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    interceptors: { workflowModules: [WORKFLOW_INTERCEPTORS_PATH] },
    sinks: metricsSinks,
    activities: instrumentActivities({
      ...ingest,
      ...createRebuildActivities({ clickhouse: deps.clickhouse, kafka: deps.kafka, steps, log: deps.log }),
    }),
    // Batch activities mostly wait on ClickHouse, Kafka and Temporal: with too few slots they
    // queue behind each other while the machine idles (docs/performance.md).
    maxConcurrentActivityTaskExecutions: 16,
  });
  const correlationWorker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue: correlationTaskQueue(taskQueue),
    activities: instrumentActivities({
      ...createCorrelationActivities({ clickhouse: deps.clickhouse, producer: deps.producer, log: deps.log }),
      ...createRollupActivities({ clickhouse: deps.clickhouse, log: deps.log }),
    }),
    maxConcurrentActivityTaskExecutions: deps.correlationConcurrency ?? 1,
  });
  const signalWorker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue: signalTaskQueue(taskQueue),
    activities: instrumentActivities({
      notifySponsors: (input: NotifySponsorsInput) => ingest.notifySponsors(input),
    }),
    // Each waits about a second (the linger) and then on Temporal: slots cost no CPU here.
    maxConcurrentActivityTaskExecutions: 64,
  });
  const workers = [worker, correlationWorker, signalWorker];
  return {
    worker,
    correlationWorker,
    signalWorker,
    async run() {
      try {
        // One failing stops the other, so the process exits instead of running half a worker.
        await Promise.all(
          workers.map((w) =>
            w.run().catch((err: unknown) => {
              for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown();
              throw err;
            }),
          ),
        );
      } finally {
        await clientConnection.close();
        await connection.close();
      }
    },
    shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}

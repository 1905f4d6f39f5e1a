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
  type LogMetadata,
} from '@temporalio/worker';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '../shared/logger.ts';
import type { DlqPublisher } from '../shared/dlq.ts';
import { INGEST_TASK_QUEUE } from '../shared/temporal.ts';
import { createIngestActivities } from './activities/ingest.activities.ts';

/** workflows/index.ts, which the SDK bundles for its sandbox. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

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
  dlq: DlqPublisher;
  log: Logger;
  taskQueue?: string;
}

export interface IngestWorker {
  worker: Worker;
  /** Polls until `shutdown()`; then closes the connection. Rejects if the worker fails. */
  run(): Promise<void>;
  shutdown(): void;
}

/** Creates (but does not run) the ingest worker. @throws when Temporal is unreachable. */
export async function createIngestWorker(deps: WorkerDeps): Promise<IngestWorker> {
  installTemporalLogging(deps.log);
  const connection = await NativeConnection.connect({ address: deps.address });
  const worker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue ?? INGEST_TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    activities: createIngestActivities({ clickhouse: deps.clickhouse, dlq: deps.dlq, log: deps.log }),
    maxConcurrentActivityTaskExecutions: 8,
  });
  return {
    worker,
    async run() {
      try {
        await worker.run();
      } finally {
        await connection.close();
      }
    },
    shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}

/** Process entry of the Temporal worker. */
import { z } from 'zod';
import { loadConfigOrExit } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { createKafka } from '../shared/kafka.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import { DlqPublisher } from '../shared/dlq.ts';
import { onShutdown, startHealthServer } from '../shared/health.ts';
import { clickhouseShape, commonShape, kafkaShape, temporalShape } from '../shared/service-config.ts';
import { createIngestWorker } from './worker.ts';
import { initMetrics } from '../shared/metrics.ts';

const cfg = loadConfigOrExit({
  ...kafkaShape,
  ...temporalShape,
  ...clickhouseShape,
  ...commonShape,
  // Correlation recomputations at once: each is seconds of ClickHouse work for one sponsor.
  WORKER_CORRELATION_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
});
const log = createLogger('worker');
initMetrics('worker');
const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, clientId: 'worker', log });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
await producer.connect();
const clickhouse = createClickHouse({ url: cfg.CLICKHOUSE_URL, database: cfg.CLICKHOUSE_DATABASE, log });
const worker = await createIngestWorker({
  address: cfg.TEMPORAL_ADDRESS,
  namespace: cfg.TEMPORAL_NAMESPACE,
  clickhouse,
  kafka,
  producer,
  dlq: new DlqPublisher(producer, 'worker'),
  log,
  correlationConcurrency: cfg.WORKER_CORRELATION_CONCURRENCY,
});
const health = await startHealthServer(cfg.HEALTH_PORT, () => ({
  ready: [worker.worker, worker.correlationWorker, worker.signalWorker].every(
    (w) => w.getState() === 'RUNNING',
  ),
}));
const running = worker.run();
log.info({ ready: true, health: health.port }, 'worker running');
onShutdown(log, async () => {
  worker.shutdown();
  await running;
  await producer.disconnect();
  await clickhouse.close();
  await health.close();
});
running.catch((err: unknown) => {
  log.fatal({ err }, 'worker failed');
  process.exit(1);
});

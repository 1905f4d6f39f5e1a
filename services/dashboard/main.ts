/** Process entry of the live dashboard (enriched, correlation and DLQ topics → browsers). */
import { z } from 'zod';
import { loadConfigOrExit } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { createKafka } from '../shared/kafka.ts';
import { onShutdown } from '../shared/health.ts';
import { commonShape, kafkaShape } from '../shared/service-config.ts';
import { BRIDGE_GROUP_ID, DLQ_SINK_GROUP_ID, partitionLags } from '../shared/pipeline-status.ts';
import { initMetrics, metrics } from '../shared/metrics.ts';
import { DLQ_TOPIC, EVENT_TYPES, rawTopic } from '../../schemas/topics.ts';
import { DashboardAggregates } from './aggregates.ts';
import { createDashboardServer } from './server.ts';
import { instanceGroupId, startDashboardConsumer } from './topics.consumer.ts';

const cfg = loadConfigOrExit({
  ...kafkaShape,
  LOG_LEVEL: commonShape.LOG_LEVEL,
  DASHBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(8710),
  DASHBOARD_HOST: z.string().default('127.0.0.1'),
  /** Prefix of this process's own consumer group (a random instance id is appended). */
  DASHBOARD_GROUP_ID: z.string().min(1).default('dashboard'),
  /** At most one update per browser per this many milliseconds. */
  DASHBOARD_PUSH_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** How often the pipeline's consumer lag is read from Kafka. */
  DASHBOARD_LAG_MS: z.coerce.number().int().min(200).max(600_000).default(2000),
  BRIDGE_GROUP_ID: z.string().min(1).default(BRIDGE_GROUP_ID),
  DLQ_SINK_GROUP_ID: z.string().min(1).default(DLQ_SINK_GROUP_ID),
});
const log = createLogger('dashboard');
initMetrics('dashboard');
const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, clientId: 'dashboard', log });
const aggregates = new DashboardAggregates();

let consumerJoined = (): boolean => false;
const web = createDashboardServer({
  aggregates,
  log,
  metrics,
  pushMs: cfg.DASHBOARD_PUSH_MS,
  ready: () => consumerJoined(),
});
const consumer = await startDashboardConsumer({
  kafka,
  aggregates,
  groupId: instanceGroupId(cfg.DASHBOARD_GROUP_ID),
  log,
  metrics,
  onChange: (sections) => web.changed(sections),
});
consumerJoined = () => consumer.joined();

// Pipeline health: the bridge's lag per raw topic and the DLQ sink's, read as the bridge's
// /metrics reads its own (committed offsets against the high marks).
const admin = kafka.admin();
await admin.connect();
const rawTopics = EVENT_TYPES.map(rawTopic);
let lagTimer: NodeJS.Timeout | undefined;
let stopping = false;
const readLag = async (): Promise<void> => {
  try {
    const bridge: Record<string, number> = Object.fromEntries(rawTopics.map((t) => [t, 0]));
    for (const p of await partitionLags(admin, cfg.BRIDGE_GROUP_ID, rawTopics))
      bridge[p.topic] = (bridge[p.topic] ?? 0) + p.lag;
    let dlqSink = 0;
    for (const p of await partitionLags(admin, cfg.DLQ_SINK_GROUP_ID, [DLQ_TOPIC])) dlqSink += p.lag;
    web.changed(aggregates.setLag({ bridge, dlq_sink: dlqSink, read_at: new Date().toISOString() }));
  } catch (err) {
    log.warn({ err }, 'consumer lag could not be read; the page keeps the last reading');
    web.changed(aggregates.setLagError((err as Error).message));
  } finally {
    if (!stopping) lagTimer = setTimeout(() => void readLag(), cfg.DASHBOARD_LAG_MS);
  }
};
void readLag();

await new Promise<void>((resolve, reject) => {
  web.server.once('error', reject);
  web.server.listen(cfg.DASHBOARD_PORT, cfg.DASHBOARD_HOST, resolve);
});
const address = web.server.address();
const port = typeof address === 'object' && address ? address.port : cfg.DASHBOARD_PORT;
log.info(
  { ready: true, url: `http://${cfg.DASHBOARD_HOST}:${port}`, groupId: consumer.groupId },
  'dashboard running',
);
onShutdown(log, async () => {
  stopping = true;
  clearTimeout(lagTimer);
  await web.close();
  await consumer.stop();
  await admin.disconnect();
});

/** Process entry of the bridge (raw topics → Temporal). */
import { z } from 'zod';
import { loadConfigOrExit } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { createKafka } from '../shared/kafka.ts';
import { DlqPublisher } from '../shared/dlq.ts';
import { onShutdown, startHealthServer } from '../shared/health.ts';
import { createClickHouse } from '../shared/clickhouse.ts';
import { clickhouseShape, commonShape, kafkaShape, temporalShape } from '../shared/service-config.ts';
import { connectTemporal } from '../shared/temporal.ts';
import { DEFAULT_MAX_BATCH_EVENTS, startBridge } from './raw.consumer.ts';
import { startDlqSink } from './dlq.consumer.ts';
import { BRIDGE_GROUP_ID, DLQ_SINK_GROUP_ID, partitionLags } from '../shared/pipeline-status.ts';
import { initMetrics, metrics } from '../shared/metrics.ts';
import { EVENT_TYPES, rawTopic } from '../../schemas/topics.ts';

const cfg = loadConfigOrExit({
  ...kafkaShape,
  ...temporalShape,
  ...clickhouseShape,
  ...commonShape,
  DLQ_SINK_GROUP_ID: z.string().min(1).default(DLQ_SINK_GROUP_ID),
  BRIDGE_GROUP_ID: z.string().min(1).default(BRIDGE_GROUP_ID),
  BRIDGE_MAX_BATCH_EVENTS: z.coerce.number().int().min(1).max(50_000).default(DEFAULT_MAX_BATCH_EVENTS),
});
const log = createLogger('bridge');
initMetrics('bridge');
const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, clientId: 'bridge', log });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
await producer.connect();
const temporal = await connectTemporal({ address: cfg.TEMPORAL_ADDRESS, namespace: cfg.TEMPORAL_NAMESPACE });
const clickhouse = createClickHouse({ url: cfg.CLICKHOUSE_URL, database: cfg.CLICKHOUSE_DATABASE, log });
const bridge = await startBridge({
  kafka,
  temporal,
  clickhouse,
  dlq: new DlqPublisher(producer, 'bridge'),
  log,
  groupId: cfg.BRIDGE_GROUP_ID,
  maxBatchEvents: cfg.BRIDGE_MAX_BATCH_EVENTS,
});
// Consumer lag of the bridge's group, read from Kafka at each scrape of /metrics.
const admin = kafka.admin();
await admin.connect();
const rawTopics = EVENT_TYPES.map(rawTopic);
metrics.watchConsumerLag(cfg.BRIDGE_GROUP_ID, () => partitionLags(admin, cfg.BRIDGE_GROUP_ID, rawTopics), {
  onError: (err) => log.warn({ err }, 'consumer lag could not be read'),
});
const dlqSink = await startDlqSink({ kafka, clickhouse, log, groupId: cfg.DLQ_SINK_GROUP_ID });
const consumers = (): { paused: boolean; paused_since: string | null } => ({
  paused: bridge.pausedSince() !== null,
  paused_since: bridge.pausedSince(),
});
// Pause and resume (`influence consumers pause|resume`): both consumers of this process stop
// fetching; their groups and committed offsets stay, so nothing is lost or handed over twice.
const health = await startHealthServer(
  cfg.HEALTH_PORT,
  () => ({ ready: true, detail: { ...bridge.stats(), ...consumers() } }),
  metrics,
  {
    pause: () => {
      bridge.pause();
      dlqSink.pause();
      return consumers();
    },
    resume: () => {
      bridge.resume();
      dlqSink.resume();
      return consumers();
    },
  },
);
log.info({ ready: true, health: health.port }, 'bridge running');
onShutdown(log, async () => {
  await bridge.stop();
  await dlqSink.stop();
  await admin.disconnect();
  await clickhouse.close();
  await producer.disconnect();
  await temporal.connection.close();
  await health.close();
});

/** Process entry of the ingest HTTP endpoint. */
import { z } from 'zod';
import { loadConfigOrExit } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { createKafka } from '../shared/kafka.ts';
import { DlqPublisher } from '../shared/dlq.ts';
import { onShutdown } from '../shared/health.ts';
import { commonShape, kafkaShape } from '../shared/service-config.ts';
import { createIngestServer } from './server.ts';
import { createPseudonymizer, parseHmacKey } from '../shared/pseudonym.ts';
import { createSealer } from '../shared/seal.ts';
import { initMetrics } from '../shared/metrics.ts';

const cfg = loadConfigOrExit({
  ...kafkaShape,
  ...commonShape,
  INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(8700),
  INGEST_HOST: z.string().default('127.0.0.1'),
  /** Bearer token webhook callers must send; no default. */
  INGEST_TOKEN: z.string().min(16, 'INGEST_TOKEN must be at least 16 characters'),
  /** Key of the pseudonyms of private identifiers (64 hex characters); no default. */
  INGEST_HMAC_KEY: z.string().min(1),
});
const log = createLogger('ingest-http');
initMetrics('ingest-http');
const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, clientId: 'ingest-http', log });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
await producer.connect();
const hmacKey = parseHmacKey(cfg.INGEST_HMAC_KEY);
const sealer = createSealer(hmacKey);
const server = createIngestServer({
  producer,
  dlq: new DlqPublisher(producer, 'ingest-http'),
  token: cfg.INGEST_TOKEN,
  log,
  firstParty: { pseudonymize: createPseudonymizer(hmacKey), seal: (raw) => sealer.seal(raw) },
});
server.listen(cfg.INGEST_PORT, cfg.INGEST_HOST, () => {
  log.info({ ready: true, url: `http://${cfg.INGEST_HOST}:${cfg.INGEST_PORT}` }, 'ingest endpoint listening');
});
onShutdown(log, async () => {
  await new Promise<void>((done) => server.close(() => done()));
  await producer.disconnect();
});

/**
 * An ingest webhook server of a test's own, on the real broker: its raw topics and its DLQ are
 * topics created for the test (so sealed letters and bad bodies stay out of the shared ones), and
 * `close()` stops the server and deletes them.
 */
import type { AddressInfo } from 'node:net';
import type { Kafka } from 'kafkajs';
import type { EventType } from '../../schemas/topics.ts';
import { createIngestServer } from '../../services/ingest-http/server.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { createPseudonymizer } from '../../services/shared/pseudonym.ts';
import { OwnTopicDlq } from '../security/kafka-scan.ts';

export interface OwnIngestServer {
  url: string;
  close(): Promise<void>;
}

export async function startOwnIngestServer(opts: {
  kafka: Kafka;
  token: string;
  /** The pseudonymisation key of first-party identifiers. */
  key: Buffer;
  seal: (raw: Buffer) => Buffer;
  types: readonly EventType[];
  topicOf: (type: EventType) => string;
  dlqTopic: string;
  partitions: number;
  /** The server's body limit (default: the server's own). */
  maxBodyBytes?: number;
}): Promise<OwnIngestServer> {
  const topics = [...opts.types.map(opts.topicOf), opts.dlqTopic];
  const admin = opts.kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: opts.partitions, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  const producer = opts.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const server = createIngestServer({
    producer,
    dlq: new OwnTopicDlq(producer, 'ingest-http', opts.dlqTopic),
    token: opts.token,
    log: silentLogger,
    ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    firstParty: { pseudonymize: createPseudonymizer(opts.key), seal: opts.seal },
    rawTopicOf: opts.topicOf,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await producer.disconnect();
      await admin.deleteTopics({ topics });
      await admin.disconnect();
    },
  };
}

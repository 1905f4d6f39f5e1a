/**
 * The walking skeleton, end to end on the real stack: POST to the ingest endpoint → zod →
 * Kafka raw topic → bridge → Temporal workflow (id from group/topic/partition/offsets) →
 * activity inserts into ClickHouse with a dedup token → visible through @clickhouse/client.
 * Re-consuming the topic from the start changes nothing; an invalid event lands in the DLQ.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Admin, Producer } from 'kafkajs';
import type { Client } from '@temporalio/client';
import { DLQ_TOPIC, rawTopic } from '../../schemas/topics.ts';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { createIngestServer } from '../../services/ingest-http/server.ts';
import { startBridge, type RunningBridge } from '../../services/bridge/raw.consumer.ts';
import { createIngestWorker, type IngestWorker } from '../../services/worker/worker.ts';
import { DlqPublisher } from '../../services/shared/dlq.ts';
import { connectTemporal } from '../../services/shared/temporal.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { EVENT_TYPE } from '../../workflows/search-attributes.ts';
import { sponsorWorkflowId } from '../../workflows/sponsor-correlation/contracts.ts';
import { basicAuth, freshDatabase, stackEndpoints, testKafka, uniqueSuffix } from '../helpers/stack.ts';

const suffix = uniqueSuffix();
const source = `test:walking-skeleton:${suffix}`;
const groupId = `bridge.test-${suffix}`;
const taskQueue = `test-ingest-${suffix}`;
const token = randomBytes(24).toString('hex');
// A topic of its own, so other test files publishing donations cannot change its batches.
const topic = `${rawTopic('donation')}.test-${suffix}`;

function submission(recordId: string, amount: string) {
  return {
    source,
    source_record_id: recordId,
    occurred_at: '2024-10-19T12:00:00Z',
    payload: {
      committee_id: 'C00879510',
      contributor_name: 'TEST DONOR',
      amount,
      contributed_on: '2024-10-19',
    },
  };
}

let database: string;
let ch: ClickHouseClient;
let producer: Producer;
let admin: Admin;
let server: Server;
let ingestUrl: string;
let temporal: Client;
let worker: IngestWorker;
let workerRun: Promise<void>;
let bridge: RunningBridge | undefined;
const kafka = testKafka(`walking-skeleton-${suffix}`);

async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${ingestUrl}/v1/events/donation`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function countRows(eventIds: string[], final: boolean): Promise<number> {
  const rs = await ch.query({
    query: `SELECT count() AS n FROM raw_events ${final ? 'FINAL' : ''} WHERE event_id IN {ids:Array(String)}`,
    query_params: { ids: eventIds },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ n: string }>();
  return Number(row?.n ?? -1);
}

/** Resolves once the group has committed every offset of the topic (it has caught up). */
async function caughtUp(): Promise<boolean | undefined> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  for (const end of ends) {
    const c = committed?.partitions.find((p) => p.partition === end.partition);
    // -1 (none) and -2 (earliest, after a reset) both mean nothing is committed yet.
    const at = c && !c.offset.startsWith('-') ? BigInt(c.offset) : 0n;
    if (at < BigInt(end.high)) return undefined;
  }
  return true;
}

/** The bridge under test: its own consumer group and task queue, the donation topic only. */
function startTestBridge(): Promise<RunningBridge> {
  return startBridge({
    kafka,
    temporal,
    clickhouse: ch,
    dlq: new DlqPublisher(producer, 'bridge'),
    log: silentLogger,
    groupId,
    topics: [topic],
    taskQueue,
  });
}

beforeAll(async () => {
  const e = stackEndpoints();
  ({ database, client: ch } = await freshDatabase('skeleton'));
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  server = createIngestServer({
    producer,
    dlq: new DlqPublisher(producer, 'ingest-http'),
    token,
    log: silentLogger,
    rawTopicOf: () => topic,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ingestUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  temporal = await connectTemporal({ address: e.temporal.address, namespace: e.temporal.namespace });
  worker = await createIngestWorker({
    address: e.temporal.address,
    namespace: e.temporal.namespace,
    clickhouse: ch,
    kafka,
    producer,
    dlq: new DlqPublisher(producer, 'worker'),
    log: silentLogger,
    taskQueue,
  });
  workerRun = worker.run();
});

afterAll(async () => {
  await bridge?.stop();
  // The sponsors' entity workflows of this test's task queue run until stopped.
  for await (const wf of temporal.workflow.list({
    query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
  })) {
    await temporal.workflow.getHandle(wf.workflowId).terminate('test finished');
  }
  worker?.shutdown();
  await workerRun;
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await producer?.disconnect();
  await admin?.deleteTopics({ topics: [topic] });
  await admin?.disconnect();
  await temporal?.connection.close();
  await ch?.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await ch?.close();
});

describe('walking skeleton on the real stack', () => {
  const accepted: string[] = [];
  const invalidBody = JSON.stringify({
    ...submission('bad-1', '10.00'),
    payload: { committee_id: 'not-an-fec-id' },
  });

  it('runs against the real broker, Temporal server and chdb behind the HTTP interface', async () => {
    const cluster = await admin.describeCluster();
    const system = await temporal.workflowService.getSystemInfo({});
    const res = await fetch(`${stackEndpoints().clickhouse.endpoint}/?query=SELECT%20version()`, {
      headers: { Authorization: basicAuth(stackEndpoints().clickhouse.url) },
    });
    const version = (await res.text()).trim();
    console.log(
      `real stack: Kafka cluster ${cluster.clusterId} (${cluster.brokers.length} broker, controller ${cluster.controller}); ` +
        `Temporal server ${system.serverVersion}; ClickHouse ${version} served by ${res.headers.get('x-clickhouse-server-display-name')}`,
    );
    expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);
    expect(system.serverVersion).toMatch(/^\d+\.\d+/);
    expect(res.status).toBe(200);
    expect(version).toMatch(/^\d+\.\d+/);
  });

  it('validates submissions at the endpoint: valid ones are published, an invalid one is dead-lettered', async () => {
    for (const [id, amount] of [
      ['r-1', '25000000.00'],
      ['r-2', '47.00'],
      ['r-3', '-500.00'],
    ] as const) {
      const r = await post(submission(id, amount));
      expect(r.status).toBe(202);
      expect(r.json['topic']).toBe(topic);
      accepted.push(String(r.json['event_id']));
    }
    const again = await post(submission('r-1', '25000000.00'));
    expect(again.json['event_id']).toBe(accepted[0]);
    const bad = await post(invalidBody);
    expect(bad.status).toBe(422);
    expect(bad.json['error']).toBe('schema_invalid');
    const unauthorised = await fetch(`${ingestUrl}/v1/events/donation`, { method: 'POST', body: '{}' });
    expect(unauthorised.status).toBe(401);
  });

  it('carries the events through the bridge and a Temporal workflow into ClickHouse', async () => {
    bridge = await startTestBridge();
    await waitFor(async () => ((await countRows(accepted, false)) === accepted.length ? true : undefined), {
      what: 'the events in ClickHouse',
      timeoutMs: 60_000,
    });
    const rs = await ch.query({
      query: `SELECT event_id, source_record_id, JSONExtractString(payload, 'amount') AS amount, workflow_id
              FROM raw_events WHERE event_id IN {ids:Array(String)} ORDER BY source_record_id`,
      query_params: { ids: accepted },
      format: 'JSONEachRow',
    });
    const rows = await rs.json<{
      event_id: string;
      source_record_id: string;
      amount: string;
      workflow_id: string;
    }>();
    expect(rows.map((r) => [r.source_record_id, r.amount])).toEqual([
      ['r-1', '25000000.00'],
      ['r-2', '47.00'],
      ['r-3', '-500.00'],
    ]);
    const workflowIds = [...new Set(rows.map((r) => r.workflow_id))];
    for (const id of workflowIds) {
      expect(id).toMatch(
        new RegExp(`^ingest:${groupId.replace(/\./g, '\\.')}:${topic.replace(/\./g, '\\.')}:\\d+:\\d+-\\d+$`),
      );
      const handle = temporal.workflow.getHandle(id);
      await handle.result();
      const d = await handle.describe();
      expect(d.status.name).toBe('COMPLETED');
      expect(d.typedSearchAttributes.get(EVENT_TYPE)).toBe('donation');
    }
    await waitFor(caughtUp, { what: 'the bridge to commit its offsets', timeoutMs: 30_000 });
    // Enriched into the typed table, and the recipient's correlation workflow woken.
    const typed = await ch.query({
      query: `SELECT count() AS n, any(recipient_entity_id) AS recipient FROM donation_events FINAL
              WHERE event_id IN {ids:Array(String)}`,
      query_params: { ids: accepted },
      format: 'JSONEachRow',
    });
    expect(await typed.json()).toEqual([{ n: String(accepted.length), recipient: 'C00879510' }]);
    const sponsor = await temporal.workflow.getHandle(sponsorWorkflowId('C00879510', taskQueue)).describe();
    expect(sponsor.type).toBe('sponsorCorrelation');
  });

  it('re-consuming the topic from the start leaves ClickHouse unchanged', async () => {
    const before = { raw: await countRows(accepted, false), final: await countRows(accepted, true) };
    const owned = bridge?.stats().alreadyOwned ?? 0;
    await bridge?.stop();
    await admin.resetOffsets({ groupId, topic, earliest: true });
    expect(await caughtUp()).toBeUndefined();
    bridge = await startTestBridge();
    await waitFor(caughtUp, { what: 'the bridge to re-consume the topic', timeoutMs: 60_000 });
    // Every redelivered batch was recognised as already owned by Temporal.
    expect(bridge.stats().alreadyOwned).toBeGreaterThan(owned);
    expect(bridge.stats().batches).toBe(bridge.stats().alreadyOwned);
    expect(await countRows(accepted, false)).toBe(before.raw);
    expect(await countRows(accepted, true)).toBe(before.final);
    expect(before.final).toBe(accepted.length);
  });

  it('puts the invalid event in the DLQ with its reason and raw bytes', async () => {
    const consumer = kafka.consumer({ groupId: `dlq-check-${suffix}` });
    await consumer.connect();
    await consumer.subscribe({ topic: DLQ_TOPIC, fromBeginning: true });
    const seen: DlqRecordV1[] = [];
    await consumer.run({
      eachMessage: ({ message }) => {
        seen.push(DlqRecordV1.parse(JSON.parse(message.value?.toString('utf8') ?? '{}')));
        return Promise.resolve();
      },
    });
    try {
      const record = await waitFor(
        () =>
          Promise.resolve(
            seen.find((r) => Buffer.from(r.raw_base64, 'base64').toString('utf8') === invalidBody),
          ),
        { what: 'the dead letter', timeoutMs: 30_000 },
      );
      expect(record.reason).toBe('schema_invalid');
      expect(record.step).toBe('ingest-http');
      expect(record.detail).toContain('committee_id');
      expect(record.source).toBe('http:/v1/events/donation');
    } finally {
      await consumer.disconnect();
    }
  });
});

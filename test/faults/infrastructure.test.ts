/**
 * Faults of the infrastructure under load, on one private pipeline whose Temporal keeps its
 * state in a file: the Kafka broker killed and restarted on its port and data, the ClickHouse
 * endpoint gone until activities are retrying and then back, the Temporal server killed and
 * restarted with workflows in flight. After each, once the pipeline is idle, the invariants of
 * ./invariants.ts must hold: nothing lost, nothing counted twice, money sums equal to a
 * recomputation from the raw topics.
 */
import path from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR, CAMPAIGN_IMPORTS } from '../../infra/sample/campaign/manifest.ts';
import type { ManagedProcess } from '../../infra/local/process.ts';
import type { StackPart } from '../../infra/local/stack.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { connectTemporal } from '../../services/shared/temporal.ts';
import { startPrivatePipeline, type PrivatePipeline } from '../helpers/pipeline.ts';
import { checkInvariants } from './invariants.ts';
import { batchesInFlight, produceDonations, stopwatch, waitIdle } from './load.ts';

let p: PrivatePipeline;
let kafka: Kafka;
let producer: Producer;
let temporal: Client;
let donations = 0;

beforeAll(async () => {
  const lap = stopwatch('infrastructure');
  p = await startPrivatePipeline('faults-infra', { persistTemporal: true });
  const e = p.stack.endpoints;
  kafka = createKafka({ brokers: e.kafka.brokers.split(','), clientId: 'fault-tests', log: p.log });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  temporal = await connectTemporal({ address: e.temporal.address, namespace: e.temporal.namespace });
  lap('private pipeline started (Temporal in a file)');
});

afterAll(async () => {
  await producer?.disconnect();
  await temporal?.connection.close();
  await p?.stop();
});

/** The running process of a part of the stack. */
function part(name: StackPart): ManagedProcess {
  const proc = p.stack.processes.find((x) => x.name === name);
  if (!proc) throw new Error(`the stack runs no ${name}`);
  return proc;
}

/** kill -9 of a part of the stack; resolves once it is gone. */
async function kill(name: StackPart): Promise<void> {
  const proc = part(name);
  process.kill(-proc.pid, 'SIGKILL');
  await proc.exited;
}

async function load(tag: string, count: number, seed: number): Promise<void> {
  donations += await produceDonations(producer, tag, count, seed);
}

/** Every invariant, with the counts printed for the log. */
async function expectInvariants(test: string): Promise<Record<string, number>> {
  const report = await checkInvariants(kafka, p.clickhouse);
  console.log(`[faults] ${test}: ${JSON.stringify(report.counts)}`);
  expect(report.problems).toEqual([]);
  return report.counts;
}

describe('faults of the infrastructure under load', () => {
  it('the Kafka broker killed and restarted on its port and data: nothing lost', async () => {
    const lap = stopwatch('kafka restart');
    await load('kafka-before', 4000, 21);
    const running = await batchesInFlight(temporal);
    await kill('kafka');
    lap(`broker killed with ${running} batches running`);
    await p.stack.restart('kafka');
    lap('broker restarted');
    await load('kafka-after', 2000, 22);
    await waitIdle(p);
    lap('idle');
    const counts = await expectInvariants('kafka restart');
    expect(counts['donations']).toBe(donations);
    lap('invariants checked');
  });

  it('the ClickHouse endpoint gone while batches run: activities retry, nothing is lost', async () => {
    const lap = stopwatch('clickhouse outage');
    for (const { source, file } of CAMPAIGN_IMPORTS) {
      const r = await p.cli(['import', source, path.join(CAMPAIGN_DIR, file), '--json']);
      expect(r.code, `${file}: ${r.stderr.slice(-2000)}`).toBe(0);
    }
    await load('clickhouse', 4000, 23);
    const running = await batchesInFlight(temporal);
    await kill('clickhouse');
    lap(`ClickHouse killed with ${running} batches running`);
    // Down until Temporal retries an activity that failed on it twice.
    const retried = await waitFor(
      async () => {
        for await (const wf of temporal.workflow.list({
          query: `WorkflowType = 'ingestBatch' AND ExecutionStatus = 'Running'`,
        })) {
          const d = await temporal.workflow.getHandle(wf.workflowId).describe();
          const a = d.raw.pendingActivities?.find((x) => (x.attempt ?? 0) >= 3);
          if (a) return `${wf.workflowId} ${a.activityType?.name ?? '?'} attempt ${a.attempt}`;
        }
        return undefined;
      },
      { what: 'an activity retried while ClickHouse is down', timeoutMs: 120_000, intervalMs: 250 },
    );
    lap(`retrying: ${retried}`);
    await p.stack.restart('clickhouse');
    lap('ClickHouse back');
    await waitIdle(p);
    lap('idle');
    const counts = await expectInvariants('clickhouse outage');
    expect(counts['donations']).toBeGreaterThan(donations);
    expect(counts['payout_keys']).toBeGreaterThan(100);
    lap('invariants checked');
  });

  it('the Temporal server killed and restarted with workflows in flight: they finish, nothing is lost', async () => {
    const lap = stopwatch('temporal restart');
    await load('temporal', 4000, 24);
    await batchesInFlight(temporal);
    const inFlight: string[] = [];
    for await (const wf of temporal.workflow.list({
      query: `WorkflowType = 'ingestBatch' AND ExecutionStatus = 'Running'`,
    })) {
      inFlight.push(wf.workflowId);
    }
    await kill('temporal');
    lap(`server killed with ${inFlight.length} batches running`);
    await p.stack.restart('temporal');
    lap('server restarted');
    await waitIdle(p);
    lap('idle');
    // The batches in flight at the kill survived it (state in the file) and completed.
    const statuses = await Promise.all(
      inFlight.map(async (id) => (await temporal.workflow.getHandle(id).describe()).status.name),
    );
    expect(statuses.filter((s) => s !== 'COMPLETED')).toEqual([]);
    const counts = await expectInvariants('temporal restart');
    expect(counts['donations']).toBeGreaterThan(donations);
    lap('invariants checked');
  });
});

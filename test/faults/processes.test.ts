/**
 * Faults of the pipeline's own processes and of delivery, on one private pipeline, one after the
 * other: kill -9 of the worker mid-batch, kill -9 of the bridge after it handed a batch to
 * Temporal and before it committed the offsets, duplicate and out-of-order delivery of records
 * already processed, and a flood of signals on one sponsor's entity workflow. After each, once
 * the pipeline is idle, the invariants of ./invariants.ts must hold: nothing lost, nothing
 * counted twice, money sums equal to a recomputation from the raw topics.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR, CAMPAIGN_IMPORTS } from '../../infra/sample/campaign/manifest.ts';
import type { ManagedProcess } from '../../infra/local/process.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { rawTopic, type EventType } from '../../schemas/topics.ts';
import { completeEvent } from '../../services/shared/ingest/envelope.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { BRIDGE_GROUP_ID } from '../../services/shared/pipeline-status.ts';
import { connectTemporal, INGEST_TASK_QUEUE } from '../../services/shared/temporal.ts';
import { ingestBatchWorkflowId } from '../../workflows/ingest-batch/input.ts';
import { SPONSOR } from '../../workflows/search-attributes.ts';
import {
  SPONSOR_WORKFLOW_TYPE,
  sponsorWorkflowId,
  statusQuery,
  touchedSignal,
  type SponsorCorrelationInput,
} from '../../workflows/sponsor-correlation/contracts.ts';
import { HISTORY_EVENTS_BEFORE_CONTINUE } from '../../workflows/sponsor-correlation/workflow.ts';
import { startPrivatePipeline, type PrivatePipeline } from '../helpers/pipeline.ts';
import {
  checkInvariants,
  fromCents,
  readRawLog,
  toCents,
  type RawEvent,
  type RawMessage,
} from './invariants.ts';
import {
  batchesInFlight,
  committedOffsets,
  produceDonations,
  reproduce,
  runningBatches,
  stopwatch,
  waitIdle,
} from './load.ts';

let p: PrivatePipeline;
let kafka: Kafka;
let producer: Producer;
let admin: Admin;
let temporal: Client;
/** The bridge and worker processes running now (the tests replace them). */
let bridge: ManagedProcess;
let worker: ManagedProcess;

beforeAll(async () => {
  const lap = stopwatch('processes');
  p = await startPrivatePipeline('faults-processes');
  const e = p.stack.endpoints;
  kafka = createKafka({ brokers: e.kafka.brokers.split(','), clientId: 'fault-tests', log: p.log });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  admin = kafka.admin();
  await admin.connect();
  temporal = await connectTemporal({ address: e.temporal.address, namespace: e.temporal.namespace });
  bridge = p.bridge;
  worker = p.worker;
  lap('private pipeline started');
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await temporal?.connection.close();
  await p?.stop();
});

/** Every invariant, with the counts printed for the log. */
async function expectInvariants(test: string): Promise<Record<string, number>> {
  const report = await checkInvariants(kafka, p.clickhouse);
  console.log(`[faults] ${test}: ${JSON.stringify(report.counts)}`);
  expect(report.problems).toEqual([]);
  return report.counts;
}

/** Imports the sample campaign file by file through the CLI, as an operator would. */
async function importSample(): Promise<void> {
  for (const { source, file } of CAMPAIGN_IMPORTS) {
    const r = await p.cli(['import', source, path.join(CAMPAIGN_DIR, file), '--json']);
    if (r.code !== 0) throw new Error(`import ${file} failed: ${r.stderr.slice(-2000)}`);
  }
}

describe('faults of the pipeline processes and of delivery', () => {
  it('kill -9 of the worker while ingestBatch workflows run: nothing lost, nothing doubled', async () => {
    const lap = stopwatch('worker kill');
    await produceDonations(producer, 'worker-kill', 4000, 11);
    // Settled into a value, so a failed import is reported where it is awaited, not as unhandled.
    const imported = importSample().then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    const running = await batchesInFlight(temporal);
    process.kill(-worker.pid, 'SIGKILL');
    await worker.exited;
    lap(`worker killed with ${running} batches running`);
    // The batches the dead worker held stay open in Temporal: they wait for a worker.
    expect(await runningBatches(temporal)).toBeGreaterThan(0);
    worker = await p.start('worker');
    const importError = await imported;
    if (importError) throw importError;
    lap('worker restarted, sample imported');
    await waitIdle(p);
    lap('idle');
    const counts = await expectInvariants('worker kill');
    expect(counts['donations']).toBeGreaterThan(4000);
    expect(counts['payout_keys']).toBeGreaterThan(100);
    lap('invariants checked');
  });

  it('kill -9 of the bridge after a hand-over and before the offset commit: the batch is handed over again', async () => {
    const lap = stopwatch('bridge kill');
    const topic = rawTopic('donation');
    const maxBatch = 20;
    // Small batches: many hand-overs, so a frozen bridge is often caught between start and commit.
    await bridge.stop();
    bridge = await p.start('bridge', { BRIDGE_MAX_BATCH_EVENTS: String(maxBatch) });
    await produceDonations(producer, 'bridge-kill', 4000, 12);
    const target = bridge;
    // Freeze the bridge; if Temporal holds a batch that starts at a committed offset, the bridge
    // handed it over and has not committed past it: kill it there. Otherwise let it run on.
    const caught = await waitFor(
      async () => {
        process.kill(-target.pid, 'SIGSTOP');
        let hit: { partition: number; offset: bigint; workflowId: string } | undefined;
        try {
          const committed = await admin.fetchOffsets({ groupId: BRIDGE_GROUP_ID, topics: [topic] });
          for (const { partition, offset } of committed[0]?.partitions ?? []) {
            const at = BigInt(offset);
            if (at < 0n) continue;
            const ids = Array.from({ length: maxBatch }, (_, k) =>
              ingestBatchWorkflowId(BRIDGE_GROUP_ID, topic, partition, String(at), String(at + BigInt(k))),
            );
            const found = await Promise.all(
              ids.map((id) =>
                temporal.workflow
                  .getHandle(id)
                  .describe()
                  .then(
                    () => id,
                    () => undefined,
                  ),
              ),
            );
            const workflowId = found.find((id) => id !== undefined);
            if (workflowId) {
              hit = { partition, offset: at, workflowId };
              break;
            }
          }
        } finally {
          process.kill(-target.pid, hit ? 'SIGKILL' : 'SIGCONT');
        }
        return hit;
      },
      { what: 'the bridge between a hand-over and its offset commit', timeoutMs: 120_000, intervalMs: 10 },
    );
    await target.exited;
    lap(`bridge killed with ${caught.workflowId} handed over and offset ${caught.offset} committed`);
    const after = await committedOffsets(kafka, BRIDGE_GROUP_ID, topic);
    expect(after.get(caught.partition)).toBe(caught.offset);

    // At the default batch size the batch redelivered from that offset is longer: a second
    // workflow starts there; only near the end of the partition would it get the same id, which
    // Temporal refuses as already started (the bridge's alreadyOwned).
    bridge = await p.start('bridge');
    await waitIdle(p);
    lap('idle');
    const stats = await bridgeStats(bridge);
    const prefix = `${ingestBatchWorkflowId(BRIDGE_GROUP_ID, topic, caught.partition, String(caught.offset), '')}`;
    const startingThere = (await temporal.workflow.count(`WorkflowId STARTS_WITH '${prefix}'`)).count;
    console.log(
      `[faults] bridge kill: new bridge ${JSON.stringify(stats)}, ${startingThere} batches start at ${prefix}`,
    );
    // Redelivered: Temporal already owned the batch (same id) or a second batch starts at the offset.
    expect(stats.events).toBeGreaterThan(0);
    expect(stats.alreadyOwned >= 1 || startingThere >= 2).toBe(true);
    await expectInvariants('bridge kill');
    lap('invariants checked');
  });

  it('duplicates and out-of-order delivery: the views keep the latest snapshot and the highest restatement', async () => {
    const lap = stopwatch('duplicates');
    const log = await readRawLog(kafka);
    const ofTopic = (type: EventType) => log.messages.filter((m) => m.topic === rawTopic(type) && m.event);
    const payload = (m: RawMessage) => m.event?.payload ?? {};
    const adOf = (m: RawMessage) => `${String(payload(m)['platform'])}:${String(payload(m)['ad_id'])}`;
    const keyOf = (m: RawMessage) => String(payload(m)['payout_key']);
    const rankOf = (m: RawMessage) => Number(payload(m)['restatement_rank']);
    const payouts = ofTopic('payout');
    const ads = ofTopic('ad').filter((m) => payload(m)['granularity'] === 'ad');

    // Some payments restated on an F3X (rank 2 or more), some ads.
    const restated = [...new Set(payouts.filter((m) => rankOf(m) >= 2).map(keyOf))].slice(0, 6);
    const adIds = [...new Set(ads.map(adOf))].slice(0, 6);
    expect(restated.length).toBeGreaterThan(0);
    expect(adIds.length).toBeGreaterThan(0);
    const viewBefore = await shownIds(restated, adIds);

    // 1. Duplicates, newest first: a slice of every topic, every filing of the chosen payments
    //    (the F3X before its F24) and every snapshot of the chosen ads (newer before older).
    const slice: RawMessage[] = [
      ...ofTopic('donation').slice(0, 300),
      ...ofTopic('signup').slice(0, 100),
      ...ofTopic('contact').slice(0, 100),
      ...ofTopic('post').slice(0, 20),
      ...ofTopic('annotation'),
      ...payouts.filter((m) => restated.includes(keyOf(m))),
      ...ads.filter((m) => adIds.includes(adOf(m))),
    ].reverse();
    await reproduce(producer, slice);

    // 2. New records that arrive late: for each chosen ad a snapshot a week older than any, and
    //    for each restated payment an F24 notice (rank 1) with another amount, after its F3X.
    const late: { topic: string; key: string; value: string }[] = [];
    const add = (c: ReturnType<typeof completeEvent>): void => {
      if (!c.ok) throw new Error(`a late record is invalid: ${c.detail}`);
      late.push({ topic: c.topic, key: c.key, value: c.value });
    };
    for (const adId of adIds) {
      const snaps = ads.filter((m) => adOf(m) === adId);
      const oldest = Math.min(...snaps.map((m) => Date.parse(String(payload(m)['snapshot_at']))));
      const base = snaps[0]?.event as RawEvent;
      const at = new Date(oldest - 7 * 86_400_000).toISOString();
      const record = {
        source_record_id: `${base.source_record_id}@late-${at}`,
        occurred_at: at,
        payload: { ...base.payload, snapshot_at: at },
      };
      add(completeEvent(base.source, 'ad', record, new Date()));
    }
    for (const key of restated) {
      const f3x = payouts.filter((m) => keyOf(m) === key).reduce((a, b) => (rankOf(b) > rankOf(a) ? b : a));
      const base = f3x.event as RawEvent;
      const filing = base.payload['filing'] as { sub_id?: string | null };
      const record = {
        source_record_id: `${base.source_record_id}-late-f24`,
        occurred_at: base.occurred_at,
        payload: {
          ...base.payload,
          amount: fromCents(toCents(String(base.payload['amount'])) + 100_000n),
          restatement_rank: 1,
          filing: {
            ...filing,
            form: 'F24',
            report_type: '48',
            amendment_indicator: 'N',
            sub_id: `9${(filing.sub_id ?? '1').slice(1)}`,
          },
        },
      };
      add(completeEvent(base.source, 'payout', record, new Date()));
    }
    for (const { topic, key, value } of late) {
      await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    }
    lap(`${slice.length} duplicates and ${late.length} late records produced`);
    await waitIdle(p);
    lap('idle');
    expect(await shownIds(restated, adIds)).toEqual(viewBefore);
    const counts = await expectInvariants('duplicates');
    expect(counts['topic_messages']).toBeGreaterThan(counts['topic_events'] ?? 0);
    lap('invariants checked');
  });

  it('a flood of signals on one sponsor: it continues as new, loses no signal and ends idle with correlations', async () => {
    const lap = stopwatch('sponsor flood');
    const sponsorId = 'C00879510';
    const workflowId = sponsorWorkflowId(sponsorId);
    const handle = temporal.workflow.getHandle(workflowId);
    const before = await handle.query(statusQuery);
    const chainBefore = (await temporal.workflow.count(`WorkflowId = '${workflowId}'`)).count;
    const signals = Math.ceil(HISTORY_EVENTS_BEFORE_CONTINUE * 1.5);
    const queue = Array.from({ length: signals }, (_, i) => i);
    const send = async (): Promise<void> => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const args: [SponsorCorrelationInput] = [{ sponsorId }];
        await temporal.workflow.signalWithStart(SPONSOR_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: INGEST_TASK_QUEUE,
          args,
          signal: touchedSignal,
          signalArgs: [{ batchId: `flood-${i}` }],
          typedSearchAttributes: [{ key: SPONSOR, value: sponsorId }],
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, send));
    lap(`${signals} signals sent`);
    await waitIdle(p);
    lap('idle');
    const after = await waitFor(
      async () => {
        const s = await handle.query(statusQuery);
        return s.signals >= before.signals + signals ? s : undefined;
      },
      { what: `every signal counted by ${workflowId}`, timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(after.signals).toBe(before.signals + signals);
    expect(after.pending).toBe(false);
    expect(after.computing).toBe(false);
    expect(after.runs).toBeGreaterThan(before.runs);
    expect(Object.values(after.last).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const chain = await waitFor(
      async () => {
        const n = (await temporal.workflow.count(`WorkflowId = '${workflowId}'`)).count;
        return n > chainBefore ? n : undefined;
      },
      { what: `${workflowId} continued as new`, timeoutMs: 60_000, intervalMs: 250 },
    );
    const desc = await handle.describe();
    console.log(
      `[faults] sponsor flood: ${chain} runs in the chain, ${after.runs} recomputations, history ${desc.historyLength}`,
    );
    expect(chain).toBeGreaterThan(1);
    expect(desc.status.name).toBe('RUNNING');
    const rs = await p.clickhouse.query({
      query: `SELECT count() AS n FROM correlations FINAL WHERE sponsor_id = {s:String} AND is_deleted = 0`,
      query_params: { s: sponsorId },
      format: 'JSONEachRow',
    });
    expect(Number((await rs.json<{ n: string }>())[0]?.n)).toBeGreaterThan(0);
    await expectInvariants('sponsor flood');
    lap('invariants checked');
  });

  it('control: the invariants report a lost row, a row of no event and a wrong sum', async () => {
    // Last, because it damages the state on purpose: the checks above must be able to fail.
    const one = async (query: string): Promise<string> => {
      const rs = await p.clickhouse.query({ query, format: 'JSONEachRow' });
      return (await rs.json<{ v: string }>())[0]?.v ?? '';
    };
    const donation = await one(
      `SELECT toString(event_id) AS v FROM donation_events ORDER BY event_id LIMIT 1`,
    );
    const payment = await one(`SELECT payout_key AS v FROM payouts ORDER BY payout_key LIMIT 1`);
    await p.clickhouse.command({
      query: `ALTER TABLE donation_events DELETE WHERE event_id = '${donation}' SETTINGS mutations_sync = 2`,
    });
    await p.clickhouse.command({
      query: `INSERT INTO payout_filings
              SELECT * REPLACE (toFixedString('${'f'.repeat(32)}', 32) AS event_id, toUInt16(99) AS restatement_rank,
                                toUInt64(99 * 4294967296) AS version, amount + 1 AS amount)
              FROM payout_filings FINAL WHERE payout_key = '${payment}' LIMIT 1`,
    });
    const report = await checkInvariants(kafka, p.clickhouse);
    const problems = report.problems.join('\n');
    expect(problems).toContain(`donation events in raw_events missing from donation_events: ${donation}`);
    expect(problems).toContain(`payout_filings rows of no payout event in raw_events: ${'f'.repeat(32)}`);
    expect(problems).toMatch(/payouts [^:]+: recomputed -?\d+ cents, view -?\d+ cents/);
  });
});

/**
 * The bridge's counters from its /healthz, whose port the bridge names in its "bridge running"
 * log line (the port is its own choice, not the test's).
 */
interface BridgeStats {
  batches: number;
  events: number;
  deadLettered: number;
  alreadyOwned: number;
}

async function bridgeStats(proc: ManagedProcess): Promise<BridgeStats> {
  const line = readFileSync(proc.logFile, 'utf8')
    .split('\n')
    .findLast((l) => l.includes('"msg":"bridge running"'));
  const port = line ? (JSON.parse(line) as { health?: number }).health : undefined;
  if (!port) throw new Error(`${proc.name} has not logged its health port in ${proc.logFile}`);
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return ((await res.json()) as { detail: BridgeStats }).detail;
}

/** What the views show now for these payout keys and ads (event ids), to compare after a fault. */
async function shownIds(payoutKeys: string[], ads: string[]): Promise<Record<string, string>> {
  const rs = await p.clickhouse.query({
    query: `SELECT payout_key AS k, toString(event_id) AS id FROM payouts WHERE payout_key IN {keys:Array(String)}
            UNION ALL
            SELECT concat(platform, ':', ad_id) AS k, toString(event_id) AS id FROM ads_current
            WHERE concat(platform, ':', ad_id) IN {ads:Array(String)}`,
    query_params: { keys: payoutKeys, ads },
    format: 'JSONEachRow',
  });
  const out: Record<string, string> = {};
  for (const r of await rs.json<{ k: string; id: string }>()) out[r.k] = r.id;
  expect(Object.keys(out).length).toBe(payoutKeys.length + ads.length);
  return out;
}

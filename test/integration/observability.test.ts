/**
 * Observability on a private pipeline: after an import (CLI) and a webhook submission
 * (ingest-http) have gone through, every service answers /healthz and /metrics, and the counters
 * show the events in and out and the ClickHouse inserts. One event can be followed by its ids:
 * the importer logs its event_id, raw_events keeps the batch's workflow id, and the bridge and
 * the worker log that id as `batchId`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import { childEnv, nodeBinary, REPO_ROOT } from '../../infra/local/config.ts';
import { freePorts } from '../../infra/local/ports.ts';
import { spawnManaged, type ManagedProcess } from '../../infra/local/process.ts';
import { serviceEnv } from '../../infra/local/services.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { WorkflowFailedError } from '@temporalio/client';
import { rawTopic } from '../../schemas/topics.ts';
import { connectTemporal, INGEST_TASK_QUEUE } from '../../services/shared/temporal.ts';
import type { IngestBatchInput } from '../../workflows/ingest-batch/input.ts';
import { healthUrl, linesOf, logLines, sample, scrape } from '../helpers/metrics.ts';
import { startPrivatePipeline, type PrivatePipeline } from '../helpers/pipeline.ts';

let p: PrivatePipeline;
let ingest: ManagedProcess | undefined;
let ingestUrl: string;
let importLog: string;
const token = randomBytes(24).toString('base64url');

beforeAll(async () => {
  p = await startPrivatePipeline('observability');
  const [port = 0] = await freePorts(1);
  ingestUrl = `http://127.0.0.1:${port}`;
  ingest = spawnManaged('ingest-http', nodeBinary(), [path.join(REPO_ROOT, 'services/ingest-http/main.ts')], {
    cwd: REPO_ROOT,
    logFile: path.join(p.stateDir, 'logs', 'ingest-http.log'),
    log: p.log,
    env: childEnv({
      ...serviceEnv(p.stack.endpoints),
      INGEST_PORT: String(port),
      INGEST_TOKEN: token,
      INGEST_HMAC_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'debug',
    }),
  });
  await waitFor(async () => ((await fetch(`${ingestUrl}/healthz`)).ok ? true : undefined), {
    what: 'ingest-http to answer /healthz',
    timeoutMs: 90_000,
    abortIf: () => (ingest?.exitStatus() ? `ingest-http exited:\n${ingest.tail(20)}` : undefined),
  });

  const imported = await p.cli([
    'import',
    'fec-schedule-e',
    path.join(CAMPAIGN_DIR, 'schedule-e-america-pac.csv'),
    '--json',
  ]);
  expect(imported.code, imported.stderr.slice(-2000)).toBe(0);
  importLog = imported.stderr;
  const submitted = await fetch(`${ingestUrl}/v1/events/donation`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      source: 'webhook:observability-test',
      source_record_id: 'OBS-1',
      occurred_at: '2024-10-19T14:00:00Z',
      payload: {
        committee_id: 'C00879510',
        contributor_name: 'DOE, JANE',
        amount: '47',
        contributed_on: '2024-10-19',
      },
    }),
  });
  expect(submitted.status).toBe(202);
  const idle = await p.cli(['wait', '--idle', '--timeout', '300', '--json']);
  expect(idle.code, idle.stderr.slice(-2000)).toBe(0);
});

afterAll(async () => {
  await ingest?.stop();
  await p?.stop();
});

describe('metrics and health of every service', () => {
  it('the bridge counts events consumed and handed over, its claims and its consumer lag', async () => {
    const text = await scrape(healthUrl(p.bridge));
    const scheduleE = { topic: rawTopic('payout'), service: 'bridge' };
    expect(sample(text, 'influence_events_consumed_total', scheduleE)).toBeGreaterThanOrEqual(255);
    expect(sample(text, 'influence_events_handed_over_total', scheduleE)).toBeGreaterThanOrEqual(255);
    expect(sample(text, 'influence_batch_handover_seconds_count')).toBeGreaterThan(0);
    expect(
      sample(text, 'influence_clickhouse_insert_seconds_count', { table: 'batch_claims' }),
    ).toBeGreaterThan(0);
    // Idle: the group has consumed everything; the gauge has a series per partition of each raw topic.
    expect(sample(text, 'influence_consumer_lag', { group: 'bridge.raw', topic: rawTopic('payout') })).toBe(
      0,
    );
    expect(sample(text, 'process_cpu_user_seconds_total', { service: 'bridge' })).toBeGreaterThan(0);
  });

  it('the worker counts rows stored and events published, its inserts and its activities', async () => {
    const text = await scrape(healthUrl(p.worker));
    expect(sample(text, 'influence_events_stored_total', { table: 'raw_events' })).toBeGreaterThanOrEqual(
      256,
    );
    expect(sample(text, 'influence_events_stored_total', { table: 'payout_filings' })).toBeGreaterThan(0);
    expect(sample(text, 'influence_events_published_total', { service: 'worker' })).toBeGreaterThan(0);
    expect(
      sample(text, 'influence_clickhouse_insert_seconds_count', { table: 'raw_events' }),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'influence_activity_duration_seconds_count', { activity: 'storeClaimedBatch' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'influence_activity_failures_total')).toBeUndefined();
    expect(sample(text, 'influence_workflow_failures_total')).toBeUndefined();
  });

  it('ingest-http counts what it published', async () => {
    const text = await scrape(ingestUrl);
    expect(
      sample(text, 'influence_events_published_total', {
        topic: rawTopic('donation'),
        service: 'ingest-http',
      }),
    ).toBe(1);
  });

  it('the ClickHouse endpoint counts queries by user, kind and outcome, and the rows written', async () => {
    const { endpoint, analyst_url } = p.stack.endpoints.clickhouse;
    // One refused write by the read-only analyst, so an error outcome is on record.
    const analyst = new URL(analyst_url ?? '');
    const refused = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${analyst.username}:${decodeURIComponent(analyst.password)}`).toString('base64')}`,
      },
      body: 'CREATE TABLE observability_nope (a UInt8) ENGINE = Memory',
    });
    expect(refused.status).toBe(403);
    const text = await scrape(endpoint, '/ping');
    const q = (labels: Record<string, string>) =>
      sample(text, 'influence_clickhouse_queries_total', { service: 'clickhouse', ...labels });
    expect(q({ user: 'default', kind: 'insert', outcome: 'ok' })).toBeGreaterThan(0);
    expect(q({ user: 'default', kind: 'select', outcome: 'ok' })).toBeGreaterThan(0);
    expect(q({ user: analyst.username, kind: 'ddl', outcome: 'error' })).toBe(1);
    expect(sample(text, 'influence_clickhouse_written_rows_total')).toBeGreaterThanOrEqual(256);
    expect(sample(text, 'influence_clickhouse_query_seconds_count', { kind: 'insert' })).toBeGreaterThan(0);
  });

  it('the worker counts a failed workflow by type, and the activity failure behind it', async () => {
    const e = p.stack.endpoints.temporal;
    const temporal = await connectTemporal({ address: e.address, namespace: e.namespace });
    try {
      // A claim-checked batch whose claim was never written: storeClaimedBatch fails for good
      // (ClaimMissing), so the workflow fails.
      const input: IngestBatchInput = {
        topic: rawTopic('payout'),
        partition: 0,
        firstOffset: '900000',
        lastOffset: '900001',
        claimed: 2,
      };
      const failed = temporal.workflow.execute('ingestBatch', {
        taskQueue: INGEST_TASK_QUEUE,
        workflowId: `ingest:observability-test:${randomBytes(6).toString('hex')}`,
        args: [input],
      });
      await expect(failed).rejects.toThrow(WorkflowFailedError);
    } finally {
      await temporal.connection.close();
    }
    const text = await scrape(healthUrl(p.worker));
    expect(
      sample(text, 'influence_workflow_failures_total', { workflow: 'ingestBatch', type: 'ActivityFailure' }),
    ).toBe(1);
    expect(
      sample(text, 'influence_activity_failures_total', {
        activity: 'storeClaimedBatch',
        type: 'ClaimMissing',
      }),
    ).toBe(1);
  });
});

describe('correlation ids in the logs', () => {
  it('follows an imported event from its event_id to its batch in the bridge and worker logs', async () => {
    const published = logLines(importLog).find((l) => l['msg'] === 'events published');
    const eventId = (published?.['first'] as { event_id?: string } | undefined)?.event_id;
    expect(eventId, 'the importer logs the event ids it published').toMatch(/\S/);
    const rs = await p.clickhouse.query({
      query: 'SELECT workflow_id FROM raw_events FINAL WHERE event_id = {id:String}',
      query_params: { id: eventId },
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ workflow_id: string }>();
    const batchId = row?.workflow_id;
    expect(batchId).toMatch(/^ingest:bridge\.raw:/);
    const handed = linesOf(p.bridge, 'batch handed to Temporal').filter((l) => l['batchId'] === batchId);
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatchObject({ topic: rawTopic('payout'), events: expect.any(Number) as number });
    const stored = linesOf(p.worker, 'claimed batch stored').filter((l) => l['batchId'] === batchId);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored[0]?.['events']).toBe(handed[0]?.['events']);
  });

  it('logs the webhook event id at debug without the personal fields', () => {
    const lines = logLines(readFileSync(path.join(p.stateDir, 'logs', 'ingest-http.log'), 'utf8'));
    const published = lines.filter((l) => l['msg'] === 'event published');
    expect(published).toHaveLength(1);
    expect(published[0]?.['event_id']).toMatch(/\S/);
    expect(JSON.stringify(lines)).not.toContain('DOE, JANE');
  });
});

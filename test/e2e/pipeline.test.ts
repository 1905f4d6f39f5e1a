/**
 * The bundled sample campaign end to end on a private stack: every file imported through the
 * CLI into Kafka, the bridge handing batches to Temporal, the worker enriching into ClickHouse
 * and the sponsors' entity workflows correlating; then every cookbook query (docs/sql) returns
 * the figures the sample was built to produce. After that the aggregates must not move when the
 * worker is killed mid-batch and restarted while every raw topic is replayed from offset 0 with
 * other batch boundaries, nor when the rebuild workflow re-derives ClickHouse.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR, CAMPAIGN_IMPORTS } from '../../infra/sample/campaign/manifest.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { connectTemporal } from '../../services/shared/temporal.ts';
import { EVENT_TYPES, rawTopic } from '../../schemas/topics.ts';
import { BRIDGE_GROUP_ID } from '../../services/shared/pipeline-status.ts';
import { aggregateFingerprint } from '../helpers/aggregates.ts';
import { checkCookbookAgainstSample } from '../helpers/cookbook-check.ts';
import { healthUrl, sample, scrape } from '../helpers/metrics.ts';
import { startPrivatePipeline, type PrivatePipeline } from '../helpers/pipeline.ts';

let p: PrivatePipeline;
let baseline: Record<string, unknown>;

beforeAll(async () => {
  p = await startPrivatePipeline('sample');
});
afterAll(async () => {
  await p?.stop();
});

async function waitIdle(): Promise<void> {
  const r = await p.cli(['wait', '--idle', '--timeout', '600', '--json']);
  expect(r.code, r.stderr.slice(-3000)).toBe(0);
  expect((JSON.parse(r.stdout) as { idle: boolean }).idle).toBe(true);
}

describe('the sample campaign through Kafka, Temporal and ClickHouse', () => {
  it('imports every file and the pipeline becomes idle with nothing dead-lettered', async () => {
    for (const { source, file } of CAMPAIGN_IMPORTS) {
      const r = await p.cli(['import', source, path.join(CAMPAIGN_DIR, file), '--json']);
      expect(r.code, `${file}: ${r.stderr.slice(-2000)}`).toBe(0);
    }
    await waitIdle();
    const expected = JSON.parse(readFileSync(path.join(CAMPAIGN_DIR, 'expected.json'), 'utf8')) as {
      rows: Record<string, number>;
    };
    const total = CAMPAIGN_IMPORTS.reduce((n, { file }) => n + (expected.rows[file] ?? 0), 0);
    const rs = await p.clickhouse.query({
      query: `SELECT (SELECT count() FROM raw_events FINAL) AS raw, (SELECT count() FROM dlq_events) AS dlq`,
      format: 'JSONEachRow',
    });
    const [counts] = await rs.json<{ raw: string; dlq: string }>();
    expect(Number(counts?.raw)).toBe(total);
    expect(Number(counts?.dlq)).toBe(0);

    // The services' metrics saw the same run: every event handed over, stored and inserted.
    const bridge = await scrape(healthUrl(p.bridge));
    expect(sample(bridge, 'influence_events_handed_over_total')).toBeGreaterThanOrEqual(total);
    expect(sample(bridge, 'influence_consumer_lag', { group: 'bridge.raw' })).toBe(0);
    const worker = await scrape(healthUrl(p.worker));
    expect(sample(worker, 'influence_events_stored_total', { table: 'raw_events' })).toBeGreaterThanOrEqual(
      total,
    );
    expect(
      sample(worker, 'influence_activity_duration_seconds_count', { activity: 'correlateSponsor' }),
    ).toBeGreaterThan(0);
    const clickhouse = await scrape(p.stack.endpoints.clickhouse.endpoint, '/ping');
    expect(sample(clickhouse, 'influence_clickhouse_written_rows_total')).toBeGreaterThanOrEqual(total);
  });

  it('answers every cookbook query with the figures the sample was built to produce', async () => {
    await checkCookbookAgainstSample((args) => p.cli(args));
    baseline = await aggregateFingerprint(p.clickhouse);
    expect(Object.keys(baseline).length).toBeGreaterThan(8);
  });

  it('keeps every aggregate when the worker is killed mid-batch during a replay from offset 0', async () => {
    const e = p.stack.endpoints;
    const admin = createKafka({
      brokers: e.kafka.brokers.split(','),
      clientId: 'replay-test',
      log: p.log,
    }).admin();
    await admin.connect();
    const temporal = await connectTemporal({ address: e.temporal.address, namespace: e.temporal.namespace });
    try {
      // Replay: the bridge's group back to offset 0, with other batch boundaries, so the
      // batches are new workflows that really run again rather than ids Temporal already knows.
      await p.bridge.stop();
      for (const type of EVENT_TYPES) {
        await admin.resetOffsets({ groupId: BRIDGE_GROUP_ID, topic: rawTopic(type), earliest: true });
      }
      const bridge = await p.start('bridge', { BRIDGE_MAX_BATCH_EVENTS: '97' });
      const running = async () =>
        (await temporal.workflow.count(`WorkflowType = 'ingestBatch' AND ExecutionStatus = 'Running'`)).count;
      await waitFor(async () => ((await running()) > 0 ? true : undefined), {
        what: 'a replayed batch in flight',
        timeoutMs: 60_000,
        intervalMs: 50,
      });
      process.kill(-p.worker.pid, 'SIGKILL');
      await p.worker.exited;
      // The batches the dead worker held are still open in Temporal: they wait for a worker.
      expect(await running()).toBeGreaterThan(0);
      await p.start('worker');
      await waitIdle();
      expect(await aggregateFingerprint(p.clickhouse)).toEqual(baseline);
      await bridge.stop();
      await p.start('bridge');
    } finally {
      await admin.disconnect();
      await temporal.connection.close();
    }
  }, 600_000);

  it('the rebuild workflow re-derives ClickHouse from the raw topics with identical aggregates', async () => {
    const r = await p.cli(['rebuild', '--json']);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const result = JSON.parse(r.stdout) as { truncated: string[]; topics: { messages: number }[] };
    expect(result.truncated).toContain('ad_snapshots');
    expect(result.topics.reduce((n, t) => n + t.messages, 0)).toBeGreaterThan(0);
    await waitIdle();
    expect(await aggregateFingerprint(p.clickhouse)).toEqual(baseline);
    await checkCookbookAgainstSample((args) => p.cli(args));
  }, 600_000);
});

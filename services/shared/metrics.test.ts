import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { startHealthServer } from './health.ts';
import {
  createMetrics,
  failureType,
  initMetrics,
  instrumentActivities,
  timed,
  type Metrics,
} from './metrics.ts';

/** The value of one series of `metric` whose labels include `labels` (undefined when absent). */
async function valueOf(
  metric: { get(): Promise<{ values: { labels: object; value: number; metricName?: string }[] }> },
  labels: Record<string, string | number>,
  metricName?: string,
): Promise<number | undefined> {
  const { values } = await metric.get();
  return values.find(
    (v) =>
      (metricName === undefined || v.metricName === metricName) &&
      Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want),
  )?.value;
}

describe('metrics', () => {
  it('labels every series with the service and adds the process metrics', async () => {
    const m = createMetrics();
    initMetrics('bridge', m);
    initMetrics('bridge', m); // a second call must not register the process metrics twice
    m.eventsConsumed.inc({ topic: 'influence.raw.donation.v1' }, 3);
    const text = await m.registry.metrics();
    expect(text).toMatch(
      /^influence_events_consumed_total\{topic="influence\.raw\.donation\.v1",service="bridge"\} 3$/m,
    );
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="bridge"\} /m);
    expect(text).toContain('# TYPE influence_clickhouse_insert_seconds histogram');
  });

  it('keeps the instruments of two registries apart', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.deadLetters.inc({ reason: 'schema_invalid', step: 'bridge:decode' });
    expect(await valueOf(a.deadLetters, { reason: 'schema_invalid' })).toBe(1);
    expect(await valueOf(b.deadLetters, { reason: 'schema_invalid' })).toBeUndefined();
  });

  it('times a call whether it resolves or rejects', async () => {
    const m = createMetrics();
    await expect(timed(m.insertDuration, { table: 'raw_events' }, () => Promise.resolve(7))).resolves.toBe(7);
    await expect(
      timed(m.insertDuration, { table: 'raw_events' }, () => Promise.reject(new Error('down'))),
    ).rejects.toThrow('down');
    expect(
      await valueOf(m.insertDuration, { table: 'raw_events' }, 'influence_clickhouse_insert_seconds_count'),
    ).toBe(2);
  });
});

describe('consumer lag', () => {
  it('reads the lag per partition at each scrape, replacing the previous readings', async () => {
    const m = createMetrics();
    let readings = [
      { topic: 't', partition: 0, lag: 5 },
      { topic: 't', partition: 1, lag: 0 },
    ];
    let reads = 0;
    m.watchConsumerLag('bridge.raw', () => {
      reads++;
      return Promise.resolve(readings);
    });
    expect(await valueOf(m.consumerLag, { group: 'bridge.raw', topic: 't', partition: '0' })).toBe(5);
    expect(await valueOf(m.consumerLag, { partition: '1' })).toBe(0);
    readings = [{ topic: 'u', partition: 2, lag: 9 }];
    expect(await valueOf(m.consumerLag, { topic: 't', partition: '0' })).toBeUndefined();
    expect(await valueOf(m.consumerLag, { topic: 'u', partition: '2' })).toBe(9);
    expect(reads).toBe(4);
  });

  it('keeps the last readings and reports why when Kafka fails or does not answer', async () => {
    const m = createMetrics();
    const errors: string[] = [];
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    m.watchConsumerLag(
      'g',
      () =>
        mode === 'ok'
          ? Promise.resolve([{ topic: 't', partition: 0, lag: 4 }])
          : mode === 'fail'
            ? Promise.reject(new Error('broker gone'))
            : new Promise<never>(() => {}),
      { onError: (err) => errors.push((err as Error).message), timeoutMs: 30 },
    );
    expect(await valueOf(m.consumerLag, { partition: '0' })).toBe(4);
    mode = 'fail';
    expect(await valueOf(m.consumerLag, { partition: '0' })).toBe(4);
    mode = 'hang';
    expect(await valueOf(m.consumerLag, { partition: '0' })).toBe(4);
    expect(errors).toEqual(['broker gone', 'consumer lag: Kafka did not answer']);
  });

  it('has no series until a source is watched', async () => {
    const m = createMetrics();
    expect((await m.consumerLag.get()).values).toEqual([]);
  });
});

describe('instrumentActivities', () => {
  const make = (m: Metrics) =>
    instrumentActivities(
      {
        ok: (n: number) => Promise.resolve(n * 2),
        missing: () => Promise.reject(ApplicationFailure.nonRetryable('no claim', 'ClaimMissing')),
        broken: () => Promise.reject(new TypeError('bad')),
      },
      m,
    );

  it('returns what the activity returns and times each attempt', async () => {
    const m = createMetrics();
    const a = make(m);
    expect(await a.ok(21)).toBe(42);
    expect(await a.ok(1)).toBe(2);
    expect(
      await valueOf(m.activityDuration, { activity: 'ok' }, 'influence_activity_duration_seconds_count'),
    ).toBe(2);
    expect((await m.activityFailures.get()).values).toEqual([]);
  });

  it('counts failures by ApplicationFailure type or error name and rethrows the same error', async () => {
    const m = createMetrics();
    const a = make(m);
    const err = await a.missing().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    await expect(a.broken()).rejects.toBeInstanceOf(TypeError);
    expect(await valueOf(m.activityFailures, { activity: 'missing', type: 'ClaimMissing' })).toBe(1);
    expect(await valueOf(m.activityFailures, { activity: 'broken', type: 'TypeError' })).toBe(1);
    expect(
      await valueOf(m.activityDuration, { activity: 'missing' }, 'influence_activity_duration_seconds_count'),
    ).toBe(1);
  });

  it('names a failure with neither type nor name "unknown"', () => {
    expect(failureType(ApplicationFailure.retryable('x', 'InsertUnavailable'))).toBe('InsertUnavailable');
    expect(failureType(new RangeError('x'))).toBe('RangeError');
    expect(failureType('a string')).toBe('unknown');
    expect(failureType(null)).toBe('unknown');
  });
});

describe('the health server', () => {
  it('serves /metrics in the Prometheus text format beside /healthz', async () => {
    const m = createMetrics();
    initMetrics('worker', m);
    m.eventsStored.inc({ table: 'raw_events' }, 12);
    const health = await startHealthServer(0, () => ({ ready: true }), m);
    try {
      const base = `http://127.0.0.1:${health.port}`;
      const scrape = await fetch(`${base}/metrics`);
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await scrape.text()).toMatch(
        /^influence_events_stored_total\{table="raw_events",service="worker"\} 12$/m,
      );
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/other`)).status).toBe(404);
    } finally {
      await health.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { startHealthServer } from './health.ts';
import { createMetrics } from './metrics.ts';

describe('control actions on the health server', () => {
  it('runs an action on POST /control/<name> only, and reports its answer', async () => {
    let paused = false;
    const health = await startHealthServer(0, () => ({ ready: true, detail: { paused } }), createMetrics(), {
      pause: () => {
        paused = true;
        return { paused };
      },
      fail: () => {
        throw new Error('cannot pause now');
      },
    });
    try {
      const base = `http://127.0.0.1:${health.port}`;
      expect((await fetch(`${base}/control/pause`)).status).toBe(405);
      expect(paused).toBe(false);
      const res = await fetch(`${base}/control/pause`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ paused: true });
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({
        status: 'ok',
        detail: { paused: true },
      });
      expect((await fetch(`${base}/control/resume`, { method: 'POST' })).status).toBe(404);
      // Not an own action: prototype names are not reachable.
      expect((await fetch(`${base}/control/toString`, { method: 'POST' })).status).toBe(404);
      const failed = await fetch(`${base}/control/fail`, { method: 'POST' });
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ error: 'cannot pause now' });
    } finally {
      await health.close();
    }
  });
});

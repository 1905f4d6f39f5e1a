import { describe, expect, it } from 'vitest';
import { waitForIdle, type PipelineStatus } from './pipeline-status.ts';

const busy: PipelineStatus = { idle: false, lag: { t: 3 }, runningBatches: 1, busySponsors: [], sponsors: 0 };
const idle: PipelineStatus = { idle: true, lag: {}, runningBatches: 0, busySponsors: [], sponsors: 1 };

function sequence(...states: PipelineStatus[]): () => Promise<PipelineStatus> {
  let i = 0;
  return () => Promise.resolve(states[Math.min(i++, states.length - 1)] ?? idle);
}

describe('waitForIdle', () => {
  it('needs two idle readings in a row: one idle moment between busy ones is not enough', async () => {
    const seen: boolean[] = [];
    await waitForIdle(sequence(busy, idle, busy, idle, idle), {
      timeoutMs: 10_000,
      settleMs: 1,
      onStatus: (s) => seen.push(s.idle),
    });
    expect(seen).toEqual([false, true, false, true, true]);
  });

  it('takes a failed reading for "not yet" and goes on', async () => {
    let calls = 0;
    const s = await waitForIdle(
      () => (++calls === 1 ? Promise.reject(new Error('frontend busy')) : Promise.resolve(idle)),
      { timeoutMs: 10_000, settleMs: 1 },
    );
    expect(s.idle).toBe(true);
    expect(calls).toBe(3);
  });

  it('gives up after the timeout and says what is still busy', async () => {
    await expect(waitForIdle(sequence(busy), { timeoutMs: 5, settleMs: 2 })).rejects.toThrow(
      /lag \{"t":3\}, 1 batches running/,
    );
  });
});

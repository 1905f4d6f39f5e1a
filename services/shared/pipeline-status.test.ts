import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { groupLag, partitionLags, waitForIdle, type PipelineStatus } from './pipeline-status.ts';

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

describe('partitionLags and groupLag', () => {
  // Topic a: partition 0 committed at 7 of 10, partition 1 never committed (low 2, high 6).
  // Topic b: fully consumed.
  const admin = {
    fetchOffsets: () =>
      Promise.resolve([
        {
          topic: 'a',
          partitions: [
            { partition: 0, offset: '7' },
            { partition: 1, offset: '-1' },
          ],
        },
        { topic: 'b', partitions: [{ partition: 0, offset: '3' }] },
      ]),
    fetchTopicOffsets: (topic: string) =>
      Promise.resolve(
        topic === 'a'
          ? [
              { partition: 0, low: '0', high: '10', offset: '10' },
              { partition: 1, low: '2', high: '6', offset: '6' },
            ]
          : [{ partition: 0, low: '0', high: '3', offset: '3' }],
      ),
  } as unknown as Admin;

  it('gives every partition its lag from the committed offset, or the low mark without one', async () => {
    expect(await partitionLags(admin, 'g', ['a', 'b'])).toEqual([
      { topic: 'a', partition: 0, lag: 3 },
      { topic: 'a', partition: 1, lag: 4 },
      { topic: 'b', partition: 0, lag: 0 },
    ]);
  });

  it('sums them per topic and leaves out the topics with none', async () => {
    expect(await groupLag(admin, 'g', ['a', 'b'])).toEqual({ a: 7 });
  });
});

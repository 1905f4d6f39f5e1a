import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSignalCoalescer } from './sponsor-signals.ts';

/** A send whose calls are recorded and finish only when the test says so. */
function controlledSend() {
  const calls: { sponsorId: string; batchId: string; finish: (err?: Error) => void }[] = [];
  let inFlight = 0;
  let maxSeen = 0;
  const send = (sponsorId: string, batchId: string) =>
    new Promise<void>((resolve, reject) => {
      inFlight++;
      maxSeen = Math.max(maxSeen, inFlight);
      calls.push({
        sponsorId,
        batchId,
        finish: (err) => {
          inFlight--;
          if (err) reject(err);
          else resolve();
        },
      });
    });
  return { send, calls, maxSeen: () => maxSeen };
}

/** Lets every queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled yet. */
function track(p: Promise<void>) {
  const state = { done: false, error: undefined as unknown };
  p.then(
    () => (state.done = true),
    (err: unknown) => {
      state.done = true;
      state.error = err;
    },
  );
  return state;
}

describe('createSignalCoalescer', () => {
  it('sends one signal for requests that arrive before the send starts', async () => {
    const s = controlledSend();
    const c = createSignalCoalescer(s.send);
    const a = track(c.touch(['S1', 'S2'], 'b1'));
    const b = track(c.touch(['S1'], 'b2'));
    await settle();
    expect(s.calls.map((x) => x.sponsorId).sort()).toEqual(['S1', 'S2']);
    for (const call of s.calls) call.finish();
    await settle();
    expect(a.done && b.done).toBe(true);
    expect(c.sent()).toBe(2);
  });

  it('sends again for a request made while the sponsor’s send is in flight, and waits for it', async () => {
    const s = controlledSend();
    const c = createSignalCoalescer(s.send);
    const a = track(c.touch(['S1'], 'b1'));
    await settle();
    expect(s.calls).toHaveLength(1);
    // b1's signal is on its way; b2's rows came after it was started, so b2 needs its own.
    const b = track(c.touch(['S1'], 'b2'));
    const d = track(c.touch(['S1'], 'b3'));
    await settle();
    expect(s.calls).toHaveLength(1);
    s.calls[0]!.finish();
    await settle();
    expect(a.done).toBe(true);
    expect(b.done || d.done).toBe(false);
    expect(s.calls).toHaveLength(2);
    expect(s.calls[1]!.batchId).toBe('b2');
    s.calls[1]!.finish();
    await settle();
    expect(b.done && d.done).toBe(true);
    expect(c.sent()).toBe(2);
  });

  it('keeps at most maxInFlight sends at once over all sponsors', async () => {
    const s = controlledSend();
    const c = createSignalCoalescer(s.send, 3);
    const ids = Array.from({ length: 10 }, (_, i) => `S${i}`);
    const all = track(c.touch(ids, 'b1'));
    for (let round = 0; round < 10 && !all.done; round++) {
      await settle();
      for (const call of s.calls.splice(0)) call.finish();
    }
    await settle();
    expect(all.done).toBe(true);
    expect(s.maxSeen()).toBe(3);
    expect(c.sent()).toBe(10);
  });

  it('fails every request that shared a failed send, and sends afresh for the next one', async () => {
    const s = controlledSend();
    const c = createSignalCoalescer(s.send);
    const a = track(c.touch(['S1'], 'b1'));
    const b = track(c.touch(['S1'], 'b2'));
    await settle();
    s.calls[0]!.finish(new Error('frontend unavailable'));
    await settle();
    expect((a.error as Error).message).toBe('frontend unavailable');
    expect((b.error as Error).message).toBe('frontend unavailable');
    const retry = track(c.touch(['S1'], 'b1'));
    await settle();
    expect(s.calls).toHaveLength(2);
    s.calls[1]!.finish();
    await settle();
    expect(retry.done && retry.error === undefined).toBe(true);
  });

  describe('with a linger', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('lets the requests made within the linger share one send, started when it ends', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const s = controlledSend();
      const c = createSignalCoalescer(s.send, 8, 1_000);
      const a = track(c.touch(['S1', 'S2'], 'b1'));
      await settle();
      vi.advanceTimersByTime(600);
      const b = track(c.touch(['S1'], 'b2'));
      await settle();
      expect(s.calls).toHaveLength(0);
      vi.advanceTimersByTime(399);
      await settle();
      expect(s.calls).toHaveLength(0);
      vi.advanceTimersByTime(1);
      await settle();
      // One send per sponsor for both batches, each started after b2 asked.
      expect(s.calls.map((x) => `${x.sponsorId}:${x.batchId}`).sort()).toEqual(['S1:b1', 'S2:b1']);
      expect(a.done || b.done).toBe(false);
      for (const call of s.calls) call.finish();
      await settle();
      expect(a.done && b.done).toBe(true);
      expect(c.sent()).toBe(2);
    });

    it('lingers beside a send in flight, and never starts before that send is over', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const s = controlledSend();
      const c = createSignalCoalescer(s.send, 8, 1_000);
      const a = track(c.touch(['S1'], 'b1'));
      vi.advanceTimersByTime(1_000);
      await settle();
      expect(s.calls).toHaveLength(1);
      // b2 asks while b1's send is in flight: its linger runs now, its send waits for b1's.
      const b = track(c.touch(['S1'], 'b2'));
      vi.advanceTimersByTime(1_500);
      await settle();
      expect(s.calls).toHaveLength(1);
      s.calls[0]!.finish();
      await settle();
      expect(a.done).toBe(true);
      // The linger is over already: b2's send starts at once, and b2 waits for it.
      expect(s.calls).toHaveLength(2);
      expect(s.calls[1]!.batchId).toBe('b2');
      expect(b.done).toBe(false);
      s.calls[1]!.finish();
      await settle();
      expect(b.done && b.error === undefined).toBe(true);
    });
  });
});

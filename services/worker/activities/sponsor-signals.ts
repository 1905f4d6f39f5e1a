/**
 * Group commit of the sponsors' `touched` signals across the batches a worker runs at once.
 *
 * A batch must not finish before every sponsor it touched has been signalled after the batch's
 * rows were stored: that signal is what makes the sponsor recompute over them. Two batches that
 * touch the same sponsor at about the same time can share one signal, provided that signal is
 * sent after both asked for it. So per sponsor, a request joins the send that is queued and not
 * yet started, or queues a new one behind the send in flight; never one that already started.
 * A new send lingers a moment before it starts, so the batches finishing within that moment
 * share it: under a stream of batches, each sponsor gets about one signal per linger.
 * Fifty sponsors touched by each of eight concurrent batches cost fifty signals, not four
 * hundred, and Temporal's share of an import shrinks accordingly (docs/performance.md).
 */

/** Sends one signal to one sponsor. @throws when Temporal refuses or cannot be reached. */
export type SendSignal = (sponsorId: string, batchId: string) => Promise<void>;

interface SponsorLane {
  /** The send queued behind the one in flight, not started yet: new requests join it. */
  queued?: Promise<void>;
  /** The send in flight (or the last one), which queued sends start after. */
  tail: Promise<void>;
}

export interface SignalCoalescer {
  /** Resolves once each sponsor got a signal sent after this call. @throws its send's error. */
  touch(sponsorIds: readonly string[], batchId: string): Promise<void>;
  /** Signals sent so far (for tests and logs). */
  sent(): number;
}

/**
 * @param send        sends one signal
 * @param maxInFlight most sends at once, over all sponsors (keeps Temporal's frontend calm)
 * @param lingerMs    how long a new send waits for other batches' requests before it starts
 *                    (0: it starts as soon as the sponsor's previous send finished)
 */
export function createSignalCoalescer(send: SendSignal, maxInFlight = 8, lingerMs = 0): SignalCoalescer {
  const lanes = new Map<string, SponsorLane>();
  let sent = 0;
  let running = 0;
  const waiting: (() => void)[] = [];

  async function slot<T>(fn: () => Promise<T>): Promise<T> {
    if (running >= maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  function request(sponsorId: string, batchId: string): Promise<void> {
    const lane = lanes.get(sponsorId) ?? { tail: Promise.resolve() };
    lanes.set(sponsorId, lane);
    if (lane.queued) return lane.queued;
    const previous = lane.tail.catch(() => undefined);
    // The linger runs beside the previous send: a send never starts before either is over.
    const ready =
      lingerMs > 0
        ? Promise.all([previous, new Promise<void>((resolve) => setTimeout(resolve, lingerMs))])
        : previous;
    const queued = ready
      .then(() => {
        // From here on this send has started: later requests must queue another one.
        if (lane.queued === queued) lane.queued = undefined;
        return slot(() => send(sponsorId, batchId));
      })
      .then(() => {
        sent++;
      });
    lane.queued = queued;
    lane.tail = queued;
    // Forget an idle sponsor, so the map holds only sponsors with sends under way.
    void queued
      .catch(() => undefined)
      .then(() => {
        if (lane.tail === queued && !lane.queued) lanes.delete(sponsorId);
      });
    return queued;
  }

  return {
    async touch(sponsorIds, batchId) {
      await Promise.all(sponsorIds.map((s) => request(s, batchId)));
    },
    sent: () => sent,
  };
}

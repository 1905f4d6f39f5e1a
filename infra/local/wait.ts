/**
 * Polling with a deadline: the only way the stack and tests wait for something to become true.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** What is awaited, for the error message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Checked each round; when it returns a reason the wait fails at once (e.g. process exited). */
  abortIf?: () => string | undefined;
}

/**
 * Calls `probe` until it returns a value other than undefined, or throws when the deadline passes.
 * Exceptions from `probe` count as "not yet"; the last one is reported on timeout.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 200;
  let lastError: unknown;
  for (;;) {
    const abort = opts.abortIf?.();
    if (abort) throw new Error(`${opts.what}: ${abort}`);
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${why}`);
    }
    await delay(interval);
  }
}

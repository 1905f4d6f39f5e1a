/**
 * Task queues beside a worker's main one. Pure, so workflows and services share it.
 *
 * Correlation recomputations run on their own queue, polled with a small concurrency: a
 * recomputation is a handful of seconds of ClickHouse work per sponsor, and fifty sponsors
 * touched by one import would otherwise take every activity slot and the engine with it, while
 * the batches that carry the import wait behind them (docs/performance.md).
 */
export function correlationTaskQueue(taskQueue: string): string {
  return `${taskQueue}.correlate`;
}

/**
 * notifySponsors runs on its own queue with many slots: it mostly waits (the signal linger, then
 * Temporal), and on the main queue it held the slots that the next batches' storeClaimedBatch
 * needed, so batches queued for seconds behind it (docs/performance.md).
 */
export function signalTaskQueue(taskQueue: string): string {
  return `${taskQueue}.signal`;
}

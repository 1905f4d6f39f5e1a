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

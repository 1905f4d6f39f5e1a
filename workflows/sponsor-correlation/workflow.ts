/**
 * sponsorCorrelation: the entity workflow of one sponsor (`sponsor:<id>`), started or signalled
 * with signal-with-start by every batch that touches the sponsor. Each recomputation refreshes the
 * sponsor's rollups (the tables behind efficiency_daily, spend_daily, funding_flows, …), then its
 * correlations. Signals only mark the sponsor dirty; a recomputation starts after a moment of
 * quiet (no signal for QUIET_MS, at most MAX_DEFER_MS after the first signal) and covers every
 * signal that arrived before it started. So a burst of batches costs one recomputation after the
 * burst, and none competes with the import for ClickHouse. Before the history grows long it
 * continues as new, carrying a pending signal over, so no signal is lost.
 */
import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { BATCH_STATE, SPONSOR } from '../search-attributes.ts';
import {
  statusQuery,
  touchedSignal,
  type CorrelationActivities,
  type RollupActivities,
  type SponsorCorrelationInput,
  type SponsorStatus,
} from './contracts.ts';
import { correlationTaskQueue } from '../task-queues.ts';

/**
 * The rollup and correlation activities, on their own task queue beside the workflow's
 * (workflows/task-queues.ts).
 */
function recomputationActivities() {
  return proxyActivities<CorrelationActivities & RollupActivities>({
    taskQueue: correlationTaskQueue(workflowInfo().taskQueue),
    // Queued time counts towards scheduleToClose only: a recomputation waiting for its turn
    // behind other sponsors does not time out.
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  });
}

/** The patch that added the rollup recomputation before each correlation (histories before it replay without). */
export const ROLLUPS_PATCH = 'rollups-v1';

/** How long a signal waits for others before the recomputation starts. */
export const COALESCE_MS = 1_000;
/**
 * Least time between the starts of two recomputations of one sponsor. The load on ClickHouse
 * as a whole is bounded by the correlation task queue's concurrency (workflows/task-queues.ts).
 */
export const MIN_COOLDOWN_MS = 5_000;

/**
 * The patch that makes a recomputation wait for a quiet period (no signal for QUIET_MS) instead
 * of COALESCE_MS: recomputations during an import competed with it for ClickHouse and were
 * redone after it anyway (docs/performance.md). Histories before it replay the fixed pause.
 */
export const QUIET_PERIOD_PATCH = 'quiet-period-v1';

/** A recomputation starts once no signal arrived for this long… */
export const QUIET_MS = 3_000;
/** …or this long after the wait began, under a stream that never pauses. */
export const MAX_DEFER_MS = 60_000;

/**
 * Waits until QUIET_MS passed without a signal (one timer per window, however many signals
 * arrive), at least `spacing`, at most MAX_DEFER_MS. Only workflow time is read: deterministic.
 */
async function quietPeriod(status: SponsorStatus, spacing: number): Promise<void> {
  const started = Date.now();
  let seen = status.signals;
  await sleep(Math.max(QUIET_MS, spacing));
  while (status.signals !== seen && Date.now() - started < MAX_DEFER_MS) {
    seen = status.signals;
    await sleep(Math.min(QUIET_MS, started + MAX_DEFER_MS - Date.now()));
  }
}

/** Continue as new after this many events even if the server does not suggest it yet. */
export const HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;

export async function sponsorCorrelation(input: SponsorCorrelationInput): Promise<void> {
  const status: SponsorStatus = {
    sponsorId: input.sponsorId,
    pending: input.pending ?? false,
    computing: false,
    runs: input.runs ?? 0,
    signals: input.signals ?? 0,
    last: { ...input.last },
  };
  setHandler(touchedSignal, () => {
    status.pending = true;
    status.signals++;
  });
  setHandler(statusQuery, () => ({ ...status, last: { ...status.last } }));
  upsertSearchAttributes([{ key: SPONSOR, value: input.sponsorId }]);
  const { correlateSponsor, recomputeRollups } = recomputationActivities();
  let lastStartedAt: number | undefined;

  const historyIsLong = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= HISTORY_EVENTS_BEFORE_CONTINUE;
  };

  for (;;) {
    upsertSearchAttributes([{ key: BATCH_STATE, value: status.pending ? 'pending' : 'idle' }]);
    await condition(() => status.pending || historyIsLong());
    if (historyIsLong()) break;
    // Batches of one import arrive in bursts: one recomputation after a short pause covers them
    // all, and under a steady stream the recomputations keep a distance.
    const now = Date.now();
    const spacing = lastStartedAt === undefined ? 0 : lastStartedAt + MIN_COOLDOWN_MS - now;
    if (patched(QUIET_PERIOD_PATCH)) await quietPeriod(status, spacing);
    else await sleep(Math.max(COALESCE_MS, spacing));
    lastStartedAt = Date.now();
    status.pending = false;
    status.computing = true;
    upsertSearchAttributes([{ key: BATCH_STATE, value: 'computing' }]);
    try {
      // The rollups first: the correlations read efficiency_daily and funding_flows, which the
      // rollups now back, so both see the same rows.
      if (patched(ROLLUPS_PATCH)) await recomputeRollups({ sponsorId: input.sponsorId });
      const result = await correlateSponsor({ sponsorId: input.sponsorId });
      status.last = result.found;
    } finally {
      status.computing = false;
    }
    status.runs++;
  }
  await continueAsNew<typeof sponsorCorrelation>({
    sponsorId: input.sponsorId,
    pending: status.pending,
    runs: status.runs,
    signals: status.signals,
    last: status.last,
  });
}

/**
 * The sponsor correlation entity workflow's id, signal, query and activity contracts: what
 * starters (the notifySponsors activity), `influence wait --idle` and the worker share without
 * loading workflow code.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

/** The pipeline's task queue (INGEST_TASK_QUEUE in services/shared/temporal.ts). */
const DEFAULT_TASK_QUEUE = 'influence-ingest';

/**
 * One entity workflow per canonical sponsor and pipeline: `sponsor:<id>` on the default task
 * queue, `sponsor:<id>@<task queue>` on another (a test's own pipeline sharing a server), so two
 * pipelines on one namespace never signal each other's sponsors.
 */
export function sponsorWorkflowId(sponsorId: string, taskQueue?: string): string {
  return taskQueue && taskQueue !== DEFAULT_TASK_QUEUE
    ? `sponsor:${sponsorId}@${taskQueue}`
    : `sponsor:${sponsorId}`;
}

export const SPONSOR_WORKFLOW_TYPE = 'sponsorCorrelation';

export interface SponsorCorrelationInput {
  sponsorId: string;
  /** Carried over continue-as-new: a signal arrived that the last run did not cover yet. */
  pending?: boolean;
  /** Recomputations so far, over every run of the chain. */
  runs?: number;
  /** Signals received so far, over every run of the chain. */
  signals?: number;
  /** What the last recomputation found, so the status query answers it in a new run too. */
  last?: SponsorStatus['last'];
}

export interface TouchedSignal {
  /** The batch (ingest workflow id) whose events touched the sponsor. */
  batchId: string;
}

export interface SponsorStatus {
  sponsorId: string;
  /** A signal arrived that no recomputation has covered yet. */
  pending: boolean;
  /** A recomputation is in flight. */
  computing: boolean;
  runs: number;
  signals: number;
  /** Correlations found by the last recomputation, by kind. */
  last: Record<string, number>;
}

export const touchedSignal = defineSignal<[TouchedSignal]>('touched');
export const statusQuery = defineQuery<SponsorStatus>('status');

export interface CorrelateSponsorResult {
  /** Current correlations by kind after the recomputation. */
  found: Record<string, number>;
  /** Correlations new or changed since the last recomputation (published to the topic). */
  changed: number;
  /** Correlations that no longer hold (marked deleted and published as retractions). */
  retracted: number;
}

export interface CorrelationActivities {
  /**
   * Recomputes every correlation kind of one sponsor from ClickHouse, writes them to
   * `correlations` and publishes what changed to influence.correlations.v1. Idempotent: the
   * same data gives the same correlations and publishes nothing new.
   */
  correlateSponsor(input: { sponsorId: string }): Promise<CorrelateSponsorResult>;
}

export interface RollupActivities {
  /**
   * Recomputes the sponsor's rows of the rollups behind efficiency_daily, spend_daily,
   * funding_flows and payouts_daily (migration 0007) from the deduplicated base views.
   * Idempotent: the same base rows give the same visible rollup rows. Throws a retriable
   * failure when ClickHouse is unavailable.
   */
  recomputeRollups(input: { sponsorId: string }): Promise<{ version: string }>;
}

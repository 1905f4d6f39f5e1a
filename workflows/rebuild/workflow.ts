/**
 * rebuild: re-derives ClickHouse from the raw topics, from offset 0. Truncates the derived
 * tables, replays each raw topic through the ingest steps, then has every sponsor's correlation
 * workflow recompute. Without truncation and with topics and a time range, it is
 * `influence replay`: those topics' messages of that range go through the steps again. Replays are idempotent, so the aggregates end as they were (the
 * integration test checks exactly that); live ingestion may go on meanwhile.
 */
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { EVENT_TYPES, rawTopic } from '../../schemas/topics.ts';
import type { IngestActivities } from '../ingest-batch/activity-contracts.ts';
import type { RebuildActivities, RebuildInput, RebuildResult, TopicReplayResult } from './contracts.ts';

const { truncateDerived } = proxyActivities<RebuildActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const { replayTopic } = proxyActivities<RebuildActivities>({
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
});
const { notifySponsors } = proxyActivities<IngestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function rebuild(input: RebuildInput = {}): Promise<RebuildResult> {
  const { workflowId, runId } = workflowInfo();
  const truncated = input.truncate === false ? [] : await truncateDerived();
  const topics: TopicReplayResult[] = [];
  for (const topic of input.topics ?? EVENT_TYPES.map(rawTopic)) {
    // The range is passed only when given, so a plain rebuild schedules what it always did.
    const range = {
      ...(input.fromMs !== undefined ? { fromMs: input.fromMs } : {}),
      ...(input.toMs !== undefined ? { toMs: input.toMs } : {}),
    };
    topics.push(await replayTopic({ topic, rebuildId: runId, ...range }));
    log.info('topic replayed', { topic });
  }
  const sponsors = [...new Set(topics.flatMap((t) => t.sponsors))].sort();
  if (sponsors.length > 0) await notifySponsors({ sponsors, batchId: workflowId });
  return { truncated, topics, sponsors: sponsors.length };
}

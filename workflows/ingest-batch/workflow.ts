/**
 * ingestBatch: one batch of raw events from one topic partition, identified by its offset range
 * (`ingest:<topic>:<partition>:<first>-<last>`), inserted into ClickHouse exactly once.
 * Starting it again with the same id while it runs or after it completed does nothing.
 */
import { log, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { IngestActivities } from './activity-contracts.ts';
import type { IngestBatchInput, IngestBatchResult } from './input.ts';
import { BATCH_STATE } from '../search-attributes.ts';

const { insertRawEvents } = proxyActivities<IngestActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function ingestBatch(input: IngestBatchInput): Promise<IngestBatchResult> {
  const { workflowId } = workflowInfo();
  const result = await insertRawEvents({ rows: input.rows, dedupToken: workflowId });
  upsertSearchAttributes([
    { key: BATCH_STATE, value: result.deadLettered > 0 ? 'partly-dead-lettered' : 'inserted' },
  ]);
  log.info('batch inserted', { topic: input.topic, partition: input.partition, ...result });
  return result;
}

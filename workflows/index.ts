/** Every workflow the worker runs; the worker loads this file by path (workflowsPath). */
export { ingestBatch } from './ingest-batch/workflow.ts';
export { sponsorCorrelation } from './sponsor-correlation/workflow.ts';
export { rebuild } from './rebuild/workflow.ts';

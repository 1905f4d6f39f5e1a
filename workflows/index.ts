/** Every workflow the worker runs; the worker loads this file by path (workflowsPath). */
export { ingestBatch } from './ingest-batch/workflow.ts';

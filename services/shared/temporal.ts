/** Temporal client connections and the task queues the project uses. */
import { Client, Connection } from '@temporalio/client';

/** The task queue the ingestion workflows and activities run on (workflows/sponsor-correlation/contracts.ts repeats it). */
export const INGEST_TASK_QUEUE = 'influence-ingest';

/** Connects a workflow client. @throws when the frontend does not answer. */
export async function connectTemporal(opts: { address: string; namespace: string }): Promise<Client> {
  const connection = await Connection.connect({ address: opts.address, connectTimeout: '10s' });
  return new Client({ connection, namespace: opts.namespace });
}

/** `influence rebuild`: re-derives ClickHouse from the raw topics with the rebuild workflow. */
import { parseArgs } from 'node:util';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Logger } from '../../shared/logger.ts';
import { connectTemporal, INGEST_TASK_QUEUE } from '../../shared/temporal.ts';
import {
  REBUILD_WORKFLOW_ID,
  REBUILD_WORKFLOW_TYPE,
  type RebuildInput,
  type RebuildResult,
} from '../../../workflows/rebuild/contracts.ts';
import { EXIT, currentEndpoints, stackConfig } from '../context.ts';

export const REBUILD_HELP = `Usage: influence rebuild [--keep] [--detach] [--json]

Starts the rebuild workflow (id ${REBUILD_WORKFLOW_ID}): empties the tables derived from the raw
topics, replays every raw topic from offset 0 through enrichment, and has every sponsor's
correlations recomputed. Replays are idempotent, so the aggregates end as before. Analysts see
partial figures while it runs. A second start while one runs joins the running one.

  --keep     do not empty the tables first (re-derive over what is there)
  --detach   start it and return; follow it with \`influence temporal workflow describe -w ${REBUILD_WORKFLOW_ID}\`
  --json     print the result as JSON`;

export async function rebuildCommand(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      keep: { type: 'boolean', default: false },
      detach: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${REBUILD_HELP}\n`);
    return EXIT.ok;
  }
  const { result } = await runRebuildWorkflow({
    workflowId: REBUILD_WORKFLOW_ID,
    input: { truncate: !values.keep },
    detach: values.detach,
    what: 'rebuild',
    log,
  });
  if (!result) return EXIT.ok;
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const messages = result.topics.reduce((a, t) => a + t.messages, 0);
    process.stdout.write(
      `rebuilt ${result.truncated.length} tables from ${messages} raw messages; ` +
        `${result.sponsors} sponsors recomputed\n`,
    );
  }
  return EXIT.ok;
}

/**
 * Starts the rebuild workflow under `workflowId` (joining a running one with that id) and, unless
 * `detach`, waits for its result. `rebuild` and `replay` both run it; with `detach` it prints the
 * id and returns no result.
 */
export async function runRebuildWorkflow(opts: {
  workflowId: string;
  input: RebuildInput;
  detach: boolean;
  what: 'rebuild' | 'replay';
  log: Logger;
}): Promise<{ workflowId: string; result?: RebuildResult }> {
  const endpoints = currentEndpoints(stackConfig());
  const temporal = await connectTemporal({
    address: endpoints.temporal.address,
    namespace: endpoints.temporal.namespace,
  });
  try {
    const handle = await temporal.workflow.start(REBUILD_WORKFLOW_TYPE, {
      taskQueue: INGEST_TASK_QUEUE,
      workflowId: opts.workflowId,
      args: [opts.input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
    opts.log.info(
      { workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
      `${opts.what} started`,
    );
    if (opts.detach) {
      process.stdout.write(`${opts.what} started: ${handle.workflowId}\n`);
      return { workflowId: handle.workflowId };
    }
    return { workflowId: handle.workflowId, result: (await handle.result()) as RebuildResult };
  } finally {
    await temporal.connection.close();
  }
}

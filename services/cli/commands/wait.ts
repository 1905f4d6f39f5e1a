/** `influence wait --idle`: returns when every consumed event has been processed. */
import { parseArgs } from 'node:util';
import type { Logger } from '../../shared/logger.ts';
import { waitForPipelineIdle, type PipelineStatus } from '../../shared/pipeline-status.ts';
import { CliError, EXIT, currentEndpoints, stackConfig } from '../context.ts';

export const WAIT_HELP = `Usage: influence wait --idle [--timeout SECONDS] [--json]

Returns once the pipeline has caught up: every raw event in Kafka handed to Temporal, every
ingest batch and rebuild finished, every sponsor's correlations recomputed, every dead letter
copied to ClickHouse. Use it between an import and a query.

  --idle           wait until idle (the only condition for now)
  --timeout S      give up after S seconds (default 600): exit 1 with what is still busy
  --json           print the final status as JSON

Example:
  npx influence import snap snap.csv && npx influence wait --idle && npx influence sql "SELECT count() FROM ads_current"`;

export async function waitCommand(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      idle: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '600' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${WAIT_HELP}\n`);
    return EXIT.ok;
  }
  if (!values.idle) throw new CliError(`say what to wait for: --idle\n\n${WAIT_HELP}`, EXIT.usage);
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new CliError('--timeout expects seconds > 0', EXIT.usage);
  const endpoints = currentEndpoints(stackConfig());
  const started = Date.now();
  let last = '';
  const status = await waitForPipelineIdle({
    brokers: endpoints.kafka.brokers,
    temporal: endpoints.temporal,
    log,
    timeoutMs: timeout * 1000,
    onStatus: (s: PipelineStatus) => {
      const line = describe(s);
      if (line !== last) log.info({ ...s }, line);
      last = line;
    },
  }).catch((err: unknown) => {
    throw new CliError((err as Error).message, EXIT.failed);
  });
  const took = ((Date.now() - started) / 1000).toFixed(1);
  if (values.json) process.stdout.write(`${JSON.stringify({ ...status, seconds: Number(took) })}\n`);
  else process.stdout.write(`idle after ${took} s (${status.sponsors} sponsors correlated)\n`);
  return EXIT.ok;
}

function describe(s: PipelineStatus): string {
  if (s.idle) return 'idle';
  const lag = Object.values(s.lag).reduce((a, b) => a + b, 0);
  return `waiting: ${lag} messages not handed over, ${s.runningBatches} batches running, ${s.busySponsors.length} sponsors busy`;
}

/**
 * `influence temporal <args…>`: the Temporal CLI the stack runs (from PATH or the cache),
 * pointed at the stack's server, for operators: `influence temporal workflow list`.
 */
import { spawn } from 'node:child_process';
import { ensureTemporalBinary } from '../../../infra/local/temporal.ts';
import { childEnv } from '../../../infra/local/config.ts';
import type { Logger } from '../../shared/logger.ts';
import { EXIT, currentEndpoints, stackConfig } from '../context.ts';

export const TEMPORAL_HELP = `Usage: influence temporal <temporal CLI arguments>

Runs the Temporal CLI against the stack's server (TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE are
set for it). Examples:
  npx influence temporal workflow list
  npx influence temporal workflow list --query 'EventType="donation" AND BatchState="inserted"'
  npx influence temporal workflow describe --workflow-id 'ingest:…'`;

export async function temporalCommand(argv: string[], log: Logger): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`${TEMPORAL_HELP}\n`);
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const cfg = stackConfig();
  const endpoints = currentEndpoints(cfg);
  const binary = await ensureTemporalBinary(cfg, log);
  const child = spawn(binary, argv, {
    stdio: 'inherit',
    env: childEnv({
      TEMPORAL_ADDRESS: endpoints.temporal.address,
      TEMPORAL_NAMESPACE: endpoints.temporal.namespace,
      TEMPORAL_VERSION_CHECK_DISABLED: '1',
    }),
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code ?? EXIT.failed));
    child.on('error', () => resolve(EXIT.failed));
  });
}

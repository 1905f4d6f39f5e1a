/** Running the `influence` command line as a user would, from tests. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../infra/local/config.ts';

const exec = promisify(execFile);
export const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `influence …` with the project's Node first on PATH. `env` is added to the test's own
 * environment after KAFKA_BROKERS, TEMPORAL_ADDRESS and CLICKHOUSE_URL were removed from it.
 */
export async function influence(args: string[], env: Record<string, string>): Promise<CliResult> {
  const full: NodeJS.ProcessEnv = { ...process.env, PATH: `${BIN}:${process.env['PATH'] ?? ''}` };
  for (const k of ['KAFKA_BROKERS', 'TEMPORAL_ADDRESS', 'CLICKHOUSE_URL', 'INGEST_HMAC_KEY']) delete full[k];
  Object.assign(full, env);
  try {
    const r = await exec(path.join(BIN, 'influence'), args, {
      env: full,
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

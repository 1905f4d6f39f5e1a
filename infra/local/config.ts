/**
 * Configuration of the local stack, from the environment (the only place infra/local reads it).
 * Each of KAFKA_BROKERS, TEMPORAL_ADDRESS and CLICKHOUSE_URL, when set, replaces that local part
 * with an external one.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { endpointsShape, parseConfig } from '../../services/shared/config.ts';

/** The repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const stackShape = {
  ...endpointsShape,
  /** Where downloaded jars and the built temporal binary live; shared by every clone. */
  INFLUENCE_CACHE_DIR: z.string().optional(),
  /** Where a stack keeps its state, data and logs (default .state/ in the repository). */
  INFLUENCE_STATE_DIR: z.string().optional(),
  XDG_CACHE_HOME: z.string().optional(),
  /** An existing Kafka installation to use instead of jars from Maven Central. */
  KAFKA_HOME: z.string().optional(),
  /** `containers` runs the test stack with testcontainers (needs Docker). */
  STACK: z.enum(['local', 'containers']).default('local'),
  PATH: z.string().default('/usr/local/bin:/usr/bin:/bin'),
  CI: z.string().optional(),
};

export type StackConfig = z.infer<z.ZodObject<typeof stackShape>> & {
  cacheDir: string;
  stateDir: string;
};

/** Parses the stack's environment. @throws ConfigError on a bad value. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const cfg = parseConfig(stackShape, env);
  const xdg = cfg.XDG_CACHE_HOME ?? path.join(homedir(), '.cache');
  return {
    ...cfg,
    cacheDir: path.resolve(cfg.INFLUENCE_CACHE_DIR ?? path.join(xdg, 'influence-ledger')),
    stateDir: path.resolve(cfg.INFLUENCE_STATE_DIR ?? path.join(REPO_ROOT, '.state')),
  };
}

/** A copy of the environment for a child process, with `extra` on top. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/**
 * The Node binary for the stack's own processes: the project's Node 24 (the `node`
 * devDependency) when installed, else the running one. Child processes run TypeScript by type
 * stripping, which needs Node 22.18 or newer.
 */
export function nodeBinary(): string {
  const bundled = path.join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');
  return existsSync(bundled) ? bundled : process.execPath;
}

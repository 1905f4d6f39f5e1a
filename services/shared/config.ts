/**
 * Configuration from the environment. This is the only module that reads `process.env`:
 * every service parses one zod object once at start, prints every issue and exits non-zero
 * on a bad value. An empty string counts as unset.
 */
import { z } from 'zod';

/** Thrown when the environment does not satisfy a config schema; lists every issue. */
export class ConfigError extends Error {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Comma-separated `host:port` list, e.g. `127.0.0.1:9092,127.0.0.1:9093`. */
export const brokerList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
  )
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')).min(1));

/** An http(s) URL, optionally with user:password, as @clickhouse/client accepts it. */
export const httpUrl = z.url({ protocol: /^https?$/ });

/** `host:port` of a Temporal frontend. */
export const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'expected host:port');

export const logLevel = z.enum(LOG_LEVELS).default('info');

/** The endpoints shared by every service; each is optional where the local stack can fill it. */
export const endpointsShape = {
  KAFKA_BROKERS: brokerList.optional(),
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  CLICKHOUSE_URL: httpUrl.optional(),
  LOG_LEVEL: logLevel,
};

function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/**
 * Parses `env` (default: `process.env`) with `shape`.
 * @throws ConfigError listing every invalid or missing variable.
 */
export function parseConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(withoutEmpty(env));
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** Like {@link parseConfig} but prints every issue to stderr and exits 78 (EX_CONFIG). */
export function loadConfigOrExit<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  try {
    return parseConfig(shape, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nFix the environment variables above and start again.\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** The log level from LOG_LEVEL, for code that logs before its service config is parsed. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): z.infer<typeof logLevel> {
  const parsed = logLevel.safeParse(env['LOG_LEVEL'] === '' ? undefined : env['LOG_LEVEL']);
  return parsed.success ? parsed.data : 'info';
}

/** Reads the raw process environment for handing on to child processes; nothing is parsed. */
export function processEnv(): NodeJS.ProcessEnv {
  return process.env;
}

/**
 * One pino root per process carrying `{ service }`; modules take `child({ module })`.
 * Secrets are redacted wherever they appear under the usual keys, and stripped from URLs.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { logLevelFromEnv } from './config.ts';
import { stripTokens } from './urls.ts';

export type { Logger } from 'pino';

/** Paths pino blanks out: credentials in configs, headers and URLs we log. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'hmacKey',
  '*.hmacKey',
];

/** An http(s) URL with a query, user info or fragment: one that may carry a credential. */
const URL_WITH_PARTS = /^https?:\/\/[^\s]*[?#@]/i;

/**
 * A logged object with credentials stripped from the URLs among its values (see urls.ts), at any
 * depth up to 4: redaction by key cannot see an access token inside a URL logged as an input or
 * a request (an API start URL given with its token, a ClickHouse URL with its password).
 */
export function withoutUrlCredentials<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return (URL_WITH_PARTS.test(value) ? stripTokens(value) : value) as T;
  if (depth >= 4 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => withoutUrlCredentials(v, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = withoutUrlCredentials(v, depth + 1);
  return out as T;
}

/**
 * Creates the process's root logger.
 * @param service the component name every line carries.
 * @param destination where NDJSON goes (default stdout; the CLI passes stderr so stdout stays
 *   for results).
 */
export function createLogger(service: string, destination?: DestinationStream): Logger {
  const options = {
    level: logLevelFromEnv(),
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { log: (obj: Record<string, unknown>) => withoutUrlCredentials(obj) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing, for pure code under unit test. */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * One pino root per process carrying `{ service }`; modules take `child({ module })`.
 * Secrets are redacted wherever they appear under the usual keys.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { logLevelFromEnv } from './config.ts';

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
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing, for pure code under unit test. */
export const silentLogger: Logger = pino({ level: 'silent' });

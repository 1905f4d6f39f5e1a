/**
 * @clickhouse/client set up the project's way: its logs routed into pino, and the settings the
 * pipeline relies on (synchronous inserts, 64-bit integers as strings) stated explicitly.
 */
import {
  createClient,
  ClickHouseLogLevel,
  type ClickHouseClient,
  type Logger as ChLogger,
} from '@clickhouse/client';
import type { Logger } from './logger.ts';

type LogParams = Parameters<ChLogger['info']>[0];

function loggerClassFor(log: Logger): new () => ChLogger {
  return class PinoClickHouseLogger implements ChLogger {
    trace({ module, message, args }: LogParams): void {
      log.trace({ chModule: module, ...args }, message);
    }
    debug({ module, message, args }: LogParams): void {
      log.debug({ chModule: module, ...args }, message);
    }
    info({ module, message, args }: LogParams): void {
      log.debug({ chModule: module, ...args }, message);
    }
    warn({ module, message, args, err }: Parameters<ChLogger['warn']>[0]): void {
      log.warn({ chModule: module, ...args, err }, message);
    }
    error({ module, message, args, err }: Parameters<ChLogger['error']>[0]): void {
      log.error({ chModule: module, ...args, err }, message);
    }
  };
}

/**
 * A client for `url` (credentials and database may be in the URL). `database` overrides the
 * URL's database.
 */
export function createClickHouse(opts: { url: string; log: Logger; database?: string }): ClickHouseClient {
  return createClient({
    url: opts.url,
    ...(opts.database ? { database: opts.database } : {}),
    request_timeout: 120_000,
    clickhouse_settings: {
      // Keeps long queries' connections alive through proxies (a real server sends progress headers).
      send_progress_in_http_headers: 1,
      http_headers_progress_interval_ms: '110000',
      async_insert: 0,
      output_format_json_quote_64bit_integers: 1,
    },
    log: {
      LoggerClass: loggerClassFor(opts.log.child({ module: 'clickhouse-client' })),
      level: ClickHouseLogLevel.WARN,
    },
  });
}

/** The URL without its credentials, safe to log or print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) {
      if (/token|password|key|secret/i.test(k)) u.searchParams.set(k, '***');
    }
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}

/** ClickHouse `DateTime64(3, 'UTC')` text (`YYYY-MM-DD hh:mm:ss.sss`) of an instant. */
export function dateTime64Text(at: Date | string | number): string {
  return new Date(at).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The ClickHouse HTTP interface in front of the embedded engine, so that every other process
 * (services, tests, an analyst's @clickhouse/client, curl) talks to the local stack exactly as
 * to a real server: queries by GET or POST, INSERT with a body, FORMAT and default_format,
 * settings and `param_*` as URL parameters, `database`, X-ClickHouse-* headers, errors with the
 * server's status codes and body, /ping, and basic auth with a read-only analyst user.
 */
import http from 'node:http';
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import type { Logger } from '../../../services/shared/logger.ts';
import { LATENCY_BUCKETS } from '../../../services/shared/metrics.ts';
import { EngineError, type Engine } from './engine.ts';
import {
  codeOnly,
  hasMultipleStatements,
  castCompositeParams,
  isNullableType,
  isStringLikeType,
  parsePlainInsert,
  queryParameterTypes,
  statementKind,
  trailingFormat,
  unescapeTsv,
} from './sql-text.ts';

export interface GatewayUser {
  password: string;
  /** Read-only users run every query with readonly=1. */
  readonly: boolean;
  /**
   * The database of a request that names none (`database` parameter, X-ClickHouse-Database), as
   * a server's `<default_database>` in users.xml; `default` when unset.
   */
  database?: string;
}

export interface GatewayOptions {
  engine: Engine;
  users: Readonly<Record<string, GatewayUser>>;
  log: Logger;
  /** Largest request body accepted (default 512 MiB). */
  maxBodyBytes?: number;
  /** Where the gateway's metrics go and /metrics reads (default: a registry of its own). */
  registry?: Registry;
}

/** The statement kinds the metrics tell apart (a bounded label, unlike the first keyword). */
function metricKind(kind: string): 'select' | 'insert' | 'ddl' | 'other' {
  if (/^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS|EXPLAIN)$/.test(kind)) return 'select';
  if (kind === 'INSERT') return 'insert';
  if (/^(CREATE|ALTER|DROP|TRUNCATE|RENAME|OPTIMIZE|EXCHANGE)$/.test(kind)) return 'ddl';
  return 'other';
}

/**
 * The gateway's Prometheus instruments: queries by user, kind and outcome, their duration, and
 * the rows inserts wrote (what a server's /metrics endpoint tells an operator).
 */
function gatewayMetrics(registry: Registry, users: readonly string[]) {
  const registers = [registry];
  const known = new Set(users);
  const m = {
    queries: new Counter({
      name: 'influence_clickhouse_queries_total',
      help: 'Queries the ClickHouse HTTP interface answered, by user, statement kind and outcome (ok, error).',
      labelNames: ['user', 'kind', 'outcome'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'influence_clickhouse_query_seconds',
      help: 'Duration of one query on the ClickHouse HTTP interface, by statement kind (failed ones included).',
      labelNames: ['kind'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    writtenRows: new Counter({
      name: 'influence_clickhouse_written_rows_total',
      help: 'Rows written by queries on the ClickHouse HTTP interface (inserts and INSERT … SELECT).',
      registers,
    }),
    record(user: string, kind: string, outcome: 'ok' | 'error', seconds: number, written = 0): void {
      const k = metricKind(kind);
      m.queries.inc({ user: known.has(user) ? user : 'unknown', kind: k, outcome });
      m.duration.observe({ kind: k }, seconds);
      if (written > 0) m.writtenRows.inc(written);
    },
  };
  return m;
}

/** URL parameters that are part of the protocol, not settings. */
const PROTOCOL_PARAMS = new Set([
  'query',
  'database',
  'default_format',
  'query_id',
  'session_id',
  'session_timeout',
  'session_check',
  'user',
  'password',
  'quota_key',
  'compress',
  'decompress',
  'buffer_size',
  'wait_end_of_query',
  'role',
  'stacktrace',
  'enable_http_compression',
  'http_zlib_compression_level',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'http_response_buffer_size',
  'http_wait_end_of_query',
  'cancel_http_readonly_queries_on_client_close',
  'max_http_get_redirects',
  'http_native_compression_disable_checksumming_on_decompress',
  'add_http_cors_header',
]);

/** Statements that write; a GET request (read-only on a server) may not run them. */
const WRITE_KINDS = new Set([
  'INSERT',
  'CREATE',
  'ALTER',
  'DROP',
  'TRUNCATE',
  'RENAME',
  'OPTIMIZE',
  'SYSTEM',
  'ATTACH',
  'DETACH',
  'DELETE',
  'UPDATE',
  'GRANT',
  'REVOKE',
  'KILL',
  'EXCHANGE',
  'UNDROP',
  'BACKUP',
  'RESTORE',
  'MOVE',
]);

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The HTTP status a ClickHouse server answers with for an error code. */
export function httpStatusFor(code: number): number {
  switch (code) {
    case 516: // AUTHENTICATION_FAILED
    case 192: // UNKNOWN_USER
    case 193: // WRONG_PASSWORD
    case 194: // REQUIRED_PASSWORD
      return 401;
    case 497: // ACCESS_DENIED
    case 164: // READONLY
      return 403;
    case 60: // UNKNOWN_TABLE
    case 46: // UNKNOWN_FUNCTION
    case 47: // UNKNOWN_IDENTIFIER
    case 50: // UNKNOWN_TYPE
    case 81: // UNKNOWN_DATABASE
    case 115: // UNKNOWN_SETTING
    case 456: // UNKNOWN_QUERY_PARAMETER
    case 73: // UNKNOWN_FORMAT
      return 404;
    case 62: // SYNTAX_ERROR
    case 6: // CANNOT_PARSE_TEXT
    case 27: // CANNOT_PARSE_INPUT_ASSERTION_FAILED
    case 26: // CANNOT_PARSE_QUOTED_STRING
    case 38: // CANNOT_PARSE_DATE
    case 41: // CANNOT_PARSE_DATETIME
    case 69: // ARGUMENT_OUT_OF_BOUND
    case 72: // CANNOT_PARSE_NUMBER
    case 117: // INCORRECT_DATA
    case 36: // BAD_ARGUMENTS
    case 42: // NUMBER_OF_ARGUMENTS_DOESNT_MATCH
    case 43: // ILLEGAL_TYPE_OF_ARGUMENT
    case 457: // BAD_QUERY_PARAMETER
    case 53: // TYPE_MISMATCH
    case 70: // CANNOT_CONVERT_TYPE
      return 400;
    case 202: // TOO_MANY_SIMULTANEOUS_QUERIES
      return 503;
    case 159: // TIMEOUT_EXCEEDED
      return 500;
    case 48: // NOT_IMPLEMENTED
      return 501;
    case 307: // TOO_MANY_BYTES
      return 413;
    default:
      return 500;
  }
}

/** Content-Type of a response in `format`, as a server labels it. */
export function contentTypeFor(format: string): string {
  const f = format.toLowerCase();
  if (
    f === 'jsoneachrow' ||
    f === 'jsonstringseachrow' ||
    f === 'jsoncompacteachrow' ||
    f === 'ndjson' ||
    f === 'jsonlines'
  )
    return 'application/x-ndjson; charset=UTF-8';
  if (f.startsWith('json')) return 'application/json; charset=UTF-8';
  if (f.startsWith('csv')) return 'text/csv; charset=UTF-8; header=absent';
  if (f.startsWith('tsv') || f.startsWith('tabseparated')) return 'text/tab-separated-values; charset=UTF-8';
  if (f.startsWith('pretty')) return 'text/plain; charset=UTF-8';
  if (f === 'xml') return 'application/xml; charset=UTF-8';
  if (
    [
      'native',
      'rowbinary',
      'rowbinarywithnames',
      'rowbinarywithnamesandtypes',
      'parquet',
      'arrow',
      'arrowstream',
      'orc',
      'avro',
    ].includes(f)
  )
    return 'application/octet-stream';
  return 'text/plain; charset=UTF-8';
}

class ClientError extends EngineError {}

function clientError(code: number, type: string, text: string): ClientError {
  return new ClientError(code, type, `Code: ${code}. DB::Exception: ${text}. (${type})`);
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

interface Credentials {
  user: string;
  password: string;
}

function credentialsOf(req: http.IncomingMessage, url: URL): Credentials {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0
      ? { user: decoded, password: '' }
      : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const hUser = req.headers['x-clickhouse-user'];
  if (typeof hUser === 'string') {
    const key = req.headers['x-clickhouse-key'];
    return { user: hUser, password: typeof key === 'string' ? key : '' };
  }
  return {
    user: url.searchParams.get('user') ?? 'default',
    password: url.searchParams.get('password') ?? '',
  };
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const encoding = (req.headers['content-encoding'] ?? '').toLowerCase();
  const source: NodeJS.ReadableStream =
    encoding === 'gzip'
      ? req.pipe(zlib.createGunzip())
      : encoding === 'deflate'
        ? req.pipe(zlib.createInflate())
        : encoding === 'br'
          ? req.pipe(zlib.createBrotliDecompress())
          : req;
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > limit) throw clientError(307, 'TOO_MANY_BYTES', `Request body is larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Splits a POST body into the statement and the data after it (for INSERT … FORMAT/VALUES). */
function splitInsertBody(text: string): { sql: string; data: string } | undefined {
  const m = /^([\s\S]*?\bFORMAT\s+[A-Za-z][A-Za-z0-9_]*)[ \t]*\r?\n?([\s\S]*)$/i.exec(text);
  if (!m?.[1]) return undefined;
  return { sql: m[1], data: m[2] ?? '' };
}

/** A running gateway; `close()` stops listening and lets in-flight requests finish. */
export interface RunningGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP interface on 127.0.0.1:`port` (0 = any free port). */
export function startGateway(opts: GatewayOptions, port: number): Promise<RunningGateway> {
  const log = opts.log.child({ module: 'clickhouse-http' });
  const limit = opts.maxBodyBytes ?? 512 * 1024 * 1024;
  const displayName = 'influence-ledger-chdb';
  const registry = opts.registry ?? new Registry();
  const measured = gatewayMetrics(registry, Object.keys(opts.users));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const queryId = url.searchParams.get('query_id') ?? randomUUID();
    const baseHeaders: Record<string, string> = {
      'X-ClickHouse-Server-Display-Name': displayName,
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Timezone': opts.engine.timezone,
      'Keep-Alive': 'timeout=10, max=10000',
      'Access-Control-Allow-Origin': '*',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...baseHeaders,
        'Access-Control-Allow-Headers':
          'origin, x-requested-with, x-clickhouse-format, x-clickhouse-user, x-clickhouse-key, Authorization',
        'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
      });
      res.end();
      return;
    }
    if (url.pathname === '/ping' || url.pathname === '/replicas_status') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end('Ok.\n');
      return;
    }
    if (url.pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      // A server serves these on its Prometheus port; here they share the HTTP one, like /ping.
      const body = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (url.pathname !== '/') {
      res.writeHead(404, { ...baseHeaders, 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end(`There is no handle ${url.pathname}\n\nUse / or /ping or /metrics\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') {
      res.writeHead(405, { ...baseHeaders, Allow: 'GET, POST, HEAD, OPTIONS' });
      res.end();
      return;
    }

    const started = Date.now();
    let sqlForLog = '';
    let kindForMetrics = '';
    let userName = 'default';
    try {
      const creds = credentialsOf(req, url);
      userName = creds.user;
      const user = opts.users[creds.user];
      if (!user || !sameSecret(user.password, creds.password)) {
        throw clientError(
          516,
          'AUTHENTICATION_FAILED',
          `${creds.user}: Authentication failed: password is incorrect, or there is no user with such name`,
        );
      }
      const body = req.method === 'POST' ? await readBody(req, limit) : Buffer.alloc(0);
      const queryParam = url.searchParams.get('query');
      if (queryParam === null && body.length === 0) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' });
        res.end('Ok.\n');
        return;
      }

      // The statement is the `query` parameter (then the body is its data) or the body itself.
      let sql: string;
      let data: Buffer | undefined;
      if (queryParam !== null) {
        sql = queryParam;
        data = body.length > 0 ? body : undefined;
      } else {
        const text = body.toString('utf8');
        const kind = statementKind(text);
        const split = kind === 'INSERT' ? splitInsertBody(text) : undefined;
        if (split && split.data.length > 0) {
          sql = split.sql;
          data = Buffer.from(split.data, 'utf8');
        } else {
          sql = text;
        }
      }
      sqlForLog = sql.length > 300 ? `${sql.slice(0, 300)}…` : sql;
      const kind = statementKind(sql);
      kindForMetrics = kind;
      if (kind !== 'INSERT' && hasMultipleStatements(sql)) {
        throw clientError(62, 'SYNTAX_ERROR', 'Syntax error: Multi-statements are not allowed');
      }
      // chdb would write the file on this host, for any user, read-only ones too; a server's
      // HTTP interface has no client side to write to, so nobody may do it here.
      if (/\bINTO\s+OUTFILE\b/i.test(codeOnly(sql))) {
        throw clientError(497, 'ACCESS_DENIED', `${creds.user}: INTO OUTFILE is not allowed over HTTP`);
      }
      const isGet = req.method === 'GET' || req.method === 'HEAD';
      const access = user.readonly ? 'readonly' : isGet ? 'get' : 'write';
      if (isGet && !user.readonly && WRITE_KINDS.has(kind)) {
        throw clientError(
          164,
          'READONLY',
          `${creds.user}: Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries`,
        );
      }

      const settings = new Map<string, string>();
      const rawParams = new Map<string, string>();
      for (const [k, v] of url.searchParams) {
        if (k.startsWith('param_')) rawParams.set(k.slice(6), v);
        else if (!PROTOCOL_PARAMS.has(k) && !k.startsWith('http_')) {
          if (!SETTING_NAME.test(k)) throw clientError(115, 'UNKNOWN_SETTING', `Unknown setting '${k}'`);
          settings.set(k, v);
        }
      }
      const params = bindParams(sql, rawParams);
      const database =
        url.searchParams.get('database') ??
        (typeof req.headers['x-clickhouse-database'] === 'string'
          ? req.headers['x-clickhouse-database']
          : (user.database ?? 'default'));
      const defaultFormat =
        url.searchParams.get('default_format') ??
        (typeof req.headers['x-clickhouse-format'] === 'string'
          ? req.headers['x-clickhouse-format']
          : 'TabSeparated');
      const format = kind === 'INSERT' ? defaultFormat : (trailingFormat(sql) ?? defaultFormat);
      const plainInsert = kind === 'INSERT' && data ? parsePlainInsert(sql) : undefined;

      const result = await opts.engine.execute({
        sql: params ? castCompositeParams(sql) : sql,
        ...(data ? { body: data } : {}),
        ...(plainInsert ? { plainInsert } : {}),
        format: defaultFormat,
        database,
        settings,
        params,
        access,
        mutatesSession: kind === 'SET',
        leavesSessionState: kind === 'CREATE' && /^\s*CREATE\s+TEMPORARY\b/i.test(codeOnly(sql)),
      });

      const summary = {
        read_rows: String(result.rowsRead),
        read_bytes: String(result.bytesRead),
        written_rows: String(result.rowsWritten),
        written_bytes: String(result.bytesWritten),
        total_rows_to_read: String(result.rowsRead),
        result_rows: '0',
        result_bytes: String(result.body.length),
        elapsed_ns: String(Math.round(result.elapsedSeconds * 1e9)),
      };
      const headers: Record<string, string> = {
        ...baseHeaders,
        'Content-Type': contentTypeFor(format),
        'X-ClickHouse-Format': format,
        'X-ClickHouse-Summary': JSON.stringify(summary),
      };
      let payload: Buffer = Buffer.from(result.body.buffer, result.body.byteOffset, result.body.byteLength);
      const accept = String(req.headers['accept-encoding'] ?? '');
      if (url.searchParams.get('enable_http_compression') === '1' && payload.length > 0) {
        if (/\bgzip\b/.test(accept)) {
          payload = zlib.gzipSync(payload);
          headers['Content-Encoding'] = 'gzip';
        } else if (/\bdeflate\b/.test(accept)) {
          payload = zlib.deflateSync(payload);
          headers['Content-Encoding'] = 'deflate';
        } else if (/\bbr\b/.test(accept)) {
          payload = zlib.brotliCompressSync(payload);
          headers['Content-Encoding'] = 'br';
        }
      }
      headers['Content-Length'] = String(payload.length);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : payload);
      measured.record(userName, kind, 'ok', (Date.now() - started) / 1000, result.rowsWritten);
      log.debug({ queryId, kind, ms: Date.now() - started, rows: result.rowsRead }, 'query');
    } catch (err) {
      measured.record(userName, kindForMetrics, 'error', (Date.now() - started) / 1000);
      const e = EngineError.from(err);
      const status = httpStatusFor(e.code);
      // The engine runs every query as its own `default` user; name the HTTP user instead.
      const message = e.message.replace(/DB::Exception: default: /, `DB::Exception: ${userName}: `);
      const text = /^Code: \d+/.test(message)
        ? message
        : `Code: ${e.code}. DB::Exception: ${message}. (${e.type})`;
      const bodyText = `${text.replace(/\s+$/, '')} (version ${opts.engine.version})\n`;
      if (!res.headersSent) {
        res.writeHead(status, {
          ...baseHeaders,
          'Content-Type': 'text/plain; charset=UTF-8',
          'X-ClickHouse-Exception-Code': String(e.code),
          'Content-Length': String(Buffer.byteLength(bodyText)),
        });
      }
      res.end(bodyText);
      log.info({ queryId, code: e.code, status, sql: sqlForLog }, 'query failed');
    }
  }

  // ClickHouse accepts URIs up to 1 MiB (http_max_uri_size); Node's default of 16 KiB would
  // refuse a query whose parameters (e.g. a thousand event ids) travel in the URL.
  const server = http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'unexpected gateway failure');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 10_000;
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${addr.port}`;
      log.info({ url }, 'ClickHouse HTTP interface listening');
      resolve({
        url,
        port: addr.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

/**
 * Turns `param_*` URL values into engine bindings with a server's semantics. A server reads a
 * String parameter in the TSV-escaped form, so String-like values are unescaped to the raw
 * string; composite values (Array, Map, Tuple) keep their text, which {@link castCompositeParams}
 * has the engine parse; other values are passed as text. `\N` is NULL for Nullable types.
 */
export function bindParams(
  sql: string,
  raw: ReadonlyMap<string, string>,
): Record<string, unknown> | undefined {
  if (raw.size === 0) return undefined;
  const types = queryParameterTypes(sql);
  const out: Record<string, unknown> = {};
  for (const [name, value] of raw) {
    const type = types.get(name);
    if (type === undefined) continue;
    if (value === '\\N' && isNullableType(type)) out[name] = null;
    else out[name] = isStringLikeType(type) ? unescapeTsv(value) : value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

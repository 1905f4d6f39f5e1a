/**
 * The embedded ClickHouse engine (chdb) behind the local HTTP gateway.
 *
 * chdb binds one data directory per process, and several connections to that directory may
 * coexist, each with its own session context. The gateway keeps a few "lanes" (connections),
 * runs one request at a time on each, and undoes what a request changed in its session
 * (current database, settings), so every request sees a server's per-request behaviour.
 * Read-only lanes are opened with readonly=1, which the engine enforces itself: no writes, no
 * DDL, no table functions that reach files, URLs or programs, and `readonly` cannot be lifted.
 */
import { Session } from 'chdb';
import { sqlIdentifier, sqlString } from './sql-text.ts';

/**
 * Engine arguments that make chdb's defaults those of a ClickHouse server, where they differ.
 * (chdb quotes nothing in JSON, inserts asynchronously, and accepts bare expressions as queries.)
 */
export const SERVER_LIKE_ARGS: readonly string[] = [
  '--output_format_json_quote_64bit_integers=1',
  '--async_insert=0',
  '--implicit_select=0',
  '--allow_introspection_functions=0',
];

/** An error as the engine reports it: ClickHouse code, name and message. */
export class EngineError extends Error {
  readonly code: number;
  readonly type: string;
  constructor(code: number, type: string, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.type = type;
  }

  /** Builds one from whatever chdb threw. */
  static from(err: unknown): EngineError {
    if (err instanceof EngineError) return err;
    const e = err as { clickhouseCode?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    const codeFromText = /Code:\s*(\d+)/.exec(message)?.[1];
    const code =
      typeof e.clickhouseCode === 'number' && e.clickhouseCode > 0
        ? e.clickhouseCode
        : codeFromText
          ? Number(codeFromText)
          : 1001;
    const type = /\(([A-Z][A-Z0-9_]+)\)\s*(?:\(version [^)]*\))?\s*$/.exec(message)?.[1] ?? 'STD_EXCEPTION';
    return new EngineError(code, type, message);
  }
}

export interface EngineRequest {
  /** One statement; for an insert, everything before the data. */
  sql: string;
  /** The data that follows an INSERT statement, if any. */
  body?: Buffer;
  /** The plain `INSERT INTO t (cols) FORMAT F` form, which the engine takes as raw bytes. */
  plainInsert?: { table: string; columns: string[] | undefined; format: string };
  /** Output format when the statement names none. */
  format: string;
  database: string;
  settings: ReadonlyMap<string, string>;
  params: Record<string, unknown> | undefined;
  access: Access;
  /** True when the statement itself may change settings (SET). */
  mutatesSession: boolean;
  /** True when it leaves state that SET cannot undo (temporary tables): the lane is reopened. */
  leavesSessionState: boolean;
}

export interface EngineResult {
  body: Uint8Array;
  rowsRead: number;
  bytesRead: number;
  rowsWritten: number;
  bytesWritten: number;
  elapsedSeconds: number;
}

const RAW_INSERT_FORMATS = new Set([
  'JSONEachRow',
  'JSONCompactEachRow',
  'CSV',
  'CSVWithNames',
  'TSV',
  'TabSeparated',
  'TSVWithNames',
  'TabSeparatedWithNames',
]);

/** Settings that could make the lane's own bookkeeping query fail, neutralised for it. */
const BOOKKEEPING_SETTINGS =
  'SETTINGS limit = 0, offset = 0, max_result_rows = 0, max_result_bytes = 0, max_rows_to_read = 0, ' +
  'max_bytes_to_read = 0, max_execution_time = 0, max_memory_usage = 0';

class Lane {
  session: Session;
  private readonly dataDir: string;
  private readonly args: readonly string[];
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  /** Settings as the lane opened with them (name → value text). */
  baseline = new Map<string, string>();

  constructor(dataDir: string, args: readonly string[]) {
    this.dataDir = dataDir;
    this.args = args;
    this.session = new Session(dataDir, { connectionArgs: [...args] });
  }

  get load(): number {
    return this.pending;
  }

  async init(): Promise<void> {
    // A fresh connection has no limits to neutralise (and a readonly=1 one may not change them).
    this.baseline = await this.changedSettings(false);
  }

  /** Runs `fn` after every earlier task of this lane has finished. */
  enqueue<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.tail.then(fn, fn);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      this.pending--;
    });
  }

  async changedSettings(protect = true): Promise<Map<string, string>> {
    const r = await this.session.queryAsync(
      `SELECT name, value FROM system.settings WHERE changed ${protect ? BOOKKEEPING_SETTINGS : ''}`,
      { format: 'JSONEachRow' },
    );
    const out = new Map<string, string>();
    for (const line of r.text().split('\n')) {
      if (!line) continue;
      const row = JSON.parse(line) as { name: string; value: string };
      out.set(row.name, row.value);
    }
    return out;
  }

  /** A fresh connection (same data directory): nothing of the old session survives. */
  async reopen(): Promise<void> {
    this.session.close();
    this.session = new Session(this.dataDir, { connectionArgs: [...this.args] });
    await this.init();
  }

  /**
   * Puts the session back as it opened. `touched` are settings the request set from its URL;
   * with `unknown`, the statement itself may have changed anything, so every setting is
   * compared. Whatever cannot be undone by SET is undone by reopening the connection.
   */
  async restore(touched: ReadonlySet<string>, unknown: boolean): Promise<void> {
    try {
      if (!unknown) {
        const stmts = [...touched].map((name) => {
          const base = this.baseline.get(name);
          return base === undefined ? `SET ${name} = DEFAULT` : `SET ${name} = ${sqlString(base)}`;
        });
        if (stmts.length > 0) await this.session.queryAsync(stmts.join('; '), { format: 'TSV' });
        return;
      }
      const now = await this.changedSettings();
      const stmts: string[] = [];
      for (const [name, value] of now) {
        const base = this.baseline.get(name);
        if (base === undefined) stmts.push(`SET ${name} = DEFAULT`);
        else if (base !== value) stmts.push(`SET ${name} = ${sqlString(base)}`);
      }
      for (const [name, base] of this.baseline) {
        if (!now.has(name)) stmts.push(`SET ${name} = ${sqlString(base)}`);
      }
      if (stmts.length > 0) await this.session.queryAsync(stmts.join('; '), { format: 'TSV' });
    } catch {
      await this.reopen();
    }
  }
}

/** Which connections a request runs on. */
export type Access =
  /** A writer's POST: may write. */
  | 'write'
  /** A writer's GET: read-only, but settings may change (a server's readonly=2). */
  | 'get'
  /** A read-only user: readonly=1, enforced by the engine. */
  | 'readonly';

/**
 * The pools of lanes: the accesses, plus `insert` for writers' plain inserts, so that an insert
 * never queues behind a writer's long query (a sponsor's correlation) on the same lane.
 */
type Pool = Access | 'insert';

export interface EngineOptions {
  dataDir: string;
  /** Connections for writers' queries and statements (requests are spread over them). */
  writeLanes?: number;
  /** Connections for writers' plain inserts (default 2). */
  insertLanes?: number;
  /** Connections for read-only users. */
  readLanes?: number;
}

/** The engine with its pools of lanes. Create with {@link Engine.open}. */
export class Engine {
  private readonly lanes: Record<Pool, Lane[]>;
  readonly version: string;
  readonly timezone: string;

  private constructor(lanes: Record<Pool, Lane[]>, version: string, timezone: string) {
    this.lanes = lanes;
    this.version = version;
    this.timezone = timezone;
  }

  /** Opens the data directory. @throws when the directory is locked by another process. */
  static async open(opts: EngineOptions): Promise<Engine> {
    const make = (n: number, extra: string[]): Lane[] =>
      Array.from({ length: n }, () => new Lane(opts.dataDir, [...SERVER_LIKE_ARGS, ...extra]));
    const lanes: Record<Pool, Lane[]> = {
      write: make(opts.writeLanes ?? 2, []),
      insert: make(opts.insertLanes ?? 2, []),
      get: make(1, ['--readonly=2']),
      readonly: make(opts.readLanes ?? 1, ['--readonly=1']),
    };
    for (const lane of Object.values(lanes).flat()) await lane.init();
    const first = lanes.write[0];
    if (!first) throw new Error('the engine needs at least one write lane');
    const info = await first.session.queryAsync('SELECT version(), timezone()', { format: 'TSV' });
    const [version = 'unknown', timezone = 'UTC'] = info.text().trim().split('\t');
    return new Engine(lanes, version, timezone);
  }

  private pick(pool: Pool): Lane {
    let best: Lane | undefined;
    for (const lane of this.lanes[pool]) if (best === undefined || lane.load < best.load) best = lane;
    if (!best) throw new Error('no engine lane available');
    return best;
  }

  /** Runs one request; @throws EngineError with the engine's code and message. */
  execute(req: EngineRequest): Promise<EngineResult> {
    const lane = this.pick(req.access === 'write' && req.plainInsert ? 'insert' : req.access);
    return lane.enqueue(async () => {
      // Settings equal to the lane's own need no SET and nothing to undo.
      const settings = new Map([...req.settings].filter(([k, v]) => lane.baseline.get(k) !== v));
      try {
        return await runOn(lane, { ...req, settings });
      } catch (err) {
        throw EngineError.from(err);
      } finally {
        if (req.leavesSessionState) await lane.reopen();
        else if (settings.size > 0 || req.mutatesSession)
          await lane.restore(new Set(settings.keys()), req.mutatesSession);
      }
    });
  }

  close(): void {
    for (const lane of Object.values(this.lanes).flat()) lane.session.close();
  }
}

/** `db.table` for chdb's raw insert, which takes plain identifiers only; else undefined. */
function rawInsertTarget(table: string, database: string): string | undefined {
  const parts = table.split('.').map((p) => (p.startsWith('`') && p.endsWith('`') ? p.slice(1, -1) : p));
  const full = parts.length === 1 ? [database, ...parts] : parts;
  return full.length === 2 && full.every((p) => /^[A-Za-z0-9_]+$/.test(p)) ? full.join('.') : undefined;
}

async function runOn(lane: Lane, req: EngineRequest): Promise<EngineResult> {
  const prefix = [`USE ${sqlIdentifier(req.database)}`];
  for (const [k, v] of req.settings) prefix.push(`SET ${k} = ${sqlString(v)}`);
  const started = process.hrtime.bigint();

  const ins = req.plainInsert;
  const table = ins ? rawInsertTarget(ins.table, req.database) : undefined;
  if (ins && table && req.body && RAW_INSERT_FORMATS.has(ins.format) && !req.params) {
    await lane.session.queryAsync(prefix.join('; '), { format: 'TSV' });
    const summary = await lane.session.insert({
      table,
      values: req.body,
      format: ins.format as 'JSONEachRow',
      ...(ins.columns ? { columns: ins.columns } : {}),
    });
    return {
      body: new Uint8Array(0),
      rowsRead: 0,
      bytesRead: summary.bytesSent,
      rowsWritten: summary.rowsWritten,
      bytesWritten: summary.bytesWritten,
      elapsedSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  }

  const statement = req.body && req.body.length > 0 ? `${req.sql}\n${req.body.toString('utf8')}` : req.sql;
  const text = `${prefix.join('; ')}; ${statement}`;
  const result = req.params
    ? await lane.session.queryBindAsync(text, req.params, { format: req.format })
    : await lane.session.queryAsync(text, { format: req.format });
  return {
    body: result.bytes(),
    rowsRead: result.rowsRead,
    bytesRead: result.bytesRead,
    rowsWritten: 0,
    bytesWritten: 0,
    elapsedSeconds: result.elapsed,
  };
}

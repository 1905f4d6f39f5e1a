/**
 * The local Temporal server: the Temporal CLI's dev server (`temporal server start-dev`), with
 * SQLite in memory or in a file. No Docker: the CLI comes from PATH, or is built once with
 * `go install` into the shared cache and reused by every clone and every later run.
 */
import { execFile, spawn } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Logger } from '../../services/shared/logger.ts';
import { childEnv, type StackConfig } from './config.ts';
import { freePorts } from './ports.ts';
import { isAlive, spawnManaged, tailFile, type ManagedProcess } from './process.ts';
import { waitFor } from './wait.ts';

const execFileAsync = promisify(execFile);

/**
 * The CLI release we build. Later tags carry `replace` directives in their go.mod, which
 * `go install module@version` refuses, so moving on means another way of building.
 */
const CLI_VERSION = '1.5.1';
const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** The CLI's go.mod asks for this; with GOTOOLCHAIN=local an older go fails late and obscurely. */
const MIN_GO: readonly [number, number] = [1, 25];

const READY_TIMEOUT_MS = 90_000;
const UI_TIMEOUT_MS = 30_000;
/** A build lock older than this is taken to be left over (a build takes minutes, not hours). */
const LOCK_STALE_MS = 60 * 60_000;
/** How long a second first-run waits for the first one's build before giving up. */
const LOCK_WAIT_MS = 30 * 60_000;

/**
 * Custom search attributes registered in the `default` namespace, for operators filtering
 * workflows in the UI or with `temporal workflow list --query`.
 */
export const SEARCH_ATTRIBUTES: Record<
  string,
  'Keyword' | 'Text' | 'Int' | 'Datetime' | 'Bool' | 'Double' | 'KeywordList'
> = {
  Source: 'Keyword',
  EventType: 'Keyword',
  BatchState: 'Keyword',
  Sponsor: 'Keyword',
};

/** A running local Temporal dev server. */
export interface LocalTemporal {
  /** gRPC `host:port` of the frontend, for TEMPORAL_ADDRESS. */
  address: string;
  /** The Web UI, when it was asked for. */
  uiUrl: string | undefined;
  namespace: 'default';
  process: ManagedProcess;
}

/**
 * Finds or builds the Temporal CLI and returns the path of a runnable binary.
 *
 * In order: a `temporal` on `cfg.PATH` that answers `temporal --version`; the binary built
 * earlier in `<cacheDir>/temporal-1.5.1/bin`; otherwise a one-off `go install` of CLI v1.5.1
 * (CGO_ENABLED=0, GOTOOLCHAIN=local) into a temporary GOBIN that is renamed into place, so a
 * half-written binary is never seen. Concurrent first runs serialise on a mkdir lock in the
 * cache (a lock whose owner process is gone, or older than an hour, is broken); the waiting run
 * reuses the result. Later runs never start `go`.
 *
 * @throws Error naming what to install when `go` is missing or older than 1.25, and with the
 *   tail of the build log when `go install` fails (the log stays in the cache folder).
 */
export async function ensureTemporalBinary(cfg: StackConfig, log: Logger): Promise<string> {
  const env = toolEnv(cfg);
  const onPath = findOnPath('temporal', cfg.PATH);
  if (onPath) {
    const version = await commandVersion(onPath, ['--version'], env);
    if (version) {
      log.debug({ binary: onPath, version }, 'using the temporal CLI found on PATH');
      return onPath;
    }
    log.warn({ binary: onPath }, '`temporal --version` failed for the temporal on PATH; ignoring it');
  }

  const home = path.join(cfg.cacheDir, `temporal-${CLI_VERSION}`);
  const binary = path.join(home, 'bin', 'temporal');
  if (isExecutable(binary)) return binary;

  const go = findOnPath('go', cfg.PATH);
  if (!go) throw new Error(missingGo('no `go` was found on PATH'));
  const goVersion = await commandVersion(go, ['env', 'GOVERSION'], env);
  if (!goVersion) throw new Error(missingGo(`\`${go} env GOVERSION\` failed`));
  if (!atLeast(goVersion, MIN_GO)) throw new Error(missingGo(`${go} is ${goVersion}`));

  mkdirSync(home, { recursive: true });
  const release = await acquireLock(path.join(home, '.build.lock'), log);
  try {
    // Another run may have finished the build while this one waited for the lock.
    if (isExecutable(binary)) return binary;
    await build(go, home, binary, env, log);
    return binary;
  } finally {
    release();
  }
}

/**
 * Starts `temporal server start-dev` on free loopback ports and resolves once it serves.
 *
 * Ready means `temporal operator cluster health` answers SERVING (within 90 s), every entry of
 * {@link SEARCH_ATTRIBUTES} exists in the `default` namespace (created when a `dbFilename` from
 * an older run lacks them), and, with `ui`, the Web UI answers HTTP. The server's output goes to
 * `<stateDir>/logs/temporal.log`. Without `dbFilename` all state is in memory and lost on stop;
 * with it, workflows survive a restart.
 *
 * @throws Error when the binary cannot be had (see {@link ensureTemporalBinary}), when the server
 *   exits or is not ready in time (with its log tail), or when an existing database holds one of
 *   the search attributes with another type. The server is stopped before any of these throws.
 *   A port taken between choosing and binding it is retried with new ports, twice.
 */
export async function startTemporal(opts: {
  cfg: StackConfig;
  stateDir: string;
  log: Logger;
  ui: boolean;
  dbFilename?: string;
  /** The frontend's gRPC port (default: a free one); a restart passes the old one to keep the address. */
  port?: number;
}): Promise<LocalTemporal> {
  const log = opts.log;
  const binary = await ensureTemporalBinary(opts.cfg, log);
  const logsDir = path.join(opts.stateDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const dbFilename = opts.dbFilename ? path.resolve(opts.dbFilename) : undefined;
  // start-dev checks the folder exists but does not create it.
  if (dbFilename) mkdirSync(path.dirname(dbFilename), { recursive: true });

  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, { ...opts, dbFilename, logFile: path.join(logsDir, 'temporal.log') });
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= 3) throw err;
      log.warn({ attempt }, 'a port chosen for temporal was taken meanwhile; retrying with new ports');
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(
  binary: string,
  opts: {
    cfg: StackConfig;
    log: Logger;
    ui: boolean;
    dbFilename: string | undefined;
    logFile: string;
    port?: number | undefined;
  },
): Promise<LocalTemporal> {
  const { log, ui } = opts;
  // One spare, so the given port (free while the old server is down) can be left out.
  const free = (await freePorts(ui ? 5 : 4)).filter((p) => p !== opts.port);
  const [freeGrpc, httpPort, metricsPort, uiPort] = free;
  const grpcPort = opts.port ?? freeGrpc;
  const address = `127.0.0.1:${grpcPort}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(grpcPort),
    '--http-port',
    String(httpPort),
    '--metrics-port',
    String(metricsPort),
    ...(ui ? ['--ui-port', String(uiPort)] : ['--headless']),
    ...(opts.dbFilename ? ['--db-filename', opts.dbFilename] : []),
    '--log-format',
    'json',
    '--log-level',
    'warn',
    // The flag form of TEMPORAL_VERSION_CHECK_DISABLED (set in toolEnv as well).
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const env = toolEnv(opts.cfg);
  // The log is appended to across runs; error messages quote only this run's part of it.
  const logStart = existsSync(opts.logFile) ? statSync(opts.logFile).size : 0;
  const runTail = (): string => lastLines(readFrom(opts.logFile, logStart), 20);
  const started = performance.now();
  const proc = spawnManaged('temporal', binary, args, { env, logFile: opts.logFile, log });

  try {
    await waitFor(
      async () => {
        const { stdout } = await execFileAsync(
          binary,
          ['operator', 'cluster', 'health', ...clientArgs(address)],
          {
            env,
            timeout: 5_000,
          },
        );
        // \b keeps NOT_SERVING from matching.
        return /\bSERVING\b/.test(stdout) ? true : undefined;
      },
      {
        what: `temporal at ${address} (log: ${opts.logFile})`,
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: 100,
        abortIf: () => {
          const status = proc.exitStatus();
          if (!status) return undefined;
          const output = readFrom(opts.logFile, logStart);
          if (/address already in use/i.test(output)) {
            throw new PortTakenError(`temporal could not bind its ports:\n${lastLines(output, 20)}`);
          }
          return `exited (code ${status.code}, signal ${status.signal}) before serving; last log lines:\n${runTail()}`;
        },
      },
    );
    await ensureSearchAttributes(binary, address, env, log);

    let uiUrl: string | undefined;
    if (ui) {
      uiUrl = `http://127.0.0.1:${uiPort}`;
      const url = uiUrl;
      await waitFor(
        async () => {
          const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
          await res.body?.cancel();
          return true;
        },
        {
          what: `the Temporal Web UI at ${url}`,
          timeoutMs: UI_TIMEOUT_MS,
          intervalMs: 100,
          abortIf: () => (proc.exitStatus() ? `temporal exited; last log lines:\n${runTail()}` : undefined),
        },
      );
    }

    log.info(
      { address, uiUrl, db: opts.dbFilename ?? 'memory', ms: Math.round(performance.now() - started) },
      'temporal ready',
    );
    return { address, uiUrl, namespace: 'default', process: proc };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

/**
 * start-dev registers search attributes only when it creates the namespace, so a database file
 * from a run with fewer of them keeps the old set: add what is missing.
 */
async function ensureSearchAttributes(
  binary: string,
  address: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<void> {
  const base = ['operator', 'search-attribute'];
  const flags = [...clientArgs(address), '--namespace', 'default'];
  const { stdout } = await execFileAsync(binary, [...base, 'list', ...flags, '--output', 'json'], {
    env,
    timeout: 10_000,
  });
  const existing =
    (JSON.parse(stdout) as { customAttributes?: Record<string, string> }).customAttributes ?? {};
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    const wanted = `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
    const have = existing[name];
    if (have === wanted) continue;
    if (have !== undefined) {
      throw new Error(
        `search attribute ${name} exists as ${have}, expected ${wanted}; ` +
          'delete the temporal database file to start afresh',
      );
    }
    log.info({ name, type }, 'creating missing temporal search attribute');
    await execFileAsync(binary, [...base, 'create', ...flags, '--name', name, '--type', type], {
      env,
      timeout: 10_000,
    });
  }
}

/** Client flags that point at our server and ignore the user's temporal.toml and TEMPORAL_* env. */
function clientArgs(address: string): string[] {
  return ['--address', address, '--disable-config-file', '--disable-config-env', '--color', 'never'];
}

/**
 * The environment for go and temporal: the stack's PATH, no TEMPORAL_* variables of the user's
 * (TEMPORAL_ADDRESS or TEMPORAL_TLS* meant for another server would redirect our CLI calls),
 * and no version check phoning home.
 */
function toolEnv(cfg: StackConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = childEnv({ PATH: cfg.PATH, TEMPORAL_VERSION_CHECK_DISABLED: '1', ...extra });
  for (const key of Object.keys(env)) {
    if (key.startsWith('TEMPORAL_') && key !== 'TEMPORAL_VERSION_CHECK_DISABLED') delete env[key];
  }
  return env;
}

async function build(
  go: string,
  home: string,
  binary: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<void> {
  // Leftovers of builds that were interrupted; we hold the lock, so none is running.
  for (const entry of readdirSync(home)) {
    if (entry.startsWith('.gobin-')) rmSync(path.join(home, entry), { recursive: true, force: true });
  }
  const gobin = path.join(home, `.gobin-${process.pid}-${Date.now()}`);
  mkdirSync(gobin);
  const logFile = path.join(home, 'build.log');
  log.info(
    { module: `${CLI_MODULE}@v${CLI_VERSION}`, logFile },
    'building the Temporal CLI with go install (first run only, a few minutes)…',
  );
  const started = performance.now();
  const heartbeat = setInterval(() => {
    log.info(
      { seconds: Math.round((performance.now() - started) / 1000) },
      'still building the Temporal CLI…',
    );
  }, 30_000);
  try {
    const code = await run(go, ['install', `${CLI_MODULE}@v${CLI_VERSION}`], {
      env: { ...env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOBIN: gobin },
      logFile,
    });
    if (code !== 0) {
      throw new Error(
        `go install ${CLI_MODULE}@v${CLI_VERSION} failed (${code}); full log in ${logFile}:\n${tailFile(logFile, 20)}`,
      );
    }
    mkdirSync(path.dirname(binary), { recursive: true });
    // Same file system, so the binary appears whole or not at all.
    renameSync(path.join(gobin, 'temporal'), binary);
  } finally {
    clearInterval(heartbeat);
    rmSync(gobin, { recursive: true, force: true });
  }
  log.info({ binary, seconds: Math.round((performance.now() - started) / 1000) }, 'built the Temporal CLI');
}

/** Runs a command to completion with its output in `logFile`; resolves to its exit code or signal. */
function run(
  command: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; logFile: string },
): Promise<number | string> {
  const fd = openSync(opts.logFile, 'w');
  try {
    // Not detached: Ctrl-C on the stack stops the build too.
    const child = spawn(command, args, { env: opts.env, stdio: ['ignore', fd, fd] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
    });
  } finally {
    closeSync(fd);
  }
}

interface LockOwner {
  pid: number;
  host: string;
  since: number;
}

/**
 * Takes a lock that is a directory (mkdir is atomic), breaking it when its owner is gone.
 * Resolves to the release function.
 */
async function acquireLock(lockDir: string, log: Logger): Promise<() => void> {
  const ownerFile = path.join(lockDir, 'owner.json');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      const me: LockOwner = { pid: process.pid, host: hostname(), since: Date.now() };
      writeFileSync(ownerFile, JSON.stringify(me));
      return () => {
        // Only remove it if it is still ours (it may have been broken as stale and retaken).
        if (readOwner(ownerFile)?.pid === me.pid) rmSync(lockDir, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const stale = staleReason(lockDir, ownerFile);
    if (stale) {
      log.warn({ lockDir, reason: stale }, 'breaking a stale Temporal CLI build lock');
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log.info(
        { lockDir, owner: readOwner(ownerFile) },
        'another process is building the Temporal CLI; waiting for it…',
      );
      announced = true;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `waited ${LOCK_WAIT_MS / 60_000} min for another build of the Temporal CLI (lock ${lockDir}); ` +
          'remove that folder if no build is running',
      );
    }
    await delay(1_000);
  }
}

function staleReason(lockDir: string, ownerFile: string): string | undefined {
  let mtime: number;
  try {
    mtime = statSync(lockDir).mtimeMs;
  } catch {
    return undefined; // gone already; the next mkdir will tell
  }
  const owner = readOwner(ownerFile);
  // The owner writes its file right after mkdir; give it a moment before calling it abandoned.
  if (!owner) return Date.now() - mtime > 60_000 ? 'no owner file' : undefined;
  if (owner.host === hostname() && !isAlive(owner.pid)) return `owner pid ${owner.pid} is gone`;
  if (Date.now() - owner.since > LOCK_STALE_MS) return `held since ${new Date(owner.since).toISOString()}`;
  return undefined;
}

function readOwner(ownerFile: string): LockOwner | undefined {
  try {
    const v = JSON.parse(readFileSync(ownerFile, 'utf8')) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.since === 'number') {
      return { pid: v.pid, host: v.host, since: v.since };
    }
  } catch {
    /* missing or half-written */
  }
  return undefined;
}

function missingGo(why: string): string {
  return (
    `the Temporal CLI is needed for the local stack and is not installed, and it cannot be built: ${why}. ` +
    `Install Go ${MIN_GO.join('.')}+ (https://go.dev/dl, or Debian's golang-go if recent enough) so it can be ` +
    `built once with go install, or put a \`temporal\` binary on PATH, ` +
    'or set TEMPORAL_ADDRESS to an existing Temporal server.'
  );
}

/** First line of `command args` on success, undefined on any failure. */
async function commandVersion(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(command, args, { env, timeout: 10_000 });
    return stdout.trim().split('\n')[0] || undefined;
  } catch {
    return undefined;
  }
}

/** True when a `go1.X[.Y]` version string is at least `min`. */
function atLeast(goVersion: string, min: readonly [number, number]): boolean {
  const m = /go(\d+)\.(\d+)/.exec(goVersion);
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

function findOnPath(name: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** What was appended to `file` after byte `offset` (this run's part of a shared log). */
function readFrom(file: string, offset: number): string {
  try {
    return readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

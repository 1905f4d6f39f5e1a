/**
 * The local stack: Kafka (KRaft), the Temporal dev server and ClickHouse (chdb behind the HTTP
 * interface) as plain processes on free loopback ports, with the project's topics and
 * ClickHouse migrations applied. Used by the CLI (`influence stack up|down|status`) and by the
 * test global setup alike. Each of KAFKA_BROKERS, TEMPORAL_ADDRESS and CLICKHOUSE_URL, when set,
 * replaces that part with an external one.
 *
 * A stack records itself in `<stateDir>/stack.json` (endpoints, process ids, log files), which
 * `stack status` and `stack down` read, so a detached stack can be stopped from another shell.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../services/shared/logger.ts';
import { createKafka, ensureTopics } from '../../services/shared/kafka.ts';
import { TOPICS } from '../../schemas/topics.ts';
import { migrate } from '../clickhouse/migrate.ts';
import type { StackConfig } from './config.ts';
import { ensureKafkaInstall, restartKafka, startKafka } from './kafka.ts';
import { ensureTemporalBinary, startTemporal } from './temporal.ts';
import { startClickHouse } from './clickhouse.ts';
import { isAlive, killGroup, type ManagedProcess } from './process.ts';

/** The ClickHouse database the pipeline writes to, unless CLICKHOUSE_DATABASE says otherwise. */
export const DEFAULT_DATABASE = 'influence';

export const StackEndpoints = z.object({
  kafka: z.object({ brokers: z.string(), external: z.boolean() }),
  temporal: z.object({
    address: z.string(),
    namespace: z.string(),
    ui: z.string().nullable(),
    external: z.boolean(),
  }),
  clickhouse: z.object({
    /** The HTTP endpoint without credentials. */
    endpoint: z.string(),
    /** With the writer's credentials: for services only. */
    url: z.string(),
    /** With the read-only analyst's credentials. */
    analyst_url: z.string().nullable(),
    database: z.string(),
    external: z.boolean(),
  }),
});
export type StackEndpoints = z.infer<typeof StackEndpoints>;

const StackState = z.object({
  version: z.literal(1),
  started_at: z.string(),
  supervisor_pid: z.number(),
  detached: z.boolean(),
  endpoints: StackEndpoints,
  processes: z.array(
    z.object({
      name: z.string(),
      pid: z.number(),
      log_file: z.string(),
      /** Where a service answers /healthz and /metrics (absent for Kafka, Temporal, ClickHouse). */
      health_url: z.string().optional(),
    }),
  ),
  /** The ingest endpoint and its bearer token, once the pipeline services run. */
  ingest: z.object({ url: z.string(), token: z.string() }).optional(),
  /** The live dashboard's page, once the pipeline services run. */
  dashboard: z.object({ url: z.string() }).optional(),
});
export type StackState = z.infer<typeof StackState>;

export interface RunningStack {
  endpoints: StackEndpoints;
  stateDir: string;
  processes: ManagedProcess[];
  /** Stops every process this stack started; logs stay in `<stateDir>/logs`. */
  stop(): Promise<void>;
  /** Lets the calling process exit while the stack runs on. */
  detach(): void;
  /**
   * Starts one part again after its process was stopped or killed (fault tests), on the same
   * port with the same data, so clients reconnect to the address they have; the new process
   * replaces the old one in `processes` and in `stack.json`. Temporal keeps its workflows only
   * with `temporalDbFile`. @throws when the part is external, its old process still runs, or
   * the new one does not become ready.
   */
  restart(part: StackPart): Promise<ManagedProcess>;
}

/** The parts of the stack that run as processes of their own. */
export type StackPart = 'kafka' | 'temporal' | 'clickhouse';

export interface StartStackOptions {
  cfg: StackConfig;
  log: Logger;
  /** Where this stack keeps data and logs (default: cfg.stateDir). */
  stateDir?: string;
  /** Serve the Temporal Web UI (for people; tests run headless). */
  ui?: boolean;
  /** Keep Temporal's state in this SQLite file so it survives a restart. */
  temporalDbFile?: string;
  database?: string;
  detached?: boolean;
}

function stateFile(stateDir: string): string {
  return path.join(stateDir, 'stack.json');
}

/** The recorded stack in `stateDir`, if any (whether or not its processes still run). */
export function readStackState(stateDir: string): StackState | undefined {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return undefined;
  const parsed = StackState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** True when some process of the recorded stack is still running. */
export function stackIsRunning(state: StackState): boolean {
  return state.processes.some((p) => isAlive(p.pid));
}

/**
 * Starts what is not external, in parallel, then creates the topics and applies the ClickHouse
 * migrations. @throws (after stopping whatever it started) when a part cannot be installed or
 * does not become ready; the message says what to do.
 */
export async function startStack(opts: StartStackOptions): Promise<RunningStack> {
  const { cfg, log } = opts;
  const stateDir = path.resolve(opts.stateDir ?? cfg.stateDir);
  const prior = readStackState(stateDir);
  if (prior && stackIsRunning(prior)) {
    throw new Error(
      `a stack is already running from ${stateDir} (pids ${prior.processes.map((p) => p.pid).join(', ')}); ` +
        'stop it with `npx influence stack down` or use another INFLUENCE_STATE_DIR',
    );
  }
  mkdirSync(path.join(stateDir, 'logs'), { recursive: true });
  const database = opts.database ?? DEFAULT_DATABASE;
  const processes: ManagedProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all([...processes].reverse().map((p) => p.stop()));
  };

  try {
    // Installs first (jars, binary), in parallel: they are the slow part of a first run.
    await Promise.all([
      cfg.KAFKA_BROKERS ? undefined : ensureKafkaInstall(cfg, log),
      cfg.TEMPORAL_ADDRESS ? undefined : ensureTemporalBinary(cfg, log),
    ]);

    // allSettled, not all: when one part fails, the others must have finished starting (and
    // been recorded) before they are stopped, or a slow one would be left running.
    const [kafka, temporal, clickhouse] = await allOrFirstError(
      cfg.KAFKA_BROKERS
        ? Promise.resolve(undefined)
        : startKafka({ cfg, stateDir, log }).then((k) => (processes.push(k.process), k)),
      cfg.TEMPORAL_ADDRESS
        ? Promise.resolve(undefined)
        : startTemporal({
            cfg,
            stateDir,
            log,
            ui: opts.ui ?? false,
            ...(opts.temporalDbFile ? { dbFilename: opts.temporalDbFile } : {}),
          }).then((t) => (processes.push(t.process), t)),
      cfg.CLICKHOUSE_URL
        ? Promise.resolve(undefined)
        : startClickHouse({ stateDir, log, analystDatabase: database }).then(
            (c) => (processes.push(c.process), c),
          ),
    );

    const endpoints: StackEndpoints = {
      kafka: { brokers: kafka?.brokers ?? (cfg.KAFKA_BROKERS ?? []).join(','), external: !kafka },
      temporal: {
        address: temporal?.address ?? cfg.TEMPORAL_ADDRESS ?? '',
        namespace: temporal ? temporal.namespace : cfg.TEMPORAL_NAMESPACE,
        ui: temporal?.uiUrl ?? null,
        external: !temporal,
      },
      clickhouse: {
        endpoint: clickhouse?.endpoint ?? withoutCredentials(cfg.CLICKHOUSE_URL ?? ''),
        url: clickhouse?.url ?? cfg.CLICKHOUSE_URL ?? '',
        analyst_url: clickhouse?.analystUrl ?? null,
        database,
        external: !clickhouse,
      },
    };

    const admin = createKafka({
      brokers: endpoints.kafka.brokers.split(','),
      clientId: 'influence-stack',
      log,
    }).admin();
    await admin.connect();
    try {
      const { created, updated } = await ensureTopics(admin, TOPICS);
      if (created.length > 0) log.info({ topics: created.length }, 'topics created');
      if (updated.length > 0) log.info({ topics: updated }, 'topic configs brought in step (retention)');
    } finally {
      await admin.disconnect();
    }
    await migrate({ url: endpoints.clickhouse.url, database, log });

    const state: StackState = {
      version: 1,
      started_at: new Date().toISOString(),
      supervisor_pid: process.pid,
      detached: opts.detached ?? false,
      endpoints,
      processes: processes.map(processRecord),
    };
    writeFileSync(stateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    log.info({ stateDir }, 'stack ready');

    return {
      endpoints,
      stateDir,
      processes,
      async stop() {
        await stopAll();
        rmSync(stateFile(stateDir), { force: true });
      },
      detach() {
        for (const p of processes) p.detach();
      },
      async restart(part) {
        const at = processes.findIndex((p) => p.name === part);
        const old = processes[at];
        if (!old) throw new Error(`this stack did not start ${part} (it is external)`);
        if (!old.exitStatus()) throw new Error(`${part} is still running (pid ${old.pid}); stop it first`);
        let proc: ManagedProcess;
        if (part === 'kafka') {
          proc = (await restartKafka({ cfg, stateDir, log })).process;
        } else if (part === 'temporal') {
          proc = (
            await startTemporal({
              cfg,
              stateDir,
              log,
              ui: opts.ui ?? false,
              port: Number(new URL(`grpc://${endpoints.temporal.address}`).port),
              ...(opts.temporalDbFile ? { dbFilename: opts.temporalDbFile } : {}),
            })
          ).process;
        } else {
          const writer = new URL(endpoints.clickhouse.url);
          const analyst = new URL(endpoints.clickhouse.analyst_url ?? endpoints.clickhouse.url);
          proc = (
            await startClickHouse({
              stateDir,
              log,
              port: Number(writer.port),
              defaultPassword: decodeURIComponent(writer.password),
              analystPassword: decodeURIComponent(analyst.password),
              analystDatabase: endpoints.clickhouse.database,
            })
          ).process;
        }
        processes[at] = proc;
        const recorded = readStackState(stateDir);
        if (recorded) {
          recorded.processes = recorded.processes.map((p) => (p.pid === old.pid ? processRecord(proc) : p));
          writeFileSync(stateFile(stateDir), `${JSON.stringify(recorded, null, 2)}\n`, { mode: 0o600 });
        }
        return proc;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Like Promise.all for three, but waits for all to settle before rejecting with the first error. */
async function allOrFirstError<A, B, C>(a: Promise<A>, b: Promise<B>, c: Promise<C>): Promise<[A, B, C]> {
  const [ra, rb, rc] = await Promise.allSettled([a, b, c]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  if (rc.status === 'rejected') throw rc.reason;
  return [ra.value, rb.value, rc.value];
}

/**
 * Stops the stack recorded in `stateDir` (from any process): every process group gets SIGTERM,
 * then SIGKILL after `graceMs`. Logs stay. Returns the processes it stopped.
 */
export async function stopRecordedStack(stateDir: string, graceMs = 15_000): Promise<string[]> {
  const state = readStackState(stateDir);
  if (!state) return [];
  const stopped: string[] = [];
  await Promise.all(
    state.processes.map(async (p) => {
      if (isAlive(p.pid)) stopped.push(`${p.name} (${p.pid})`);
      await killGroup(p.pid, graceMs);
    }),
  );
  rmSync(stateFile(stateDir), { force: true });
  return stopped;
}

/** Adds processes to the recorded stack (the pipeline services started after the infrastructure). */
/** A process as the stack state records it. */
function processRecord(p: ManagedProcess): StackState['processes'][number] {
  return {
    name: p.name,
    pid: p.pid,
    log_file: p.logFile,
    ...(p.healthUrl ? { health_url: p.healthUrl } : {}),
  };
}

export function recordProcesses(
  stateDir: string,
  procs: readonly ManagedProcess[],
  ingest?: { url: string; token: string },
  dashboard?: { url: string },
): void {
  const state = readStackState(stateDir);
  if (!state) throw new Error(`no stack is recorded in ${stateDir}`);
  state.processes.push(...procs.map(processRecord));
  if (ingest) state.ingest = ingest;
  if (dashboard) state.dashboard = dashboard;
  writeFileSync(stateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

function withoutCredentials(url: string): string {
  if (!url) return '';
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}

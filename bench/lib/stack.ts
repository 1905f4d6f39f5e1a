/**
 * The stack a bench run measures: a private one (Kafka, Temporal, ClickHouse in a temporary state
 * folder, with a bridge and a worker process, as test/helpers/pipeline.ts builds for end-to-end
 * tests), or, with `--reuse`, the one recorded in INFLUENCE_STATE_DIR. The bench stops exactly
 * what it started: the whole private stack, or in reuse mode only a bridge or worker it had to
 * add because the recorded stack ran none.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import { loadStackConfig } from '../../infra/local/config.ts';
import { isAlive, type ManagedProcess } from '../../infra/local/process.ts';
import { startServiceProcess } from '../../infra/local/services.ts';
import {
  readStackState,
  recordProcesses,
  stackIsRunning,
  startStack,
  type StackEndpoints,
} from '../../infra/local/stack.ts';
import { createClickHouse } from '../../services/shared/clickhouse.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { createLogger, type Logger } from '../../services/shared/logger.ts';
import { connectTemporal } from '../../services/shared/temporal.ts';

export interface BenchStack {
  endpoints: StackEndpoints;
  stateDir: string;
  /** True when the bench started the stack (and will stop it). */
  own: boolean;
  /** Every process of the stack (infrastructure and services) by name, for the memory readings. */
  processes(): { name: string; pid: number }[];
  /** The writer's client on the pipeline's database. */
  clickhouse: ClickHouseClient;
  kafka: Kafka;
  temporal: Client;
  log: Logger;
  /** Where the bridge and worker write `--cpu-prof` profiles, when asked for. */
  cpuProfDir: string | undefined;
  /** Stops what the bench started; keeps the state folder when `keep`. */
  stop(keep: boolean): Promise<void>;
}

export interface StackOptions {
  reuse: boolean;
  /** Run the bridge and worker with `--cpu-prof` into this folder (own stack, or services the bench adds). */
  cpuProfDir?: string;
  /** Progress lines for people (stderr). */
  say: (line: string) => void;
}

/**
 * Starts the private stack (or finds the recorded one) with a bridge and a worker. @throws when
 * the stack cannot start or, with reuse, when no stack is recorded and running; whatever was
 * started before the failure is stopped.
 */
export async function acquireStack(opts: StackOptions): Promise<BenchStack> {
  const cfg = loadStackConfig();
  let stateDir: string;
  let recorded: { endpoints: StackEndpoints; processes: { name: string; pid: number }[] } | undefined;
  if (opts.reuse) {
    stateDir = cfg.stateDir;
    const state = readStackState(stateDir);
    if (!state || !stackIsRunning(state))
      throw new Error(
        `--reuse: no running stack is recorded in ${stateDir} (set INFLUENCE_STATE_DIR, or start one with \`npx influence stack up --detach\`)`,
      );
    recorded = state;
  } else {
    stateDir = mkdtempSync(path.join(tmpdir(), 'influence-bench-'));
    opts.say(`starting a private stack in ${stateDir} (the first start may install Kafka and Temporal)…`);
  }
  mkdirSync(path.join(stateDir, 'logs'), { recursive: true });
  const log = createLogger(
    'bench',
    createWriteStream(path.join(stateDir, 'logs', 'bench.log'), { flags: 'a' }),
  );
  let stopStack: (() => Promise<void>) | undefined;
  if (!recorded) {
    // The ClickHouse gateway is a Node process that inherits this environment (childEnv): with
    // --cpu-prof it is profiled too. NODE_OPTIONS is read at start only, so this process is not.
    const nodeOptions = process.env.NODE_OPTIONS;
    if (opts.cpuProfDir) process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${opts.cpuProfDir}`;
    const stack = await startStack({ cfg, log, stateDir, ui: false }).finally(() => {
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = nodeOptions;
    });
    stopStack = () => stack.stop();
    recorded = {
      endpoints: stack.endpoints,
      processes: stack.processes.map((p) => ({ name: p.name, pid: p.pid })),
    };
  }
  const ep = recorded.endpoints;
  const infra = recorded.processes.map((p) => ({ name: p.name, pid: p.pid }));
  const started: ManagedProcess[] = [];
  const env = opts.cpuProfDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${opts.cpuProfDir}` } : undefined;
  try {
    const running = (name: string) =>
      infra.some((p) => (p.name === name || p.name.startsWith(`${name}-`)) && isAlive(p.pid));
    const wanted = (['bridge', 'worker'] as const).filter((s) => !opts.reuse || !running(s));
    if (opts.reuse && wanted.length > 0)
      opts.say(`the recorded stack runs no ${wanted.join(' or ')}: starting one for this run`);
    for (const service of wanted) {
      const proc = await startServiceProcess({
        service,
        name: opts.reuse ? `${service}-bench` : service,
        stateDir,
        endpoints: ep,
        log,
        ...(env ? { env } : {}),
      });
      started.push(proc);
    }
    // A private stack records its services (as test/helpers/pipeline.ts does), so `stack down` on
    // its folder stops them too; in reuse mode the bench stops the ones it added itself.
    if (started.length > 0 && !opts.reuse) recordProcesses(stateDir, started);
  } catch (err) {
    await Promise.all(started.map((p) => p.stop()));
    await stopStack?.();
    throw err;
  }
  const clickhouse = createClickHouse({ url: ep.clickhouse.url, database: ep.clickhouse.database, log });
  const kafka = createKafka({ brokers: ep.kafka.brokers.split(','), clientId: 'bench', log });
  const temporal = await connectTemporal({ address: ep.temporal.address, namespace: ep.temporal.namespace });
  return {
    endpoints: ep,
    stateDir,
    own: !opts.reuse,
    processes: () => {
      const inState = readStackState(stateDir)?.processes.map((p) => ({ name: p.name, pid: p.pid })) ?? infra;
      const all = opts.reuse ? [...inState, ...started.map((p) => ({ name: p.name, pid: p.pid }))] : inState;
      return all.filter((p) => isAlive(p.pid));
    },
    clickhouse,
    kafka,
    temporal,
    log,
    cpuProfDir: opts.cpuProfDir,
    async stop(keep) {
      await clickhouse.close();
      await temporal.connection.close();
      // A generous grace: a service writes its CPU profile only once it has shut down cleanly.
      await Promise.all(started.map((p) => p.stop(30_000)));
      await stopStack?.();
      if (!opts.reuse && !keep) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** `influence stack up|down|status`: the local stack as processes on this machine. */
import { parseArgs } from 'node:util';
import path from 'node:path';
import type { Logger } from '../../shared/logger.ts';
import { isAlive } from '../../../infra/local/process.ts';
import {
  readStackState,
  recordProcesses,
  startStack,
  stopRecordedStack,
  type RunningStack,
} from '../../../infra/local/stack.ts';
import { startPipelineServices, type PipelineServices } from '../../../infra/local/services.ts';
import { CliError, EXIT, stackConfig } from '../context.ts';
import { bold, printJson, table } from '../output.ts';
import { controlBridges, localBridges } from './consumers.ts';
import { scaleCommand } from './scale.ts';

export const STACK_HELP = `Usage: influence stack <up|down|status|scale> [options]

  up       Start Kafka, Temporal and ClickHouse (and the pipeline services) on free loopback
           ports. Runs until Ctrl-C, which stops everything; with --detach it returns and the
           stack keeps running until \`stack down\`.
             --detach          return once the stack is ready
             --infra-only      start Kafka, Temporal and ClickHouse only, not the services
             --headless        no Temporal Web UI
             --temporal-db F   keep Temporal's state in SQLite file F (survives a restart)
             --json            print the endpoints as JSON
  status   Print the endpoints and processes of the running stack (--json for scripts).
  down     Stop every process of the stack; logs stay in the state folder.
  scale    More workers or bridges, more partitions for a topic (\`stack scale --help\`).

Environment: KAFKA_BROKERS, TEMPORAL_ADDRESS, CLICKHOUSE_URL replace a local part with an
external one; INFLUENCE_STATE_DIR (default .state/) and INFLUENCE_CACHE_DIR (default
~/.cache/influence-ledger) say where state and downloads live.`;

/** The `stack status --json` object. */
export function statusObject(stateDir: string): Record<string, unknown> | undefined {
  const state = readStackState(stateDir);
  if (!state) return undefined;
  const e = state.endpoints;
  const processes = state.processes.map((p) => ({ ...p, running: isAlive(p.pid) }));
  return {
    running: processes.some((p) => p.running),
    state_dir: stateDir,
    started_at: state.started_at,
    kafka: { brokers: e.kafka.brokers, external: e.kafka.external },
    temporal: { address: e.temporal.address, namespace: e.temporal.namespace, external: e.temporal.external },
    clickhouse: {
      endpoint: e.clickhouse.endpoint,
      database: e.clickhouse.database,
      url: e.clickhouse.url,
      analyst_url: e.clickhouse.analyst_url,
      external: e.clickhouse.external,
    },
    ui: { temporal: e.temporal.ui },
    ingest: state.ingest ?? null,
    dashboard: state.dashboard ?? null,
    processes,
  };
}

function printHuman(stateDir: string): void {
  const s = readStackState(stateDir);
  if (!s) return;
  const e = s.endpoints;
  const rows: string[][] = [
    ['ClickHouse SQL (HTTP)', e.clickhouse.endpoint],
    ['  read-only analyst', e.clickhouse.analyst_url ?? '(external: use your own user)'],
    ['  database', e.clickhouse.database],
    ['Temporal', `${e.temporal.address} (namespace ${e.temporal.namespace})`],
    ['Temporal Web UI', e.temporal.ui ?? '(headless)'],
    ['Kafka brokers', e.kafka.brokers],
  ];
  if (s.ingest) rows.push(['Ingest endpoint', `${s.ingest.url}/v1/events/<type>`]);
  if (s.dashboard) rows.push(['Dashboard', s.dashboard.url]);
  process.stdout.write(`${table(['part', 'address'], rows)}\n`);
  const procs = s.processes.map((p) => [
    p.name,
    String(p.pid),
    isAlive(p.pid) ? 'running' : 'stopped',
    path.relative(process.cwd(), p.log_file),
  ]);
  if (procs.length > 0) process.stdout.write(`\n${table(['process', 'pid', 'state', 'log'], procs)}\n`);
}

export interface StartedStack {
  stack: RunningStack;
  services: PipelineServices | undefined;
  stop(): Promise<void>;
}

/** Starts the stack and, unless `infraOnly`, the pipeline services; records both. */
export async function bringUp(opts: {
  log: Logger;
  ui: boolean;
  infraOnly: boolean;
  detached: boolean;
  temporalDb?: string;
}): Promise<StartedStack> {
  const cfg = stackConfig();
  const stack = await startStack({
    cfg,
    log: opts.log,
    ui: opts.ui,
    detached: opts.detached,
    ...(opts.temporalDb ? { temporalDbFile: path.resolve(opts.temporalDb) } : {}),
  });
  let services: PipelineServices | undefined;
  try {
    if (!opts.infraOnly) {
      services = await startPipelineServices({
        cfg,
        stateDir: stack.stateDir,
        endpoints: stack.endpoints,
        log: opts.log,
      });
      recordProcesses(
        stack.stateDir,
        services.processes,
        { url: services.ingestUrl, token: services.ingestToken },
        { url: services.dashboardUrl },
      );
    }
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return {
    stack,
    services,
    async stop() {
      await Promise.all((services?.processes ?? []).map((p) => p.stop()));
      await stack.stop();
    },
  };
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function stackCommand(argv: string[], log: Logger): Promise<number> {
  // `scale` has options of its own.
  if (argv[0] === 'scale') return scaleCommand(argv.slice(1), log);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      detach: { type: 'boolean', default: false },
      'infra-only': { type: 'boolean', default: false },
      headless: { type: 'boolean', default: false },
      'temporal-db': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const sub = positionals[0];
  if (values.help || !sub) {
    process.stdout.write(`${STACK_HELP}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const cfg = stackConfig();
  switch (sub) {
    case 'up': {
      const started = await bringUp({
        log,
        ui: !values.headless,
        infraOnly: values['infra-only'],
        detached: values.detach,
        ...(values['temporal-db'] ? { temporalDb: values['temporal-db'] } : {}),
      });
      if (values.json) printJson(statusObject(started.stack.stateDir));
      else {
        process.stdout.write(`${bold('influence-ledger stack is up')}\n\n`);
        printHuman(started.stack.stateDir);
      }
      if (values.detach) {
        started.stack.detach();
        for (const p of started.services?.processes ?? []) p.detach();
        if (!values.json) process.stdout.write('\nStop it with: npx influence stack down\n');
        return EXIT.ok;
      }
      process.stdout.write('\nPress Ctrl-C to stop.\n');
      const signal = await untilSignal();
      log.info({ signal }, 'stopping the stack');
      await started.stop();
      return EXIT.ok;
    }
    case 'down': {
      const stopped = await stopRecordedStack(cfg.stateDir);
      if (values.json) printJson({ stopped });
      else
        process.stdout.write(
          stopped.length > 0 ? `stopped: ${stopped.join(', ')}\n` : 'no stack was running\n',
        );
      return EXIT.ok;
    }
    case 'status': {
      const status = statusObject(cfg.stateDir);
      // Whether the bridges' consumers are paused (`influence consumers pause`).
      const consumers = status ? await controlBridges(localBridges(cfg.stateDir), 'status') : [];
      if (status) status['consumers'] = consumers;
      if (values.json) {
        printJson(status ?? { running: false, state_dir: cfg.stateDir });
        return status?.['running'] ? EXIT.ok : EXIT.notRunning;
      }
      if (!status) {
        process.stdout.write(
          `no stack is recorded in ${cfg.stateDir}; start one with: npx influence stack up --detach\n`,
        );
        return EXIT.notRunning;
      }
      printHuman(cfg.stateDir);
      if (consumers.some((c) => c.paused))
        process.stdout.write(
          `\nconsumers paused: ${consumers
            .filter((c) => c.paused)
            .map((c) => `${c.name} since ${c.paused_since ?? '?'}`)
            .join(', ')} (resume with: npx influence consumers resume)\n`,
        );
      return status['running'] ? EXIT.ok : EXIT.notRunning;
    }
    default:
      throw new CliError(`unknown stack command "${sub}"\n\n${STACK_HELP}`, EXIT.usage);
  }
}

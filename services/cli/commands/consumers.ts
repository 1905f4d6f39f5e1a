/**
 * `influence consumers pause|resume|status`: stops and restarts the bridges' Kafka consumers (raw
 * topics and the DLQ sink) through each bridge's loopback control endpoint (`POST
 * /control/pause|resume` on its health port). Paused consumers stay in their groups and keep
 * their committed offsets: nothing is lost, and what was fetched but not handed over is fetched
 * again on resume.
 */
import { parseArgs } from 'node:util';
import type { Logger } from '../../shared/logger.ts';
import { isAlive } from '../../../infra/local/process.ts';
import { readStackState } from '../../../infra/local/stack.ts';
import { CliError, EXIT, stackConfig } from '../context.ts';
import { printJson, table } from '../output.ts';

export const CONSUMERS_HELP = `Usage: influence consumers pause|resume|status [--url URL]... [--json]

  pause    the bridges stop fetching from the raw topics and the DLQ and stop handing batches
           to Temporal; a batch being handed over finishes its current chunk. Their consumer
           groups and committed offsets stay, so nothing is lost.
  resume   they fetch again from where they stopped
  status   whether each bridge is paused, and since when

By default it acts on every bridge of the local stack (the first, and those added with
\`influence stack scale\`). --url http://127.0.0.1:PORT (a bridge's HEALTH_PORT, repeatable)
names bridges elsewhere. /healthz of a bridge shows \`paused\` too.

Exit codes: 0 ok, 1 a bridge did not answer, 3 no stack running.`;

export interface BridgeControl {
  name: string;
  /** http://127.0.0.1:<health port> */
  url: string;
}

export interface ConsumerState {
  name: string;
  url: string;
  paused: boolean | null;
  paused_since: string | null;
  error?: string;
}

/**
 * The running bridges of the stack recorded in `stateDir`, with the health URL the stack state
 * recorded when each started.
 */
export function localBridges(stateDir: string): BridgeControl[] {
  const state = readStackState(stateDir);
  if (!state) return [];
  return state.processes
    .filter((p) => p.name.startsWith('bridge') && p.health_url && isAlive(p.pid))
    .map((p) => ({ name: p.name, url: p.health_url as string }));
}

async function call(bridge: BridgeControl, action: 'pause' | 'resume' | 'status'): Promise<ConsumerState> {
  try {
    const res =
      action === 'status'
        ? await fetch(`${bridge.url}/healthz`, { signal: AbortSignal.timeout(5000) })
        : await fetch(`${bridge.url}/control/${action}`, {
            method: 'POST',
            signal: AbortSignal.timeout(5000),
          });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { paused?: boolean; paused_since?: string | null; detail?: object };
    const d = (action === 'status' ? body.detail : body) as {
      paused?: boolean;
      paused_since?: string | null;
    };
    return { ...bridge, paused: d.paused ?? null, paused_since: d.paused_since ?? null };
  } catch (err) {
    return { ...bridge, paused: null, paused_since: null, error: (err as Error).message };
  }
}

/** Pauses, resumes or reads every bridge given. Never throws: a bridge that fails has `error`. */
export function controlBridges(
  bridges: readonly BridgeControl[],
  action: 'pause' | 'resume' | 'status',
): Promise<ConsumerState[]> {
  return Promise.all(bridges.map((b) => call(b, action)));
}

export async function consumersCommand(argv: string[], log: Logger): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${CONSUMERS_HELP}\n`);
    return EXIT.ok;
  }
  const [action] = positionals;
  if (action !== 'pause' && action !== 'resume' && action !== 'status')
    throw new CliError(CONSUMERS_HELP, EXIT.usage);
  const cfg = stackConfig();
  const bridges = values.url?.length
    ? values.url.map((url, i) => ({ name: `bridge@${i + 1}`, url: url.replace(/\/$/, '') }))
    : localBridges(cfg.stateDir);
  if (bridges.length === 0)
    throw new CliError(
      `no running bridge is recorded in ${cfg.stateDir}: start the stack (\`npx influence stack up --detach\`) or name bridges with --url`,
      EXIT.notRunning,
    );
  const states = await controlBridges(bridges, action);
  log.info(
    { action, bridges: states.map((s) => ({ name: s.name, paused: s.paused })) },
    `consumers ${action}`,
  );
  if (values.json) printJson(states);
  else
    process.stdout.write(
      `${table(
        ['bridge', 'url', 'state', 'since'],
        states.map((s) => [
          s.name,
          s.url,
          s.error ? `unreachable: ${s.error}` : s.paused ? 'paused' : 'consuming',
          s.paused_since ?? '',
        ]),
      )}\n`,
    );
  return states.some((s) => s.error) ? EXIT.failed : EXIT.ok;
}

/**
 * Starts the pipeline's own services (ingest endpoint, bridge, worker, dashboard) as processes
 * beside the local stack, wired to its endpoints, and waits until each answers /healthz.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../services/shared/logger.ts';
import { childEnv, nodeBinary, REPO_ROOT, type StackConfig } from './config.ts';
import { localHmacKeyHex } from './hmac-key.ts';
import { freePorts } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import type { StackEndpoints } from './stack.ts';
import { waitFor } from './wait.ts';

export interface PipelineServices {
  processes: ManagedProcess[];
  ingestUrl: string;
  ingestToken: string;
  /** The live dashboard's page. */
  dashboardUrl: string;
  health: Record<string, string>;
}

/** A random bearer token for the local ingest endpoint. */
export function localIngestToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The environment every pipeline service gets: the stack's endpoints. */
export function serviceEnv(e: StackEndpoints): Record<string, string> {
  return {
    KAFKA_BROKERS: e.kafka.brokers,
    TEMPORAL_ADDRESS: e.temporal.address,
    TEMPORAL_NAMESPACE: e.temporal.namespace,
    CLICKHOUSE_URL: e.clickhouse.url,
    CLICKHOUSE_DATABASE: e.clickhouse.database,
  };
}

/**
 * Starts one more bridge or worker process on the stack (scaling out, or replacing one that
 * died) and waits for its /healthz. Its log is `<stateDir>/logs/<name>.log`.
 */
export async function startServiceProcess(opts: {
  service: 'bridge' | 'worker';
  name?: string;
  stateDir: string;
  endpoints: StackEndpoints;
  log: Logger;
  env?: Record<string, string>;
}): Promise<ManagedProcess> {
  const [health = 0] = await freePorts(1);
  const name = opts.name ?? opts.service;
  const proc = spawnManaged(name, nodeBinary(), [path.join(REPO_ROOT, 'services', opts.service, 'main.ts')], {
    cwd: REPO_ROOT,
    logFile: path.join(opts.stateDir, 'logs', `${name}.log`),
    log: opts.log,
    env: childEnv({ ...serviceEnv(opts.endpoints), HEALTH_PORT: String(health), ...opts.env }),
    healthUrl: `http://127.0.0.1:${health}`,
  });
  const url = `http://127.0.0.1:${health}/healthz`;
  try {
    await waitFor(async () => ((await fetch(url)).ok ? true : undefined), {
      what: `${name} to answer ${url}`,
      timeoutMs: 90_000,
      abortIf: () => (proc.exitStatus() ? `${name} exited; its log ends with:\n${proc.tail(20)}` : undefined),
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

/**
 * Starts a dashboard process on a free loopback port and waits for its /healthz (it answers once
 * its consumer has joined its group). Its log is `<stateDir>/logs/<name>.log`.
 */
export async function startDashboardProcess(opts: {
  name?: string;
  stateDir: string;
  endpoints: StackEndpoints;
  log: Logger;
  env?: Record<string, string>;
}): Promise<{ process: ManagedProcess; url: string }> {
  const [port = 0] = await freePorts(1);
  const name = opts.name ?? 'dashboard';
  const proc = spawnManaged(name, nodeBinary(), [path.join(REPO_ROOT, 'services', 'dashboard', 'main.ts')], {
    cwd: REPO_ROOT,
    logFile: path.join(opts.stateDir, 'logs', `${name}.log`),
    log: opts.log,
    env: childEnv({ ...serviceEnv(opts.endpoints), DASHBOARD_PORT: String(port), ...opts.env }),
    healthUrl: `http://127.0.0.1:${port}`,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), {
      what: `${name} to answer ${url}/healthz`,
      timeoutMs: 90_000,
      abortIf: () => (proc.exitStatus() ? `${name} exited; its log ends with:\n${proc.tail(20)}` : undefined),
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { process: proc, url };
}

/**
 * Starts ingest-http, bridge, worker and the dashboard. @throws (after stopping them) when one exits or does not
 * answer /healthz within 90 s; the error carries the end of its log.
 */
export async function startPipelineServices(opts: {
  stateDir: string;
  endpoints: StackEndpoints;
  log: Logger;
  ingestToken?: string;
  ingestPort?: number;
  cfg: StackConfig;
}): Promise<PipelineServices> {
  const [ingestPort = 0, bridgeHealth = 0, workerHealth = 0, dashboardPort = 0] = await freePorts(4);
  const port = opts.ingestPort ?? ingestPort;
  const token = opts.ingestToken ?? localIngestToken();
  const e = opts.endpoints;
  const common = serviceEnv(e);
  const specs: { name: string; entry: string; env: Record<string, string>; url: string }[] = [
    {
      name: 'ingest-http',
      entry: 'services/ingest-http/main.ts',
      env: { INGEST_PORT: String(port), INGEST_TOKEN: token, INGEST_HMAC_KEY: localHmacKeyHex(opts.cfg) },
      url: `http://127.0.0.1:${port}`,
    },
    {
      name: 'bridge',
      entry: 'services/bridge/main.ts',
      env: { HEALTH_PORT: String(bridgeHealth) },
      url: `http://127.0.0.1:${bridgeHealth}`,
    },
    {
      name: 'worker',
      entry: 'services/worker/main.ts',
      env: { HEALTH_PORT: String(workerHealth) },
      url: `http://127.0.0.1:${workerHealth}`,
    },
    {
      name: 'dashboard',
      entry: 'services/dashboard/main.ts',
      env: { DASHBOARD_PORT: String(dashboardPort) },
      url: `http://127.0.0.1:${dashboardPort}`,
    },
  ];
  const processes: ManagedProcess[] = [];
  try {
    for (const s of specs) {
      processes.push(
        spawnManaged(s.name, nodeBinary(), [path.join(REPO_ROOT, s.entry)], {
          cwd: REPO_ROOT,
          logFile: path.join(opts.stateDir, 'logs', `${s.name}.log`),
          log: opts.log,
          env: childEnv({ ...common, ...s.env }),
          healthUrl: s.url,
        }),
      );
    }
    await Promise.all(
      specs.map((s, i) =>
        waitFor(async () => ((await fetch(`${s.url}/healthz`)).ok ? true : undefined), {
          what: `${s.name} to answer ${s.url}/healthz`,
          timeoutMs: 90_000,
          abortIf: () => {
            const p = processes[i];
            return p?.exitStatus() ? `${s.name} exited; its log ends with:\n${p.tail(20)}` : undefined;
          },
        }),
      ),
    );
  } catch (err) {
    await Promise.all(processes.map((p) => p.stop()));
    throw err;
  }
  return {
    processes,
    ingestUrl: `http://127.0.0.1:${port}`,
    ingestToken: token,
    dashboardUrl: `http://127.0.0.1:${dashboardPort}`,
    health: Object.fromEntries(specs.map((s) => [s.name, `${s.url}/healthz`])),
  };
}

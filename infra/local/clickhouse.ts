/**
 * Starts the local ClickHouse: a Node process that owns the embedded engine (chdb) and serves
 * the ClickHouse HTTP interface on a loopback port.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../services/shared/logger.ts';
import { childEnv, nodeBinary, REPO_ROOT } from './config.ts';
import { freePort } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { waitFor } from './wait.ts';

export interface LocalClickHouse {
  /** URL with the writer's credentials (user `default`). */
  url: string;
  /** URL with the read-only analyst's credentials. */
  analystUrl: string;
  /** The endpoint without credentials. */
  endpoint: string;
  analystUser: string;
  analystPassword: string;
  process: ManagedProcess;
}

/** A random password for a local-only user. */
export function localPassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Starts the gateway with its data in `<stateDir>/clickhouse` and waits until /ping answers
 * and a query runs. @throws with the end of its log when it exits or does not answer in 60 s.
 */
export async function startClickHouse(opts: {
  stateDir: string;
  log: Logger;
  port?: number;
  defaultPassword?: string;
  analystPassword?: string;
  /** The analyst's database when a query names none (the pipeline's database). */
  analystDatabase?: string;
}): Promise<LocalClickHouse> {
  const dataDir = path.join(opts.stateDir, 'clickhouse');
  const logs = path.join(opts.stateDir, 'logs');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(logs, { recursive: true });
  const port = opts.port ?? (await freePort());
  const defaultPassword = opts.defaultPassword ?? localPassword();
  const analystPassword = opts.analystPassword ?? localPassword();
  const analystUser = 'analyst';
  const entry = path.join(REPO_ROOT, 'infra', 'local', 'clickhouse', 'main.ts');
  const proc = spawnManaged('clickhouse', nodeBinary(), [entry], {
    cwd: REPO_ROOT,
    logFile: path.join(logs, 'clickhouse.log'),
    log: opts.log,
    env: childEnv({
      CLICKHOUSE_DATA_DIR: dataDir,
      CLICKHOUSE_HTTP_PORT: String(port),
      CLICKHOUSE_DEFAULT_PASSWORD: defaultPassword,
      CLICKHOUSE_ANALYST_USER: analystUser,
      CLICKHOUSE_ANALYST_PASSWORD: analystPassword,
      ...(opts.analystDatabase ? { CLICKHOUSE_ANALYST_DATABASE: opts.analystDatabase } : {}),
    }),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const auth = Buffer.from(`default:${defaultPassword}`).toString('base64');
  await waitFor(
    async () => {
      const res = await fetch(`${endpoint}/?query=SELECT%201`, {
        headers: { Authorization: `Basic ${auth}` },
      });
      return res.ok && (await res.text()).trim() === '1' ? true : undefined;
    },
    {
      what: `ClickHouse (chdb) on ${endpoint}`,
      timeoutMs: 60_000,
      intervalMs: 100,
      abortIf: () =>
        proc.exitStatus() ? `the process exited; its log ends with:\n${proc.tail(20)}` : undefined,
    },
  );
  const withCreds = (user: string, pw: string): string => {
    const u = new URL(endpoint);
    u.username = user;
    u.password = pw;
    return u.toString().replace(/\/$/, '');
  };
  return {
    url: withCreds('default', defaultPassword),
    analystUrl: withCreds(analystUser, analystPassword),
    endpoint,
    analystUser,
    analystPassword,
    process: proc,
  };
}

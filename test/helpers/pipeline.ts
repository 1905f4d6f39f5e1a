/**
 * A private pipeline for end-to-end tests: a stack of its own (Kafka, Temporal, ClickHouse in a
 * state folder of its own, so no other test's events reach its topics) with the bridge and the
 * worker as real processes, which a test can kill and restart, and the `influence` CLI pointed
 * at it.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { loadStackConfig } from '../../infra/local/config.ts';
import type { ManagedProcess } from '../../infra/local/process.ts';
import { startServiceProcess } from '../../infra/local/services.ts';
import { recordProcesses, startStack, type RunningStack } from '../../infra/local/stack.ts';
import { createClickHouse } from '../../services/shared/clickhouse.ts';
import { createLogger, type Logger } from '../../services/shared/logger.ts';
import { influence, type CliResult } from './cli.ts';

export interface PrivatePipeline {
  stateDir: string;
  stack: RunningStack;
  /** The writer's client on the stack's database. */
  clickhouse: ClickHouseClient;
  bridge: ManagedProcess;
  worker: ManagedProcess;
  log: Logger;
  /** `influence …` against this stack. */
  cli(args: string[]): Promise<CliResult>;
  /** Starts a replacement (or an extra) process of a service, with extra environment. */
  start(service: 'bridge' | 'worker', env?: Record<string, string>): Promise<ManagedProcess>;
  stop(): Promise<void>;
}

export interface PrivatePipelineOptions {
  /**
   * Keep Temporal's state in a file of the state folder, so workflows survive a restart of the
   * server (`p.stack.restart('temporal')`); by default it is in memory.
   */
  persistTemporal?: boolean;
}

export async function startPrivatePipeline(
  name: string,
  opts: PrivatePipelineOptions = {},
): Promise<PrivatePipeline> {
  const stateDir = mkdtempSync(path.join(tmpdir(), `influence-${name}-`));
  mkdirSync(path.join(stateDir, 'logs'), { recursive: true });
  const log = createLogger(`test-${name}`, createWriteStream(path.join(stateDir, 'logs', 'test.log')));
  const stack = await startStack({
    cfg: loadStackConfig(),
    log,
    stateDir,
    ui: false,
    ...(opts.persistTemporal ? { temporalDbFile: path.join(stateDir, 'temporal', 'temporal.db') } : {}),
  });
  const extra: ManagedProcess[] = [];
  let serial = 0;
  const start = async (service: 'bridge' | 'worker', env?: Record<string, string>) => {
    const proc = await startServiceProcess({
      service,
      name: `${service}-${++serial}`,
      stateDir,
      endpoints: stack.endpoints,
      log,
      ...(env ? { env } : {}),
    });
    extra.push(proc);
    recordProcesses(stateDir, [proc]);
    return proc;
  };
  try {
    const [bridge, worker] = await Promise.all([start('bridge'), start('worker')]);
    const clickhouse = createClickHouse({
      url: stack.endpoints.clickhouse.url,
      database: stack.endpoints.clickhouse.database,
      log,
    });
    return {
      stateDir,
      stack,
      clickhouse,
      bridge,
      worker,
      log,
      cli: (args) => influence(args, { INFLUENCE_STATE_DIR: stateDir }),
      start,
      async stop() {
        await clickhouse.close();
        await Promise.all(extra.map((p) => p.stop()));
        await stack.stop();
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(extra.map((p) => p.stop()));
    await stack.stop();
    throw err;
  }
}

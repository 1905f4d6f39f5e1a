/**
 * Starts the real local stack once for the integration tests (or uses the endpoints given in
 * KAFKA_BROKERS / TEMPORAL_ADDRESS / CLICKHOUSE_URL; with STACK=containers, testcontainers)
 * and stops it afterwards. The stack lives in <state dir>/test, apart from a developer's own.
 */
import path from 'node:path';
import { createWriteStream, mkdirSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { loadStackConfig } from '../../infra/local/config.ts';
import { startStack, stopRecordedStack, type StackEndpoints } from '../../infra/local/stack.ts';
import { createLogger } from '../../services/shared/logger.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cfg = loadStackConfig();
  const stateDir = path.join(cfg.stateDir, 'test');
  mkdirSync(path.join(stateDir, 'logs'), { recursive: true });
  const log = createLogger(
    'test-stack',
    createWriteStream(path.join(stateDir, 'logs', 'setup.log'), { flags: 'a' }),
  );

  if (cfg.STACK === 'containers') {
    const { startContainersStack } = await import('./containers-stack.ts');
    const stack = await startContainersStack(log);
    project.provide('stack', stack.endpoints);
    return () => stack.stop();
  }

  // A run that crashed may have left its stack behind: stop it before starting afresh.
  const leftover = await stopRecordedStack(stateDir);
  if (leftover.length > 0) process.stderr.write(`stopped a test stack left behind: ${leftover.join(', ')}\n`);
  const started = Date.now();
  process.stderr.write(
    'starting the local stack for integration tests (first run installs Kafka and Temporal)…\n',
  );
  const stack = await startStack({ cfg, log, stateDir, ui: false, database: 'influence_test' });
  const e = stack.endpoints;
  process.stderr.write(
    `local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      `Kafka ${e.kafka.external ? '(external) ' : '3.9.1 KRaft '}${e.kafka.brokers}, ` +
      `Temporal ${e.temporal.external ? '(external) ' : 'CLI dev server '}${e.temporal.address}, ` +
      `ClickHouse ${e.clickhouse.external ? '(external) ' : 'chdb behind the HTTP interface '}${e.clickhouse.endpoint}\n`,
  );
  project.provide('stack', e);
  return async () => {
    await stack.stop();
  };
}

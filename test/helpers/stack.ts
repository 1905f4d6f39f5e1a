/** What integration tests use to reach the real stack and keep to themselves. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { createClickHouse } from '../../services/shared/clickhouse.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { silentLogger, type Logger } from '../../services/shared/logger.ts';
import type { StackEndpoints } from '../../infra/local/stack.ts';

export function stackEndpoints(): StackEndpoints {
  return inject('stack');
}

/** A short random suffix for names that keep a test apart from the others. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A fresh ClickHouse database with every migration applied, and a client bound to it. */
export async function freshDatabase(
  prefix: string,
  log: Logger = silentLogger,
): Promise<{ database: string; client: ClickHouseClient }> {
  const e = stackEndpoints();
  const database = `${prefix}_${uniqueSuffix()}`;
  await migrate({ url: e.clickhouse.url, database, log });
  return { database, client: createClickHouse({ url: e.clickhouse.url, database, log }) };
}

export function testKafka(clientId: string, log: Logger = silentLogger) {
  return createKafka({ brokers: stackEndpoints().kafka.brokers.split(','), clientId, log });
}

/** The `Authorization: Basic …` value for the credentials in `url`. */
export function basicAuth(url: string): string {
  const u = new URL(url);
  return `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
}

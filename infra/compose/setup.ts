/**
 * One-shot `setup` service of docker-compose.yml: creates the project's Kafka topics and applies
 * the ClickHouse migrations, then exits 0 so that the pipeline services (which depend on it with
 * `service_completed_successfully`) start. Safe to run again: existing topics are left alone and
 * applied migrations are skipped.
 *
 * Needs KAFKA_BROKERS and CLICKHOUSE_URL (with the writer's credentials); CLICKHOUSE_DATABASE
 * defaults to `influence`. Exits 78 on a bad environment, 1 when Kafka or ClickHouse does not
 * answer within two minutes or a migration fails.
 */
import type { Admin } from 'kafkajs';
import { ConfigError, parseConfig } from '../../services/shared/config.ts';
import { createLogger, type Logger } from '../../services/shared/logger.ts';
import { createKafka, ensureTopics } from '../../services/shared/kafka.ts';
import { createClickHouse, redactUrl } from '../../services/shared/clickhouse.ts';
import { clickhouseShape } from '../../services/shared/service-config.ts';
import { TOPICS } from '../../schemas/topics.ts';
import { migrate } from '../clickhouse/migrate.ts';
import { loadStackConfig } from '../local/config.ts';
import { waitFor } from '../local/wait.ts';

const READY_TIMEOUT_MS = 120_000;

interface SetupConfig {
  brokers: string[];
  clickhouseUrl: string;
  database: string;
}

function loadSetupConfig(): SetupConfig {
  const cfg = loadStackConfig();
  const { CLICKHOUSE_DATABASE } = parseConfig({ CLICKHOUSE_DATABASE: clickhouseShape.CLICKHOUSE_DATABASE });
  const missing = [
    ...(cfg.KAFKA_BROKERS ? [] : ['KAFKA_BROKERS: required (e.g. kafka:19092)']),
    ...(cfg.CLICKHOUSE_URL
      ? []
      : ['CLICKHOUSE_URL: required (e.g. http://default:<password>@clickhouse:8123)']),
  ];
  if (!cfg.KAFKA_BROKERS || !cfg.CLICKHOUSE_URL) throw new ConfigError(missing);
  return { brokers: cfg.KAFKA_BROKERS, clickhouseUrl: cfg.CLICKHOUSE_URL, database: CLICKHOUSE_DATABASE };
}

/** Connects an admin client once the broker answers a metadata request; the caller disconnects it. */
async function connectAdmin(brokers: readonly string[], log: Logger): Promise<Admin> {
  const kafka = createKafka({ brokers, clientId: 'influence-setup', log });
  return waitFor(
    async () => {
      const admin = kafka.admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return admin;
      } catch (err) {
        await admin.disconnect().catch(() => undefined);
        throw err;
      }
    },
    { what: `Kafka at ${brokers.join(',')}`, timeoutMs: READY_TIMEOUT_MS, intervalMs: 1_000 },
  );
}

/** Waits until ClickHouse runs a query with the writer's credentials. */
async function waitForClickHouse(url: string, log: Logger): Promise<void> {
  const client = createClickHouse({ url, log, database: 'default' });
  try {
    await waitFor(
      async () => {
        const rs = await client.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' });
        const rows = await rs.json<{ ok: number }>();
        return rows.length === 1 ? true : undefined;
      },
      { what: `ClickHouse at ${redactUrl(url)}`, timeoutMs: READY_TIMEOUT_MS, intervalMs: 1_000 },
    );
  } finally {
    await client.close();
  }
}

async function main(log: Logger): Promise<void> {
  const cfg = loadSetupConfig();

  const admin = await connectAdmin(cfg.brokers, log);
  try {
    const { created, updated } = await ensureTopics(admin, TOPICS);
    log.info({ created: created.length, updated, total: TOPICS.length }, 'kafka topics ready');
  } finally {
    await admin.disconnect();
  }

  await waitForClickHouse(cfg.clickhouseUrl, log);
  const applied = await migrate({ url: cfg.clickhouseUrl, database: cfg.database, log });
  log.info({ database: cfg.database, applied }, 'clickhouse migrations applied');
}

const log = createLogger('stack-setup');
try {
  await main(log);
  log.info({ ready: true }, 'setup done');
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\nFix the environment variables above and start again.\n`);
    process.exitCode = 78;
  } else {
    log.fatal({ err }, 'setup failed');
    process.exitCode = 1;
  }
}

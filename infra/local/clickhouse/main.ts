/**
 * Process entry of the local ClickHouse: owns the chdb data directory and serves the HTTP
 * interface. Started by infra/local/clickhouse.ts; prints one JSON line with `ready: true` and
 * its URL on stdout once it answers.
 */
import { mkdirSync } from 'node:fs';
import { z } from 'zod';
import { loadConfigOrExit, logLevel } from '../../../services/shared/config.ts';
import { createLogger } from '../../../services/shared/logger.ts';
import { initMetrics, metrics } from '../../../services/shared/metrics.ts';
import { Engine } from './engine.ts';
import { startGateway } from './gateway.ts';

const cfg = loadConfigOrExit({
  CLICKHOUSE_DATA_DIR: z.string().min(1),
  CLICKHOUSE_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8123),
  CLICKHOUSE_DEFAULT_PASSWORD: z.string().min(1),
  CLICKHOUSE_ANALYST_USER: z.string().min(1).default('analyst'),
  CLICKHOUSE_ANALYST_PASSWORD: z.string().min(1),
  /** The analyst's database when a query names none (the pipeline's), so `SELECT … FROM raw_events` works. */
  CLICKHOUSE_ANALYST_DATABASE: z.string().min(1).default('default'),
  CLICKHOUSE_WRITE_LANES: z.coerce.number().int().min(1).max(16).default(2),
  CLICKHOUSE_INSERT_LANES: z.coerce.number().int().min(1).max(16).default(2),
  LOG_LEVEL: logLevel,
});

const log = createLogger('clickhouse');
initMetrics('clickhouse');
mkdirSync(cfg.CLICKHOUSE_DATA_DIR, { recursive: true });

let engine: Engine;
try {
  engine = await Engine.open({
    dataDir: cfg.CLICKHOUSE_DATA_DIR,
    writeLanes: cfg.CLICKHOUSE_WRITE_LANES,
    insertLanes: cfg.CLICKHOUSE_INSERT_LANES,
  });
} catch (err) {
  log.fatal(
    { err, dataDir: cfg.CLICKHOUSE_DATA_DIR },
    'cannot open the ClickHouse data directory; if another process holds it ("Cannot lock file"), stop that stack first (npx influence stack down)',
  );
  process.exit(1);
}

const gateway = await startGateway(
  {
    engine,
    log,
    registry: metrics.registry,
    users: {
      default: { password: cfg.CLICKHOUSE_DEFAULT_PASSWORD, readonly: false },
      [cfg.CLICKHOUSE_ANALYST_USER]: {
        password: cfg.CLICKHOUSE_ANALYST_PASSWORD,
        readonly: true,
        database: cfg.CLICKHOUSE_ANALYST_DATABASE,
      },
    },
  },
  cfg.CLICKHOUSE_HTTP_PORT,
);
log.info({ ready: true, url: gateway.url, version: engine.version }, 'ClickHouse (chdb) ready');

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  await gateway.close();
  engine.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

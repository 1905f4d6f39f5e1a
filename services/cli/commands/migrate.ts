/** `influence migrate`: applies the ClickHouse migrations (idempotent, recorded in schema_migrations). */
import { parseArgs } from 'node:util';
import type { Logger } from '../../shared/logger.ts';
import { migrate } from '../../../infra/clickhouse/migrate.ts';
import { CliError, EXIT, currentEndpoints, stackConfig } from '../context.ts';

export const MIGRATE_HELP = `Usage: influence migrate [--database D] [--cluster NAME] [--json]

Applies the versioned migrations in infra/clickhouse/migrations to the stack's ClickHouse, in
order, once each; applied versions and checksums are recorded in <database>.schema_migrations.
Running it again applies only what is new. \`stack up\` runs it too.

  --database D   database (default: the stack's, usually "influence")
  --cluster NAME apply the cluster form: ON CLUSTER NAME and Replicated* engines whose Keeper
                 path uses the servers' {shard} and {replica} macros (docs/analysts.md)
  --json         print the applied versions as JSON`;

export async function migrateCommand(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      database: { type: 'string' },
      cluster: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${MIGRATE_HELP}\n`);
    return EXIT.ok;
  }
  const endpoints = currentEndpoints(stackConfig());
  const database = values.database ?? endpoints.clickhouse.database;
  const applied = await migrate({
    url: endpoints.clickhouse.url,
    database,
    log,
    ...(values.cluster ? { cluster: values.cluster } : {}),
  }).catch((err: unknown) => {
    throw new CliError(`migration failed: ${(err as Error).message}`, EXIT.failed);
  });
  if (values.json) process.stdout.write(`${JSON.stringify({ database, applied })}\n`);
  else
    process.stdout.write(
      applied.length === 0
        ? `${database}: up to date\n`
        : `${database}: applied ${applied.map((v) => String(v).padStart(4, '0')).join(', ')}\n`,
    );
  return EXIT.ok;
}

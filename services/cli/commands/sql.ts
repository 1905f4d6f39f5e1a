/** `influence sql "<query>"`: run SQL against the configured ClickHouse, read-only by default. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Logger } from '../../shared/logger.ts';
import { createClickHouse } from '../../shared/clickhouse.ts';
import { CliError, EXIT, currentEndpoints, stackConfig } from '../context.ts';
import { declaredParams } from '../cookbook.ts';

export const SQL_HELP = `Usage: influence sql "<query>" | --file F [--format F] [--param name=value]... [--write]

Runs one query on the stack's ClickHouse and prints the result. Values are passed as query
parameters, never spliced into the text: write {name:Type} in the query and --param name=value.

  --file F      read the query from a file ("-" for stdin), e.g. a cookbook query in docs/sql
  --format F    output format (default PrettyCompactMonoBlock on a terminal, TSVWithNames
                otherwise; any ClickHouse output format, e.g. JSONEachRow, CSVWithNames)
  --param k=v   a query parameter (repeatable). A query's header lines "-- param: k=v" (as
                every cookbook query has) give the defaults; --param overrides them
  --database D  database (default: the stack's, usually "influence")
  --write       run as the writer instead of the read-only analyst user (operators only)

Examples:
  npx influence sql --file docs/sql/efficiency-by-state.sql
  npx influence sql --file docs/sql/lottery-cost-per-signup-by-state.sql --param committee=C00879510
  npx influence sql "SELECT type, count() FROM raw_events FINAL GROUP BY type"
  npx influence sql "SELECT * FROM raw_events WHERE type = {t:String} LIMIT 5" --param t=donation --format JSONEachRow`;

export async function sqlCommand(argv: string[], log: Logger): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      file: { type: 'string' },
      param: { type: 'string', multiple: true, default: [] },
      database: { type: 'string' },
      write: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${SQL_HELP}\n`);
    return EXIT.ok;
  }
  if (values.file !== undefined && positionals.length > 0)
    throw new CliError('give the query as text or with --file, not both', EXIT.usage);
  const query = (values.file !== undefined ? readQueryFile(values.file) : positionals.join(' ')).trim();
  if (!query) throw new CliError(`no query given\n\n${SQL_HELP}`, EXIT.usage);
  const params: Record<string, string> = declaredParams(query);
  for (const p of values.param) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`--param expects name=value, got "${p}"`, EXIT.usage);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const endpoints = currentEndpoints(stackConfig());
  const url = values.write
    ? endpoints.clickhouse.url
    : (endpoints.clickhouse.analyst_url ?? endpoints.clickhouse.url);
  const format = values.json
    ? 'JSON'
    : (values.format ?? (process.stdout.isTTY ? 'PrettyCompactMonoBlock' : 'TSVWithNames'));
  const client = createClickHouse({ url, log, database: values.database ?? endpoints.clickhouse.database });
  try {
    const result = await client.exec({
      query,
      query_params: params,
      clickhouse_settings: { default_format: format as 'JSON' },
    });
    for await (const chunk of result.stream) process.stdout.write(chunk as Buffer);
    return EXIT.ok;
  } catch (err) {
    throw new CliError(`query failed: ${(err as Error).message}`, EXIT.failed);
  } finally {
    await client.close();
  }
}

function readQueryFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the query file ${file}: ${(err as Error).message}`, EXIT.usage);
  }
}

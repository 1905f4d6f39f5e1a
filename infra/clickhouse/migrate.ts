/**
 * Applies the versioned SQL migrations in infra/clickhouse/migrations (NNNN_<what>.sql) to one
 * database, in order, once each. Applied versions and their checksums are recorded in
 * `schema_migrations`; running again applies only what is new, and a changed file that was
 * already applied is an error (write a new migration instead).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../services/shared/logger.ts';
import { createClickHouse } from '../../services/shared/clickhouse.ts';
import { clusterStatement } from './cluster.ts';
import type { ClickHouseClient } from '@clickhouse/client';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

/** Splits a migration file into statements (`;` at the end of a line ends one). */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((l) => !/^\s*--/.test(l))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The migrations on disk, ordered by version. @throws on a badly named or duplicated file. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const seen = new Set<number>();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!m?.[1] || !m[2]) throw new Error(`migration file ${file} must be named NNNN_<what>.sql`);
      const version = Number(m[1]);
      if (seen.has(version)) throw new Error(`two migrations have version ${version}`);
      seen.add(version);
      const text = readFileSync(path.join(dir, file), 'utf8');
      return {
        version,
        name: m[2],
        checksum: createHash('sha256').update(text).digest('hex'),
        statements: splitStatements(text),
      };
    });
}

/**
 * Brings `database` at `url` up to date (the URL's user must be allowed DDL). Returns the
 * versions applied now.
 * @throws when an applied migration's file changed, or a statement fails (the failed migration
 * is not recorded, so it runs again next time; statements use IF NOT EXISTS to allow that).
 */
export async function migrate(opts: {
  url: string;
  database: string;
  log: Logger;
  /** Apply the cluster form of every statement on this cluster (see cluster.ts). */
  cluster?: string;
}): Promise<number[]> {
  const { database, log } = opts;
  const form = (statement: string): string =>
    opts.cluster ? clusterStatement(statement, opts.cluster) : statement;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`invalid database name ${database}`);
  const admin = createClickHouse({ url: opts.url, log, database: 'default' });
  try {
    await admin.command({ query: form(`CREATE DATABASE IF NOT EXISTS ${database}`) });
  } finally {
    await admin.close();
  }
  const client = createClickHouse({ url: opts.url, log, database });
  try {
    return await applyAll(client, database, log, form);
  } finally {
    await client.close();
  }
}

async function applyAll(
  client: ClickHouseClient,
  database: string,
  log: Logger,
  form: (statement: string) => string,
): Promise<number[]> {
  await client.command({
    query: form(`CREATE TABLE IF NOT EXISTS ${database}.schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ReplacingMergeTree ORDER BY version`),
  });
  const rs = await client.query({
    query: `SELECT version, checksum FROM ${database}.schema_migrations FINAL`,
    format: 'JSONEachRow',
  });
  const applied = new Map(
    (await rs.json<{ version: number; checksum: string }>()).map((r) => [Number(r.version), r.checksum]),
  );
  const done: number[] = [];
  for (const m of loadMigrations()) {
    const prior = applied.get(m.version);
    if (prior !== undefined) {
      if (prior !== m.checksum) {
        throw new Error(
          `migration ${m.version}_${m.name} was changed after it was applied to ${database}; add a new migration instead`,
        );
      }
      continue;
    }
    log.info({ database, version: m.version, name: m.name }, 'applying migration');
    for (const statement of m.statements) {
      await client.command({ query: form(statement) });
    }
    await client.insert({
      table: `${database}.schema_migrations`,
      values: [{ version: m.version, name: m.name, checksum: m.checksum }],
      format: 'JSONEachRow',
    });
    done.push(m.version);
  }
  return done;
}

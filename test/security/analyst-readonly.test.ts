/**
 * The read-only analyst of the local ClickHouse (chdb behind our HTTP gateway), beyond what
 * test/integration/clickhouse-http.test.ts covers (INSERT, CREATE, DROP, TRUNCATE, ALTER DELETE,
 * lifting readonly by SET / URL / SETTINGS, file() and url()): every other way to write, to lift
 * readonly, to reach files, URLs, servers or programs, and to read users, grants or any secret of
 * the stack (the writer's and the analyst's passwords, the ingestion HMAC key) is refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../infra/local/config.ts';
import { stackEndpoints, uniqueSuffix } from '../helpers/stack.ts';

interface Reply {
  status: number;
  code: string | null;
  text: string;
}

function credentials(url: string): { user: string; password: string } {
  const u = new URL(url);
  return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

function analystUrl(): string {
  const url = stackEndpoints().clickhouse.analyst_url;
  if (!url) throw new Error('the stack has no analyst user (external ClickHouse?)');
  return url;
}

/** One request as curl would send it: the statement as body, settings as URL parameters. */
async function post(
  who: 'analyst' | 'writer',
  sql: string,
  params: Record<string, string> = {},
): Promise<Reply> {
  const e = stackEndpoints().clickhouse;
  const { user, password } = credentials(who === 'analyst' ? analystUrl() : e.url);
  const url = new URL('/', e.endpoint);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    body: sql,
  });
  return { status: res.status, code: res.headers.get('x-clickhouse-exception-code'), text: await res.text() };
}

/** The stack's secrets: no answer to the analyst may contain one. */
function secrets(): string[] {
  const e = stackEndpoints().clickhouse;
  const out = [credentials(e.url).password, credentials(analystUrl()).password];
  const keyFile = path.join(loadStackConfig().cacheDir, 'local-hmac.key');
  if (existsSync(keyFile)) out.push(readFileSync(keyFile, 'utf8').trim());
  return out.filter((s) => s.length >= 8);
}

function expectRefused(r: Reply, what: string): void {
  expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  for (const s of secrets()) expect(r.text.includes(s), `${what} shows a secret`).toBe(false);
}

let db: string;
const dir = mkdtempSync(path.join(tmpdir(), 'analyst-readonly-'));

beforeAll(async () => {
  db = `analyst_ro_${uniqueSuffix()}`;
  for (const sql of [
    `CREATE DATABASE ${db}`,
    `CREATE TABLE ${db}.facts (x UInt8) ENGINE = MergeTree ORDER BY x`,
    `CREATE TABLE ${db}.other (x UInt8) ENGINE = MergeTree ORDER BY x`,
    `INSERT INTO ${db}.facts VALUES (1)`,
  ]) {
    const r = await post('writer', sql);
    expect(r.status, `${sql}: ${r.text}`).toBe(200);
  }
});
afterAll(async () => {
  await post('writer', `DROP DATABASE IF EXISTS ${db}`);
  rmSync(dir, { recursive: true, force: true });
});

describe('the read-only analyst', () => {
  it('cannot write by any statement, and nothing changes', async () => {
    const fn = `analyst_fn_${uniqueSuffix()}`;
    const user = `analyst_user_${uniqueSuffix()}`;
    for (const sql of [
      `ALTER TABLE ${db}.facts ADD COLUMN y UInt8`,
      `ALTER TABLE ${db}.facts UPDATE x = 2 WHERE 1`,
      `ALTER TABLE ${db}.facts DROP PARTITION tuple()`,
      `DELETE FROM ${db}.facts WHERE 1`,
      `RENAME TABLE ${db}.facts TO ${db}.renamed`,
      `EXCHANGE TABLES ${db}.facts AND ${db}.other`,
      `OPTIMIZE TABLE ${db}.facts FINAL`,
      `DETACH TABLE ${db}.facts`,
      `CREATE VIEW ${db}.by_analyst AS SELECT 1`,
      `CREATE MATERIALIZED VIEW ${db}.mv_by_analyst ENGINE = Memory AS SELECT * FROM ${db}.facts`,
      `CREATE FUNCTION ${fn} AS (x) -> x + 1`,
      `CREATE USER ${user} IDENTIFIED BY 'not-a-password'`,
      `GRANT ALL ON *.* TO ${user}`,
      'SYSTEM DROP DNS CACHE',
      'SYSTEM FLUSH LOGS',
      `INSERT INTO FUNCTION file('${path.join(dir, 'by-function.tsv')}', 'TSV') SELECT 1`,
      `INSERT INTO ${db}.facts SELECT number FROM numbers(3)`,
    ]) {
      expectRefused(await post('analyst', sql), sql);
    }
    const state = await post(
      'writer',
      `SELECT (SELECT groupArray(x) FROM ${db}.facts) AS facts, (SELECT groupArray(name) FROM system.tables WHERE database = '${db}') AS tables, (SELECT count() FROM system.functions WHERE name = '${fn}') AS fns FORMAT JSONEachRow`,
    );
    expect(JSON.parse(state.text)).toEqual({ facts: [1], tables: ['facts', 'other'], fns: '0' });
    expect(existsSync(path.join(dir, 'by-function.tsv'))).toBe(false);
  });

  /*
   * chdb would run `SELECT … INTO OUTFILE` on the gateway's host for any user, letting the
   * read-only analyst create, truncate and append to files; the gateway refuses it for everyone.
   */
  it('cannot write files on the gateway host with SELECT … INTO OUTFILE', async () => {
    const created = path.join(dir, 'into-outfile.txt');
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'original\n');
    expectRefused(
      await post('analyst', `SELECT 'written by the analyst' INTO OUTFILE '${created}'`),
      'INTO OUTFILE',
    );
    expectRefused(
      await post('analyst', `SELECT 'overwritten' INTO OUTFILE '${victim}' TRUNCATE`),
      'INTO OUTFILE … TRUNCATE',
    );
    expectRefused(
      await post('analyst', `SELECT 'appended' INTO OUTFILE '${victim}' APPEND`),
      'INTO OUTFILE … APPEND',
    );
    expect(existsSync(created)).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('original\n');
  });

  it('cannot lift readonly: not by other settings, SET, URL settings or a session shared with the writer', async () => {
    const create = `CREATE TABLE ${db}.lifted (x UInt8) ENGINE = Memory`;
    const tries: Record<string, string>[] = [
      { readonly: '2' },
      { readonly: '0', allow_ddl: '1' },
      { allow_ddl: '1' },
      { profile: 'default' },
      { user: 'default' },
    ];
    for (const params of tries) {
      expectRefused(await post('analyst', create, params), `${create} with ${JSON.stringify(params)}`);
    }
    expectRefused(await post('analyst', `${create} SETTINGS readonly = 2`), 'a SETTINGS clause');
    expectRefused(await post('analyst', 'SET readonly = 2'), 'SET readonly = 2');
    // A session the writer opened (and changed) is not the analyst's to use.
    const session = `analyst-session-${uniqueSuffix()}`;
    await post('writer', 'SET max_threads = 1', { session_id: session });
    expectRefused(await post('analyst', create, { session_id: session }), 'a shared session_id');
    // Settings the analyst may change (chdb lets a readonly=1 session SET them) reopen nothing,
    // in that request or the next.
    for (const set of ['SET allow_ddl = 1', "SET profile = 'default'"]) {
      expect((await post('analyst', set)).status, set).toBeLessThan(500);
      expectRefused(await post('analyst', create), `CREATE after ${set}`);
    }
    expect((await post('analyst', "SELECT getSetting('readonly')")).text).toBe('1\n');
    const exists = await post('writer', `EXISTS TABLE ${db}.lifted`);
    expect(exists.text).toBe('0\n');
  });

  it('cannot reach files, URLs, other servers or programs through any table function', async () => {
    const e = stackEndpoints();
    const cfg = loadStackConfig();
    const files = [
      path.join(cfg.stateDir, 'test', 'stack.json'),
      path.join(cfg.cacheDir, 'local-hmac.key'),
      '/proc/self/environ',
      '/proc/self/cmdline',
    ];
    const ch = new URL(e.clickhouse.endpoint);
    for (const sql of [
      ...files.map((f) => `SELECT * FROM file('${f}', 'RawBLOB')`),
      ...files.map((f) => `SELECT * FROM file('${f}', 'LineAsString')`),
      `SELECT * FROM url('${e.clickhouse.endpoint}/?query=SELECT%201', 'LineAsString')`,
      `SELECT * FROM remote('${ch.host}', system.one)`,
      `SELECT * FROM remote('127.0.0.1:9000', system.one)`,
      `SELECT * FROM remoteSecure('127.0.0.1:9440', system.one)`,
      `SELECT * FROM s3('${e.clickhouse.endpoint}/x.csv', 'CSV', 'x String')`,
      "SELECT * FROM executable('cat /etc/passwd', 'TSV', 'x String')",
      "SELECT * FROM mysql('127.0.0.1:3306', 'db', 't', 'u', 'p')",
      "SELECT * FROM postgresql('127.0.0.1:5432', 'db', 't', 'u', 'p')",
      "SELECT * FROM sqlite('/etc/passwd', 't')",
      "SELECT * FROM hdfs('hdfs://127.0.0.1:9000/x', 'TSV', 'x String')",
      "SELECT * FROM dictionary('x')",
      `SELECT * FROM file('${path.join(dir, '*')}', 'LineAsString')`,
    ]) {
      const r = await post('analyst', sql);
      expectRefused(r, sql);
      expect(r.text, sql).not.toContain('root:');
      expect(r.text, sql).not.toMatch(/CLICKHOUSE_\w+_PASSWORD/);
    }
  });

  it('cannot read users, grants or password hashes, and no system table shows a secret', async () => {
    for (const sql of [
      'SELECT * FROM system.users',
      'SELECT name, auth_type, auth_params FROM system.users',
      'SHOW USERS',
      'SHOW CREATE USER default',
      'SHOW CREATE USER analyst',
      'SHOW ACCESS',
      'SELECT * FROM system.grants',
      'SELECT * FROM system.role_grants',
      'SELECT * FROM system.settings_profiles',
      'SELECT * FROM system.quotas',
    ]) {
      expectRefused(await post('analyst', sql), sql);
    }
    // Everything the analyst can read of the system tables holds none of the stack's secrets.
    // (`models` asks a library bridge that does not exist and times out after two minutes.)
    const names = (
      await post('analyst', "SELECT name FROM system.tables WHERE database = 'system' FORMAT TSV")
    ).text
      .trim()
      .split('\n')
      .filter((n) => n !== 'models');
    expect(names.length).toBeGreaterThan(50);
    expect(secrets().length).toBeGreaterThanOrEqual(2);
    let readable = 0;
    for (const name of names) {
      const r = await post('analyst', `SELECT * FROM system.${name} LIMIT 2000 FORMAT JSONEachRow`);
      if (r.status === 200) readable++;
      for (const s of secrets()) expect(r.text.includes(s), `system.${name} shows a secret`).toBe(false);
    }
    expect(readable).toBeGreaterThan(50);
    const settings = await post('analyst', 'SELECT name, value FROM system.settings FORMAT JSONEachRow');
    expect(settings.status).toBe(200);
    for (const s of secrets()) expect(settings.text.includes(s)).toBe(false);
  }, 300_000);
});

/**
 * Per-request isolation of the local ClickHouse, on a private gateway of its own (these tests
 * deliberately try to leave state behind, so they stay away from the shared test stack): what
 * one request sets, binds or creates for itself must not be seen by the next, as on a server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@clickhouse/client';
import { startClickHouse, type LocalClickHouse } from '../../infra/local/clickhouse.ts';
import { unescapeTsv } from '../../infra/local/clickhouse/sql-text.ts';
import { silentLogger } from '../../services/shared/logger.ts';

let ch: LocalClickHouse;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ch-isolation-'));
  ch = await startClickHouse({ stateDir: dir, log: silentLogger });
});
afterAll(async () => {
  await ch?.process.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The private gateway (one for the file: each test also checks it was left clean). */
function fresh(): Promise<LocalClickHouse> {
  return Promise.resolve(ch);
}

function auth(url: string): Record<string, string> {
  const u = new URL(url);
  return {
    Authorization: `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`,
  };
}

async function post(c: LocalClickHouse, body: string, params: Record<string, string> = {}) {
  const url = new URL('/', c.endpoint);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: 'POST', headers: auth(c.url), body });
  return { status: res.status, code: res.headers.get('x-clickhouse-exception-code'), text: await res.text() };
}
async function get(c: LocalClickHouse, query: string, params: Record<string, string> = {}) {
  const url = new URL('/', c.endpoint);
  url.searchParams.set('query', query);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { headers: auth(c.url) });
  return { status: res.status, code: res.headers.get('x-clickhouse-exception-code'), text: await res.text() };
}

describe('settings with result limits stay with their request', () => {
  it('later requests without the settings are not limited', async () => {
    const c = await fresh();
    const limited = await post(c, 'SELECT number FROM system.numbers LIMIT 10', {
      max_result_rows: '2',
      result_overflow_mode: 'throw',
    });
    expect(limited.code).toBe('396');
    // A server forgets per-request settings: this must return 10 rows.
    const after = await post(c, 'SELECT number FROM system.numbers LIMIT 10');
    expect(after.status, after.text).toBe(200);
    expect(await post(c, "SELECT getSetting('max_result_rows')")).toMatchObject({ text: '0\n' });
  });
  it('a SET statement with a result limit does not outlive its request', async () => {
    const c = await fresh();
    expect((await post(c, 'SET max_result_rows = 1')).status).toBe(200);
    const after = await post(c, 'SELECT number FROM system.numbers LIMIT 3');
    expect(after.status, after.text).toBe(200);
  });
});

describe('Array and Map query parameters', () => {
  it('Array(String) with a quote, backslash or tab round-trips through @clickhouse/client', async () => {
    const c = await fresh();
    const client = createClient({ url: c.url, log: { level: 127 } });
    try {
      const a = ["it's", 'back\\slash', 'tab\there', 'new\nline'];
      const rs = await client.query({
        query: 'SELECT {a:Array(String)} AS a',
        query_params: { a },
        format: 'JSONEachRow',
      });
      expect(await rs.json()).toEqual([{ a }]);
    } finally {
      await client.close();
    }
  });
  it('Map(String, UInt8) with a quote in a key round-trips', async () => {
    const c = await fresh();
    const client = createClient({ url: c.url, log: { level: 127 } });
    try {
      const rs = await client.query({
        query: 'SELECT {m:Map(String, UInt8)} AS m',
        query_params: { m: { "a'b": 1 } },
        format: 'JSONEachRow',
      });
      expect(await rs.json()).toEqual([{ m: { "a'b": 1 } }]);
    } finally {
      await client.close();
    }
  });
});

describe('GET by the writer is read-only but takes settings (readonly=2)', () => {
  it('GET accepts settings as URL parameters', async () => {
    const c = await fresh();
    const r = await get(c, "SELECT getSetting('max_threads')", { max_threads: '1' });
    expect(r, r.text).toMatchObject({ status: 200, text: '1\n' });
  });
});

describe('GET by the writer reports errors as a server does', () => {
  it('GET SELEKT 1 is 400 / code 62', async () => {
    const c = await fresh();
    const r = await get(c, 'SELEKT 1');
    expect({ status: r.status, code: r.code }, r.text).toEqual({ status: 400, code: '62' });
  });
});

describe('temporary tables live for one request without a session', () => {
  it('a temporary table made by one request is gone in the next (no session_id)', async () => {
    const c = await fresh();
    expect((await post(c, 'CREATE TEMPORARY TABLE tmp_x (a UInt8)')).status).toBe(200);
    const r = await post(c, 'SELECT count() FROM tmp_x');
    expect({ status: r.status, code: r.code }, r.text).toEqual({ status: 404, code: '60' });
  });
});

describe('\\xHH in a String parameter is a byte', () => {
  it('unescapeTsv decodes \\xC3\\xA9 as é (bytes C3 A9)', () => {
    expect(unescapeTsv('\\xC3\\xA9')).toBe('é');
  });
  it('over HTTP, param_s=\\xC3\\xA9 is the two bytes C3 A9', async () => {
    const c = await fresh();
    const r = await post(c, 'SELECT hex({s:String})', { param_s: '\\xC3\\xA9' });
    expect(r.text).toBe('C3A9\n');
  });
});

describe('inserts run on lanes of their own', () => {
  it('an insert finishes while every writer lane is busy with a long query', async () => {
    const c = await fresh();
    const client = createClient({ url: c.url, log: { level: 127 } });
    try {
      await client.command({ query: 'CREATE TABLE lanes_t (n UInt32) ENGINE = MergeTree ORDER BY n' });
      const finished: string[] = [];
      // Two slow queries: one on each of the gateway's two writer lanes (its default).
      const slow = [1, 2].map((i) =>
        client
          .query({ query: 'SELECT sum(sleepEachRow(1)) FROM numbers(2)', format: 'JSONEachRow' })
          .then((rs) => rs.json())
          .then(() => finished.push(`query ${i}`)),
      );
      await client.insert({ table: 'lanes_t', values: [{ n: 1 }], format: 'JSONEachRow' });
      finished.push('insert');
      await Promise.all(slow);
      expect(finished[0]).toBe('insert');
      const rs = await client.query({ query: 'SELECT count() AS n FROM lanes_t', format: 'JSONEachRow' });
      expect(await rs.json()).toEqual([{ n: '1' }]);
    } finally {
      await client.command({ query: 'DROP TABLE IF EXISTS lanes_t' });
      await client.close();
    }
  });
});

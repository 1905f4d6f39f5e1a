/**
 * The local ClickHouse (chdb behind our HTTP gateway) must behave like a ClickHouse server to
 * real clients: curl-style HTTP requests (plain fetch) and @clickhouse/client. Every object a
 * test creates lives in its own fresh database.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseError, ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { freshDatabase, stackEndpoints, uniqueSuffix } from '../helpers/stack.ts';
import { prng, randomString } from '../helpers/random.ts';

type Who = 'writer' | 'analyst' | 'nobody' | { user: string; password: string };

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

const clients: ClickHouseClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

function credentialsOf(url: string): { user: string; password: string } {
  const u = new URL(url);
  return { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

function basicAuth(who: Who): Record<string, string> {
  if (who === 'nobody') return {};
  const e = stackEndpoints().clickhouse;
  let creds: { user: string; password: string };
  if (who === 'writer') creds = credentialsOf(e.url);
  else if (who === 'analyst') creds = credentialsOf(analystUrl());
  else creds = who;
  return { Authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}` };
}

function analystUrl(): string {
  const url = stackEndpoints().clickhouse.analyst_url;
  if (!url) throw new Error('the stack has no analyst user (external ClickHouse?)');
  return url;
}

/** One HTTP request to the interface, as curl would send it (fetch refuses credentials in URLs). */
async function request(
  method: 'GET' | 'POST',
  params: Record<string, string>,
  opts: { body?: string | Buffer; who?: Who; headers?: Record<string, string>; path?: string } = {},
): Promise<Reply> {
  const url = new URL(opts.path ?? '/', stackEndpoints().clickhouse.endpoint);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method,
    headers: { ...basicAuth(opts.who ?? 'writer'), ...opts.headers },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const get = (query: string, params: Record<string, string> = {}, who: Who = 'writer'): Promise<Reply> =>
  request('GET', { query, ...params }, { who });

const post = (body: string, params: Record<string, string> = {}, who: Who = 'writer'): Promise<Reply> =>
  request('POST', params, { body, who });

/** Asserts a server-style error: status, X-ClickHouse-Exception-Code, and the `Code: N. DB::Exception:` body. */
function expectServerError(reply: Reply, status: number, code: number): void {
  expect(
    { status: reply.status, code: reply.headers.get('x-clickhouse-exception-code') },
    reply.text,
  ).toEqual({
    status,
    code: String(code),
  });
  expect(reply.text).toMatch(new RegExp(`^Code: ${code}\\. DB::Exception: `));
  expect(reply.text.endsWith('\n')).toBe(true);
}

/** A @clickhouse/client as an application would create it (no project-specific settings). */
function client(url: string, extra: Parameters<typeof createClient>[0] = {}): ClickHouseClient {
  const c = createClient({ url, log: { level: ClickHouseLogLevel.OFF }, ...extra });
  clients.push(c);
  return c;
}

const writer = (extra: Parameters<typeof createClient>[0] = {}): ClickHouseClient =>
  client(stackEndpoints().clickhouse.url, extra);

/** A fresh database (migrated) for one test; its project client is closed after the file. */
async function database(): Promise<string> {
  const { database: db, client: c } = await freshDatabase('chhttp');
  clients.push(c);
  return db;
}

/** Rejection of a client promise as a ClickHouseError with `code`/`type`. */
async function expectClientError(p: Promise<unknown>, code: number, type?: string): Promise<ClickHouseError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClickHouseError);
  const ch = err as ClickHouseError;
  expect(ch.code).toBe(String(code));
  if (type) expect(ch.type).toBe(type);
  return ch;
}

/** Characters that are special to SQL, TSV escaping, URLs or UTF-8. */
const NASTY = [
  ...'ab xyzN019',
  "'",
  '"',
  '`',
  '\\',
  '\t',
  '\n',
  '\r',
  '\0',
  '\b',
  '\f',
  '\x07',
  ';',
  '-',
  '{',
  '}',
  ':',
  '%',
  '&',
  '=',
  '+',
  '#',
  '?',
  '/',
  'é',
  'Ж',
  '中',
  '😀',
  '\u2028',
];

describe('the local ClickHouse HTTP interface', () => {
  it('answers SELECT 1 by GET with ?query= and by POST with the query as body, like curl', async () => {
    const byGet = await get('SELECT 1');
    expect(byGet.status).toBe(200);
    expect(byGet.text).toBe('1\n');
    expect(byGet.headers.get('x-clickhouse-format')).toBe('TabSeparated');
    expect(byGet.headers.get('content-type')).toMatch(/^text\/tab-separated-values/);

    const byPost = await post('SELECT 1');
    expect(byPost.status).toBe(200);
    expect(byPost.text).toBe('1\n');

    // A trailing `;` is one statement, as on a server.
    expect((await post('SELECT 1;\n')).text).toBe('1\n');
    expect((await post("SELECT ';' AS semicolon")).text).toBe(';\n');
  });

  it('answers /ping with Ok. without credentials', async () => {
    const res = await fetch(new URL('/ping', stackEndpoints().clickhouse.endpoint));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Ok.\n');
    expect(await writer().ping()).toEqual({ success: true });
  });

  it('refuses a wrong password or no credentials with 401 and code 516', async () => {
    const { user } = credentialsOf(stackEndpoints().clickhouse.url);
    expectServerError(await get('SELECT 1', {}, { user, password: 'not-the-password' }), 401, 516);
    expectServerError(await post('SELECT 1', {}, { user: 'no_such_user', password: 'x' }), 401, 516);
    expectServerError(await post('SELECT 1', {}, 'nobody'), 401, 516);
    const analyst = credentialsOf(analystUrl());
    expectServerError(await get('SELECT 1', {}, { user: analyst.user, password: 'wrong' }), 401, 516);

    const bad = client(stackEndpoints().clickhouse.endpoint, {
      username: user,
      password: 'not-the-password',
    });
    const err = await expectClientError(bad.query({ query: 'SELECT 1' }), 516, 'AUTHENTICATION_FAILED');
    expect(err.message).toContain('Authentication failed');
  });

  it('reports an unknown table as 404 with code 60, and the client error has type UNKNOWN_TABLE', async () => {
    const table = `no_such_table_${uniqueSuffix()}`;
    expectServerError(await post(`SELECT * FROM ${table}`), 404, 60);
    const err = await expectClientError(
      writer().query({ query: `SELECT * FROM ${table}` }),
      60,
      'UNKNOWN_TABLE',
    );
    expect(err.message).toContain(table);
  });

  it('reports a syntax error as 400 with code 62', async () => {
    expectServerError(await post('SELEKT 1'), 400, 62);
    expectServerError(await post('SELECT (1'), 400, 62);
    // (The client takes the error type from the message, which quotes the bad SQL: check the code.)
    await expectClientError(writer().query({ query: 'SELECT FROM WHERE' }), 62);
  });

  it('rejects several statements in one request with code 62', async () => {
    expectServerError(await post('SELECT 1; SELECT 2'), 400, 62);
    expectServerError(await get('SELECT 1; SELECT 2'), 400, 62);
    expectServerError(await post("SELECT ';'; SELECT 2"), 400, 62);
    await expectClientError(writer().query({ query: 'SELECT 1; SELECT 2' }), 62, 'SYNTAX_ERROR');
  });

  it('treats GET as read-only for the writer: INSERT and CREATE get 403 with code 164', async () => {
    const db = await database();
    await writer().command({ query: `CREATE TABLE ${db}.t (x UInt8) ENGINE = MergeTree ORDER BY x` });

    const insert = await get(`INSERT INTO ${db}.t VALUES (1)`);
    expectServerError(insert, 403, 164);
    expect(insert.text).toMatch(/method GET implies readonly/);
    expectServerError(await get(`CREATE TABLE ${db}.made_by_get (x UInt8) ENGINE = Memory`), 403, 164);
    expectServerError(await get(`DROP TABLE ${db}.t`), 403, 164);

    // Nothing happened.
    expect((await post(`SELECT count() FROM ${db}.t`)).text).toBe('0\n');
    expect((await post(`EXISTS TABLE ${db}.made_by_get`)).text).toBe('0\n');
    // The same statements by POST work.
    expect((await post(`INSERT INTO ${db}.t VALUES (1)`)).status).toBe(200);
    expect((await get(`SELECT count() FROM ${db}.t`)).text).toBe('1\n');
  });

  it('echoes a given query id and sends X-ClickHouse-Format and X-ClickHouse-Summary', async () => {
    const queryId = `chhttp-${uniqueSuffix()}`;
    const reply = await request('GET', {
      query: 'SELECT number FROM system.numbers LIMIT 3',
      query_id: queryId,
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('0\n1\n2\n');
    expect(reply.headers.get('x-clickhouse-query-id')).toBe(queryId);
    expect(reply.headers.get('x-clickhouse-format')).toBe('TabSeparated');
    const summary = JSON.parse(reply.headers.get('x-clickhouse-summary') ?? 'null') as Record<
      string,
      unknown
    >;
    for (const field of ['read_rows', 'read_bytes', 'written_rows', 'written_bytes', 'elapsed_ns']) {
      expect(typeof summary[field], field).toBe('string');
      expect(summary[field]).toMatch(/^\d+$/);
    }

    // Without one, each request gets its own.
    const a = (await get('SELECT 1')).headers.get('x-clickhouse-query-id');
    const b = (await get('SELECT 1')).headers.get('x-clickhouse-query-id');
    expect(a).toBeTruthy();
    expect(a).not.toBe(b);

    // Errors carry the query id too.
    const failedId = `chhttp-failed-${uniqueSuffix()}`;
    const failed = await request('POST', { query_id: failedId }, { body: 'SELEKT 1' });
    expect(failed.headers.get('x-clickhouse-query-id')).toBe(failedId);

    const clientId = `chhttp-client-${uniqueSuffix()}`;
    const rs = await writer().query({ query: 'SELECT 1', query_id: clientId, format: 'JSONEachRow' });
    expect(rs.query_id).toBe(clientId);
    expect(rs.response_headers['x-clickhouse-query-id']).toBe(clientId);
    expect(await rs.json()).toEqual([{ 1: 1 }]);
  });

  it('uses the FORMAT clause, else default_format or the X-ClickHouse-Format header, else TabSeparated', async () => {
    const clause = await post("SELECT 1 AS x, 'a' AS s FORMAT JSONEachRow");
    expect(clause.text).toBe('{"x":1,"s":"a"}\n');
    expect(clause.headers.get('x-clickhouse-format')).toBe('JSONEachRow');
    expect(clause.headers.get('content-type')).toMatch(/^application\/x-ndjson/);

    const byParam = await post("SELECT 1 AS x, 'a' AS s", { default_format: 'CSVWithNames' });
    expect(byParam.text).toBe('"x","s"\n1,"a"\n');
    expect(byParam.headers.get('x-clickhouse-format')).toBe('CSVWithNames');
    expect(byParam.headers.get('content-type')).toMatch(/^text\/csv/);

    const clauseWins = await post('SELECT 1 AS x FORMAT JSONEachRow', { default_format: 'CSV' });
    expect(clauseWins.text).toBe('{"x":1}\n');
    expect(clauseWins.headers.get('x-clickhouse-format')).toBe('JSONEachRow');

    const byHeader = await request(
      'POST',
      {},
      { body: 'SELECT 2 AS y', headers: { 'X-ClickHouse-Format': 'JSONCompactEachRow' } },
    );
    expect(byHeader.text).toBe('[2]\n');

    const json = await post('SELECT 1 AS x FORMAT JSON');
    const doc = JSON.parse(json.text) as { meta: unknown; data: unknown; rows: number };
    expect(doc.meta).toEqual([{ name: 'x', type: 'UInt8' }]);
    expect(doc.data).toEqual([{ x: 1 }]);
    expect(doc.rows).toBe(1);

    // A FORMAT inside a string is not a FORMAT clause.
    expect((await post("SELECT 'FORMAT JSON' AS s")).text).toBe('FORMAT JSON\n');
  });

  it('selects the database with the database URL parameter', async () => {
    const db = await database();
    const w = writer();
    await w.command({ query: `CREATE TABLE ${db}.local_only (id UInt32, label String) ENGINE = Memory` });
    await w.command({ query: `INSERT INTO ${db}.local_only VALUES (1, 'one'), (2, 'two')` });

    const unqualified = 'SELECT count() FROM local_only';
    expect((await post(unqualified, { database: db })).text).toBe('2\n');
    expect((await get(unqualified, { database: db })).text).toBe('2\n');
    expect((await post('SELECT currentDatabase()', { database: db })).text).toBe(`${db}\n`);
    // Without it, the default database: the table is not there.
    expectServerError(await post(unqualified), 404, 60);
    expect((await post('SELECT currentDatabase()')).text).toBe('default\n');
    // A header works as well, and an unknown database is 81.
    const byHeader = await request(
      'POST',
      {},
      { body: unqualified, headers: { 'X-ClickHouse-Database': db } },
    );
    expect(byHeader.text).toBe('2\n');
    expectServerError(await post('SELECT 1', { database: `no_such_db_${uniqueSuffix()}` }), 404, 81);

    // @clickhouse/client's `database` option is the same URL parameter.
    const rs = await writer({ database: db }).query({
      query: 'SELECT label FROM local_only ORDER BY id',
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ label: 'one' }, { label: 'two' }]);
  });

  it('applies settings given as URL parameters to that request only', async () => {
    const read = async (params: Record<string, string> = {}): Promise<number> =>
      Number((await post("SELECT getSetting('max_threads')", params)).text.trim());
    const defaultThreads = await read();
    expect(defaultThreads).toBeGreaterThan(0);
    const other = defaultThreads === 1 ? 2 : 1;

    expect(await read({ max_threads: String(other) })).toBe(other);
    expect(await read()).toBe(defaultThreads);
    // Many at once, so every engine connection is exercised, alternating with and without.
    const mixed = await Promise.all(
      Array.from({ length: 12 }, (_, i) => read(i % 2 === 0 ? { max_threads: String(other) } : {})),
    );
    expect(mixed).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? other : defaultThreads)));
    expect(await Promise.all(Array.from({ length: 6 }, () => read()))).toEqual(Array(6).fill(defaultThreads));

    // The same through @clickhouse/client's clickhouse_settings.
    const w = writer();
    const withSetting = await w.query({
      query: "SELECT getSetting('max_threads') AS m",
      clickhouse_settings: { max_threads: other },
      format: 'JSONEachRow',
    });
    expect((await withSetting.json<{ m: unknown }>()).map((r) => Number(r.m))).toEqual([other]);
    const without = await w.query({ query: "SELECT getSetting('max_threads') AS m", format: 'JSONEachRow' });
    expect((await without.json<{ m: unknown }>()).map((r) => Number(r.m))).toEqual([defaultThreads]);

    // A setting that changes results proves it is applied, not just reported.
    const at = "SELECT toDateTime('2024-10-19 14:00:00', 'UTC')";
    expect((await post(at, { date_time_output_format: 'iso' })).text).toBe('2024-10-19T14:00:00Z\n');
    expect((await post(at)).text).toBe('2024-10-19 14:00:00\n');
  });

  it('does not let a SET statement leak into later requests', async () => {
    const read = async (): Promise<string> => (await post("SELECT getSetting('max_threads')")).text;
    const before = await read();
    const other = before.trim() === '1' ? '2' : '1';
    const set = await post(`SET max_threads = ${other}`);
    expect(set.status).toBe(200);
    expect(await read()).toBe(before);
    expect(await Promise.all(Array.from({ length: 8 }, read))).toEqual(Array(8).fill(before));

    // Nor a SET through the client's command().
    await writer().command({ query: `SET max_threads = ${other}` });
    expect(await Promise.all(Array.from({ length: 8 }, read))).toEqual(Array(8).fill(before));

    // Nor a setting changed by a request that then failed.
    expectServerError(await post('SELEKT 1', { max_threads: other }), 400, 62);
    expect(await Promise.all(Array.from({ length: 4 }, read))).toEqual(Array(4).fill(before));
  });

  it('round-trips tricky String query parameters from @clickhouse/client exactly', async () => {
    const w = writer();
    const roundTrip = async (s: string): Promise<void> => {
      const rs = await w.query({
        query: 'SELECT {s:String} AS s, length({s:String}) AS bytes, {n:Nullable(String)} AS n',
        query_params: { s, n: s },
        format: 'JSONEachRow',
      });
      const rows = await rs.json<{ s: string; bytes: string; n: string | null }>();
      expect(rows, JSON.stringify(s)).toEqual([{ s, bytes: expect.anything() as unknown, n: s }]);
      expect(Number(rows[0]?.bytes), JSON.stringify(s)).toBe(Buffer.byteLength(s, 'utf8'));
    };
    const fixed = [
      "it's",
      "'; DROP TABLE x; --",
      'back\\slash',
      '\\',
      '\\\\',
      "\\'",
      'tab\there',
      'new\nline',
      'cr\rlf\r\n',
      'nul\0byte',
      '\\N',
      '\\t is not a tab',
      '\\x41 is not A',
      '',
      ' ',
      'unicode ✓ é Ж 中 😀',
      '{s:String}',
      '%20&a=b+c#frag?q',
      '"double" `back`',
    ];
    for (const s of fixed) await roundTrip(s);

    const next = prng(0x5eed);
    for (let i = 0; i < 50; i++) await roundTrip(randomString(next, NASTY, 24));
  });

  it('binds Array, Nullable, 64-bit and DateTime query parameters', async () => {
    const w = writer();
    const one = async <T>(query: string, query_params: Record<string, unknown>): Promise<T> => {
      const rs = await w.query({ query, query_params, format: 'JSONEachRow' });
      const rows = await rs.json<T>();
      expect(rows).toHaveLength(1);
      return rows[0] as T;
    };

    const words = ['plain', 'with space', 'comma,inside', 'ünïcödé 😀', '', 'semi;colon', '{braces}'];
    expect(await one('SELECT {a:Array(String)} AS a, length({a:Array(String)}) AS n', { a: words })).toEqual({
      a: words,
      n: String(words.length),
    });
    expect(await one('SELECT {a:Array(UInt32)} AS a', { a: [3, 1, 2] })).toEqual({ a: [3, 1, 2] });
    expect(await one('SELECT {a:Array(Nullable(String))} AS a', { a: ['x', null] })).toEqual({
      a: ['x', null],
    });

    expect(
      await one('SELECT {n:Nullable(String)} AS n, isNull({n:Nullable(String)}) AS is_null', { n: null }),
    ).toEqual({ n: null, is_null: 1 });
    expect(await one('SELECT {n:Nullable(UInt32)} AS n', { n: null })).toEqual({ n: null });

    const u64max = '18446744073709551615';
    expect(
      await one('SELECT {u:UInt64} AS u, {u:UInt64} = 18446744073709551615 AS eq', { u: BigInt(u64max) }),
    ).toEqual({ u: u64max, eq: 1 });
    expect(await one('SELECT {u:UInt64} AS u', { u: u64max })).toEqual({ u: u64max });
    expect(await one('SELECT {i:Int64} AS i', { i: -9223372036854775808n })).toEqual({
      i: '-9223372036854775808',
    });

    const when = new Date('2024-10-19T14:00:00Z');
    expect(
      await one("SELECT {d:DateTime('UTC')} AS d, toUnixTimestamp({d:DateTime('UTC')}) AS ts", { d: when }),
    ).toEqual({ d: '2024-10-19 14:00:00', ts: when.getTime() / 1000 });
    expect(
      await one("SELECT {d:DateTime64(3, 'UTC')} AS d", { d: new Date('2024-10-19T14:00:00.123Z') }),
    ).toEqual({ d: '2024-10-19 14:00:00.123' });
    expect(await one("SELECT {d:DateTime('UTC')} AS d", { d: '2024-10-19 14:00:00' })).toEqual({
      d: '2024-10-19 14:00:00',
    });

    // A parameter the engine cannot parse as its type is the server's error, not a crash.
    await expectClientError(
      w.query({ query: 'SELECT {u:UInt8} AS u', query_params: { u: 'nope' } }),
      457,
      'BAD_QUERY_PARAMETER',
    );
  });

  it('binds URL param_* values TSV-escaped, as curl users send them', async () => {
    const reply = await post('SELECT {s:String} AS s, {n:Nullable(String)} AS n FORMAT JSONEachRow', {
      param_s: "a\\tb\\nc\\\\d\\'e",
      param_n: '\\N',
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ s: "a\tb\nc\\d'e", n: null });
  });

  it('inserts JSONEachRow through @clickhouse/client into a fresh database', async () => {
    const db = await database();
    const w = writer({ database: db });
    await w.command({
      query:
        "CREATE TABLE people (id UInt32, name String, tags Array(String), at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY id",
    });
    const rows = [
      { id: 1, name: "O'Brien\\", tags: ['a', "b'c"], at: '2024-10-19 14:00:00.123' },
      { id: 2, name: 'tab\tnew\nline', tags: [], at: '2024-10-19 14:00:01.000' },
      { id: 3, name: 'ünï 😀', tags: ['x'], at: '2024-10-19 14:00:02.500' },
    ];
    const result = await w.insert({ table: 'people', values: rows, format: 'JSONEachRow' });
    expect(result.executed).toBe(true);

    const count = await w.query({ query: 'SELECT count() AS n FROM people', format: 'JSONEachRow' });
    expect(await count.json()).toEqual([{ n: '3' }]);
    const back = await w.query({ query: 'SELECT * FROM people ORDER BY id', format: 'JSONEachRow' });
    expect(await back.json()).toEqual(rows);

    // Into a named column list and a qualified table, as the pipeline's insert does.
    await writer().insert({
      table: `${db}.people`,
      values: [{ id: 4, name: 'partial' }],
      columns: ['id', 'name'],
      format: 'JSONEachRow',
    });
    const partial = await w.query({
      query: 'SELECT name, tags FROM people WHERE id = 4',
      format: 'JSONEachRow',
    });
    expect(await partial.json()).toEqual([{ name: 'partial', tags: [] }]);

    // curl-style: the statement in ?query= and the data as body, or both in the body.
    expect(
      (
        await request(
          'POST',
          { query: `INSERT INTO ${db}.people (id, name) FORMAT CSV` },
          { body: '5,"five"\n6,"six"\n' },
        )
      ).status,
    ).toBe(200);
    expect((await post(`INSERT INTO ${db}.people (id, name) FORMAT TabSeparated\n7\tseven\n`)).status).toBe(
      200,
    );
    expect(
      (await post(`SELECT groupArray(name) FROM (SELECT name FROM ${db}.people WHERE id >= 5 ORDER BY id)`))
        .text,
    ).toBe("['five','six','seven']\n");
  });

  it('quotes 64-bit integers in JSON formats, as a server does by default', async () => {
    const sql =
      'SELECT toUInt64(18446744073709551615) AS u64, toInt64(-1) AS i64, toUInt32(7) AS u32, toFloat64(1.5) AS f';
    expect((await post(`${sql} FORMAT JSONEachRow`)).text).toBe(
      '{"u64":"18446744073709551615","i64":"-1","u32":7,"f":1.5}\n',
    );
    const json = JSON.parse((await post(`${sql} FORMAT JSON`)).text) as { data: unknown };
    expect(json.data).toEqual([{ u64: '18446744073709551615', i64: '-1', u32: 7, f: 1.5 }]);
    expect(JSON.parse((await post(`${sql} FORMAT JSONCompactEachRow`)).text)).toEqual([
      '18446744073709551615',
      '-1',
      7,
      1.5,
    ]);

    const viaClient = await writer().query({ query: sql, format: 'JSONEachRow' });
    expect(await viaClient.json()).toEqual([{ u64: '18446744073709551615', i64: '-1', u32: 7, f: 1.5 }]);

    // And the setting can turn it off for one request.
    expect(
      (await post(`${sql} FORMAT JSONEachRow`, { output_format_json_quote_64bit_integers: '0' })).text,
    ).toBe('{"u64":18446744073709551615,"i64":-1,"u32":7,"f":1.5}\n');
  });

  describe('the read-only analyst', () => {
    async function tableWithOneRow(): Promise<string> {
      const db = await database();
      await writer().command({ query: `CREATE TABLE ${db}.facts (x UInt8) ENGINE = MergeTree ORDER BY x` });
      await writer().command({ query: `INSERT INTO ${db}.facts VALUES (1)` });
      return `${db}.facts`;
    }

    it('can SELECT, by POST, by GET and through @clickhouse/client', async () => {
      const table = await tableWithOneRow();
      expect((await post(`SELECT count() FROM ${table}`, {}, 'analyst')).text).toBe('1\n');
      expect((await get(`SELECT count() FROM ${table}`, {}, 'analyst')).text).toBe('1\n');
      const rs = await client(analystUrl()).query({ query: `SELECT x FROM ${table}`, format: 'JSONEachRow' });
      expect(await rs.json()).toEqual([{ x: 1 }]);
    });

    it("reads the pipeline's database when a query names none, as a server's default_database", async () => {
      const pipeline = stackEndpoints().clickhouse.database;
      expect((await post('SELECT currentDatabase()', {}, 'analyst')).text).toBe(`${pipeline}\n`);
      expect((await get('SELECT currentDatabase()', {}, 'analyst')).text).toBe(`${pipeline}\n`);
      expect((await post('SELECT count() > 0 FROM schema_migrations', {}, 'analyst')).text).toBe('1\n');
      // A database the request names still wins; the writer's default stays `default`.
      const named = await request(
        'POST',
        { database: 'system' },
        { body: 'SELECT currentDatabase()', who: 'analyst' },
      );
      expect(named.text).toBe('system\n');
      expect((await post('SELECT currentDatabase()')).text).toBe('default\n');
    });

    it('cannot INSERT, CREATE, DROP, TRUNCATE or ALTER: 403 with code 164, and nothing changes', async () => {
      const table = await tableWithOneRow();
      const db = table.split('.')[0] ?? '';
      for (const sql of [
        `INSERT INTO ${table} VALUES (2)`,
        `CREATE TABLE ${db}.by_analyst (x UInt8) ENGINE = Memory`,
        `CREATE DATABASE analyst_db_${uniqueSuffix()}`,
        `DROP TABLE ${table}`,
        `DROP DATABASE ${db}`,
        `TRUNCATE TABLE ${table}`,
        `ALTER TABLE ${table} DELETE WHERE 1`,
      ]) {
        const reply = await post(sql, {}, 'analyst');
        expectServerError(reply, 403, 164);
        expect(reply.text, sql).toContain('readonly');
      }
      const analyst = client(analystUrl());
      await expectClientError(
        analyst.insert({ table, values: [{ x: 3 }], format: 'JSONEachRow' }),
        164,
        'READONLY',
      );
      await expectClientError(
        analyst.command({ query: `CREATE TABLE ${db}.by_client (x UInt8) ENGINE = Memory` }),
        164,
        'READONLY',
      );
      await expectClientError(analyst.command({ query: `DROP TABLE ${table}` }), 164, 'READONLY');

      expect((await post(`SELECT groupArray(x) FROM ${table}`)).text).toBe('[1]\n');
      expect((await post(`EXISTS TABLE ${db}.by_analyst`)).text).toBe('0\n');
      expect((await post(`EXISTS TABLE ${db}.by_client`)).text).toBe('0\n');
    });

    it('cannot lift readonly: not by SET, a URL setting or a SETTINGS clause', async () => {
      expectServerError(await post('SET readonly = 0', {}, 'analyst'), 403, 164);
      expectServerError(await post("SELECT getSetting('readonly')", { readonly: '0' }, 'analyst'), 403, 164);
      expectServerError(await post('SELECT 1 SETTINGS readonly = 0', {}, 'analyst'), 403, 164);
      expect((await post("SELECT getSetting('readonly')", {}, 'analyst')).text).toBe('1\n');
      await expectClientError(
        client(analystUrl()).query({ query: 'SELECT 1', clickhouse_settings: { readonly: '0' } }),
        164,
        'READONLY',
      );
    });

    it('cannot read files or URLs through table functions', async () => {
      const endpoint = stackEndpoints().clickhouse.endpoint;
      for (const sql of [
        "SELECT * FROM file('/etc/hostname', 'LineAsString')",
        "SELECT * FROM file('/etc/passwd')",
        `SELECT * FROM url('${endpoint}/ping', 'LineAsString')`,
      ]) {
        const reply = await post(sql, {}, 'analyst');
        expectServerError(reply, 403, 164);
        expect(reply.text).not.toContain('root:');
      }
    });
  });

  it('compresses responses (and accepts compressed requests) for @clickhouse/client', async () => {
    const db = await database();
    const gz = writer({ database: db, compression: { response: true, request: true } });
    await gz.command({ query: 'CREATE TABLE squares (n UInt32, sq UInt64) ENGINE = MergeTree ORDER BY n' });
    const values = Array.from({ length: 5_000 }, (_, n) => ({ n, sq: String(n * n) }));
    await gz.insert({ table: 'squares', values, format: 'JSONEachRow' });

    const rs = await gz.query({ query: 'SELECT n, sq FROM squares ORDER BY n', format: 'JSONEachRow' });
    expect(rs.response_headers['content-encoding']).toBe('gzip');
    expect(await rs.json()).toEqual(values);

    const text = await gz.query({ query: 'SELECT sum(n) FROM squares', format: 'TabSeparated' });
    expect(await text.text()).toBe(`${(4_999 * 5_000) / 2}\n`);
  });

  it('lands a large insert completely', async () => {
    const db = await database();
    const w = writer({ database: db });
    await w.command({
      query:
        "CREATE TABLE big (id UInt64, payload String, at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY id",
    });
    const total = 50_000;
    const values = Array.from({ length: total }, (_, i) => ({
      id: i,
      payload: `row ${i} ✓ '${'x'.repeat(i % 50)}\t\\`,
      at: '2024-10-19 14:00:00.000',
    }));
    const result = await w.insert({ table: 'big', values, format: 'JSONEachRow' });
    expect(result.executed).toBe(true);

    const rs = await w.query({
      query:
        "SELECT count() AS n, uniqExact(id) AS ids, sum(id) AS total, min(id) AS lo, max(id) AS hi, countIf(payload LIKE '%✓%') AS marked FROM big",
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([
      {
        n: String(total),
        ids: String(total),
        total: String(((total - 1) * total) / 2),
        lo: '0',
        hi: String(total - 1),
        marked: String(total),
      },
    ]);
    const last = await w.query({
      query: `SELECT payload FROM big WHERE id = ${total - 1}`,
      format: 'JSONEachRow',
    });
    expect(await last.json()).toEqual([{ payload: values[total - 1]?.payload }]);
  });
});

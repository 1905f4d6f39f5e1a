/**
 * What the pipeline keeps, searched for what it must never keep, on a private stack (its own
 * Kafka, Temporal and ClickHouse, with the bridge and the worker running):
 * - the sample campaign's first-party files (payouts, signups, contacts) through the CLI, and the
 *   first-party webhook fed every record of test/fixtures/first-party (good and bad), are
 *   processed; then no Kafka topic, no ClickHouse table and no log holds a raw e-mail, phone
 *   number (also searched as bare digits) or private name of those files;
 * - the Meta sample pages (access_token=SAMPLE-NOT-A-REAL-TOKEN in ad_snapshot_url and
 *   paging.next) are imported as files and pulled from a local stand-in of the Graph API with
 *   META_ACCESS_TOKEN, and an OpenFEC page with OPENFEC_API_KEY, both APIs rate-limiting once and
 *   the imports logging at debug; then none of those tokens, nor the webhook's bearer token, nor
 *   the ClickHouse passwords, is in any Kafka message, ClickHouse row, log file, CLI output or
 *   stored cursor.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka, Producer } from 'kafkajs';
import { REPO_ROOT, loadStackConfig } from '../../infra/local/config.ts';
import { localHmacKeyHex } from '../../infra/local/hmac-key.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { DLQ_TOPIC } from '../../schemas/topics.ts';
import { createIngestServer } from '../../services/ingest-http/server.ts';
import { DlqPublisher } from '../../services/shared/dlq.ts';
import { readCsv } from '../../services/shared/ingest/readers.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { createLogger } from '../../services/shared/logger.ts';
import { createPseudonymizer, parseHmacKey } from '../../services/shared/pseudonym.ts';
import { createSealer } from '../../services/shared/seal.ts';
import { influence, type CliResult } from '../helpers/cli.ts';
import { startPrivatePipeline, type PrivatePipeline } from '../helpers/pipeline.ts';
import { messageText, readTopics } from './kafka-scan.ts';

const SAMPLE_TOKEN = 'SAMPLE-NOT-A-REAL-TOKEN';
const META_TOKEN = `meta-token-${randomBytes(12).toString('hex')}`;
const OPENFEC_KEY = `openfec-key-${randomBytes(12).toString('hex')}`;
const INGEST_TOKEN = randomBytes(24).toString('hex');
const FIRST_PARTY = path.join(REPO_ROOT, 'test', 'fixtures', 'first-party');

let p: PrivatePipeline;
let kafka: Kafka;
let producer: Producer;
let api: http.Server;
let apiBase: string;
let ingest: http.Server;
let ingestUrl: string;
let ingestLog: WriteStream;
/** Everything the CLI printed (stdout and stderr), searched like the logs. */
const cliOutput: string[] = [];
const apiRequests: string[] = [];

/** A local stand-in of the Graph API (ads_archive) and OpenFEC (schedule_e), rate-limiting once each. */
function fakeApis(): http.Server {
  const page1 = JSON.parse(readFileSync(path.join(CAMPAIGN_DIR, 'meta-ads_archive_page1.json'), 'utf8')) as {
    paging: { next?: string };
  };
  const page2 = readFileSync(path.join(CAMPAIGN_DIR, 'meta-ads_archive_page2.json'));
  const fecPage = gunzipSync(
    readFileSync(
      path.join(REPO_ROOT, 'test', 'fixtures', 'fec', 'america_pac_raw_schedule_e.page-01.json.gz'),
    ),
  );
  const limited = new Set<string>();
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    apiRequests.push(url.pathname);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      void res
        .writeHead(status, { 'Content-Type': 'application/json', ...headers })
        .end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    if (!limited.has(url.pathname)) {
      limited.add(url.pathname);
      return json(
        429,
        { error: { code: 4, message: 'Application request limit reached' } },
        { 'Retry-After': '0' },
      );
    }
    if (url.pathname === '/v21.0/ads_archive') {
      if (url.searchParams.get('access_token') !== META_TOKEN)
        return json(400, { error: { code: 190, message: 'Invalid OAuth access token' } });
      if (url.searchParams.get('after') === 'p2') return json(200, page2);
      // As Meta does, the next page's URL carries an access token.
      page1.paging.next = `${apiBase}/v21.0/ads_archive?search_terms=harris&after=p2&access_token=${SAMPLE_TOKEN}`;
      return json(200, page1);
    }
    if (url.pathname === '/v1/schedules/schedule_e/') {
      if (url.searchParams.get('api_key') !== OPENFEC_KEY) return json(403, { error: 'API_KEY_INVALID' });
      if (url.searchParams.has('last_index'))
        return json(200, { pagination: { last_indexes: null }, results: [] });
      return json(200, fecPage);
    }
    json(404, { error: 'not found' });
  });
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await influence(args, { INFLUENCE_STATE_DIR: p.stateDir, ...env });
  cliOutput.push(r.stdout, r.stderr);
  return r;
}

beforeAll(async () => {
  p = await startPrivatePipeline('security');
  kafka = createKafka({
    brokers: p.stack.endpoints.kafka.brokers.split(','),
    clientId: 'security',
    log: p.log,
  });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  // The webhook, with the stack's own HMAC key (as `influence run` gives it), logging to a file.
  const key = parseHmacKey(localHmacKeyHex(loadStackConfig()));
  const sealer = createSealer(key);
  ingestLog = createWriteStream(path.join(p.stateDir, 'logs', 'ingest-http-test.log'));
  ingest = createIngestServer({
    producer,
    dlq: new DlqPublisher(producer, 'ingest-http'),
    token: INGEST_TOKEN,
    log: createLogger('ingest-http', ingestLog),
    firstParty: { pseudonymize: createPseudonymizer(key), seal: (raw) => sealer.seal(raw) },
  });
  await new Promise<void>((r) => ingest.listen(0, '127.0.0.1', r));
  ingestUrl = `http://127.0.0.1:${(ingest.address() as AddressInfo).port}`;
  api = fakeApis();
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => api?.close(() => r()));
  await new Promise<void>((r) => ingest?.close(() => r()));
  await producer?.disconnect();
  await new Promise<void>((r) => (ingestLog ? ingestLog.end(r) : r()));
  await p?.stop();
});

/** Every file under `dir`, as text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const f = path.join(dir, name);
    return statSync(f).isDirectory() ? filesUnder(f) : [{ file: f, text: readFileSync(f, 'latin1') }];
  });
}

/** Where the pipeline keeps things: every Kafka message, every ClickHouse row, every log line. */
async function everythingStored(): Promise<{ where: string; text: string }[]> {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
  await admin.disconnect();
  const messages = await readTopics(kafka, topics);
  const out = messages.map((m) => {
    let text = messageText(m.message);
    if (m.topic === DLQ_TOPIC) {
      // A dead letter's bytes are base64: search them decoded (sealed ones are ciphertext).
      const d = DlqRecordV1.safeParse(JSON.parse(m.message.value?.toString('utf8') ?? 'null'));
      if (d.success && !d.data.raw_sealed)
        text += `\n${Buffer.from(d.data.raw_base64, 'base64').toString('latin1')}`;
    }
    return { where: `kafka ${m.topic}/${m.partition}@${m.offset}`, text };
  });
  const rs = await p.clickhouse.query({
    query:
      "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('View') ORDER BY name",
    format: 'JSONEachRow',
  });
  const tables = (await rs.json<{ name: string }>()).map((r) => r.name);
  expect(tables).toContain('raw_events');
  for (const t of tables) {
    const rows = await p.clickhouse.query({ query: `SELECT * FROM \`${t}\``, format: 'JSONEachRow' });
    out.push({ where: `clickhouse ${t}`, text: await rows.text() });
  }
  for (const f of filesUnder(path.join(p.stateDir, 'logs'))) out.push({ where: f.file, text: f.text });
  out.push({ where: 'CLI output', text: cliOutput.join('\n') });
  return out;
}

describe('stored data and logs of a running pipeline', () => {
  it('imports the first-party files, the webhook records and the Meta and OpenFEC data, and processes them', async () => {
    for (const file of [
      'payouts.csv',
      'signups.csv',
      'contacts.csv',
      'meta-ads_archive_page1.json',
      'meta-ads_archive_page2.json',
    ]) {
      const source = file.startsWith('meta') ? 'meta-ads' : file.replace('.csv', '');
      const r = await cli(['import', source, path.join(CAMPAIGN_DIR, file), '--json']);
      expect(r.code, `${file}: ${r.stderr.slice(-2000)}`).toBe(0);
      expect((JSON.parse(r.stdout) as { published: number }).published).toBeGreaterThan(0);
    }
    const debug = { LOG_LEVEL: 'debug' };
    const meta = await cli(
      [
        'import',
        'meta-ads-api',
        `${apiBase}/v21.0/ads_archive?search_terms=harris&ad_reached_countries=%5B%22US%22%5D`,
        '--json',
      ],
      { ...debug, META_ACCESS_TOKEN: META_TOKEN },
    );
    expect(meta.code, meta.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(meta.stdout)).toMatchObject({ read: 64, dead_lettered: 0 });
    const fec = await cli(
      [
        'import',
        'openfec-schedule-e',
        `${apiBase}/v1/schedules/schedule_e/?committee_id=C00879510&per_page=100`,
        '--json',
      ],
      { ...debug, OPENFEC_API_KEY: OPENFEC_KEY },
    );
    expect(fec.code, fec.stderr.slice(-2000)).toBe(0);
    expect((JSON.parse(fec.stdout) as { read: number }).read).toBeGreaterThan(50);
    // Both APIs were asked again after their 429, and the debug logs were written.
    expect(apiRequests.filter((r) => r === '/v21.0/ads_archive').length).toBe(3);
    expect(meta.stderr).toMatch(/rate-limited or unavailable/);

    let accepted = 0;
    let refused = 0;
    for (const source of ['payouts', 'signups', 'contacts']) {
      const lines = readFileSync(path.join(FIRST_PARTY, `${source}.ndjson`), 'utf8')
        .split('\n')
        .filter((l) => l.trim());
      for (const line of lines) {
        const res = await fetch(`${ingestUrl}/v1/first-party/${source}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${INGEST_TOKEN}`, 'Content-Type': 'application/json' },
          body: line,
        });
        expect([202, 422]).toContain(res.status);
        if (res.status === 202) accepted++;
        else refused++;
      }
    }
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(0);

    const idle = await cli(['wait', '--idle', '--timeout', '600', '--json']);
    expect(idle.code, idle.stderr.slice(-3000)).toBe(0);
    const rs = await p.clickhouse.query({
      query: 'SELECT type, count() AS n FROM raw_events FINAL GROUP BY type ORDER BY type',
      format: 'JSONEachRow',
    });
    const counts = Object.fromEntries(
      (await rs.json<{ type: string; n: string }>()).map((r) => [r.type, Number(r.n)]),
    );
    expect(counts).toMatchObject({ ad: 64 });
    for (const type of ['payout', 'signup', 'contact']) expect(counts[type]).toBeGreaterThan(100);
    // The DLQ sink copies the webhook's refusals (and nothing else: the files are clean).
    await waitFor(
      async () => {
        const dlq = await p.clickhouse.query({
          query: 'SELECT count() AS n FROM dlq_events',
          format: 'JSONEachRow',
        });
        return Number((await dlq.json<{ n: string }>())[0]?.n) === refused ? true : undefined;
      },
      { what: `${refused} rows in dlq_events`, timeoutMs: 120_000 },
    );
  }, 900_000);

  it('holds no raw e-mail, phone number or private name anywhere', async () => {
    const needles = new Set<string>();
    for (const file of ['payouts.csv', 'signups.csv', 'contacts.csv']) {
      let header: string[] | undefined;
      const bytes = readFileSync(path.join(CAMPAIGN_DIR, file));
      for await (const r of readCsv(Readable.from([bytes]) as AsyncIterable<Buffer>)) {
        if (!r.ok) continue;
        if (!header) {
          header = r.record.fields;
          continue;
        }
        header.forEach((name, i) => {
          const v = r.record.fields[i]?.trim();
          if (v && /(^|_)(email|phone)$|^voter_id$/.test(name)) needles.add(v);
        });
      }
    }
    const fixture = JSON.parse(readFileSync(path.join(FIRST_PARTY, 'expected.json'), 'utf8')) as {
      private_values: string[];
    };
    for (const v of fixture.private_values) needles.add(v);
    const emails = [...needles].filter((v) => v.includes('@'));
    const phones = [...needles].filter((v) => /^[\d\s()+.-]+$/.test(v) && v.replace(/\D/g, '').length >= 10);
    const names = [...needles].filter((v) => !emails.includes(v) && !phones.includes(v));
    expect(emails.length).toBeGreaterThan(500);
    expect(phones.length).toBeGreaterThan(50);
    expect(names.length).toBeGreaterThan(10);

    const stored = await everythingStored();
    expect(stored.filter((s) => s.where.startsWith('kafka')).length).toBeGreaterThan(2000);
    // Control: the people are there, as pseudonyms, where the scan looks.
    const pseudonymize = createPseudonymizer(parseHmacKey(localHmacKeyHex(loadStackConfig())));
    const someone = emails.find((v) => v.startsWith('canvasser.')) ?? '';
    const pseudonym = pseudonymize('email', someone);
    expect(stored.filter((s) => s.text.includes(pseudonym)).map((s) => s.where.split(' ')[0])).toEqual(
      expect.arrayContaining(['kafka', 'clickhouse']),
    );
    // Phones as written, or as bare digits that are not part of a longer number (ids, amounts).
    const tens = [...new Set(phones.map((v) => v.replace(/\D/g, '').slice(-10)))];
    const phoneDigits = new RegExp(`(?<![0-9])1?(${tens.join('|')})(?![0-9])`);
    const leaks: string[] = [];
    for (const { where, text } of stored) {
      const lower = text.toLowerCase();
      for (const v of [...emails, ...names])
        if (lower.includes(v.toLowerCase())) leaks.push(`${where}: ${v}`);
      for (const v of phones) if (text.includes(v)) leaks.push(`${where}: ${v}`);
      const digits = phoneDigits.exec(text);
      if (digits) leaks.push(`${where}: ${digits[0]}`);
      if (leaks.length > 20) break;
    }
    expect(leaks).toEqual([]);
  }, 300_000);

  it('holds no access token, API key, bearer token or ClickHouse password anywhere, cursors included', async () => {
    const e = p.stack.endpoints.clickhouse;
    const passwords = [e.url, e.analyst_url ?? '']
      .filter((u) => u)
      .map((u) => decodeURIComponent(new URL(u).password))
      .filter((pw) => pw.length >= 8);
    expect(passwords.length).toBeGreaterThanOrEqual(1);
    const secrets = [SAMPLE_TOKEN, META_TOKEN, OPENFEC_KEY, INGEST_TOKEN, ...passwords];
    const cursors = filesUnder(path.join(p.stateDir, 'cursors'));
    expect(cursors.map((c) => path.basename(c.file)).sort()).toEqual([
      expect.stringMatching(/^meta-ads-api-[0-9a-f]{16}\.json$/) as unknown as string,
      expect.stringMatching(/^openfec-schedule-e-[0-9a-f]{16}\.json$/) as unknown as string,
    ]);
    for (const c of cursors) expect(JSON.parse(c.text)).toMatchObject({ next: null });
    const stored = [...(await everythingStored()), ...cursors.map((c) => ({ where: c.file, text: c.text }))];
    // The API imports logged the URLs they fetched (a rate-limit warning each), so there was a
    // chance to leak: the URLs are there, their tokens are not.
    const logged = cliOutput.join('\n');
    expect(logged).toMatch(/"url":"http:\/\/127\.0\.0\.1:\d+\/v21\.0\/ads_archive\?[^"]+"/);
    expect(logged).toMatch(/"url":"http:\/\/127\.0\.0\.1:\d+\/v1\/schedules\/schedule_e\/\?[^"]+"/);
    // Control: the links that carried the sample token are stored, without it.
    expect(stored.some((s) => s.text.includes('https://www.facebook.com/ads/archive/render_ad/?id='))).toBe(
      true,
    );
    const leaks = stored.flatMap(({ where, text }) =>
      secrets.filter((s) => text.includes(s)).map((s) => `${where}: ${s.slice(0, 12)}…`),
    );
    expect(leaks).toEqual([]);
  }, 300_000);
});

/**
 * API tokens stay out of logs, cursors and what an import stores or prints: the API sources pull
 * from a local stand-in of the Graph API (rate-limiting, then two pages whose links carry a token,
 * then a page that fails) with the token from the environment, logging at trace level into memory;
 * pino's redaction covers every configured path. (The same on a whole running pipeline:
 * stored-secrets.test.ts.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import { toDlqRecord } from '../../services/shared/dlq.ts';
import { metaAdsSource } from '../../services/ingest-ads/meta-ads.parser.ts';
import { apiSource } from '../../services/shared/ingest/api-source.ts';
import { runImport, type ImportSummary } from '../../services/shared/ingest/importer.ts';
import { MemorySink } from '../../services/shared/ingest/memory-sink.ts';
import { metaGraphPager } from '../../services/shared/ingest/poller.ts';
import { createLogger, REDACT_PATHS, type Logger } from '../../services/shared/logger.ts';
import { createPseudonymizer } from '../../services/shared/pseudonym.ts';

const TOKEN = 'EAAB-meta-secret-token-0123456789';
const SAMPLE_TOKEN = 'SAMPLE-NOT-A-REAL-TOKEN';
let server: http.Server;
let base: string;
const dir = mkdtempSync(path.join(tmpdir(), 'api-tokens-'));

/** The project's logger (its redaction included) at trace level, its lines kept in `lines`. */
function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger('test', stream);
  log.level = 'trace';
  return { log, lines };
}

beforeAll(async () => {
  const page1 = JSON.parse(readFileSync(path.join(CAMPAIGN_DIR, 'meta-ads_archive_page1.json'), 'utf8')) as {
    paging: { next?: string };
  };
  const page2 = JSON.parse(readFileSync(path.join(CAMPAIGN_DIR, 'meta-ads_archive_page2.json'), 'utf8')) as {
    paging: { next?: string };
  };
  let first = true;
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      void res
        .writeHead(status, { 'Content-Type': 'application/json', ...headers })
        .end(JSON.stringify(body));
    if (first) {
      first = false;
      return json(
        429,
        { error: { code: 17, message: 'User request limit reached' } },
        { 'Retry-After': '0' },
      );
    }
    if (url.searchParams.get('access_token') !== TOKEN)
      return json(400, { error: { code: 190, message: 'Invalid OAuth access token' } });
    const after = url.searchParams.get('after');
    if (after === null) {
      page1.paging.next = `${base}/ads_archive?after=p2&access_token=${SAMPLE_TOKEN}`;
      return json(200, page1);
    }
    if (after === 'p2') {
      page2.paging.next = `${base}/ads_archive?after=p3&access_token=${SAMPLE_TOKEN}`;
      return json(200, page2);
    }
    // The last page fails for good: the error is logged and the poll stops.
    return json(400, { error: { code: 100, message: 'Invalid parameter', fbtrace_id: 'x' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function pull(
  start: string,
): Promise<{ summary: ImportSummary; sink: MemorySink; lines: string[]; cursors: string[] }> {
  const { log, lines } = memoryLogger();
  const cursorDir = mkdtempSync(path.join(dir, 'cursors-'));
  const source = apiSource({
    name: 'meta-ads-api',
    description: 'test',
    pages: metaAdsSource,
    pager: metaGraphPager,
    token: () => TOKEN,
    tokenName: 'META_ACCESS_TOKEN',
  });
  const sink = new MemorySink();
  const summary = await runImport({
    source,
    inputs: [start],
    sink,
    pseudonymize: createPseudonymizer(Buffer.alloc(32, 3)),
    log,
    cursorDir,
  });
  const cursors = readdirSync(cursorDir).map((f) => readFileSync(path.join(cursorDir, f), 'utf8'));
  return { summary, sink, lines, cursors };
}

/** Everything an import leaves behind, as text. */
function leftBehind(r: Awaited<ReturnType<typeof pull>>): string[] {
  return [
    ...r.lines,
    ...r.cursors,
    JSON.stringify(r.summary),
    ...r.sink.events.map((e) => e.value),
    ...r.sink.letters.map((l) => JSON.stringify({ ...toDlqRecord(l, 'test'), raw_base64: '' })),
  ];
}

describe('API tokens', () => {
  it('pino redacts every configured path', () => {
    const { log, lines } = memoryLogger();
    const secret = 'very-secret-value-42';
    const shaped: Record<string, unknown> = {};
    for (const p of REDACT_PATHS) {
      const parts = p.split('.').map((k) => (k === '*' ? 'any' : k));
      let at = shaped;
      for (const k of parts.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
      at[parts.at(-1) as string] = secret;
    }
    log.info(shaped, 'configured paths');
    expect(lines.join('')).not.toContain(secret);
    expect(lines.join('')).toContain('[redacted]');
  });

  it('from the environment: in no log line (trace level), cursor, summary, event or dead letter', async () => {
    const r = await pull(`${base}/ads_archive?search_terms=harris&ad_reached_countries=%5B%22US%22%5D`);
    expect(r.summary).toMatchObject({ read: 64, published: 64 });
    // The poll logged its URLs (the 429, the failing page): with every chance to leak.
    expect(r.lines.join('')).toMatch(/rate-limited or unavailable/);
    expect(r.lines.join('')).toMatch(/ads_archive\?after=p3/);
    expect(r.cursors).toHaveLength(1);
    for (const text of leftBehind(r)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SAMPLE_TOKEN);
    }
  });

  it('given in the start URL (as the Graph API Explorer copies it): in no log line or cursor', async () => {
    const r = await pull(`${base}/ads_archive?search_terms=harris&access_token=${TOKEN}`);
    expect(r.summary.read).toBe(64);
    // The importer logs the input as given ("input imported", "reading stopped"): the logger
    // strips credentials from URLs it is handed (services/shared/logger.ts).
    expect(r.lines.join('')).toMatch(/"input":"http:\/\/127\.0\.0\.1:\d+\/ads_archive\?search_terms=harris"/);
    for (const text of [...r.lines, ...r.cursors]) expect(text).not.toContain(TOKEN);
  });

  /*
   * With the token in the start URL, the importer once kept the input's name as given in the
   * summary the CLI prints and in the `source` of dead letters (which reach Kafka and ClickHouse
   * dlq_events); it now shows and stores the name without its token.
   */
  it('given in the start URL: not in the import summary nor in dead letters', async () => {
    const r = await pull(`${base}/ads_archive?search_terms=harris&access_token=${TOKEN}`);
    expect(r.summary.read).toBe(64);
    for (const text of leftBehind(r)) expect(text).not.toContain(TOKEN);
  });

  it('the logger strips credentials from any URL it is handed, at any depth', () => {
    const { log, lines } = memoryLogger();
    log.warn(
      {
        url: `https://graph.facebook.com/v21.0/ads_archive?access_token=${TOKEN}&after=x`,
        request: { urls: [`https://api.open.fec.gov/v1/?api_key=${TOKEN}`] },
        clickhouse: `http://default:${TOKEN}@127.0.0.1:8123/`,
        plain: 'https://example.com/page?id=1',
      },
      'urls',
    );
    const line = lines.join('');
    expect(line).not.toContain(TOKEN);
    expect(line).toContain('"url":"https://graph.facebook.com/v21.0/ads_archive?after=x"');
    expect(line).toContain('"plain":"https://example.com/page?id=1"');
  });
});

/**
 * The API sources end to end against a local server replaying OpenFEC pages (the raw-style
 * America PAC fixture: every expenditure as an F24 notice and its F3X restatement, 25 pages of
 * 100): the poller walks the keyset cursors, the file source's reader reads each page, and the
 * result is the same 1,234 payouts and $174,637,011.09 as WIRED's file — with the 19-digit
 * sub_ids intact.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { PayoutV1 } from '../../schemas/events/payout.ts';
import { fecScheduleESource } from '../../services/ingest-fec/schedule-e.parser.ts';
import { latestPayouts } from '../../services/ingest-fec/payout.ts';
import { apiSource } from '../../services/shared/ingest/api-source.ts';
import { runImport } from '../../services/shared/ingest/importer.ts';
import { MemorySink } from '../../services/shared/ingest/memory-sink.ts';
import { openFecPager } from '../../services/shared/ingest/poller.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { createPseudonymizer } from '../../services/shared/pseudonym.ts';

const TOKEN = 'OPENFEC-TEST-KEY';
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'fec');
const pages = readdirSync(FIXTURES)
  .filter((f) => /\.page-\d+\.json\.gz$/.test(f))
  .sort()
  .map((f) => gunzipSync(readFileSync(path.join(FIXTURES, f))));
/** The page that follows each page's last_index. */
const after = new Map<string, Buffer>();
pages.forEach((p, i) => {
  const last = /"last_index":"(\d+)"/.exec(p.toString('utf8'))?.[1];
  const next = pages[i + 1];
  if (last && next) after.set(last, next);
});
const dir = mkdtempSync(path.join(tmpdir(), 'api-sources-'));
let server: http.Server;
let base: string;
let requests = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.searchParams.get('api_key') !== TOKEN)
      return void res.writeHead(403).end('{"error":"API_KEY_INVALID"}');
    const last = url.searchParams.get('last_index');
    const body =
      last === null
        ? pages[0]
        : (after.get(last) ?? Buffer.from('{"pagination":{"last_indexes":null},"results":[]}'));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('openfec-schedule-e (API source)', () => {
  it('pulls every page and gives the payouts of the file, with exact sub_ids and the same event ids', async () => {
    expect(pages).toHaveLength(25);
    const source = apiSource({
      name: 'openfec-schedule-e',
      description: 'test',
      pages: fecScheduleESource,
      pager: openFecPager,
      token: () => TOKEN,
      tokenName: 'OPENFEC_API_KEY',
    });
    const sink = new MemorySink();
    const s = await runImport({
      source,
      inputs: [`${base}/v1/schedules/schedule_e/?committee_id=C00879510&per_page=100`],
      sink,
      pseudonymize: createPseudonymizer(Buffer.alloc(32, 1)),
      log: silentLogger,
      cursorDir: dir,
    });
    expect(s).toMatchObject({ read: 2423, published: 2423, dead_lettered: 0, unreadable: 0 });
    expect(requests).toBeGreaterThanOrEqual(25);
    const events = sink.events.map((e) => PayoutV1.parse(JSON.parse(e.value)));
    // Same envelope source as the file import, so the same records give the same ids.
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['fec-schedule-e']));
    expect(events.every((e) => /^\d{19}$/.test(e.payload.filing.sub_id ?? ''))).toBe(true);
    const latest = latestPayouts(events);
    expect(latest).toHaveLength(1234);
    const cents = latest.reduce((sum, e) => sum + BigInt(e.payload.amount.replace('.', '')), 0n);
    expect(cents).toBe(17_463_701_109n);
    // The cursor says the walk is complete and holds no token.
    const cursor = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'));
    expect(cursor).toHaveLength(1);
    expect(cursor[0]).toContain('"next":null');
    expect(cursor[0]).not.toContain(TOKEN);
  });
});

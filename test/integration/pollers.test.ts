/**
 * The API pollers against a local HTTP server that replays pages in the real formats (the
 * network beyond loopback is closed): paging to the end, resuming from a stored cursor,
 * waiting out rate limits, and never storing or logging the token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileCursorStore,
  metaGraphPager,
  openFecPager,
  pollItems,
} from '../../services/shared/ingest/poller.ts';
import { silentLogger } from '../../services/shared/logger.ts';

const TOKEN = 'SECRET-TOKEN-123';
const requests: URL[] = [];
let rateLimitOnce = true;
let metaSecondPageCalls = 0;
let server: http.Server;
let base: string;
const dir = mkdtempSync(path.join(tmpdir(), 'pollers-'));

function fecResult(n: number) {
  return {
    committee_id: 'C00879510',
    transaction_id: `SE24.${n}`,
    sub_id: `41030202410120${n}`,
    expenditure_amount: 1000 + n,
    expenditure_date: '2024-10-19',
  };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (url.pathname === '/v1/schedules/schedule_e/') {
      if (url.searchParams.get('api_key') !== TOKEN) return send(403, { error: { code: 'API_KEY_INVALID' } });
      const last = url.searchParams.get('last_index');
      if (!last) {
        return send(200, {
          api_version: '1.0',
          pagination: {
            per_page: 3,
            last_indexes: { last_index: '41030202410120003', last_expenditure_date: '2024-10-19' },
          },
          results: [1, 2, 3].map(fecResult),
        });
      }
      if (last === '41030202410120003') {
        if (rateLimitOnce) {
          rateLimitOnce = false;
          return send(429, { error: { code: 'OVER_RATE_LIMIT' } }, { 'Retry-After': '2' });
        }
        return send(200, {
          api_version: '1.0',
          pagination: {
            per_page: 3,
            last_indexes: { last_index: '41030202410120005', last_expenditure_date: '2024-10-18' },
          },
          results: [4, 5].map(fecResult),
        });
      }
      return send(200, { api_version: '1.0', pagination: { per_page: 3, last_indexes: null }, results: [] });
    }
    if (url.pathname === '/v21.0/ads_archive') {
      if (url.searchParams.get('access_token') !== TOKEN)
        return send(400, { error: { code: 190, message: 'Invalid OAuth access token' } });
      const after = url.searchParams.get('after');
      if (!after) {
        return send(200, {
          data: [{ id: '1234567890123456789' }, { id: '1234567890123456790' }],
          paging: {
            cursors: { after: 'QVFI' },
            next: `${base}/v21.0/ads_archive?access_token=${TOKEN}&after=QVFI&limit=2`,
          },
        });
      }
      if (metaSecondPageCalls++ === 0) {
        return send(400, {
          error: { code: 613, message: 'Calls to this api have exceeded the rate limit.' },
        });
      }
      return send(200, { data: [{ id: '1234567890123456791' }], paging: { cursors: { before: 'QVFI' } } });
    }
    return send(404, {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function collect(
  it: AsyncIterable<{ ok: boolean; item?: { value: unknown; position: string }; page: number }>,
) {
  const out: { value: unknown; position: string; page: number }[] = [];
  for await (const r of it)
    if (r.ok && r.item) out.push({ value: r.item.value, position: r.item.position, page: r.page });
  return out;
}

describe('the OpenFEC poller', () => {
  it('pages to the end with keyset cursors, waits out a 429 and resumes from the stored cursor', async () => {
    const cursorFile = path.join(dir, 'openfec.json');
    const waits: number[] = [];
    const opts = {
      start: `${base}/v1/schedules/schedule_e/?committee_id=C00879510&per_page=3`,
      pager: openFecPager,
      token: TOKEN,
      cursor: fileCursorStore(cursorFile),
      log: silentLogger,
      wait: (ms: number) => {
        waits.push(ms);
        return Promise.resolve();
      },
    };
    const first = await collect(pollItems({ ...opts, maxPages: 1 }));
    expect(first.map((i) => (i.value as { transaction_id: string }).transaction_id)).toEqual([
      'SE24.1',
      'SE24.2',
      'SE24.3',
    ]);
    const stored = readFileSync(cursorFile, 'utf8');
    expect(stored).toContain('last_index=41030202410120003');
    expect(stored).not.toContain(TOKEN);

    const rest = await collect(pollItems(opts));
    expect(rest.map((i) => (i.value as { transaction_id: string }).transaction_id)).toEqual([
      'SE24.4',
      'SE24.5',
    ]);
    expect(waits).toEqual([2000]);
    for (const i of [...first, ...rest]) expect(i.position).not.toContain(TOKEN);
    expect(
      requests
        .filter((r) => r.pathname.startsWith('/v1/'))
        .every((r) => r.searchParams.get('api_key') === TOKEN),
    ).toBe(true);
    expect((JSON.parse(readFileSync(cursorFile, 'utf8')) as { next: unknown }).next).toBeNull();
  });
});

describe('the Meta Graph poller', () => {
  it('follows paging.next without keeping its token and retries rate-limit error codes', async () => {
    const waits: number[] = [];
    const items = await collect(
      pollItems({
        start: `${base}/v21.0/ads_archive?ad_reached_countries=US&limit=2`,
        pager: metaGraphPager,
        token: TOKEN,
        log: silentLogger,
        wait: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      }),
    );
    expect(items.map((i) => (i.value as { id: string }).id)).toEqual([
      '1234567890123456789',
      '1234567890123456790',
      '1234567890123456791',
    ]);
    expect(items.every((i) => !i.position.includes(TOKEN))).toBe(true);
    // Error code 613 without Retry-After: the first back-off step.
    expect(waits).toEqual([1000]);
  });

  it('fails with a clear message on a refused token, without printing it', async () => {
    const run = collect(
      pollItems({
        start: `${base}/v21.0/ads_archive?limit=2`,
        pager: metaGraphPager,
        token: 'wrong',
        log: silentLogger,
        maxRetries: 0,
      }),
    );
    await expect(run).rejects.toThrow(/HTTP 400/);
    await expect(run).rejects.not.toThrow(/wrong/);
  });
});

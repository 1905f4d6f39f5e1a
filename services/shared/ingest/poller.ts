/**
 * API pollers: walk a paged JSON API (OpenFEC keyset pages, Meta Graph cursors) page by page,
 * resumable from a stored cursor, rate-limit aware, and feed each page's items to a source's
 * parser like any other input. The token goes in the query string of requests only: it is
 * stripped from every URL that is stored or logged.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import { stripTokens } from '../urls.ts';
import type { ItemFault, ReadResult } from './source.ts';

/** How one API pages. */
export interface Pager {
  /** The query parameter that carries the token (`api_key`, `access_token`). */
  tokenParam: string;
  /** The items of a page body. @throws when the body is not a page of this API. */
  items(page: unknown): unknown[];
  /** The next page's URL (without the token), or undefined on the last page. */
  next(page: unknown, current: URL): URL | undefined;
  /** True for an answer that means "slow down" (HTTP 429, Meta error codes 4/17/32/613). */
  isRateLimited(status: number, body: unknown): boolean;
}

/** Where a poll resumes: the next page to fetch, stored without its token. */
export interface CursorStore {
  load(): { next: string; pages: number } | undefined;
  save(next: string | undefined, pages: number): void;
}

/** A cursor kept in a JSON file (written atomically). */
export function fileCursorStore(file: string): CursorStore {
  return {
    load() {
      if (!existsSync(file)) return undefined;
      const c = JSON.parse(readFileSync(file, 'utf8')) as { next: string | null; pages: number };
      return c.next ? { next: c.next, pages: c.pages } : undefined;
    },
    save(next, pages) {
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(
        tmp,
        `${JSON.stringify({ next: next ?? null, pages, updated_at: new Date().toISOString() })}\n`,
      );
      renameSync(tmp, file);
    },
  };
}

export interface PollOptions {
  start: string;
  pager: Pager;
  token: string | undefined;
  cursor?: CursorStore;
  log: Logger;
  /** Give up after this many pages (default: no limit). */
  maxPages?: number;
  /** Retries of one page when rate-limited or failing with 5xx (default 6). */
  maxRetries?: number;
  /** Waits between retries; tests pass a recorder instead of a real wait. */
  wait?: (ms: number) => Promise<void>;
  fetchImpl?: typeof fetch;
}

function withToken(url: URL, pager: Pager, token: string | undefined): URL {
  const u = new URL(url);
  if (token) u.searchParams.set(pager.tokenParam, token);
  return u;
}

function retryAfterMs(res: Response, attempt: number): number {
  const header = res.headers.get('retry-after');
  const secs = header !== null ? Number(header) : NaN;
  if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, 15 * 60_000);
  return Math.min(1000 * 2 ** attempt, 60_000);
}

/**
 * JSON.parse that keeps integers beyond 2^53 as their digits (OpenFEC sub_ids have 19): a
 * cursor or id read through a float would silently point elsewhere.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source
      ? context.source
      : value,
  );
}

/** One fetched page: its raw bytes (for the source's own reader), its body and where it is. */
export interface FetchedPage {
  page: number;
  /** The URL without its token. */
  url: string;
  raw: Buffer;
  body: unknown;
}

/**
 * Every page from `start` (or from the stored cursor), as fetched. The cursor is saved after
 * each page, so a stopped poll resumes where it stopped. @throws when a page still fails after
 * the retries (the cursor then points at that page).
 */
export async function* pollPages(opts: PollOptions): AsyncGenerator<FetchedPage> {
  const wait = opts.wait ?? ((ms: number) => delay(ms));
  const doFetch = opts.fetchImpl ?? fetch;
  const log = opts.log.child({ module: 'poller' });
  const resumed = opts.cursor?.load();
  let url: URL | undefined = new URL(stripTokens(resumed?.next ?? opts.start));
  let pages = resumed?.pages ?? 0;
  if (resumed) log.info({ next: url.toString(), pages }, 'resuming from the stored cursor');
  while (url && (opts.maxPages === undefined || pages < opts.maxPages)) {
    let body: unknown;
    let raw = Buffer.alloc(0);
    for (let attempt = 0; ; attempt++) {
      const res = await doFetch(withToken(url, opts.pager, opts.token));
      raw = Buffer.from(await res.arrayBuffer());
      try {
        body = parseJsonExact(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      if (res.ok && body !== undefined) break;
      const retriable = opts.pager.isRateLimited(res.status, body) || res.status >= 500;
      if (!retriable || attempt >= (opts.maxRetries ?? 6)) {
        if (res.ok) break; // 200 with a body that is not JSON: the reader reports it
        throw new Error(
          `${stripTokens(url.toString())} answered HTTP ${res.status} after ${attempt + 1} attempts: ${raw.toString('utf8').slice(0, 300)}`,
        );
      }
      const ms = retryAfterMs(res, attempt);
      log.warn(
        { url: stripTokens(url.toString()), status: res.status, waitMs: ms },
        'rate-limited or unavailable; waiting',
      );
      await wait(ms);
    }
    pages++;
    const current: URL = url;
    let next: URL | undefined;
    try {
      next = body === undefined ? undefined : opts.pager.next(body, current);
    } catch {
      next = undefined;
    }
    yield { page: pages, url: stripTokens(current.toString()), raw, body };
    url = next;
    opts.cursor?.save(url ? stripTokens(url.toString()) : undefined, pages);
  }
}

/**
 * The items of every page (see {@link pollPages}), one ReadResult per item; a page that is not
 * JSON or not a page of this API is one fault and ends the poll.
 */
export async function* pollItems(opts: PollOptions): AsyncGenerator<ReadResult<unknown> & { page: number }> {
  for await (const p of pollPages(opts)) {
    const position = `page ${p.page} (${p.url})`;
    let items: unknown[];
    try {
      if (p.body === undefined) throw new Error('the body is not JSON');
      items = opts.pager.items(p.body);
    } catch (err) {
      const fault: ItemFault = {
        position,
        raw: p.raw,
        reason: 'parse_error',
        detail: (err as Error).message,
      };
      yield { ok: false, fault, page: p.page };
      return;
    }
    for (const [i, item] of items.entries()) {
      yield {
        ok: true,
        item: { position: `${position} item ${i + 1}`, raw: Buffer.from(JSON.stringify(item)), value: item },
        page: p.page,
      };
    }
  }
}

/** OpenFEC: `results`, keyset paging through `pagination.last_indexes`, token in `api_key`. */
export const openFecPager: Pager = {
  tokenParam: 'api_key',
  items(page) {
    const results = (page as { results?: unknown }).results;
    if (!Array.isArray(results)) throw new Error('not an OpenFEC page: no results array');
    return results as unknown[];
  },
  next(page, current) {
    const p = page as { results?: unknown[]; pagination?: { last_indexes?: Record<string, unknown> | null } };
    const last = p.pagination?.last_indexes;
    if (!last || !p.results || p.results.length === 0) return undefined;
    const u = new URL(current);
    for (const [k, v] of Object.entries(last)) u.searchParams.set(k, String(v));
    return u;
  },
  isRateLimited: (status) => status === 429,
};

/** Meta Graph API: `data`, cursor paging through `paging.next`, token in `access_token`. */
export const metaGraphPager: Pager = {
  tokenParam: 'access_token',
  items(page) {
    const data = (page as { data?: unknown }).data;
    if (!Array.isArray(data)) throw new Error('not a Graph API page: no data array');
    return data as unknown[];
  },
  next(page) {
    const next = (page as { paging?: { next?: unknown } }).paging?.next;
    return typeof next === 'string' ? new URL(stripTokens(next)) : undefined;
  },
  isRateLimited(status, body) {
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    return status === 429 || [4, 17, 32, 613, 80000, 80004].includes(Number(code));
  },
};

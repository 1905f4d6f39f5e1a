/**
 * Sources that pull from a paged API instead of reading a file: `influence import
 * openfec-schedule-e '<start URL>'`. Each fetched page is handed, as bytes, to the reader of
 * the matching file source (which keeps big integers exact and knows the format), so an API
 * pull and an exported file of the same records give the same events and the same ids.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { parseConfig } from '../config.ts';
import { silentLogger } from '../logger.ts';
import { stripTokens } from '../urls.ts';
import { fileCursorStore, pollPages, type Pager } from './poller.ts';
import type { OpenInput } from './readers.ts';
import type { ImportSource } from './source.ts';

/** Tokens of the APIs, from the environment (never stored, never logged). */
export function apiTokens(): { OPENFEC_API_KEY?: string; META_ACCESS_TOKEN?: string } {
  return parseConfig({ OPENFEC_API_KEY: z.string().optional(), META_ACCESS_TOKEN: z.string().optional() });
}

/** An input that is only a start URL: the source fetches its pages and counts their bytes. */
class PagedInput implements OpenInput {
  readonly name: string;
  readonly size = undefined;
  bytes = 0;
  constructor(name: string) {
    this.name = name;
  }
  bytesRead(): number {
    return this.bytes;
  }
  readonly stream: AsyncIterable<Buffer> = Readable.from([]) as AsyncIterable<Buffer>;
}

/**
 * A source named `name` that walks `pager` from the start URL given as input, with the token
 * from `token()`, and reads each page with `pages` (a file source of the same format).
 */
export function apiSource<T>(opts: {
  name: string;
  description: string;
  pages: ImportSource<T>;
  pager: Pager;
  token: () => string | undefined;
  tokenName: string;
}): ImportSource<T> {
  return {
    name: opts.name,
    eventType: opts.pages.eventType,
    description: opts.description,
    eventSource: opts.pages.eventSource ?? opts.pages.name,
    open: (name) => {
      if (!/^https?:\/\//i.test(name)) throw new Error(`${opts.name} takes the API start URL, not ${name}`);
      return Promise.resolve(new PagedInput(stripTokens(name)));
    },
    async *read(ctx) {
      const token = opts.token();
      if (!token) {
        throw new Error(`${opts.name} needs ${opts.tokenName}: set it in the environment`);
      }
      const cursorFile = ctx.cursorDir
        ? path.join(
            ctx.cursorDir,
            `${opts.name}-${createHash('sha256').update(stripTokens(ctx.input.name)).digest('hex').slice(0, 16)}.json`,
          )
        : undefined;
      for await (const page of pollPages({
        start: ctx.input.name,
        pager: opts.pager,
        token,
        log: ctx.log ?? silentLogger,
        ...(cursorFile ? { cursor: fileCursorStore(cursorFile) } : {}),
      })) {
        if (ctx.input instanceof PagedInput) ctx.input.bytes += page.raw.length;
        const pageInput: OpenInput = {
          name: page.url,
          size: page.raw.length,
          bytesRead: () => page.raw.length,
          stream: Readable.from([page.raw]) as AsyncIterable<Buffer>,
        };
        for await (const r of opts.pages.read({ ...ctx, input: pageInput })) {
          if (r.ok)
            yield {
              ok: true,
              item: { ...r.item, position: `page ${page.page} (${page.url}) ${r.item.position}` },
            };
          else
            yield {
              ok: false,
              fault: { ...r.fault, position: `page ${page.page} (${page.url}) ${r.fault.position}` },
            };
        }
      }
    },
    parse: (item, ctx) => opts.pages.parse(item, ctx),
  };
}

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { PostPayloadV1, PostV1 } from '../../schemas/events/post.ts';
import { runImport } from '../shared/ingest/importer.ts';
import type { ImportSource, ParseOutcome, ReadResult } from '../shared/ingest/source.ts';
import { silentLogger } from '../shared/logger.ts';
import { createPseudonymizer } from '../shared/pseudonym.ts';
import { SOURCES, parseTweet, readXResponse, xPostsSource, type XTweetItem } from './index.ts';
import { MemorySink } from '../shared/ingest/memory-sink.ts';

const DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'x');
const NOW = new Date('2024-11-06T12:00:00Z');
const ctx = { input: 'test', now: NOW, pseudonymize: createPseudonymizer(Buffer.alloc(32, 3)) };

async function* bytes(text: string | Buffer): AsyncGenerator<Buffer> {
  yield await Promise.resolve(Buffer.isBuffer(text) ? text : Buffer.from(text));
}

async function readAll(text: string | Buffer): Promise<ReadResult<XTweetItem>[]> {
  const out: ReadResult<XTweetItem>[] = [];
  for await (const r of readXResponse(bytes(text))) out.push(r);
  return out;
}

async function parseAll(text: string): Promise<ParseOutcome[]> {
  return (await readAll(text)).map((r) =>
    r.ok ? parseTweet(r.item.value, ctx) : { ok: false, reason: r.fault.reason, detail: r.fault.detail },
  );
}

/** Tweets counted independently of the parser: ids in "data" with a text field, by regex. */
function countTweetsIndependently(raw: string): number {
  const data = raw.slice(
    raw.indexOf('"data":'),
    raw.indexOf('"meta":') > 0 ? raw.indexOf('"meta":') : undefined,
  );
  return (data.match(/"edit_history_tweet_ids":/g) ?? []).length;
}

const dir = mkdtempSync(path.join(tmpdir(), 'ingest-x-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A full search_recent_tweets page as an app requesting every field gets it (X API v2 docs). */
const FULL = {
  data: [
    {
      id: '1849531476426481842',
      author_id: '1420101487040479233',
      created_at: '2024-10-24T18:03:12.000Z',
      conversation_id: '1849531476426481842',
      lang: 'en',
      edit_history_tweet_ids: ['1849531476426481842'],
      text: 'Sign the petition and earn $47 for each voter you refer (truncated…',
      note_tweet: {
        text: 'Sign the petition and earn $47 for each voter you refer! Registered voters in PA, GA, NV, AZ, MI, WI & NC only. #FreeSpeech @America https://t.co/abc123',
        entities: {
          hashtags: [{ start: 115, end: 126, tag: 'FreeSpeech' }],
          mentions: [{ start: 127, end: 135, username: 'America', id: '1420101487040479233' }],
          urls: [
            {
              start: 136,
              end: 159,
              url: 'https://t.co/abc123',
              expanded_url: 'https://petition.theamericapac.org/?utm_source=x&access_token=SECRET123',
              display_url: 'petition.theamericapac.org',
            },
          ],
        },
      },
      entities: { hashtags: [{ start: 0, end: 5, tag: 'Short' }] },
      public_metrics: {
        retweet_count: 10234,
        reply_count: 4012,
        like_count: 45123,
        quote_count: 812,
        bookmark_count: 990,
        impression_count: 12345678,
      },
    },
    {
      id: '1849600000000000001',
      author_id: '2244994945',
      created_at: '2024-10-24T22:37:00.000Z',
      conversation_id: '1849531476426481842',
      text: '@America is this legal?',
      referenced_tweets: [{ type: 'replied_to', id: '1849531476426481842' }],
      public_metrics: { retweet_count: 0, reply_count: 1, like_count: 3, quote_count: 0 },
    },
    {
      id: '1849600000000000002',
      author_id: '2244994945',
      created_at: '2024-10-25T01:00:00+02:00',
      text: 'RT @America: Sign the petition',
      referenced_tweets: [{ type: 'retweeted', id: '1849531476426481842' }],
    },
  ],
  includes: {
    users: [
      { id: '1420101487040479233', name: 'America', username: 'America' },
      { id: '2244994945', name: 'Twitter Dev', username: 'TwitterDev' },
    ],
    tweets: [{ id: '1849531476426481842', text: 'included, not imported' }],
  },
  meta: { result_count: 3, newest_id: '1849600000000000002', oldest_id: '1849531476426481842' },
};

describe('x-posts on the real tweepy cassettes', () => {
  const files = readdirSync(DATA).filter((f) => f.endsWith('.json'));

  it('reads one item per tweet; user responses yield nothing; every tweet is rejected for missing fields', async () => {
    const counts: Record<string, { tweets: number; items: number }> = {};
    for (const f of files) {
      const raw = readFileSync(path.join(DATA, f), 'utf8');
      const results = await readAll(raw);
      const outcomes = await parseAll(raw);
      counts[f] = { tweets: countTweetsIndependently(raw), items: results.length };
      expect(results.length).toBe(countTweetsIndependently(raw));
      for (const o of outcomes) {
        // tweepy's cassettes asked for no tweet.fields: no created_at, no author_id.
        expect(o).toEqual({
          ok: false,
          reason: 'schema_invalid',
          detail:
            'created_at missing (request tweet.fields=created_at); author_id missing (request tweet.fields=author_id)',
        });
      }
    }
    expect(counts).toEqual({
      'test_client_get_tweet.json': { tweets: 1, items: 1 },
      'test_client_get_tweets.json': { tweets: 2, items: 2 },
      'test_client_get_user.json': { tweets: 0, items: 0 },
      'test_client_get_users.json': { tweets: 0, items: 0 },
      'test_client_get_users_tweets.json': { tweets: 2, items: 2 },
      'test_client_search_recent_tweets.json': { tweets: 10, items: 10 },
    });
  });

  it('keeps the 19-digit ids digit for digit (they exceed 2^53)', async () => {
    const raw = readFileSync(path.join(DATA, 'test_client_search_recent_tweets.json'), 'utf8');
    const ids = [...raw.matchAll(/"id":"(\d+)"/g)].map((m) => m[1]);
    const items = (await readAll(raw)).flatMap((r) => (r.ok ? [r.item.value.tweet as { id: string }] : []));
    expect(items.map((t) => t.id)).toEqual(ids);
    expect(BigInt(ids[0] ?? '0')).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    // The snowflake time of each id matches the time tweepy wrote into the text: ids are intact.
    for (const t of items as { id: string; text: string }[]) {
      const ms = Number((BigInt(t.id) >> 22n) + 1288834974657n);
      expect(t.text.slice(0, 19)).toBe(new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
    }
  });

  it('runImport over every file: read = published + dead-lettered', async () => {
    const sink = new MemorySink();
    const s = await runImport({
      source: xPostsSource,
      inputs: files.map((f) => path.join(DATA, f)),
      sink,
      pseudonymize: ctx.pseudonymize,
      log: silentLogger,
      now: () => NOW,
    });
    expect(s.read).toBe(15);
    expect(s.published).toBe(0);
    expect(s.dead_lettered).toBe(15);
    expect(s.read).toBe(s.published + s.dead_lettered + s.duplicates);
    expect(sink.letters.map((l) => l.position)).toContain('data (id 1293593516040269825)');
  });
});

describe('x-posts on a full response', () => {
  it('maps every field, note_tweet first, tokens stripped, ids as strings', async () => {
    const outcomes = await parseAll(JSON.stringify(FULL));
    expect(outcomes).toHaveLength(3);
    const [a, b, c] = outcomes.map((o) => {
      if (!o.ok) throw new Error(o.detail);
      return { ...o, payload: PostPayloadV1.parse(o.payload) };
    });
    expect(a).toMatchObject({
      source_record_id: '1849531476426481842',
      occurred_at: '2024-10-24T18:03:12.000Z',
    });
    expect(a?.payload).toEqual({
      platform: 'x',
      post_id: '1849531476426481842',
      account_id: '1420101487040479233',
      account_handle: 'America',
      account_name: 'America',
      created_at: '2024-10-24T18:03:12.000Z',
      text: FULL.data[0]?.note_tweet?.text,
      lang: 'en',
      urls: ['https://petition.theamericapac.org/?utm_source=x'],
      mentions: ['America'],
      hashtags: ['FreeSpeech'],
      conversation_id: '1849531476426481842',
      in_reply_to_post_id: null,
      referenced_posts: [],
      metrics: {
        likes: '45123',
        reposts: '10234',
        replies: '4012',
        quotes: '812',
        impressions: '12345678',
        bookmarks: '990',
      },
      observed_at: NOW.toISOString(),
    });
    expect(b?.payload).toMatchObject({
      account_handle: 'TwitterDev',
      in_reply_to_post_id: '1849531476426481842',
      referenced_posts: [{ type: 'replied_to', id: '1849531476426481842' }],
      metrics: { likes: '3', reposts: '0', replies: '1', quotes: '0', impressions: null, bookmarks: null },
      lang: null,
    });
    expect(c?.payload).toMatchObject({
      created_at: '2024-10-24T23:00:00.000Z',
      referenced_posts: [{ type: 'retweeted', id: '1849531476426481842' }],
      metrics: {
        likes: null,
        reposts: null,
        replies: null,
        quotes: null,
        impressions: null,
        bookmarks: null,
      },
    });
  });

  it('publishes through runImport keyed by platform:account, and a re-import is a no-op', async () => {
    const input = file('full.json', JSON.stringify(FULL));
    const sink = new MemorySink();
    const first = await runImport({
      source: SOURCES[0] as ImportSource<unknown>,
      inputs: [input],
      sink,
      pseudonymize: ctx.pseudonymize,
      log: silentLogger,
      now: () => NOW,
    });
    expect(first).toMatchObject({ read: 3, published: 3, dead_lettered: 0 });
    expect(sink.events.map((e) => e.key)).toEqual(['x:1420101487040479233', 'x:2244994945', 'x:2244994945']);
    for (const e of sink.events) PostV1.parse(JSON.parse(e.value));
    const stored = new Set(sink.events.map((e) => (JSON.parse(e.value) as { event_id: string }).event_id));
    const again = await runImport({
      source: xPostsSource,
      inputs: [input],
      sink: new MemorySink(),
      pseudonymize: ctx.pseudonymize,
      log: silentLogger,
      now: () => new Date('2024-11-07T00:00:00Z'),
      stored: (ids) => Promise.resolve(new Set(ids.filter((id) => stored.has(id)))),
    });
    expect(again).toMatchObject({ read: 3, published: 0, duplicates: 3 });
  });

  it('keeps formula- and SQL-looking text verbatim', async () => {
    const text = `=cmd|' /C calc'!A0 '; DROP TABLE posts; --`;
    const [o] = await parseAll(JSON.stringify({ data: { ...FULL.data[1], text } }));
    expect(o?.ok && (o.payload as PostPayloadV1).text).toBe(text);
  });
});

describe('x-posts on broken responses', () => {
  it('one fault for invalid JSON, a truncated file, non-UTF-8, a non-response and a bad data', async () => {
    const cases: [string | Buffer, string, RegExp][] = [
      ['{"data": [{"id": "1"', 'parse_error', /invalid JSON/],
      [JSON.stringify(FULL).slice(0, 200), 'parse_error', /invalid JSON/],
      [Buffer.from([0x7b, 0x22, 0x64, 0xff, 0xfe, 0x7d]), 'encoding_error', /UTF-8/],
      ['[1,2,3]', 'parse_error', /response object/],
      ['{"data": "oops"}', 'parse_error', /"data" is string/],
      ['{"data": null}', 'parse_error', /"data" is null/],
      ['{"foo": 1}', 'parse_error', /not an X API v2 response/],
    ];
    for (const [input, reason, detail] of cases) {
      const r = await readAll(input);
      expect(r).toHaveLength(1);
      expect(r[0]?.ok).toBe(false);
      if (r[0] && !r[0].ok) {
        expect(r[0].fault.reason).toBe(reason);
        expect(r[0].fault.detail).toMatch(detail);
      }
    }
  });

  it('empty pages and errors-only answers yield nothing', async () => {
    expect(await readAll('{"meta":{"result_count":0}}')).toEqual([]);
    expect(await readAll('{"errors":[{"title":"Not Found Error","resource_id":"1"}]}')).toEqual([]);
  });

  it('rejects a tweet per bad field and goes on with the next', async () => {
    const good = FULL.data[1];
    const bad = [
      { ...good, id: 1849600000000000001 },
      { ...good, created_at: undefined },
      { ...good, created_at: 'yesterday' },
      { ...good, author_id: 2244994945 },
      { ...good, text: undefined },
      { ...good, referenced_tweets: [{ type: 'liked', id: '1' }] },
      { ...good, public_metrics: { like_count: -1 } },
      'not a tweet',
      good,
    ];
    const outcomes = await parseAll(JSON.stringify({ data: bad }));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.detail))).toEqual([
      'id is a JSON number (digits beyond 2^53 are lost): X ids must be strings',
      'created_at missing (request tweet.fields=created_at)',
      'created_at is not an ISO-8601 instant: "yesterday"',
      'author_id must be a string of digits',
      'text missing',
      'unknown referenced_tweets type "liked"',
      'public_metrics.like_count is not a whole non-negative count: -1',
      'a tweet must be a JSON object',
      'ok',
    ]);
  });

  it('a huge response is one too_large fault', async () => {
    async function* huge(): AsyncGenerator<Buffer> {
      const chunk = Buffer.alloc(8 * 1024 * 1024, 0x20);
      for (let i = 0; i < 5; i++) yield await Promise.resolve(chunk);
    }
    const out: ReadResult<XTweetItem>[] = [];
    for await (const r of readXResponse(huge())) out.push(r);
    expect(out).toHaveLength(1);
    expect(out[0]?.ok === false && out[0].fault.reason).toBe('too_large');
  });
});

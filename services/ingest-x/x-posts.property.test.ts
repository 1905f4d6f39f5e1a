/**
 * Bad input, property-based: generated X API v2 responses mixing good posts — text full of
 * injection-looking strings, links carrying an access token — with posts of the wrong types (ids
 * as numbers beyond 2^53, times that are not times, counts that are negative, words or 1e400,
 * references of unknown kinds), and responses broken whole (truncated, not UTF-8, not a response).
 * Through the real reader, parser and importer into memory: nothing throws; every good post is
 * published with its text exactly as sent and its links without the token; every bad post is one
 * dead letter with its reason, position and bytes; a broken response is one letter with its bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import {
  corpusFolder,
  importFile,
  keptBytes,
  letterBytes,
  nastyText,
} from '../shared/ingest/bad-input.test-support.ts';
import type { DlqReason } from '../../schemas/dlq.ts';
import { xPostsSource } from './x-posts.source.ts';

const folder = corpusFolder('x-bad-input-');
afterAll(() => folder.remove());

const TOKEN = 'X-NOT-A-REAL-TOKEN';
const sample = JSON.parse(readFileSync(path.join(CAMPAIGN_DIR, 'x-america-posts.json'), 'utf8')) as {
  data: Record<string, unknown>[];
  includes: unknown;
  meta: unknown;
};
const template = sample.data[0] as Record<string, unknown>;
const postId = (i: number): string => `18538361${String(i).padStart(11, '0')}`;
const LINK = 'https://petition.america-pac.example/sign?utm_source=x';

interface PostPlan {
  good: boolean;
  why: string;
  reasons: readonly DlqReason[];
  text: (i: number) => string;
  check?: (payload: Record<string, unknown>) => void;
}

/** One post as JSON text; `raw` puts in values JSON.stringify cannot write (2^53+, 1e400). */
function postText(i: number, set: Record<string, unknown>, raw: Record<string, string> = {}): string {
  const post: Record<string, unknown> = {
    ...template,
    id: postId(i),
    entities: { urls: [{ url: 'https://t.co/x', expanded_url: `${LINK}&access_token=${TOKEN}` }] },
    ...set,
  };
  for (const k of Object.keys(set)) if (set[k] === undefined) delete post[k];
  let text = JSON.stringify(post);
  for (const [k, v] of Object.entries(raw)) text = text.replace(`"${k}":"@raw@"`, `"${k}":${v}`);
  return text;
}

const goodPost: fc.Arbitrary<PostPlan> = nastyText({ maxLength: 2000 }).map((words) => ({
  good: true,
  why: 'good',
  reasons: [],
  text: (i) => postText(i, { text: words }),
  check: (p) => {
    expect(p.text).toBe(words);
    expect(p.urls).toEqual([LINK]);
  },
}));
const badPost = (why: string, reasons: DlqReason[], set: Record<string, unknown>, raw = {}): PostPlan => ({
  good: false,
  why,
  reasons,
  text: (i) => postText(i, set, raw),
});
const badPosts: fc.Arbitrary<PostPlan> = fc.oneof(
  fc.constant(
    badPost('id beyond 2^53 as a number', ['schema_invalid'], { id: '@raw@' }, { id: '1853836148208566296' }),
  ),
  fc
    .constantFrom('abc', '', '1.5', null)
    .map((id) => badPost(`id ${String(id)}`, ['schema_invalid'], { id })),
  fc.constant(badPost('no created_at', ['schema_invalid'], { created_at: undefined })),
  fc
    .constantFrom('yesterday', '2024-10-19T25:00:00Z', '2024-10-19 10:00:00', 1730822755)
    .map((v) => badPost('created_at', ['schema_invalid'], { created_at: v })),
  fc.constantFrom(42, 'me', '').map((v) => badPost('author_id', ['schema_invalid'], { author_id: v })),
  fc.constantFrom(undefined, 7, ['a']).map((v) => badPost('text', ['schema_invalid'], { text: v })),
  fc
    .constantFrom('x', [{ type: 'liked', id: '1' }], [{ type: 'quoted', id: 5 }])
    .map((v) => badPost('referenced_tweets', ['schema_invalid'], { referenced_tweets: v })),
  fc
    .constantFrom(-1, 'many', 1.5, '0012')
    .map((v) => badPost('like_count', ['schema_invalid'], { public_metrics: { like_count: v } })),
  fc.constant(
    badPost(
      'impressions of 1e400',
      ['schema_invalid'],
      { public_metrics: { impression_count: '@raw@' } },
      {
        impression_count: '1e400',
      },
    ),
  ),
  fc
    .integer({ min: 100_001, max: 120_000 })
    .map((n) => badPost('text over 100000', ['schema_invalid'], { text: 'w'.repeat(n) })),
  fc.constantFrom('"a post"', '[1]', '12', 'true').map((text): PostPlan => ({
    good: false,
    why: `not an object: ${text}`,
    reasons: ['schema_invalid'],
    text: () => text,
  })),
);

function response(posts: readonly PostPlan[]): Buffer {
  const data = posts.map((p, i) => p.text(i)).join(',');
  return Buffer.from(
    `{"data":[${data}],"includes":${JSON.stringify(sample.includes)},"meta":${JSON.stringify(sample.meta)}}`,
  );
}

describe('x-posts responses with bad posts and broken responses', () => {
  it('publishes every good post verbatim and without the token, dead-letters every bad post', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 3, arbitrary: goodPost }, { weight: 2, arbitrary: badPosts }), {
          maxLength: 16,
        }),
        async (posts) => {
          const run = await importFile(xPostsSource, folder.write('x.json', response(posts)));
          const { summary, sink } = run;
          expect(summary.inputs[0]?.error).toBeUndefined();
          const goods = posts.map((p, i) => ({ p, i })).filter(({ p }) => p.good);
          const bads = posts.map((p, i) => ({ p, i })).filter(({ p }) => !p.good);
          expect(summary).toMatchObject({
            read: posts.length,
            published: goods.length,
            dead_lettered: bads.length,
            duplicates: 0,
          });
          const byId = new Map(
            sink.events.map((e) => {
              const v = JSON.parse(e.value) as { source_record_id: string; payload: Record<string, unknown> };
              return [v.source_record_id, v.payload] as const;
            }),
          );
          for (const { p, i } of goods) {
            const payload = byId.get(postId(i));
            expect(payload, `post ${i}`).toBeDefined();
            if (payload) p.check?.(payload);
          }
          for (const e of sink.events) expect(e.value).not.toContain(TOKEN);
          bads.forEach(({ p, i }, k) => {
            const letter = sink.letters[k];
            const what = `${p.why} (data[${i}]): ${letter?.reason} ${letter?.detail.slice(0, 120)}`;
            expect(p.reasons, what).toContain(letter?.reason);
            expect(letter?.detail.trim(), what).not.toBe('');
            expect(letter?.position?.startsWith(`data[${i}]`), what).toBe(true);
            expect(letter && letterBytes(letter).toString('utf8'), what).toBe(
              keptBytes(Buffer.from(JSON.stringify(JSON.parse(p.text(i)))), false).toString('utf8'),
            );
          });
        },
      ),
      { numRuns: 80 },
    );
  }, 60_000);

  it('dead-letters a response broken whole as one letter with its bytes', async () => {
    type Fault = { why: string; reasons: DlqReason[]; spoil: (r: Buffer, at: number) => Buffer };
    const faults = fc.constantFrom<Fault>(
      {
        why: 'truncated',
        reasons: ['parse_error', 'encoding_error'],
        spoil: (r, at) => r.subarray(0, 1 + (at % (r.length - 1))),
      },
      {
        why: 'not UTF-8',
        reasons: ['encoding_error'],
        spoil: (r, at) =>
          Buffer.concat([r.subarray(0, at % r.length), Buffer.from([0xc3, 0x28]), r.subarray(at % r.length)]),
      },
      {
        why: 'an array',
        reasons: ['parse_error'],
        spoil: (r) => Buffer.concat([Buffer.from('['), r, Buffer.from(']')]),
      },
      { why: 'data is a number', reasons: ['parse_error'], spoil: () => Buffer.from('{"data":5}') },
      { why: 'not a response', reasons: ['parse_error'], spoil: () => Buffer.from('{"tweets":[]}') },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(goodPost, { minLength: 1, maxLength: 5 }),
        faults,
        fc.nat(),
        async (posts, fault, at) => {
          const bytes = fault.spoil(response(posts), at);
          const run = await importFile(xPostsSource, folder.write('x.json', bytes));
          expect(run.summary.inputs[0]?.error).toBeUndefined();
          expect(run.summary).toMatchObject({ read: 1, published: 0, dead_lettered: 1 });
          const [letter] = run.sink.letters;
          expect(fault.reasons, fault.why).toContain(letter?.reason);
          expect(letter?.position).toBe('response');
          expect(letter?.raw.equals(keptBytes(bytes, false)), fault.why).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});

/** Defects this suite found in the reader and parser, fixed: each test keeps them fixed. */
describe('fixed defects of the x-posts reader and parser', () => {
  /** JSON text nested `depth` objects deep (JSON.stringify cannot write it). */
  const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('a post nested 20,000 levels deep is one dead letter, and the posts after it are still read', async () => {
    const body = `{"data":[${postText(0, {})},${postText(1, { entities: '@raw@' }, { entities: nested(20_000) })},${postText(2, {})}]}`;
    const run = await importFile(xPostsSource, folder.write('x.json', Buffer.from(body)));
    expect(run.summary.inputs[0]?.error).toBeUndefined();
    expect(run.summary).toMatchObject({ read: 3, published: 2, dead_lettered: 1 });
  });

  it('a created_at on a day that does not exist (Feb 30) is refused, not moved to Mar 1', async () => {
    const body = `{"data":[${postText(0, { created_at: '2024-02-30T10:00:00.000Z' })}]}`;
    const run = await importFile(xPostsSource, folder.write('x.json', Buffer.from(body)));
    expect(run.summary).toMatchObject({ read: 1, published: 0, dead_lettered: 1 });
  });
});

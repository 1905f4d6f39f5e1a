/**
 * `x-posts`: X API v2 responses (get_tweet, get_tweets, get_users_tweets, search_recent_tweets,
 * …) saved as JSON files, one response per file: `{"data": tweet | [tweets], "includes":
 * {"users": [...]}, "meta": {...}}`. One item per tweet in `data`; one post event per tweet.
 *
 * Decisions:
 * - Responses without tweets (get_user, get_users, an empty search page with only `meta`, an
 *   `errors`-only answer) yield no items and are not an error. `includes.tweets` (the referenced
 *   posts) are not imported: they are someone else's posts, pulled in for context.
 * - `created_at` and `author_id` are only present when the request asked for them
 *   (`tweet.fields=created_at,author_id`); a tweet without them is rejected (`schema_invalid`),
 *   never given an invented time or author.
 * - Ids stay strings: a tweet whose id is a JSON number (digits already lost beyond 2^53) is
 *   rejected.
 * - source_record_id is the post id, so a re-import is a no-op; the metrics are those of the
 *   first import (observed_at = that import's start). See {@link postRecordId}.
 */
import type { PostPayloadV1 } from '../../schemas/events/post.ts';
import { decodeText, startsWithRealDate, stringifyOrUndefined } from '../shared/ingest/readers.ts';
import {
  outcome,
  type ImportSource,
  type Item,
  type ParseContext,
  type ParseOutcome,
  type ReadResult,
} from '../shared/ingest/source.ts';
import { stripTokens } from '../shared/urls.ts';

/** A response file larger than this is not an API page: rejected whole as `too_large`. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The author of a tweet as `includes.users` gives it (only the fields we use). */
export interface XUser {
  id: string;
  username: string | null;
  name: string | null;
}

/** One tweet of a response, with its author from the same response when included. */
export interface XTweetItem {
  tweet: unknown;
  author: XUser | null;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A user object (get_user / get_users data): has a username and no text. */
function looksLikeUser(v: unknown): boolean {
  return isObject(v) && typeof v.username === 'string' && !('text' in v);
}

function fault(
  raw: Buffer,
  reason: 'parse_error' | 'too_large' | 'encoding_error',
  detail: string,
): ReadResult<XTweetItem> {
  return { ok: false, fault: { position: 'response', raw, reason, detail } };
}

/**
 * The tweets of one response. Never throws for bad content: invalid JSON, non-UTF-8 bytes, a
 * file over {@link MAX_RESPONSE_BYTES} or a `data` that is neither object nor array become one
 * fault for the whole response.
 */
export async function* readXResponse(stream: AsyncIterable<Buffer>): AsyncGenerator<ReadResult<XTweetItem>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      yield fault(
        Buffer.concat(chunks).subarray(0, 64 * 1024),
        'too_large',
        `response larger than ${MAX_RESPONSE_BYTES} bytes`,
      );
      return;
    }
    chunks.push(chunk);
  }
  let bytes = Buffer.concat(chunks);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const { text, encoding } = decodeText(bytes);
  if (encoding !== 'utf8') {
    yield fault(bytes, 'encoding_error', 'an X API response must be UTF-8');
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    yield fault(bytes, 'parse_error', `invalid JSON: ${(err as Error).message}`);
    return;
  }
  if (!isObject(body)) {
    yield fault(bytes, 'parse_error', 'expected an X API v2 response object {"data": …}');
    return;
  }
  const data = body.data;
  if (data === undefined) {
    // An empty page (`meta.result_count: 0`) or an errors-only answer: nothing to import.
    if ('meta' in body || 'errors' in body) return;
    yield fault(bytes, 'parse_error', 'no "data", "meta" or "errors": not an X API v2 response');
    return;
  }
  if (!isObject(data) && !Array.isArray(data)) {
    yield fault(
      bytes,
      'parse_error',
      `"data" is ${data === null ? 'null' : typeof data}, expected an object or an array`,
    );
    return;
  }
  const users = new Map<string, XUser>();
  const includes = isObject(body.includes) ? body.includes : {};
  if (Array.isArray(includes.users)) {
    for (const u of includes.users) {
      if (isObject(u) && typeof u.id === 'string') {
        users.set(u.id, {
          id: u.id,
          username: typeof u.username === 'string' && u.username !== '' ? u.username : null,
          name: typeof u.name === 'string' && u.name !== '' ? u.name : null,
        });
      }
    }
  }
  const list: unknown[] = Array.isArray(data) ? data : [data];
  for (const [i, tweet] of list.entries()) {
    if (looksLikeUser(tweet)) continue; // get_user / get_users: users, not posts
    const authorId = isObject(tweet) && typeof tweet.author_id === 'string' ? tweet.author_id : undefined;
    const id = isObject(tweet) && typeof tweet.id === 'string' ? ` (id ${tweet.id})` : '';
    const position = Array.isArray(data) ? `data[${i}]${id}` : `data${id}`;
    // Re-serialised: JSON.parse kept every id a string, so no digits are lost.
    const text = stringifyOrUndefined(tweet);
    if (text === undefined) {
      yield {
        ok: false,
        fault: {
          reason: 'parse_error',
          detail: 'the post is nested too deeply to be read',
          position,
          raw: Buffer.from('(nested too deeply to re-serialise; see the response file)'),
        },
      };
      continue;
    }
    yield {
      ok: true,
      item: {
        position,
        raw: Buffer.from(text),
        value: { tweet, author: (authorId !== undefined ? users.get(authorId) : undefined) ?? null },
      },
    };
  }
}

/**
 * The post's source_record_id: its id. Trade-off: the schema lets every observation of a post be
 * its own event (`<post_id>@<observed_at>`, newer metrics supersede older); keying by the post id
 * instead keeps a re-import of the same file a no-op, at the price that a later import of the same
 * post with newer metrics is counted as a duplicate (metrics stay those of the first import).
 */
export function postRecordId(postId: string): string {
  return postId;
}

const DIGITS = /^\d{1,20}$/;

/** Parses one tweet to a post payload. Pure. */
export function parseTweet(value: XTweetItem, ctx: Pick<ParseContext, 'now'>): ParseOutcome {
  const t = value.tweet;
  if (!isObject(t)) return outcome.reject('schema_invalid', 'a tweet must be a JSON object');
  if (typeof t.id === 'number') {
    return outcome.reject(
      'schema_invalid',
      'id is a JSON number (digits beyond 2^53 are lost): X ids must be strings',
    );
  }
  if (typeof t.id !== 'string' || !DIGITS.test(t.id))
    return outcome.reject('schema_invalid', 'id missing or not a string of digits');
  const postId = t.id;

  const missing: string[] = [];
  if (t.created_at === undefined) missing.push('created_at missing (request tweet.fields=created_at)');
  if (t.author_id === undefined) missing.push('author_id missing (request tweet.fields=author_id)');
  if (missing.length > 0) return outcome.reject('schema_invalid', missing.join('; '));

  const createdAt = instantOf(t.created_at);
  if (createdAt === null)
    return outcome.reject(
      'schema_invalid',
      `created_at is not an ISO-8601 instant: ${JSON.stringify(t.created_at)}`,
    );
  if (typeof t.author_id !== 'string' || !DIGITS.test(t.author_id)) {
    return outcome.reject('schema_invalid', 'author_id must be a string of digits');
  }

  const note = isObject(t.note_tweet) ? t.note_tweet : null;
  const text = note && typeof note.text === 'string' ? note.text : t.text;
  if (typeof text !== 'string') return outcome.reject('schema_invalid', 'text missing');

  // A long post's entities are those of note_tweet (they index its full text).
  const entities = note && isObject(note.entities) ? note.entities : isObject(t.entities) ? t.entities : {};

  const refs: PostPayloadV1['referenced_posts'] = [];
  if (t.referenced_tweets !== undefined) {
    if (!Array.isArray(t.referenced_tweets))
      return outcome.reject('schema_invalid', 'referenced_tweets must be an array');
    for (const r of t.referenced_tweets) {
      if (!isObject(r) || typeof r.id !== 'string' || !DIGITS.test(r.id)) {
        return outcome.reject('schema_invalid', 'referenced_tweets[].id must be a string of digits');
      }
      if (r.type !== 'retweeted' && r.type !== 'quoted' && r.type !== 'replied_to') {
        return outcome.reject('schema_invalid', `unknown referenced_tweets type ${JSON.stringify(r.type)}`);
      }
      refs.push({ type: r.type, id: r.id });
    }
  }

  const metrics = metricsOf(t.public_metrics);
  if (typeof metrics === 'string') return outcome.reject('schema_invalid', metrics);

  const conversationId = typeof t.conversation_id === 'string' ? t.conversation_id : null;
  const payload: PostPayloadV1 = {
    platform: 'x',
    post_id: postId,
    account_id: t.author_id,
    account_handle: value.author?.username ?? null,
    account_name: value.author?.name ?? null,
    created_at: createdAt,
    text,
    lang: typeof t.lang === 'string' && t.lang !== '' ? t.lang : null,
    urls: unique(
      list(entities.urls).flatMap((u) => {
        const url = [u.expanded_url, u.unwound_url, u.url].find(
          (x): x is string => typeof x === 'string' && /^https?:\/\//i.test(x),
        );
        return url === undefined ? [] : [stripTokens(url)];
      }),
    ),
    mentions: unique(
      list(entities.mentions).flatMap((m) =>
        typeof m.username === 'string' && m.username !== '' ? [m.username] : [],
      ),
    ),
    hashtags: unique(
      list(entities.hashtags).flatMap((h) => (typeof h.tag === 'string' && h.tag !== '' ? [h.tag] : [])),
    ),
    conversation_id: conversationId,
    in_reply_to_post_id: refs.find((r) => r.type === 'replied_to')?.id ?? null,
    referenced_posts: refs,
    metrics,
    observed_at: ctx.now.toISOString(),
  };
  return outcome.event(postRecordId(postId), createdAt, payload);
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant normalised to UTC `…Z`, or null. */
function instantOf(v: unknown): string | null {
  if (typeof v !== 'string' || !INSTANT.test(v) || !startsWithRealDate(v)) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** public_metrics as count strings; a string when a count is invalid. */
function metricsOf(v: unknown): PostPayloadV1['metrics'] | string {
  const m = isObject(v) ? v : {};
  const out: PostPayloadV1['metrics'] = {
    likes: null,
    reposts: null,
    replies: null,
    quotes: null,
    impressions: null,
    bookmarks: null,
  };
  const fields = [
    ['like_count', 'likes'],
    ['retweet_count', 'reposts'],
    ['reply_count', 'replies'],
    ['quote_count', 'quotes'],
    ['impression_count', 'impressions'],
    ['bookmark_count', 'bookmarks'],
  ] as const;
  for (const [from, to] of fields) {
    const n = m[from];
    if (n === undefined || n === null) continue;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) out[to] = String(n);
    else if (typeof n === 'string' && /^(0|[1-9]\d{0,14})$/.test(n)) out[to] = n;
    else return `public_metrics.${from} is not a whole non-negative count: ${JSON.stringify(n)}`;
  }
  return out;
}

/** `influence import x-posts <response.json…>` */
export const xPostsSource: ImportSource<XTweetItem> = {
  name: 'x-posts',
  eventType: 'post',
  description:
    'X API v2 responses (JSON, one per file): one post per tweet in data, authors from includes.users',
  read: ({ input }) => readXResponse(input.stream),
  parse: (item: Item<XTweetItem>, ctx: ParseContext) => parseTweet(item.value, ctx),
};

/**
 * post v1: one post of a public account (X, Meta, Snap, …) with its engagement metrics as read
 * at `observed_at`. Metrics are cumulative: a newer observation of the same post supersedes an
 * older one (version = observed_at). Each observation is its own event: its source_record_id must
 * include the observation, e.g. `<post_id>@<observed_at>`.
 */
import { z } from 'zod';
import { envelopeOf, Instant } from '../envelope.ts';
import { ExternalId } from '../ids.ts';
import { CountString } from '../ranges.ts';
import { PublicUrl } from '../url.ts';

export const PostPlatform = z.enum(['x', 'meta', 'snap', 'other']);
export type PostPlatform = z.infer<typeof PostPlatform>;

/** Engagement counts as strings; null when the platform did not report one. */
export const PostMetricsV1 = z
  .object({
    likes: CountString.nullable(),
    reposts: CountString.nullable().describe('X retweet_count, Meta shares.'),
    replies: CountString.nullable(),
    quotes: CountString.nullable(),
    impressions: CountString.nullable(),
    bookmarks: CountString.nullable(),
  })
  .strict();

export const ReferencedPostV1 = z
  .object({ type: z.enum(['retweeted', 'quoted', 'replied_to']), id: ExternalId })
  .strict();

const Tag = z.string().min(1).max(512);

export const PostPayloadV1 = z
  .object({
    platform: PostPlatform,
    post_id: ExternalId.describe('A string: X ids exceed 2^53.'),
    account_id: ExternalId.describe('The author account id (X author_id).'),
    account_handle: z.string().min(1).max(256).nullable().describe('Without "@", e.g. "America".'),
    account_name: z.string().min(1).max(512).nullable(),
    created_at: Instant,
    text: z.string().max(100_000).describe('Full text: X note_tweet.text when present.'),
    lang: z.string().min(1).max(16).nullable(),
    urls: z.array(PublicUrl).describe('Expanded URLs, tokens stripped.'),
    mentions: z.array(Tag).describe('Handles without "@".'),
    hashtags: z.array(Tag).describe('Tags without "#".'),
    conversation_id: ExternalId.nullable(),
    in_reply_to_post_id: ExternalId.nullable(),
    referenced_posts: z.array(ReferencedPostV1),
    metrics: PostMetricsV1,
    observed_at: Instant.describe('When the metrics were read: the supersession version.'),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.platform !== 'x') return;
    // X ids are 64-bit integers: digits only catches an id that went through a JS number (1.8e18).
    const ids: [string, string | null][] = [
      ['post_id', p.post_id],
      ['account_id', p.account_id],
      ['conversation_id', p.conversation_id],
      ['in_reply_to_post_id', p.in_reply_to_post_id],
    ];
    for (const [field, id] of ids)
      if (id !== null && !/^\d{1,20}$/.test(id))
        ctx.addIssue({ code: 'custom', path: [field], message: 'an X id is digits as a string' });
  })
  .describe(
    'One post with its metrics as read at observed_at; a newer observed_at supersedes. Zod-only ' +
      'rule: for platform "x", post_id, account_id, conversation_id and in_reply_to_post_id are digits.',
  );
export type PostPayloadV1 = z.infer<typeof PostPayloadV1>;

/** occurred_at: created_at. */
export const PostV1 = envelopeOf('post', PostPayloadV1);
export type PostV1 = z.infer<typeof PostV1>;

/** Kafka key: `<platform>:<account_id>`, so one account's posts stay in order. */
export function postKey(e: PostV1): string {
  return `${e.payload.platform}:${e.payload.account_id}`;
}

/** post → post_observations: the account's sponsor, the petitions it links to, stances, topics. */
import type { PostPayloadV1 } from '../../../schemas/events/post.ts';
import { dateTimeText } from '../clickhouse-text.ts';
import { resolveEntity, UNRESOLVED, type EntityPlatform } from '../entities.ts';
import { stancesOfText, topicsOfText } from '../lexicon.ts';
import { petitionsOfUrls } from '../petitions.ts';
import { sponsorsOf, type Built, type RowContext } from './context.ts';

const PLATFORMS: Readonly<Record<PostPayloadV1['platform'], EntityPlatform | null>> = {
  x: 'x',
  meta: 'meta',
  snap: 'snap',
  other: null,
};

/**
 * The sponsor is the registry entity that lists the account id (America PAC for @America). An
 * account is not resolved by its name: "America" names many accounts, and handles change hands;
 * an unlisted account leaves sponsor_id empty.
 */
export function buildPost({ ref, envelope }: RowContext, p: PostPayloadV1): Built {
  const platform = PLATFORMS[p.platform];
  const sponsor =
    platform === null
      ? UNRESOLVED
      : resolveEntity(ref.entities, { platformIds: [{ platform, id: p.account_id }], nameFallback: false });
  const stances = stancesOfText(ref.lexicon, p.text);
  return {
    fields: {
      ...envelope,
      platform: p.platform,
      post_id: p.post_id,
      account_id: p.account_id,
      account_handle: p.account_handle,
      sponsor_id: sponsor.entity_id,
      sponsor_confidence: sponsor.confidence,
      created_at: dateTimeText(p.created_at, 'created_at'),
      observed_at: dateTimeText(p.observed_at, 'observed_at'),
      text: p.text,
      urls: [...p.urls],
      petition_ids: petitionsOfUrls(ref.petitions, p.urls),
      likes: p.metrics.likes,
      reposts: p.metrics.reposts,
      replies: p.metrics.replies,
      quotes: p.metrics.quotes,
      impressions: p.metrics.impressions,
      stance_subjects: stances.map((s) => s.subject),
      stance_values: stances.map((s) => s.stance),
      topics: topicsOfText(ref.lexicon, p.text),
    },
    key: `${p.platform}:${p.account_id}`,
    sponsors: sponsorsOf(sponsor.entity_id),
  };
}

/**
 * ad v1: a delivery snapshot of one platform ad, as an ad library showed it at `snapshot_at`.
 * Library figures are cumulative: a newer snapshot of the same `platform:ad_id` supersedes an
 * older one (version = snapshot_at), it never adds to it. Spend and impressions are ranges with a
 * point estimate (Meta publishes buckets; Snap exact figures).
 *
 * Each snapshot is its own event: its source_record_id must include the snapshot, e.g.
 * `<ad_id>@<snapshot_at>`, or a later snapshot gets the same event_id and is dropped as a re-import.
 *
 * `granularity: 'advertiser_period'` is a row of the Meta Ad Library *Report* (per advertiser
 * totals over a period, no ad ids): `ad_id` is then an id the import builds from country, period,
 * report date, Page ID and disclaimer (one Page ID can appear under two disclaimers).
 */
import { z } from 'zod';
import { envelopeOf, Instant } from '../envelope.ts';
import { ExternalId, SponsorId } from '../ids.ts';
import { CurrencyCode } from '../money.ts';
import { CountRange, Fraction, MoneyRange } from '../ranges.ts';
import { LinkText, PublicUrl } from '../url.ts';

export const AdPlatform = z.enum(['meta', 'snap', 'google']);
export type AdPlatform = z.infer<typeof AdPlatform>;

const Label = z.string().min(1).max(512);
const Text = z.string().max(100_000);

/** Who the ad was aimed at, as the library states it (names spelled as the source spells them). */
export const AdTargetingV1 = z
  .object({
    countries: z.array(Label).describe('As the source spells them: "US", "united states", …'),
    regions: z.array(Label).describe('Included regions as the source spells them ("Pennsylvania").'),
    excluded_regions: z.array(Label),
    postal_codes: z.array(Label).describe('Included postal codes as strings, leading zeros kept.'),
    excluded_postal_codes: z.array(Label),
    age_min: z.number().int().min(0).max(130).nullable(),
    age_max: z.number().int().min(0).max(130).nullable().describe('Null for an open bracket like "18+".'),
    genders: z.array(Label),
    interests: z.array(Label),
    languages: z.array(Label),
  })
  .strict()
  .refine((t) => t.age_min === null || t.age_max === null || t.age_min <= t.age_max, {
    path: ['age_max'],
    message: 'age_max must be >= age_min',
  });

/** Share of delivery (Meta `delivery_by_region`, legacy `region_distribution`). */
export const RegionShareV1 = z.object({ region: Label, share: Fraction }).strict();

/** The creative as published. Only Meta carries the words; Snap and Google exports carry none. */
export const AdCreativeV1 = z
  .object({
    bodies: z.array(Text).describe('Meta ad_creative_bodies; empty for Snap and Google.'),
    link_titles: z.array(Text).describe('Meta ad_creative_link_titles; empty elsewhere.'),
    link_descriptions: z.array(Text).describe('Meta ad_creative_link_descriptions; empty elsewhere.'),
    link_urls: z.array(LinkText).describe('Landing links as given (may lack a scheme), tokens stripped.'),
    snapshot_url: PublicUrl.nullable().describe('Meta ad_snapshot_url without its access_token.'),
    media_urls: z.array(PublicUrl).describe('Snap CreativeUrl and the like.'),
  })
  .strict();

/**
 * A coded stance of the ad on a subject. From the ad's text (`origin: 'text'`, coder = the
 * classifier, or null) or from a human coder's annotation (`origin: 'coder'`, coder required).
 */
export const AdStanceV1 = z
  .object({
    subject: z.string().min(1).max(256).describe('e.g. "Kamala Harris", "Israel".'),
    stance: z.string().min(1).max(256).describe('e.g. "oppose", "friend of Israel", as coded.'),
    origin: z.enum(['text', 'coder']),
    coder: z.string().min(1).max(256).nullable(),
  })
  .strict()
  .refine((s) => s.origin !== 'coder' || s.coder !== null, {
    path: ['coder'],
    message: "a coder's stance names its coder",
  });

export const AdPayloadV1 = z
  .object({
    platform: AdPlatform,
    ad_id: ExternalId.describe('Meta ad archive id (digits), Snap ADID (64 hex), Google ad id.'),
    snapshot_at: Instant.describe('When the library figures were observed: the supersession version.'),
    granularity: z
      .enum(['ad', 'advertiser_period'])
      .describe('advertiser_period: a Meta Ad Library Report row (advertiser totals for a period).'),
    advertiser_name: Label.describe('Meta page_name, Snap OrganizationName.'),
    advertiser_id: ExternalId.nullable().describe('Meta page id, Google advertiser id.'),
    paying_entity: Label.nullable().describe(
      'Meta bylines/disclaimer (funding_entity), Snap PayingAdvertiserName.',
    ),
    sponsor_committee_id: SponsorId.nullable().describe('The spending committee or sponsor, when known.'),
    currency: CurrencyCode.describe('The currency of spend, as the library reports it (not converted).'),
    spend: MoneyRange.describe('In `currency`.'),
    impressions: CountRange.nullable(),
    delivery_start: Instant.nullable(),
    delivery_end: Instant.nullable().describe(
      'Null while the ad is still running. Kept as the library reports it, even before delivery_start (the Snap library has such rows).',
    ),
    targeting: AdTargetingV1,
    region_distribution: z.array(RegionShareV1).describe('Possibly empty.'),
    creative: AdCreativeV1,
    stance: z.array(AdStanceV1).default([]),
    raw_fields_version: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .describe('The source layout, e.g. "snap-csv-38" (Snap went from 34 to 38 columns).'),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.granularity === 'ad' && a.platform === 'snap' && !/^[0-9a-f]{64}$/.test(a.ad_id))
      ctx.addIssue({ code: 'custom', path: ['ad_id'], message: 'a Snap ADID is 64 lower-case hex digits' });
    if (a.granularity === 'ad' && a.platform === 'meta' && !/^\d{1,24}$/.test(a.ad_id))
      ctx.addIssue({ code: 'custom', path: ['ad_id'], message: 'a Meta ad archive id is digits' });
    if (a.granularity === 'advertiser_period' && a.platform !== 'meta')
      ctx.addIssue({
        code: 'custom',
        path: ['granularity'],
        message: 'only the Meta report is per advertiser',
      });
  })
  .describe(
    'A cumulative delivery snapshot of one ad; a newer snapshot_at supersedes. Zod-only rules: ' +
      'range rules of MoneyRange/CountRange; a Snap ad_id is 64 lower-case hex, a Meta ad_id digits ' +
      '(granularity "ad"); advertiser_period only for meta; ' +
      'age_min <= age_max; a stance of origin "coder" names its coder.',
  );
export type AdPayloadV1 = z.infer<typeof AdPayloadV1>;

/** occurred_at: snapshot_at. */
export const AdV1 = envelopeOf('ad', AdPayloadV1);
export type AdV1 = z.infer<typeof AdV1>;

/** Kafka key: `<platform>:<ad_id>`, so the snapshots of one ad stay in order. */
export function adKey(e: AdV1): string {
  return `${e.payload.platform}:${e.payload.ad_id}`;
}

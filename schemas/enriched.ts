/**
 * The enriched events on `influence.enriched.<type>.v1`: `{ schema_version: 1, type, ...row }`
 * where the row is the one the enrichment (services/enrich) writes to the type's ClickHouse table
 * (infra/clickhouse/migrations/0002_event_tables.sql), field for field, with times as ISO-8601
 * instants in UTC instead of ClickHouse text. Unit tests check that each schema has exactly its
 * table's columns and that every enriched sample event parses.
 *
 * Formats: money as decimal strings with exactly two fraction digits, FX rates with eight,
 * 64-bit counts as digit strings (impressions, metrics, versions), confidences and delivery
 * shares as numbers, absent values as null (never omitted).
 */
import { z } from 'zod';
import { UsStateCode } from './geo.ts';
import { FecCommitteeId, Pseudonym, SponsorId } from './ids.ts';
import { CurrencyCode, IsoDate } from './money.ts';
import { PointMethod } from './ranges.ts';
import type { EventType } from './topics.ts';

/** A UTC instant with milliseconds: `2024-10-19T14:00:00.000Z`. */
export const UtcInstant = z.iso.datetime({ precision: 3 }).meta({
  id: 'UtcInstant',
  description: 'A UTC instant with milliseconds, e.g. "2024-10-19T14:00:00.000Z".',
});

/** An amount with exactly two fraction digits, rounded half to even: `"-250.00"`. */
export const Cents = z
  .string()
  .regex(/^-?\d{1,16}\.\d{2}$/, 'expected a decimal string with two fraction digits')
  .meta({
    id: 'Cents',
    description: 'An amount with exactly two fraction digits, e.g. "-250.00", "124999.50".',
  });

/** USD per unit of a currency with eight fraction digits: `"1.00000000"`, `"0.00695614"`. */
export const UsdRate = z
  .string()
  .regex(/^\d{1,10}\.\d{8}$/, 'expected a decimal string with eight fraction digits')
  .meta({
    id: 'UsdRate',
    description: 'USD per unit of the currency, eight fraction digits; "1.00000000" for USD.',
  });

/** A whole number up to 2^64 - 1 as a string (ClickHouse UInt64). */
export const UInt64String = z
  .string()
  .regex(/^(0|[1-9]\d{0,19})$/, 'expected a whole number as a string')
  .meta({ id: 'UInt64String', description: 'A non-negative whole number as a string (UInt64).' });

/** How an entity id was found (services/enrich/entities.ts). */
export const MatchMethod = z
  .enum(['fec_id', 'sponsor_id', 'platform_id', 'alias', 'normalised_name', 'unresolved'])
  .meta({
    id: 'MatchMethod',
    description:
      'fec_id: the FEC committee id in the record (1); sponsor_id: the first-party sponsor id (1); ' +
      'platform_id: a registered page, advertiser or account id (0.95); alias: a registered name ' +
      '(0.9); normalised_name: name:<slug> or person:<slug> (0.5); unresolved: nothing to go on (0).',
  });

/** 0..1: how sure an entity resolution is. */
const Confidence = z.number().min(0).max(1);

/** A canonical entity id, or '' when unresolved: `C00879510`, `person:musk-elon`, `name:<slug>`. */
const EntityId = z.string().max(512);

const Text = z.string();
const State = UsStateCode.nullable().describe('USPS code, null when unknown.');
const Day = IsoDate;
const NullableDay = IsoDate.nullable();
const Zip5OrNull = z
  .string()
  .regex(/^\d{5}$/)
  .nullable();

/** Columns every enriched event starts and ends with. */
function enriched<T extends EventType, S extends z.ZodRawShape>(type: T, table: string, shape: S) {
  return z
    .object({
      schema_version: z.literal(1),
      type: z.literal(type),
      event_id: z.string().regex(/^[0-9a-f]{32}$/),
      source: Text.min(1),
      source_record_id: Text.min(1),
      ...shape,
      occurred_at: UtcInstant,
      ingested_at: UtcInstant,
    })
    .strict()
    .describe(`An enriched ${type} event: the ${table} row of the raw event.`);
}

export const EnrichedDonationV1 = enriched('donation', 'donation_events', {
  committee_id: FecCommitteeId.describe('Recipient committee as filed (CMTE_ID).'),
  recipient_entity_id: EntityId.describe('Canonical recipient entity.'),
  cycle: z.number().int().min(1970).max(2150).describe('Two-year cycle of contributed_on (an even year).'),
  contributed_on: Day,
  contributor_name: Text.describe('As filed (public FEC record).'),
  donor_entity_id: EntityId.describe(
    'An FEC id for a committee, person:<normalised name> for an individual.',
  ),
  donor_name: Text.describe('Canonical display name of the donor entity.'),
  donor_confidence: Confidence,
  donor_match_method: MatchMethod,
  entity_type: Text.describe('FEC ENTITY_TP or empty.'),
  contributor_state: State,
  contributor_zip5: Zip5OrNull,
  amount: Cents.describe('In currency; negative for a refund.'),
  currency: CurrencyCode,
  amount_usd: Cents,
  fx_rate: UsdRate,
  fx_rate_date: NullableDay.describe('Date of the rate used; null for USD.'),
  memo: z.boolean().describe('MEMO_CD X: counted elsewhere, never summed.'),
  transaction_type: Text,
  transaction_id: Text,
  fec_sub_id: Text,
});
export type EnrichedDonationV1 = z.infer<typeof EnrichedDonationV1>;

export const EnrichedPayoutV1 = enriched('payout', 'payout_filings', {
  payer_committee_id: SponsorId,
  payer_entity_id: EntityId.describe('Canonical payer entity.'),
  payer_name: Text,
  cycle: z.number().int(),
  transaction_id: Text,
  payout_key: Text.describe('<payer_committee_id>:<cycle>:<transaction_id>.'),
  restatement_rank: z.number().int().min(0),
  version: UInt64String.describe('restatement_rank * 2^32 + the first 8 hex digits of event_id.'),
  payee_name: Text.nullable().describe('A business payee (public); null for a private person.'),
  payee_pseudonym: Pseudonym.nullable(),
  purpose: Text,
  category: Text.describe('The channel: canvassing, digital_ads, mail, printing, referral_bounty, …'),
  amount: Cents,
  currency: CurrencyCode,
  amount_usd: Cents,
  fx_rate: UsdRate,
  fx_rate_date: NullableDay,
  paid_on: Day,
  disseminated_on: NullableDay,
  support_oppose: z.enum(['support', 'oppose']).nullable(),
  candidate_id: Text.nullable(),
  candidate_name: Text.nullable(),
  state: State.describe('Where the money was spent: the filed state, else read from the purpose text.'),
  state_method: z.enum(['filed', 'purpose_text', 'candidate_state', 'unknown']),
  is_swing_state: z.boolean(),
  form: Text.describe('F24, F3X, … or first_party.'),
  report_type: Text.nullable(),
  amendment_indicator: Text.nullable(),
  fec_sub_id: Text.nullable(),
  filed_on: NullableDay,
  pdf_url: Text.nullable(),
  source_kind: z.enum(['fec_schedule_e', 'fec_schedule_b', 'fec_ie_bulk', 'first_party']),
});
export type EnrichedPayoutV1 = z.infer<typeof EnrichedPayoutV1>;

const StringList = z.array(Text);

export const EnrichedAdV1 = enriched('ad', 'ad_snapshots', {
  platform: z.enum(['meta', 'snap', 'google']),
  ad_id: Text,
  granularity: z.enum(['ad', 'advertiser_period']),
  snapshot_at: UtcInstant,
  advertiser_name: Text.describe('Meta page_name, Snap OrganizationName.'),
  advertiser_id: Text.nullable(),
  paying_advertiser: Text.nullable().describe('Meta bylines / funding_entity, Snap PayingAdvertiserName.'),
  sponsor_id: EntityId.describe('Canonical sponsor entity (FEC id when known); empty when unresolved.'),
  sponsor_name: Text,
  sponsor_confidence: Confidence,
  sponsor_match_method: MatchMethod,
  currency: CurrencyCode,
  spend_low: Cents,
  spend_high: Cents.nullable().describe('Null: open top range (Meta ">1M").'),
  spend_point: Cents,
  spend_point_method: PointMethod,
  fx_rate: UsdRate,
  fx_rate_date: NullableDay,
  spend_usd_low: Cents,
  spend_usd_high: Cents.nullable(),
  spend_usd_point: Cents,
  impressions_low: UInt64String.nullable(),
  impressions_high: UInt64String.nullable(),
  impressions_point: UInt64String.nullable(),
  impressions_point_method: PointMethod.nullable(),
  delivery_start: UtcInstant.nullable(),
  delivery_end: UtcInstant.nullable(),
  target_states: z.array(UsStateCode).describe('From regions, postal codes and delivery; sorted, distinct.'),
  target_states_method: z.enum(['regions', 'postal_codes', 'delivery', 'country_only', 'unknown']),
  swing_states: z.array(UsStateCode),
  delivery_states: z.array(UsStateCode).describe('Parallel to delivery_shares.'),
  delivery_shares: z.array(z.number().min(0)),
  stance_subjects: StringList.describe('Parallel arrays: one entry per tagged stance.'),
  stance_values: StringList,
  stance_origins: z.array(z.enum(['text', 'coder', 'advertiser'])),
  topics: StringList,
  creative_text: Text.describe('Bodies, titles and descriptions joined by newlines.'),
  link_urls: StringList,
  snapshot_url: Text.nullable(),
});
export type EnrichedAdV1 = z.infer<typeof EnrichedAdV1>;

export const EnrichedAnnotationV1 = enriched('annotation', 'ad_annotations', {
  platform: z.enum(['meta', 'snap', 'google']),
  ad_id: Text,
  ad_set: Text,
  subject: Text.min(1).describe('Canonical subject from the lexicon (e.g. Harris).'),
  stance: Text.min(1).describe('Canonical stance from the lexicon (e.g. pro-Israel).'),
  message: Text,
  transcript: Text,
  coder: Text.min(1),
  coded_on: Day,
});
export type EnrichedAnnotationV1 = z.infer<typeof EnrichedAnnotationV1>;

const Count = UInt64String.nullable();

export const EnrichedPostV1 = enriched('post', 'post_observations', {
  platform: z.enum(['x', 'meta', 'snap', 'other']),
  post_id: Text,
  account_id: Text,
  account_handle: Text.nullable(),
  sponsor_id: EntityId.describe('Canonical entity of the account, when known; else empty.'),
  sponsor_confidence: Confidence,
  created_at: UtcInstant,
  observed_at: UtcInstant,
  text: Text,
  urls: StringList,
  petition_ids: StringList.describe('Petitions the post links to (infra/reference/petitions.json).'),
  likes: Count,
  reposts: Count,
  replies: Count,
  quotes: Count,
  impressions: Count,
  stance_subjects: StringList,
  stance_values: StringList,
  topics: StringList,
});
export type EnrichedPostV1 = z.infer<typeof EnrichedPostV1>;

export const EnrichedSignupV1 = enriched('signup', 'signup_events', {
  petition_id: Text,
  sponsor_id: EntityId.describe('Who runs the petition; empty when unknown.'),
  signed_at: UtcInstant,
  signed_on: Day.describe('UTC day of signed_at.'),
  signer: Pseudonym,
  referrer: Pseudonym.nullable(),
  referred: z.boolean(),
  state: State,
  state_method: z.enum(['filed', 'zip_prefix', 'unknown']),
  is_swing_state: z.boolean(),
  zip5: Zip5OrNull,
  phone_provided: z.boolean(),
  phones_collected: z.number().int().min(0),
  email_provided: z.boolean(),
  channel: Text.describe('utm source or the like; empty when none.'),
});
export type EnrichedSignupV1 = z.infer<typeof EnrichedSignupV1>;

export const EnrichedContactV1 = enriched('contact', 'contact_events', {
  campaign_id: Text,
  attempt_id: Text,
  sponsor_id: EntityId.describe('paid_by_committee_id resolved; empty when unknown.'),
  attempted_at: UtcInstant,
  attempted_on: Day,
  method: z.enum(['door', 'phone', 'text', 'other']),
  outcome: Text,
  contacted: z.boolean().describe('outcome = contacted.'),
  canvasser: Pseudonym.nullable(),
  voter: Pseudonym.nullable(),
  state: State,
  state_method: z.enum(['filed', 'zip_prefix', 'unknown']),
  is_swing_state: z.boolean(),
  zip5: Zip5OrNull,
  petition_signed: z.boolean().nullable(),
});
export type EnrichedContactV1 = z.infer<typeof EnrichedContactV1>;

/** The enriched schema of each event type, and the ClickHouse table its fields mirror. */
export const ENRICHED_SCHEMAS = {
  donation: { schema: EnrichedDonationV1, table: 'donation_events' },
  payout: { schema: EnrichedPayoutV1, table: 'payout_filings' },
  ad: { schema: EnrichedAdV1, table: 'ad_snapshots' },
  annotation: { schema: EnrichedAnnotationV1, table: 'ad_annotations' },
  post: { schema: EnrichedPostV1, table: 'post_observations' },
  signup: { schema: EnrichedSignupV1, table: 'signup_events' },
  contact: { schema: EnrichedContactV1, table: 'contact_events' },
} as const satisfies Record<EventType, { schema: z.ZodObject; table: string }>;

/**
 * contact v1: one canvass or phone attempt and its outcome — an outcome that spending is measured
 * against. Canvasser and voter are private people: only their pseudonyms appear.
 */
import { z } from 'zod';
import { envelopeOf, Instant } from '../envelope.ts';
import { UsStateCode, Zip5 } from '../geo.ts';
import { ExternalId, Pseudonym, SponsorId } from '../ids.ts';

export const ContactMethod = z.enum(['door', 'phone', 'text', 'other']);
export const ContactOutcome = z.enum([
  'contacted',
  'not_home',
  'refused',
  'wrong_number',
  'moved',
  'inaccessible',
  'callback',
  'other',
]);

export const ContactPayloadV1 = z
  .object({
    campaign_id: ExternalId.describe('The canvassing or phone-banking campaign.'),
    attempt_id: ExternalId.describe('Unique within the campaign.'),
    attempted_at: Instant,
    method: ContactMethod,
    outcome: ContactOutcome,
    canvasser: Pseudonym.nullable(),
    voter: Pseudonym.nullable(),
    state: UsStateCode.nullable(),
    zip5: Zip5.nullable(),
    petition_signed: z.boolean().nullable().describe('Null when the attempt did not ask.'),
    paid_by_committee_id: SponsorId.nullable().describe('Who paid for the canvass, when known.'),
  })
  .strict()
  .describe('One canvass or phone attempt and its outcome; canvasser and voter as pseudonyms.');
export type ContactPayloadV1 = z.infer<typeof ContactPayloadV1>;

/** occurred_at: attempted_at. */
export const ContactV1 = envelopeOf('contact', ContactPayloadV1);
export type ContactV1 = z.infer<typeof ContactV1>;

/** Kafka key: the campaign, so one campaign's attempts stay in order. */
export function contactKey(e: ContactV1): string {
  return e.payload.campaign_id;
}

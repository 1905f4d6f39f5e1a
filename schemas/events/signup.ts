/**
 * signup v1: one petition signature — an outcome that spending is measured against. The signer
 * and the referrer are private people: only their pseudonyms appear.
 */
import { z } from 'zod';
import { envelopeOf, Instant } from '../envelope.ts';
import { UsStateCode, Zip5 } from '../geo.ts';
import { ExternalId, Pseudonym } from '../ids.ts';

export const SignupPayloadV1 = z
  .object({
    petition_id: ExternalId,
    signed_at: Instant,
    signer: Pseudonym.describe('Pseudonym of the signer (from their e-mail or phone).'),
    referrer: Pseudonym.nullable().describe('Pseudonym of who referred the signer; null when none.'),
    state: UsStateCode.nullable(),
    zip5: Zip5.nullable(),
    phone_provided: z.boolean(),
    phones_collected: z
      .number()
      .int()
      .min(0)
      .max(100)
      .describe('How many distinct phone numbers this signature brought in.'),
    email_provided: z.boolean(),
    channel: z.string().min(1).max(256).nullable().describe('utm_source or the like.'),
  })
  .strict()
  .describe('One petition signature; signer and referrer as pseudonyms.');
export type SignupPayloadV1 = z.infer<typeof SignupPayloadV1>;

/** occurred_at: signed_at. */
export const SignupV1 = envelopeOf('signup', SignupPayloadV1);
export type SignupV1 = z.infer<typeof SignupV1>;

/** Kafka key: the petition, so one petition's signatures stay in order. */
export function signupKey(e: SignupV1): string {
  return e.payload.petition_id;
}

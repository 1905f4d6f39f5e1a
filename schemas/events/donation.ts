/**
 * donation v1: money in — an itemised contribution to a committee (FEC Schedule A / itcont).
 * Donor names are public FEC records; the amount is negative for a refund.
 */
import { z } from 'zod';
import { envelopeOf } from '../envelope.ts';
import { CurrencyCode, DecimalString, IsoDate } from '../money.ts';

export const DonationPayloadV1 = z
  .object({
    committee_id: z.string().regex(/^C\d{8}$/, 'expected an FEC committee id like C00879510'),
    contributor_name: z.string().min(1).max(256),
    contributor_state: z.string().length(2).optional(),
    contributor_zip: z
      .string()
      .regex(/^\d{5}(\d{4})?$/)
      .optional(),
    amount: DecimalString,
    currency: CurrencyCode.default('USD'),
    contributed_on: IsoDate,
    /** A memo line (MEMO_CD=X) repeats an amount already counted elsewhere; never summed twice. */
    memo: z.boolean().default(false),
    transaction_type: z.string().max(8).optional(),
  })
  .strict();
export type DonationPayloadV1 = z.infer<typeof DonationPayloadV1>;

export const DonationV1 = envelopeOf('donation', DonationPayloadV1);
export type DonationV1 = z.infer<typeof DonationV1>;

/** Kafka key: the recipient committee, so one committee's receipts stay in order. */
export function donationKey(e: DonationV1): string {
  return e.payload.committee_id;
}

/**
 * donation v1: money in — an itemised contribution to a committee (FEC Schedule A / itcont).
 * Donor names are public FEC records; the amount is negative for a refund.
 *
 * The FEC fields are optional because a donation can also come from a first-party webhook that
 * has none of them. From itcont, an import fills every column it has; `fec_sub_id` (SUB_ID) is
 * the unique key of an itcont row and the natural source_record_id.
 */
import { z } from 'zod';
import { envelopeOf } from '../envelope.ts';
import { FecCommitteeId, FecNumericId } from '../ids.ts';
import { CurrencyCode, DecimalString, IsoDate } from '../money.ts';

/** FEC ENTITY_TP: individual, candidate, candidate committee, committee, organization, PAC, party. */
export const FecEntityType = z.enum(['IND', 'CAN', 'CCM', 'COM', 'ORG', 'PAC', 'PTY']);

export const DonationPayloadV1 = z
  .object({
    committee_id: FecCommitteeId.describe('The recipient committee (CMTE_ID).'),
    contributor_name: z
      .string()
      .max(256)
      .describe('NAME as filed (public FEC record); empty when the filing has none (itcont has such rows).'),
    contributor_state: z.string().length(2).optional(),
    contributor_zip: z
      .string()
      .regex(/^\d{5}(\d{4})?$/)
      .optional()
      .describe('ZIP_CODE, 5 or 9 digits, leading zeros kept.'),
    amount: DecimalString.describe('TRANSACTION_AMT; negative for a refund.'),
    currency: CurrencyCode.default('USD'),
    contributed_on: IsoDate.describe('TRANSACTION_DT (MMDDYYYY in itcont) as YYYY-MM-DD.'),
    memo: z
      .boolean()
      .default(false)
      .describe('MEMO_CD = X: the amount is already counted elsewhere; never sum it twice.'),
    transaction_type: z.string().max(8).optional().describe('TRANSACTION_TP, e.g. "15", "15E", "22Y".'),
    entity_type: FecEntityType.optional().describe('ENTITY_TP.'),
    contributor_city: z.string().min(1).max(128).optional().describe('CITY.'),
    contributor_employer: z.string().min(1).max(256).optional().describe('EMPLOYER.'),
    contributor_occupation: z.string().min(1).max(256).optional().describe('OCCUPATION.'),
    memo_text: z.string().min(1).max(1024).optional().describe('MEMO_TEXT.'),
    other_id: z
      .string()
      .regex(/^[A-Z0-9]{9}$/, 'expected a 9-character FEC id')
      .optional()
      .describe('OTHER_ID: the contributing committee or candidate, when not an individual.'),
    report_type: z
      .string()
      .regex(/^[0-9A-Z]{1,4}$/, 'expected an FEC report type like Q3 or 12G')
      .optional()
      .describe('RPT_TP, e.g. "Q3", "M10", "12G", "YE".'),
    amendment_indicator: z
      .enum(['N', 'A', 'T'])
      .optional()
      .describe('AMNDT_IND: N new, A amendment, T termination.'),
    transaction_pgi: z
      .string()
      .regex(/^[A-Z0-9]{1,5}$/)
      .optional()
      .describe('TRANSACTION_PGI: election type and year, e.g. "P2018", or "P".'),
    image_number: FecNumericId.optional().describe('IMAGE_NUM.'),
    file_number: FecNumericId.optional().describe('FILE_NUM.'),
    fec_sub_id: FecNumericId.optional().describe('SUB_ID: the unique key of an FEC itcont row.'),
    transaction_id: z.string().min(1).max(64).optional().describe('TRAN_ID as filed.'),
  })
  .strict()
  .describe('Money in: one itemised contribution to a committee (FEC Schedule A / itcont).');
export type DonationPayloadV1 = z.infer<typeof DonationPayloadV1>;

/** occurred_at: the contribution date at 00:00Z (FEC dates have no time). */
export const DonationV1 = envelopeOf('donation', DonationPayloadV1);
export type DonationV1 = z.infer<typeof DonationV1>;

/** Kafka key: the recipient committee, so one committee's receipts stay in order. */
export function donationKey(e: DonationV1): string {
  return e.payload.committee_id;
}

/**
 * payout v1: money out — one real expenditure of a committee or sponsor: vendor payments from
 * FEC Schedule E (independent expenditures) and Schedule B (disbursements), and first-party
 * payments to private people (lottery awards, referral bounties, canvasser pay).
 *
 * One expenditure is identified by `payout_key` = `<payer_committee_id>:<cycle>:<transaction_id>`
 * (FEC rule: a 24/48-hour notice, F24, is restated on the next F3X with the same transaction id).
 * Every filing of it is its own event (its own source_record_id, e.g. the FEC sub_id); consumers
 * keep, per payout_key, the one with the highest `restatement_rank`. Never dedupe on
 * date + amount + payee: two same-day equal payments to one vendor are two expenditures.
 */
import { z } from 'zod';
import { envelopeOf } from '../envelope.ts';
import { UsStateCode } from '../geo.ts';
import { FecCandidateId, FecNumericId, Pseudonym, SponsorId } from '../ids.ts';
import { CurrencyCode, DecimalString, IsoDate } from '../money.ts';
import { PublicUrl } from '../url.ts';

export const PayoutCategory = z.enum([
  'media',
  'digital_ads',
  'printing',
  'mail',
  'canvassing',
  'field_staff',
  'referral_bounty',
  'lottery_award',
  'canvasser_pay',
  'consulting',
  'travel',
  'fundraising',
  'other',
]);
export type PayoutCategory = z.infer<typeof PayoutCategory>;

export const PayoutSourceKind = z.enum(['fec_schedule_e', 'fec_schedule_b', 'fec_ie_bulk', 'first_party']);
export type PayoutSourceKind = z.infer<typeof PayoutSourceKind>;

/** The filing that reported the payout; all null but `form` for a first-party record. */
export const PayoutFilingV1 = z
  .object({
    form: z
      .string()
      .regex(/^([A-Z0-9]{1,8}|first_party)$/, 'expected an FEC form like F3X or F24, or first_party')
      .describe('"F3X", "F24", "F5", "SB", … or "first_party".'),
    report_type: z
      .string()
      .regex(/^[0-9A-Z]{1,4}$/)
      .nullable()
      .describe('FEC report type: "Q3", "30G", "48", …'),
    amendment_indicator: z.enum(['N', 'A', 'T']).nullable(),
    sub_id: FecNumericId.nullable().describe('FEC sub_id of this filed line.'),
    file_number: FecNumericId.nullable(),
    image_number: FecNumericId.nullable(),
    pdf_url: PublicUrl.nullable(),
    filed_on: IsoDate.nullable(),
  })
  .strict();

/** The identity of one real expenditure across its F24 notice and F3X restatements. */
export function payoutKeyOf(p: {
  payer_committee_id: string;
  cycle: number;
  transaction_id: string;
}): string {
  return `${p.payer_committee_id}:${p.cycle}:${p.transaction_id}`;
}

export const PayoutPayloadV1 = z
  .object({
    payer_committee_id: SponsorId.describe('FEC committee id of the payer, or a first-party sponsor id.'),
    payer_name: z.string().min(1).max(256),
    cycle: z
      .number()
      .int()
      .min(1976)
      .max(2100)
      .multipleOf(2)
      .describe('Two-year election cycle (an even year), as FEC assigns it.'),
    transaction_id: z.string().min(1).max(64).describe('The filer\'s transaction id, e.g. "SE24.644".'),
    payout_key: z
      .string()
      .min(1)
      .describe('<payer_committee_id>:<cycle>:<transaction_id>: one real expenditure across its filings.'),
    payee_name: z
      .string()
      .min(1)
      .max(256)
      .nullable()
      .describe('A business payee as filed (public). Null for a private person.'),
    payee_pseudonym: Pseudonym.nullable().describe(
      'A private payee (lottery winner, referrer, canvasser). At least one of payee_name, payee_pseudonym.',
    ),
    purpose: z.string().min(1).max(1024).describe('Free text as filed, e.g. "CANVASSING/FIELD OPERATIONS".'),
    category: PayoutCategory,
    amount: DecimalString.describe('Negative for a refund or void.'),
    currency: CurrencyCode,
    paid_on: IsoDate.describe('Expenditure or disbursement date.'),
    disseminated_on: IsoDate.nullable().describe('Schedule E dissemination date, when public.'),
    support_oppose: z.enum(['support', 'oppose']).nullable(),
    candidate_id: FecCandidateId.nullable(),
    candidate_name: z.string().min(1).max(256).nullable(),
    candidate_office: z.enum(['P', 'S', 'H']).nullable(),
    candidate_state: z
      .union([UsStateCode, z.literal('US')])
      .nullable()
      .describe('"US" for a presidential candidate, as FEC files it.'),
    candidate_district: z
      .string()
      .regex(/^\d{2}$/, 'expected a 2-digit district')
      .nullable()
      .describe('"00" for at-large, Senate and President.'),
    state: UsStateCode.nullable().describe('Where the money was spent or targeted, when known.'),
    filing: PayoutFilingV1,
    restatement_rank: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .describe('Higher supersedes lower for one payout_key: F24 = 1, F3X original = 2, amendments 3+.'),
    source_kind: PayoutSourceKind,
  })
  .strict()
  .superRefine((p, ctx) => {
    const expected = payoutKeyOf(p);
    if (p.payout_key !== expected)
      ctx.addIssue({ code: 'custom', path: ['payout_key'], message: `expected payout_key ${expected}` });
    if (p.payee_name === null && p.payee_pseudonym === null)
      ctx.addIssue({
        code: 'custom',
        path: ['payee_name'],
        message: 'a payout needs payee_name (business) or payee_pseudonym (private person)',
      });
    if ((p.source_kind === 'first_party') !== (p.filing.form === 'first_party'))
      ctx.addIssue({
        code: 'custom',
        path: ['filing', 'form'],
        message: 'filing.form is first_party exactly when source_kind is first_party',
      });
  })
  .describe(
    'Money out: one filing of one real expenditure. Zod-only rules: payout_key = ' +
      '<payer_committee_id>:<cycle>:<transaction_id>; payee_name or payee_pseudonym is not null; ' +
      'filing.form is "first_party" exactly when source_kind is "first_party".',
  );
export type PayoutPayloadV1 = z.infer<typeof PayoutPayloadV1>;

/** occurred_at: paid_on at 00:00Z. */
export const PayoutV1 = envelopeOf('payout', PayoutPayloadV1);
export type PayoutV1 = z.infer<typeof PayoutV1>;

/** Kafka key: the payer, so one committee's or sponsor's spending stays in order. */
export function payoutKey(e: PayoutV1): string {
  return e.payload.payer_committee_id;
}

/**
 * `payouts`: payments a campaign reports itself — referral bounties ($47 per referred signer),
 * lottery awards ($1M a day), canvasser pay, vendor payments — as payout events.
 *
 * A private payee (the default; a vendor only when `payee_is_vendor` is true) appears only as a
 * pseudonym of their e-mail, else phone, else name; the raw values are never kept. One payment
 * is identified like an FEC expenditure: `<payer>:<cycle>:<payment_id>`, which is also its
 * source_record_id (a re-import is a no-op). occurred_at is paid_on at 00:00Z.
 */
import { PayoutCategory, payoutKeyOf, type PayoutPayloadV1 } from '../../schemas/events/payout.ts';
import { outcome, type ParseContext, type ParseOutcome } from '../shared/ingest/source.ts';
import {
  boolOf,
  dateOf,
  emailOf,
  FieldError,
  idOf,
  moneyOf,
  phoneOf,
  required,
  show,
  sponsorIdOf,
  stateOf,
  text,
  type FirstPartyRecord,
} from './fields.ts';

const CATEGORIES = new Set<string>(PayoutCategory.options);

/** The payout category of `Referral Bounty`, `lottery-award`, …; @throws FieldError when unknown. */
function categoryOf(v: string): PayoutCategory {
  const c = v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (!CATEGORIES.has(c))
    throw new FieldError(`category ${show(v)} is not one of ${PayoutCategory.options.join(', ')}`);
  return c as PayoutCategory;
}

/** One payout record to an outcome. Pure; bad fields are `schema_invalid` rejections. */
export function parsePayout(rec: FirstPartyRecord, ctx: Pick<ParseContext, 'pseudonymize'>): ParseOutcome {
  const transaction_id = idOf(rec, 'payment_id');
  if (transaction_id.length > 64) throw new FieldError('payment_id is longer than 64 characters');
  const paid_on = dateOf(required(rec, 'paid_at'), 'paid_at');
  const payer_committee_id = sponsorIdOf(required(rec, 'payer_committee_id'), 'payer_committee_id');
  const payer_name = required(rec, 'payer_name');
  const year = Number(paid_on.slice(0, 4));
  const cycle = year % 2 === 0 ? year : year + 1;

  let payee_name: string | null = null;
  let payee_pseudonym: string | null = null;
  if (boolOf(rec, 'payee_is_vendor') === true) {
    payee_name = required(rec, 'payee_name');
  } else {
    // A private person: the strongest identifier wins, so payouts join signups and contacts.
    const email = text(rec, 'payee_email');
    const phone = text(rec, 'payee_phone');
    const name = text(rec, 'payee_name');
    if (email !== undefined) payee_pseudonym = ctx.pseudonymize('email', emailOf(email, 'payee_email'));
    else if (phone !== undefined) payee_pseudonym = ctx.pseudonymize('phone', phoneOf(phone, 'payee_phone'));
    else if (name !== undefined) payee_pseudonym = ctx.pseudonymize('name', name);
    else throw new FieldError('payee missing: give payee_email, payee_phone or payee_name');
  }

  const category = categoryOf(required(rec, 'category'));
  const amount = moneyOf(required(rec, 'amount'), 'amount');
  const currency = (text(rec, 'currency') ?? 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new FieldError(`currency is not a 3-letter code: ${show(currency)}`);
  const stateText = text(rec, 'state');
  const payload: PayoutPayloadV1 = {
    payer_committee_id,
    payer_name,
    cycle,
    transaction_id,
    payout_key: payoutKeyOf({ payer_committee_id, cycle, transaction_id }),
    payee_name,
    payee_pseudonym,
    // Kept verbatim (a formula-looking `=HYPERLINK(…)` is data, never evaluated); when blank the
    // category stands in, since every payout needs a purpose.
    purpose: text(rec, 'purpose') ?? category.replace(/_/g, ' '),
    category,
    amount,
    currency,
    paid_on,
    disseminated_on: null,
    support_oppose: null,
    candidate_id: null,
    candidate_name: null,
    candidate_office: null,
    candidate_state: null,
    candidate_district: null,
    state: stateText === undefined ? null : stateOf(stateText, 'state'),
    filing: {
      form: 'first_party',
      report_type: null,
      amendment_indicator: null,
      sub_id: null,
      file_number: null,
      image_number: null,
      pdf_url: null,
      filed_on: null,
    },
    restatement_rank: 1,
    source_kind: 'first_party',
  };
  return outcome.event(payload.payout_key, `${paid_on}T00:00:00Z`, payload);
}

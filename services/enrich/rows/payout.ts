/** payout → payout_filings: payer resolved, where the money went, USD, the filing's version. */
import type { PayoutPayloadV1 } from '../../../schemas/events/payout.ts';
import { dateText, nullableDateText } from '../clickhouse-text.ts';
import { resolveEntity } from '../entities.ts';
import { stateCode, stateFromPurpose } from '../geo.ts';
import { roundDecimal } from '../money.ts';
import { conversion, sponsorsOf, stateColumns, type Built, type RowContext } from './context.ts';

/**
 * `restatement_rank * 2^32 + <first 8 hex digits of event_id>` as a decimal string: the filing
 * with the highest rank wins in ReplacingMergeTree, and two filings of one rank still differ.
 */
export function payoutVersion(restatementRank: number, eventId: string): string {
  return (BigInt(restatementRank) * 2n ** 32n + BigInt(`0x${eventId.slice(0, 8)}`)).toString();
}

/**
 * The state is the filed one; else the trailing ` - <STATE>` of the purpose (a presidential
 * race's Schedule E lines carry none); else the candidate's state for a House or Senate race.
 */
export function buildPayout({ ref, envelope }: RowContext, p: PayoutPayloadV1): Built {
  const paidOn = dateText(p.paid_on, 'paid_on');
  const payer = resolveEntity(ref.entities, { sponsorId: p.payer_committee_id, names: [p.payer_name] });
  const fx = conversion(ref, p.currency, paidOn);
  const candidateState = p.candidate_state === 'US' ? null : stateCode(p.candidate_state);
  return {
    fields: {
      ...envelope,
      payer_committee_id: p.payer_committee_id,
      payer_entity_id: payer.entity_id,
      payer_name: p.payer_name,
      cycle: p.cycle,
      transaction_id: p.transaction_id,
      payout_key: p.payout_key,
      restatement_rank: p.restatement_rank,
      version: payoutVersion(p.restatement_rank, envelope.event_id),
      payee_name: p.payee_name,
      payee_pseudonym: p.payee_pseudonym,
      purpose: p.purpose,
      category: p.category,
      amount: roundDecimal(p.amount, 2),
      currency: p.currency,
      amount_usd: fx.usd(p.amount),
      fx_rate: fx.fx_rate,
      fx_rate_date: fx.fx_rate_date,
      paid_on: paidOn,
      disseminated_on: nullableDateText(p.disseminated_on, 'disseminated_on'),
      support_oppose: p.support_oppose,
      candidate_id: p.candidate_id,
      candidate_name: p.candidate_name,
      ...stateColumns([
        ['filed', p.state],
        ['purpose_text', stateFromPurpose(p.purpose)],
        ['candidate_state', candidateState],
      ]),
      form: p.filing.form,
      report_type: p.filing.report_type,
      amendment_indicator: p.filing.amendment_indicator,
      fec_sub_id: p.filing.sub_id,
      filed_on: nullableDateText(p.filing.filed_on, 'filing.filed_on'),
      pdf_url: p.filing.pdf_url,
      source_kind: p.source_kind,
    },
    key: payer.entity_id,
    sponsors: sponsorsOf(payer.entity_id),
  };
}

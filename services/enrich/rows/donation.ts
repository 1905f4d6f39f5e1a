/** donation → donation_events: recipient and donor resolved, state, cycle, USD. */
import type { DonationPayloadV1 } from '../../../schemas/events/donation.ts';
import { dateText } from '../clickhouse-text.ts';
import { resolveDonor, resolveEntity } from '../entities.ts';
import { stateCode, stateFromZip } from '../geo.ts';
import { roundDecimal } from '../money.ts';
import { conversion, sponsorsOf, type Built, type RowContext } from './context.ts';

/** The two-year FEC cycle of a year: the year itself when even, else the next one. */
export function cycleOf(year: number): number {
  return year % 2 === 0 ? year : year + 1;
}

/**
 * contributor_state is the filed state when it is a US state (FEC files `ZZ` for abroad and
 * AA/AE/AP for military mail, which are null), else the state of the ZIP prefix.
 */
export function buildDonation({ ref, envelope }: RowContext, p: DonationPayloadV1): Built {
  const contributedOn = dateText(p.contributed_on, 'contributed_on');
  const recipient = resolveEntity(ref.entities, { sponsorId: p.committee_id });
  const donor = resolveDonor(ref.entities, p);
  const fx = conversion(ref, p.currency, contributedOn);
  return {
    fields: {
      ...envelope,
      committee_id: p.committee_id,
      recipient_entity_id: recipient.entity_id,
      cycle: cycleOf(Number(contributedOn.slice(0, 4))),
      contributed_on: contributedOn,
      contributor_name: p.contributor_name,
      donor_entity_id: donor.entity_id,
      donor_name: donor.name,
      donor_confidence: donor.confidence,
      donor_match_method: donor.method,
      entity_type: p.entity_type ?? '',
      contributor_state: stateCode(p.contributor_state) ?? stateFromZip(p.contributor_zip, ref.zip3),
      contributor_zip5: p.contributor_zip?.slice(0, 5) ?? null,
      amount: roundDecimal(p.amount, 2),
      currency: p.currency,
      amount_usd: fx.usd(p.amount),
      fx_rate: fx.fx_rate,
      fx_rate_date: fx.fx_rate_date,
      memo: p.memo,
      transaction_type: p.transaction_type ?? '',
      transaction_id: p.transaction_id ?? '',
      fec_sub_id: p.fec_sub_id ?? '',
    },
    key: recipient.entity_id,
    sponsors: sponsorsOf(recipient.entity_id),
  };
}

/** contact → contact_events: who paid for the canvass, the state, whether the voter was reached. */
import type { ContactPayloadV1 } from '../../../schemas/events/contact.ts';
import { dateText, dateTimeText } from '../clickhouse-text.ts';
import { resolveEntity, UNRESOLVED } from '../entities.ts';
import { stateFromZip } from '../geo.ts';
import { sponsorsOf, stateColumns, type Built, type RowContext } from './context.ts';

/** The state is the filed one, else the ZIP prefix's. Canvasser and voter stay pseudonyms. */
export function buildContact({ ref, envelope }: RowContext, p: ContactPayloadV1): Built {
  const attemptedAt = dateTimeText(p.attempted_at, 'attempted_at');
  const sponsor =
    p.paid_by_committee_id === null
      ? UNRESOLVED
      : resolveEntity(ref.entities, { sponsorId: p.paid_by_committee_id });
  return {
    fields: {
      ...envelope,
      campaign_id: p.campaign_id,
      attempt_id: p.attempt_id,
      sponsor_id: sponsor.entity_id,
      attempted_at: attemptedAt,
      attempted_on: dateText(attemptedAt.slice(0, 10), 'attempted_on'),
      method: p.method,
      outcome: p.outcome,
      contacted: p.outcome === 'contacted',
      canvasser: p.canvasser,
      voter: p.voter,
      ...stateColumns([
        ['filed', p.state],
        ['zip_prefix', stateFromZip(p.zip5, ref.zip3)],
      ]),
      zip5: p.zip5,
      petition_signed: p.petition_signed,
    },
    key: p.campaign_id,
    sponsors: sponsorsOf(sponsor.entity_id),
  };
}

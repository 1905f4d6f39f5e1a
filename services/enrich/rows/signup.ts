/** signup → signup_events: the petition's sponsor, the signer's state, referral. */
import type { SignupPayloadV1 } from '../../../schemas/events/signup.ts';
import { dateText, dateTimeText } from '../clickhouse-text.ts';
import { stateFromZip } from '../geo.ts';
import { sponsorOfPetition } from '../petitions.ts';
import { sponsorsOf, stateColumns, type Built, type RowContext } from './context.ts';

/** The state is the filed one, else the ZIP prefix's. Signer and referrer stay pseudonyms. */
export function buildSignup({ ref, envelope }: RowContext, p: SignupPayloadV1): Built {
  const signedAt = dateTimeText(p.signed_at, 'signed_at');
  const sponsor = sponsorOfPetition(ref.petitions, p.petition_id);
  return {
    fields: {
      ...envelope,
      petition_id: p.petition_id,
      sponsor_id: sponsor,
      signed_at: signedAt,
      signed_on: dateText(signedAt.slice(0, 10), 'signed_on'),
      signer: p.signer,
      referrer: p.referrer,
      referred: p.referrer !== null,
      ...stateColumns([
        ['filed', p.state],
        ['zip_prefix', stateFromZip(p.zip5, ref.zip3)],
      ]),
      zip5: p.zip5,
      phone_provided: p.phone_provided,
      phones_collected: p.phones_collected,
      email_provided: p.email_provided,
      channel: p.channel ?? '',
    },
    key: p.petition_id,
    sponsors: sponsorsOf(sponsor),
  };
}

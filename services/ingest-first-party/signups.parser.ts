/**
 * `signups`: petition signatures with their referrer — the outcome that bounties and ads are
 * measured against. The signer is a pseudonym of their e-mail, else phone, else name + ZIP; the
 * referrer of their e-mail, phone or referral code. source_record_id `<petition_id>:<signature_id>`.
 */
import type { SignupPayloadV1 } from '../../schemas/events/signup.ts';
import { outcome, type ParseContext, type ParseOutcome } from '../shared/ingest/source.ts';
import {
  countOf,
  emailOf,
  FieldError,
  idOf,
  instantOf,
  phoneOf,
  required,
  stateOf,
  text,
  zip5Of,
  type FirstPartyRecord,
  personOf,
} from './fields.ts';

/** Upper bound of phones_collected (the schema's): more is a data error. */
const MAX_PHONES = 100;

/** One signup record to an outcome. Pure; bad fields are `schema_invalid` rejections. */
export function parseSignup(rec: FirstPartyRecord, ctx: Pick<ParseContext, 'pseudonymize'>): ParseOutcome {
  const signature_id = idOf(rec, 'signature_id');
  const petition_id = idOf(rec, 'petition_id');
  const signed_at = instantOf(required(rec, 'signed_at'), 'signed_at');
  const stateText = text(rec, 'state');
  const zipText = text(rec, 'zip');
  const zip5 = zipText === undefined ? null : zip5Of(zipText, 'zip');

  const email = text(rec, 'signer_email');
  const phone = text(rec, 'signer_phone');
  const name = text(rec, 'signer_name');
  if (email !== undefined) emailOf(email, 'signer_email');
  if (phone !== undefined) phoneOf(phone, 'signer_phone');
  let signer: string;
  if (email !== undefined) signer = ctx.pseudonymize('email', email);
  else if (phone !== undefined) signer = ctx.pseudonymize('phone', phone);
  // A name alone is too common to identify anyone; with the ZIP it mostly does.
  else if (name !== undefined && zip5 !== null) signer = ctx.pseudonymize('name', `${name}|${zip5}`);
  else throw new FieldError('signer missing: give signer_email, signer_phone, or signer_name with zip');

  const referrer = personOf(rec, ctx.pseudonymize, [
    { key: 'referrer_email', kind: 'email' },
    { key: 'referrer_phone', kind: 'phone' },
    { key: 'referrer_code', kind: 'id' },
  ]);

  const phones_collected = countOf(rec, 'phones_collected') ?? (phone !== undefined ? 1 : 0);
  if (phones_collected > MAX_PHONES)
    throw new FieldError(`phones_collected above ${MAX_PHONES}: ${phones_collected}`);
  const channel = text(rec, 'channel') ?? null;
  if (channel !== null && channel.length > 256) throw new FieldError('channel is longer than 256 characters');

  const payload: SignupPayloadV1 = {
    petition_id,
    signed_at,
    signer,
    referrer,
    state: stateText === undefined ? null : stateOf(stateText, 'state'),
    zip5,
    phone_provided: phone !== undefined,
    phones_collected,
    email_provided: email !== undefined,
    // Kept verbatim: a formula-looking value is data.
    channel,
  };
  return outcome.event(`${petition_id}:${signature_id}`, signed_at, payload);
}

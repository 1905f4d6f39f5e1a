/**
 * `contacts`: canvass and phone/text attempts with their outcome. Canvasser and voter appear only
 * as pseudonyms (canvasser: e-mail, else id; voter: e-mail, else phone, else voter-file id — the
 * same order as signers, so a contacted voter meets their signature). source_record_id
 * `<campaign_id>:<attempt_id>`.
 */
import type { ContactPayloadV1 } from '../../schemas/events/contact.ts';
import { outcome, type ParseContext, type ParseOutcome } from '../shared/ingest/source.ts';
import {
  boolOf,
  FieldError,
  idOf,
  instantOf,
  required,
  show,
  sponsorIdOf,
  stateOf,
  text,
  zip5Of,
  type FirstPartyRecord,
  personOf,
} from './fields.ts';

type Method = ContactPayloadV1['method'];
type Outcome = ContactPayloadV1['outcome'];

/** Spellings seen in canvassing exports (lower case, `_`/`-` as spaces) → method. */
const METHODS: Record<string, Method> = {
  door: 'door',
  'door knock': 'door',
  knock: 'door',
  canvass: 'door',
  canvassing: 'door',
  'in person': 'door',
  phone: 'phone',
  call: 'phone',
  'phone call': 'phone',
  'phone bank': 'phone',
  phonebank: 'phone',
  dial: 'phone',
  text: 'text',
  sms: 'text',
  'text message': 'text',
  txt: 'text',
  'p2p text': 'text',
  p2p: 'text',
  other: 'other',
};

/**
 * Spellings → outcome. "Not reached" on the phone (no answer, voicemail, busy) counts as
 * not_home; a disconnected number as wrong_number. Anything else is rejected, not guessed.
 */
const OUTCOMES: Record<string, Outcome> = {
  contacted: 'contacted',
  contact: 'contacted',
  talked: 'contacted',
  'talked to voter': 'contacted',
  spoke: 'contacted',
  'spoke to voter': 'contacted',
  reached: 'contacted',
  answered: 'contacted',
  canvassed: 'contacted',
  conversation: 'contacted',
  signed: 'contacted',
  'not home': 'not_home',
  nh: 'not_home',
  'nobody home': 'not_home',
  'no one home': 'not_home',
  'no answer': 'not_home',
  na: 'not_home',
  voicemail: 'not_home',
  'left message': 'not_home',
  lm: 'not_home',
  busy: 'not_home',
  refused: 'refused',
  refusal: 'refused',
  ref: 'refused',
  declined: 'refused',
  'not interested': 'refused',
  'hung up': 'refused',
  hostile: 'refused',
  'wrong number': 'wrong_number',
  wn: 'wrong_number',
  'wrong #': 'wrong_number',
  disconnected: 'wrong_number',
  'bad number': 'wrong_number',
  moved: 'moved',
  mv: 'moved',
  'moved away': 'moved',
  'no longer lives here': 'moved',
  inaccessible: 'inaccessible',
  'no access': 'inaccessible',
  gated: 'inaccessible',
  callback: 'callback',
  'call back': 'callback',
  'come back': 'callback',
  cb: 'callback',
  other: 'other',
  'language barrier': 'other',
  deceased: 'other',
};

function spelling(v: string): string {
  return v.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');
}

/** One contact record to an outcome. Pure; bad fields are `schema_invalid` rejections. */
export function parseContact(rec: FirstPartyRecord, ctx: Pick<ParseContext, 'pseudonymize'>): ParseOutcome {
  const campaign_id = idOf(rec, 'campaign_id');
  const attempt_id = idOf(rec, 'attempt_id');
  const attempted_at = instantOf(required(rec, 'attempted_at'), 'attempted_at');
  const methodText = required(rec, 'method');
  const method = METHODS[spelling(methodText)];
  if (method === undefined) throw new FieldError(`method ${show(methodText)} is not door, phone or text`);
  const outcomeText = required(rec, 'outcome');
  const result = OUTCOMES[spelling(outcomeText)];
  if (result === undefined) throw new FieldError(`unknown outcome ${show(outcomeText)}`);

  const canvasser = personOf(rec, ctx.pseudonymize, [
    { key: 'canvasser_email', kind: 'email' },
    { key: 'canvasser_id', kind: 'id' },
  ]);
  const voter = personOf(rec, ctx.pseudonymize, [
    { key: 'voter_email', kind: 'email' },
    { key: 'voter_phone', kind: 'phone' },
    { key: 'voter_id', kind: 'id' },
  ]);

  const stateText = text(rec, 'state');
  const zipText = text(rec, 'zip');
  const paidBy = text(rec, 'paid_by_committee_id');
  const payload: ContactPayloadV1 = {
    campaign_id,
    attempt_id,
    attempted_at,
    method,
    outcome: result,
    canvasser,
    voter,
    state: stateText === undefined ? null : stateOf(stateText, 'state'),
    zip5: zipText === undefined ? null : zip5Of(zipText, 'zip'),
    petition_signed: boolOf(rec, 'petition_signed') ?? null,
    paid_by_committee_id: paidBy === undefined ? null : sponsorIdOf(paidBy, 'paid_by_committee_id'),
  };
  return outcome.event(`${campaign_id}:${attempt_id}`, attempted_at, payload);
}

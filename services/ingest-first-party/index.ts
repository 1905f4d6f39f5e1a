/**
 * First-party records of a campaign — payouts, petition signups, canvass contacts — from CSV or
 * NDJSON files (`influence import payouts|signups|contacts <files…>`), and
 * {@link submissionFromRecord} for single JSON records (the authenticated webhook).
 */
import type { EventType } from '../../schemas/topics.ts';
import { outcome, type ImportSource, type ParseContext, type ParseOutcome } from '../shared/ingest/source.ts';
import { parseContact } from './contacts.parser.ts';
import { FieldError, normaliseRecord, type FirstPartyRecord } from './fields.ts';
import { parsePayout } from './payouts.parser.ts';
import { readRecords } from './records.reader.ts';
import { parseSignup } from './signups.parser.ts';

export type { FirstPartyRecord } from './fields.ts';
export { readRecords } from './records.reader.ts';

/** The first-party sources by CLI name. */
export type FirstPartySourceName = 'payouts' | 'signups' | 'contacts';

/** What a first-party parser needs: pseudonyms, and nothing else from the import. */
export type FirstPartyContext = Pick<ParseContext, 'pseudonymize'> &
  Partial<Pick<ParseContext, 'now' | 'input'>>;

type RecordParser = (rec: FirstPartyRecord, ctx: Pick<ParseContext, 'pseudonymize'>) => ParseOutcome;

const SPECS: Record<
  FirstPartySourceName,
  { eventType: EventType; parse: RecordParser; description: string }
> = {
  payouts: {
    eventType: 'payout',
    parse: parsePayout,
    description: 'Campaign-reported payments (bounties, lottery awards, canvasser pay), CSV or NDJSON',
  },
  signups: {
    eventType: 'signup',
    parse: parseSignup,
    description: 'Petition signatures with referrer, CSV or NDJSON; signers pseudonymized',
  },
  contacts: {
    eventType: 'contact',
    parse: parseContact,
    description: 'Canvass and phone/text attempts with outcome, CSV or NDJSON; people pseudonymized',
  },
};

/** The event type each first-party source produces. */
export const FIRST_PARTY_EVENT_TYPES: Record<FirstPartySourceName, EventType> = {
  payouts: SPECS.payouts.eventType,
  signups: SPECS.signups.eventType,
  contacts: SPECS.contacts.eventType,
};

/**
 * One record (keys are column names, any case) to an outcome: an event submission, or a
 * `schema_invalid` rejection whose detail names the field. Pure and never throws for bad content.
 * The payload still goes through the event schema where the envelope is completed.
 */
export function submissionFromRecord(
  source: FirstPartySourceName,
  record: Record<string, unknown>,
  ctx: FirstPartyContext,
): ParseOutcome {
  return parseRecord(source, normaliseRecord(record), ctx);
}

function parseRecord(
  source: FirstPartySourceName,
  rec: FirstPartyRecord,
  ctx: FirstPartyContext,
): ParseOutcome {
  try {
    return SPECS[source].parse(rec, ctx);
  } catch (err) {
    if (err instanceof FieldError) return outcome.reject('schema_invalid', err.message);
    throw err;
  }
}

function sourceOf(name: FirstPartySourceName): ImportSource<FirstPartyRecord> {
  const spec = SPECS[name];
  return {
    name,
    eventType: spec.eventType,
    description: spec.description,
    sensitive: true,
    read: ({ input }) => readRecords(input),
    parse: (item, ctx) => parseRecord(name, item.value, ctx),
  };
}

export const payoutsSource = sourceOf('payouts');
export const signupsSource = sourceOf('signups');
export const contactsSource = sourceOf('contacts');

/** Every source of this folder, for the CLI. */
export const SOURCES: ImportSource<FirstPartyRecord>[] = [payoutsSource, signupsSource, contactsSource];

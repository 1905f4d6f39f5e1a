/**
 * Bad input, property-based: generated CSV files of payouts, signups and contacts mixing good rows
 * (with injection-looking text in their free-text fields) and broken ones — quoting, field counts,
 * records over the limit, letters in amounts, impossible dates, fields over the schema's limits,
 * e-mails and phones that are not — go through the real reader, parser and importer into memory.
 * Nothing throws; every good row is published with its text kept verbatim; every bad row is
 * one sealed dead letter with its reason, its line and its bytes, and no detail repeats an e-mail
 * or phone number.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildCsv,
  corpusFolder,
  date2024,
  expectCorpusOutcome,
  importFile,
  nastyText,
  notADate,
  notAnAmount,
  plans,
  structurallyBad,
  testPseudonymize,
  type BadRow,
  type Cell,
  type GoodRow,
  type Plan,
} from '../shared/ingest/bad-input.test-support.ts';
import type { DlqReason } from '../../schemas/dlq.ts';
import { contactsSource, payoutsSource, signupsSource } from './index.ts';
import { MAX_RECORD_BYTES } from './records.reader.ts';

const folder = corpusFolder('first-party-bad-input-');
afterAll(() => folder.remove());

const RUNS = { numRuns: 40 };
const SCHEMA: readonly DlqReason[] = ['schema_invalid'];

/** A bad row: a good row with one cell replaced. */
function spoil(
  good: fc.Arbitrary<(i: number) => GoodRow>,
  header: readonly string[],
  spoilers: fc.Arbitrary<Spoiler>,
): fc.Arbitrary<Plan> {
  return fc.record({ base: good, s: spoilers }).map(({ base, s }): Plan => ({
    kind: 'bad',
    label: `${s.why}: ${JSON.stringify(s.set).slice(0, 80)}`,
    row: (i): BadRow => {
      const cells = [...base(i).cells];
      for (const [column, value] of Object.entries(s.set)) cells[header.indexOf(column)] = value;
      return { cells, reasons: SCHEMA, why: s.why };
    },
  }));
}

/** Cells to overwrite in a good row so that it must be refused, and why. */
interface Spoiler {
  set: Record<string, Cell>;
  why: string;
}

/** `column` set to each value of `values`. */
function spoiler(column: string, values: fc.Arbitrary<string>, why = column): fc.Arbitrary<Spoiler> {
  return values.map((v) => ({ set: { [column]: v }, why }));
}

const long = (min: number, max: number, ch = 'N'): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((n) => ch.repeat(n));

/** Amount text and the decimal the parser must make of it. */
const amount = fc.integer({ min: -99_999_999_99, max: 99_999_999_99 }).map((cents) => {
  const abs = Math.abs(cents);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return { text: cents < 0 ? `-${text}` : text, decimal: cents < 0 ? `-${text}` : text };
});

describe('payouts CSV with bad rows', () => {
  const header = [
    'payment_id',
    'paid_at',
    'payer_committee_id',
    'payer_name',
    'payee_name',
    'payee_is_vendor',
    'payee_email',
    'category',
    'purpose',
    'amount',
    'currency',
    'state',
  ];
  const good: fc.Arbitrary<(i: number) => GoodRow> = fc
    .record({
      paid: date2024,
      vendor: fc.boolean(),
      name: nastyText({ maxLength: 256 }),
      purpose: nastyText({ maxLength: 1024 }),
      latin1: fc.boolean(),
      category: fc.constantFrom('referral_bounty', 'lottery_award', 'canvasser_pay', 'Printing', 'media'),
      amount,
    })
    .map((g) => (i: number): GoodRow => {
      const id = `P-${i}`;
      const email = `payee.${i}@example.com`;
      // A spreadsheet saved as latin-1: the line is read as latin-1, so its other cells are ASCII.
      const purpose: Cell = g.latin1 ? { verbatim: Buffer.from('Caf\xe9 cr\xe8me', 'latin1') } : g.purpose;
      const name = g.latin1 ? 'Latin Vendor' : g.name;
      return {
        cells: [
          id,
          g.paid,
          'C00879510',
          'America PAC',
          g.vendor ? name : '',
          g.vendor ? 'true' : 'false',
          g.vendor ? '' : email,
          g.category,
          purpose,
          g.amount.text,
          'USD',
          'PA',
        ],
        recordId: `C00879510:2024:${id}`,
        check: (p) => {
          expect(p.purpose).toBe(g.latin1 ? 'Café crème' : g.purpose.trim());
          expect(p.payee_name).toBe(g.vendor ? name.trim() : null);
          expect(p.payee_pseudonym).toBe(g.vendor ? null : testPseudonymize('email', email));
          expect(p.amount).toBe(g.amount.decimal === '-0.00' ? '0.00' : g.amount.decimal);
          expect(p.paid_on).toBe(g.paid);
        },
      };
    });
  const semantic = spoil(
    good,
    header,
    fc.oneof(
      spoiler('amount', notAnAmount, 'letters in the amount'),
      spoiler('paid_at', notADate, 'not a date'),
      spoiler('payment_id', long(65, 300, 'P'), 'payment_id over 64'),
      spoiler('payer_name', long(257, 600), 'payer_name over 256'),
      spoiler('purpose', long(1025, 3000), 'purpose over 1024'),
      spoiler('category', fc.constantFrom('bribes', 'DROP TABLE', ''), 'category'),
      fc.constantFrom('not-an-email', 'a@b', '@example.com').map((v) => ({
        set: { payee_is_vendor: 'false', payee_email: v },
        why: 'payee_email of a private payee',
      })),
      spoiler('currency', fc.constantFrom('US Dollars', '$', '12'), 'currency'),
      spoiler('state', fc.constantFrom('Atlantis', 'P A'), 'state'),
    ),
  );
  const bad = fc.oneof(
    semantic,
    structurallyBad(good, { maxRecordBytes: MAX_RECORD_BYTES, refusesLatin1: false }),
  );

  it('publishes every good row, dead-letters every bad one', async () => {
    await fc.assert(
      fc.asyncProperty(plans(good, bad), fc.boolean(), async (rows, tail) => {
        const corpus = buildCsv(header, rows, tail);
        const run = await importFile(payoutsSource, folder.write('payouts.csv', corpus.bytes));
        expectCorpusOutcome(run, corpus);
        for (const l of run.sink.letters) {
          expect(l.sealed).toBe(true);
          expect(l.detail).not.toMatch(/@example\.com/);
        }
      }),
      RUNS,
    );
  }, 60_000);
});

describe('signups CSV with bad rows', () => {
  const header = [
    'signature_id',
    'petition_id',
    'signed_at',
    'signer_email',
    'signer_phone',
    'state',
    'zip',
    'channel',
    'phones_collected',
  ];
  const good: fc.Arbitrary<(i: number) => GoodRow> = fc
    .record({
      day: date2024,
      minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
      offset: fc.constantFrom('Z', '-04:00', '+05:30', '-0700'),
      phone: fc.boolean(),
      state: fc.constantFrom('PA', 'pa', 'Pennsylvania', 'GA', 'MI', 'wisconsin'),
      zip: fc.integer({ min: 0, max: 99_999 }).map((z) => String(z).padStart(5, '0')),
      channel: fc.option(nastyText({ maxLength: 256 })),
    })
    .map((g) => (i: number): GoodRow => {
      const id = `S-${i}`;
      const email = `signer.${i}@example.com`;
      const hh = String(Math.floor(g.minutes / 60)).padStart(2, '0');
      const mm = String(g.minutes % 60).padStart(2, '0');
      const at = `${g.day}T${hh}:${mm}:00${g.offset}`;
      const iso = new Date(at.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')).toISOString().replace('.000Z', 'Z');
      return {
        cells: [
          id,
          'ap-petition-2024',
          at,
          email,
          g.phone ? `(215) 555-01${String(i % 100).padStart(2, '0')}` : '',
          g.state,
          g.zip,
          g.channel ?? '',
          '',
        ],
        recordId: `ap-petition-2024:${id}`,
        check: (p) => {
          expect(p.signer).toBe(testPseudonymize('email', email));
          expect(p.signed_at).toBe(iso);
          expect(p.zip5).toBe(g.zip);
          expect(p.channel).toBe(g.channel === null ? null : g.channel.trim());
          expect(p.phones_collected).toBe(g.phone ? 1 : 0);
        },
      };
    });
  const semantic = spoil(
    good,
    header,
    fc.oneof(
      spoiler(
        'signed_at',
        fc.constantFrom('2024-10-20 10:00', '2024-02-30T10:00:00Z', '2024-10-19T24:00:00Z', 'now'),
        'signed_at without zone or impossible',
      ),
      spoiler('signed_at', notADate, 'signed_at not a date'),
      spoiler('signer_email', fc.constantFrom('not-an-email', 'x@y', 'a b@example.com'), 'signer_email'),
      spoiler('signer_phone', fc.constantFrom('555-0100', '215-555-CALL', '1'), 'signer_phone'),
      spoiler('zip', fc.constantFrom('2134', 'ABCDE', '191031', '1910-3'), 'zip'),
      spoiler('channel', long(257, 800, 'c'), 'channel over 256'),
      spoiler('phones_collected', fc.constantFrom('two', '-1', '101', '1.5'), 'phones_collected'),
      spoiler('state', fc.constantFrom('Atlantis', 'XX'), 'state'),
      spoiler('signature_id', long(257, 400, 'S'), 'signature_id over 256'),
    ),
  );
  const bad = fc.oneof(
    semantic,
    structurallyBad(good, { maxRecordBytes: MAX_RECORD_BYTES, refusesLatin1: false }),
  );

  it('publishes every good row, dead-letters every bad one, and no detail repeats a contact', async () => {
    await fc.assert(
      fc.asyncProperty(plans(good, bad), fc.boolean(), async (rows, tail) => {
        const corpus = buildCsv(header, rows, tail);
        const run = await importFile(signupsSource, folder.write('signups.csv', corpus.bytes));
        expectCorpusOutcome(run, corpus);
        for (const l of run.sink.letters) {
          expect(l.sealed).toBe(true);
          expect(l.detail).not.toMatch(/@example\.com|555-01/);
        }
      }),
      RUNS,
    );
  }, 60_000);
});

describe('contacts CSV with bad rows', () => {
  const header = [
    'campaign_id',
    'attempt_id',
    'attempted_at',
    'method',
    'outcome',
    'voter_email',
    'state',
    'zip',
    'petition_signed',
  ];
  const good: fc.Arbitrary<(i: number) => GoodRow> = fc
    .record({
      campaign: nastyText({ maxLength: 256 }),
      day: date2024,
      method: fc.constantFrom(
        ['Door', 'door'],
        ['door knock', 'door'],
        ['canvass', 'door'],
        ['Phone', 'phone'],
        ['call', 'phone'],
        ['SMS', 'text'],
      ),
      outcome: fc.constantFrom(['Not Home', 'not_home'], ['NH', 'not_home'], ['talked', 'contacted']),
      signed: fc.constantFrom(['yes', true], ['N', false], ['', null]),
    })
    .map((g) => (i: number): GoodRow => {
      const attempt = `A-${i}`;
      const email = `voter.${i}@example.com`;
      return {
        cells: [
          g.campaign,
          attempt,
          `${g.day}T18:00:00-05:00`,
          g.method[0],
          g.outcome[0],
          email,
          'NC',
          '28801',
          g.signed[0],
        ],
        recordId: `${g.campaign.trim()}:${attempt}`,
        check: (p) => {
          expect(p.campaign_id).toBe(g.campaign.trim());
          expect(p.voter).toBe(testPseudonymize('email', email));
          expect(p.method).toBe(g.method[1]);
          expect(p.outcome).toBe(g.outcome[1]);
          expect(p.petition_signed).toBe(g.signed[1]);
        },
      };
    });
  const semantic = spoil(
    good,
    header,
    fc.oneof(
      spoiler('method', fc.constantFrom('carrier pigeon', 'telepathy'), 'method'),
      spoiler('outcome', fc.constantFrom('maybe', "'; DROP TABLE contacts; --"), 'outcome'),
      spoiler('attempted_at', notADate, 'attempted_at'),
      spoiler('voter_email', fc.constantFrom('not-an-email', 'voter@', 'v@x'), 'voter_email'),
      spoiler('campaign_id', long(257, 500, 'c'), 'campaign_id over 256'),
      spoiler('petition_signed', fc.constantFrom('perhaps', '2'), 'yes/no'),
      spoiler('attempt_id', fc.constantFrom('', ' '), 'attempt_id missing'),
    ),
  );
  const bad = fc.oneof(
    semantic,
    structurallyBad(good, { maxRecordBytes: MAX_RECORD_BYTES, refusesLatin1: false }),
  );

  it('publishes every good row, dead-letters every bad one', async () => {
    await fc.assert(
      fc.asyncProperty(plans(good, bad), fc.boolean(), async (rows, tail) => {
        const corpus = buildCsv(header, rows, tail);
        const run = await importFile(contactsSource, folder.write('contacts.csv', corpus.bytes));
        expectCorpusOutcome(run, corpus);
        for (const l of run.sink.letters) expect(l.detail).not.toMatch(/@example\.com/);
      }),
      RUNS,
    );
  }, 60_000);
});

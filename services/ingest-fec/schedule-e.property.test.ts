/**
 * Bad input, property-based: generated Schedule E CSV exports (the sample campaign's columns)
 * mixing good lines — payee names and purposes full of injection-looking text, latin-1 bytes,
 * filing links carrying an api_key — with broken ones: quoting, field counts, records over the
 * limit, letters in amounts, impossible dates, ids that are not ids, fields over the schema's
 * limits. Through the real reader, parser and importer into memory: nothing throws, every good
 * line is published with its text kept verbatim and its link without the key, every bad line is
 * one dead letter with its reason, line and bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
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
  type BadRow,
  type Cell,
  type GoodRow,
  type Plan,
} from '../shared/ingest/bad-input.test-support.ts';
import { splitCsvRecord } from '../shared/ingest/readers.ts';
import type { DlqReason } from '../../schemas/dlq.ts';
import { fecScheduleESource, MAX_CSV_RECORD_BYTES } from './schedule-e.parser.ts';

const folder = corpusFolder('schedule-e-bad-input-');
afterAll(() => folder.remove());

const [headerLine, templateLine] = readFileSync(path.join(CAMPAIGN_DIR, 'schedule-e-america-pac.csv'), 'utf8')
  .split('\n')
  .slice(0, 2);
const header = splitCsvRecord(headerLine ?? '') ?? [];
const template = splitCsvRecord(templateLine ?? '') ?? [];
const col = (name: string): number => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`the sample has no column ${name}`);
  return i;
};

/** The template line with some cells replaced. */
function line(set: Record<string, Cell>): Cell[] {
  const cells: Cell[] = [...template];
  for (const [name, value] of Object.entries(set)) cells[col(name)] = value;
  return cells;
}

const good: fc.Arbitrary<(i: number) => GoodRow> = fc
  .record({
    payee: nastyText({ maxLength: 256 }),
    purpose: nastyText({ maxLength: 1024 }),
    latin1: fc.boolean(),
    keyInLink: fc.boolean(),
    paid: date2024,
    cents: fc.integer({ min: -99_999_999_99, max: 99_999_999_99 }),
  })
  .map((g) => (i: number): GoodRow => {
    const subId = `4103020241${String(i).padStart(9, '0')}`;
    const abs = Math.abs(g.cents);
    const amount = `${g.cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
    const link = `https://docquery.fec.gov/cgi-bin/fecimg/?2024100391${String(i).padStart(8, '0')}`;
    const payee: Cell = g.latin1 ? { verbatim: Buffer.from('Caf\xe9 Print Works', 'latin1') } : g.payee;
    return {
      cells: line({
        transaction_id: `SE-${i}`,
        sub_id: subId,
        payee_name: payee,
        // A latin-1 line is read as latin-1 whole: its other cells stay ASCII.
        expenditure_description: g.latin1 ? 'PRINTING' : g.purpose,
        expenditure_date: g.paid,
        dissemination_date: g.paid,
        expenditure_amount: amount,
        pdf_url: g.keyInLink ? `${link}&api_key=SAMPLE-FEC-KEY` : link,
      }),
      recordId: subId,
      check: (p) => {
        expect(p.payee_name).toBe(g.latin1 ? 'Café Print Works' : g.payee.trim());
        expect(p.purpose).toBe(g.latin1 ? 'PRINTING' : g.purpose.trim());
        expect(p.amount).toBe(g.cents === 0 ? '0.00' : amount);
        expect(p.paid_on).toBe(g.paid);
        expect((p.filing as { pdf_url: string }).pdf_url).toBe(link);
      },
    };
  });

/** Cells to overwrite in a good row so that it must be refused for one of `reasons`. */
interface Spoiler {
  set: Record<string, Cell>;
  reasons: DlqReason[];
  why: string;
}
const spoiler = (set: Record<string, Cell>, reasons: DlqReason[], why: string): Spoiler => ({
  set,
  reasons,
  why,
});

const spoilers: fc.Arbitrary<Spoiler> = fc.oneof(
  notAnAmount.map((v) => spoiler({ expenditure_amount: v }, ['parse_error'], 'amount')),
  notADate.map((v) => spoiler({ expenditure_date: v }, ['parse_error'], 'date')),
  fc
    .constantFrom('41030202411x', '-1', '1.5', '', '123456789012345678901')
    .map((v) => spoiler({ sub_id: v }, ['parse_error'], 'sub_id')),
  fc.constant(spoiler({ transaction_id: '' }, ['parse_error'], 'no transaction_id')),
  fc.constant(spoiler({ committee_id: ' ' }, ['parse_error'], 'no committee_id')),
  fc
    .constantFrom('X', 'maybe', "S'; --")
    .map((v) => spoiler({ support_oppose_indicator: v }, ['parse_error'], 'support/oppose')),
  fc
    .constantFrom('Mayor', 'PX', 'Governor')
    .map((v) => spoiler({ candidate_office: v }, ['parse_error'], 'office')),
  fc
    .constantFrom('twenty', '24', '2024.0')
    .map((v) => spoiler({ report_year: v }, ['parse_error'], 'report_year')),
  fc
    .integer({ min: 257, max: 900 })
    .map((n) => spoiler({ payee_name: 'N'.repeat(n) }, ['schema_invalid'], 'payee over 256')),
  fc
    .integer({ min: 1025, max: 3000 })
    .map((n) => spoiler({ expenditure_description: 'P'.repeat(n) }, ['schema_invalid'], 'purpose over 1024')),
  fc
    .integer({ min: 65, max: 200 })
    .map((n) => spoiler({ transaction_id: 'T'.repeat(n) }, ['schema_invalid'], 'transaction_id over 64')),
  fc
    .constantFrom('F3X;DROP', 'f 24', 'F3X-EXTRA-LONG')
    .map((v) => spoiler({ filing_form: v }, ['schema_invalid'], 'form')),
);

const semantic: fc.Arbitrary<Plan> = fc.record({ base: good, s: spoilers }).map(({ base, s }): Plan => ({
  kind: 'bad',
  label: `${s.why}: ${JSON.stringify(s.set).slice(0, 80)}`,
  row: (i): BadRow => {
    const cells = [...base(i).cells];
    for (const [name, value] of Object.entries(s.set)) cells[col(name)] = value;
    return { cells, reasons: s.reasons, why: s.why };
  },
}));
const bad = fc.oneof(
  semantic,
  structurallyBad(good, { maxRecordBytes: MAX_CSV_RECORD_BYTES, refusesLatin1: false }),
);

describe('fec-schedule-e CSV with bad lines', () => {
  it('publishes every good line, dead-letters every bad one', async () => {
    expect(header.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(plans(good, bad), fc.boolean(), async (rows, tail) => {
        const corpus = buildCsv(header, rows, tail);
        const run = await importFile(fecScheduleESource, folder.write('schedule-e.csv', corpus.bytes));
        expectCorpusOutcome(run, corpus);
        for (const e of run.sink.events) expect(e.value).not.toContain('SAMPLE-FEC-KEY');
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});

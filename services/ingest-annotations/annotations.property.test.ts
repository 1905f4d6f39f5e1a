/**
 * Bad input, property-based: generated annotation files mixing good codings — subjects, stances,
 * messages and transcripts full of injection-looking text — with broken rows: quoting, field
 * counts, bytes that are not UTF-8, records over the limit, unknown platforms, ad ids the
 * platform does not spell so, coders with e-mails, impossible dates, line breaks in one-line
 * fields, text over the schema's limits. Through the real reader, parser and importer into
 * memory: nothing throws; every good coding is published with its text kept verbatim; every bad
 * row is one dead letter with its reason, line and bytes.
 */
import { createHash } from 'node:crypto';
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
  plans,
  structurallyBad,
  type BadRow,
  type GoodRow,
  type Plan,
} from '../shared/ingest/bad-input.test-support.ts';
import { annotationRecordId, annotationsSource, REQUIRED_COLUMNS, OPTIONAL_COLUMNS } from './index.ts';
import { MAX_RECORD_BYTES } from './annotation-rows.reader.ts';

const folder = corpusFolder('annotations-bad-input-');
afterAll(() => folder.remove());

const header = [
  'platform',
  'ad_id',
  'ad_set',
  'subject',
  'stance',
  'message',
  'transcript',
  'coder',
  'coded_on',
];
const col = (name: string): number => header.indexOf(name);
const hex64 = (i: number): string => createHash('sha256').update(`ad-${i}`).digest('hex');

const good: fc.Arbitrary<(i: number) => GoodRow> = fc
  .record({
    adSet: nastyText({ maxLength: 256, oneLine: true }),
    subject: nastyText({ maxLength: 256, oneLine: true }),
    stance: nastyText({ maxLength: 256, oneLine: true }),
    message: nastyText({ maxLength: 4096, oneLine: true }),
    transcript: nastyText({ maxLength: 100_000 }),
    coded: date2024,
  })
  .map((g) => (i: number): GoodRow => {
    const adId = hex64(i);
    const coder = `sample-ad-research-group/coder-${i}`;
    return {
      cells: ['snap', adId, g.adSet, g.subject, g.stance, g.message, g.transcript, coder, g.coded],
      recordId: annotationRecordId({
        platform: 'snap',
        ad_id: adId,
        coder,
        subject: g.subject.trim(),
        coded_on: g.coded,
      }),
      check: (p) => {
        expect(p).toEqual({
          platform: 'snap',
          ad_id: adId,
          ad_set: g.adSet.trim(),
          subject: g.subject.trim(),
          stance: g.stance.trim(),
          message: g.message.trim(),
          transcript: g.transcript.trim(),
          coder,
          coded_on: g.coded,
        });
      },
    };
  });

const spoilers: fc.Arbitrary<{ set: Record<string, string>; why: string }> = fc.oneof(
  fc.constantFrom('myspace', 'snapchat', '').map((v) => ({ set: { platform: v }, why: 'platform' })),
  fc
    .constantFrom('XYZ', hex64(0).toUpperCase(), `${hex64(0)}:1`, hex64(0).slice(2))
    .map((v) => ({ set: { ad_id: v }, why: 'ad_id' })),
  fc.constant({ set: { platform: 'meta', ad_id: 'abc' }, why: 'meta ad_id not digits' }),
  fc.constantFrom('', '   ').map((v) => ({ set: { subject: v }, why: 'no subject' })),
  fc
    .constantFrom('coder@example.com/a', 'no-slash', '/x', 'group/', 'a:b/c')
    .map((v) => ({ set: { coder: v }, why: 'coder' })),
  notADate.map((v) => ({ set: { coded_on: v }, why: 'coded_on' })),
  fc
    .constantFrom('subject', 'stance', 'message', 'ad_set')
    .map((c) => ({ set: { [c]: 'one\nline break' }, why: `${c} with a line break` })),
  fc
    .integer({ min: 257, max: 1000 })
    .map((n) => ({ set: { stance: 's'.repeat(n) }, why: 'stance over 256' })),
  fc
    .integer({ min: 4097, max: 9000 })
    .map((n) => ({ set: { message: 'm'.repeat(n) }, why: 'message over 4096' })),
);
const semantic: fc.Arbitrary<Plan> = fc.record({ base: good, s: spoilers }).map(({ base, s }): Plan => ({
  kind: 'bad',
  label: `${s.why}: ${JSON.stringify(s.set).slice(0, 80)}`,
  row: (i): BadRow => {
    const cells = [...base(i).cells];
    for (const [name, value] of Object.entries(s.set)) cells[col(name)] = value;
    return { cells, reasons: ['schema_invalid'], why: s.why };
  },
}));
const bad = fc.oneof(
  semantic,
  structurallyBad(good, { maxRecordBytes: MAX_RECORD_BYTES, refusesLatin1: true }),
);

describe('annotations CSV with bad rows', () => {
  it('publishes every good coding verbatim, dead-letters every bad row', async () => {
    expect([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].sort()).toEqual([...header].sort());
    await fc.assert(
      fc.asyncProperty(plans(good, bad), fc.boolean(), async (rows, tail) => {
        const corpus = buildCsv(header, rows, tail);
        const run = await importFile(annotationsSource, folder.write('annotations.csv', corpus.bytes));
        expectCorpusOutcome(run, corpus);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

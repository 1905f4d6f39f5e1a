/**
 * Test support for the bad-input property suites (`*.property.test.ts` beside each source): text
 * that looks like an injection, CSV corpora of good rows mixed with malformed ones whose count and
 * line are known, a run through the real importer into memory, and the checks every suite makes —
 * nothing thrown, `read = published + dead_lettered + duplicates`, every good row published with
 * its values kept as data, every bad row dead-lettered with a reason, its position and its bytes.
 * Not used by production code.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { DlqReason } from '../../../schemas/dlq.ts';
import { EVENT_SPECS } from '../../../schemas/events/index.ts';
import { redactTokenParams } from '../urls.ts';
import type { EventType } from '../../../schemas/topics.ts';
import type { DeadLetter } from '../dlq.ts';
import { silentLogger } from '../logger.ts';
import { createPseudonymizer, type Pseudonymizer } from '../pseudonym.ts';
import { createSealer } from '../seal.ts';
import { runImport, type ImportSummary } from './importer.ts';
import { MemorySink } from './memory-sink.ts';
import type { ImportSource } from './source.ts';

/** Values that look like SQL, ClickHouse parameters, markup, formulas or escapes: data, always. */
export const INJECTION_STRINGS: readonly string[] = [
  "'; DROP TABLE raw_events; --",
  "Robert'); DROP TABLE students;--",
  '" OR 1=1 --',
  "' OR '1'='1",
  '{x:String}',
  '{ids:Array(String)}',
  '\u0000',
  'nul\u0000byte',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://example.com/x","click me")',
  "=cmd|' /C calc'!A0",
  '${7*7} {{7*7}} #{7*7}',
  '\\N',
  '\\t\\n\\\\ \\x41',
  '%s%n%x%d',
  '../../etc/passwd',
  'INSERT INTO raw_events FORMAT JSONEachRow {"event_id":"x"}',
  '`backtick` "double" \'single\'',
  'SELECT * FROM system.users FORMAT JSONEachRow',
  'comma, inside',
  '   padded   ',
  'ünïcödé ✓ Ж 中 😀 \u2028',
];

/** Characters special to CSV, SQL, TSV escaping, JSON, HTML or UTF-8. */
const NASTY_CHARS = [
  ...'ab XYZ019',
  "'",
  '"',
  '`',
  '\\',
  '\t',
  '\n',
  '\0',
  ';',
  ',',
  '-',
  '{',
  '}',
  ':',
  '<',
  '>',
  '&',
  '=',
  '%',
  '$',
  'é',
  '中',
  '😀',
  '\u2028',
];

/**
 * Free text for name-like fields: an injection string, random text over {@link NASTY_CHARS}, or
 * both. Never blank once trimmed (parsers treat blank as absent), never a carriage return (a CSV
 * reader drops the `\r` of a `\r\n` inside quotes), never longer than `maxLength` once trimmed.
 */
export function nastyText(opts: { maxLength: number; oneLine?: boolean }): fc.Arbitrary<string> {
  const char = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_CHARS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  );
  const random = fc.string({ unit: char, minLength: 1, maxLength: Math.min(40, opts.maxLength) });
  const injection = fc.constantFrom(...INJECTION_STRINGS);
  return fc
    .oneof(
      injection,
      random,
      fc.tuple(injection, random).map(([a, b]) => `${a} ${b}`),
    )
    .filter(
      (s) =>
        s.trim() !== '' &&
        !s.includes('\r') &&
        !(opts.oneLine && /[\n\u2028]/.test(s)) &&
        s.trim().length <= opts.maxLength,
    );
}

/** A date `YYYY-MM-DD` in 2024. */
export const date2024: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 365 })
  .map((d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10));

/** Letters where an amount belongs, numbers in other notations, or nothing numeric at all. */
export const notAnAmount: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('forty-seven', '12a.00', '1e6', '1,00', '1.2.3', '$$5', 'NaN', 'Infinity', '0x10', '--5'),
  fc.string({ unit: fc.constantFrom(...'abcxyz'), minLength: 1, maxLength: 8 }),
);

/** Impossible dates, dates in other orders, and words. */
export const notADate: fc.Arbitrary<string> = fc.constantFrom(
  '2024-02-30',
  '2024-13-01',
  '2023-02-29',
  '30/02/2024',
  '2024/10/19x',
  'yesterday',
  '19 Oct 2024',
  '20241019',
  '2024-1-9',
  'Q3',
);

/** A cell: text to be CSV-quoted as needed, or bytes written as they are (broken on purpose). */
export type Cell = string | { verbatim: string | Buffer };

/** A row that must be published; `check` sees its payload. */
export interface GoodRow {
  cells: readonly Cell[];
  recordId: string;
  check?: (payload: Record<string, unknown>) => void;
}

/** A row that must be dead-lettered for one of `reasons`. */
export interface BadRow {
  cells: readonly Cell[];
  reasons: readonly DlqReason[];
  why: string;
}

/** One row of a corpus; `i` (its index) keeps record ids unique. */
export type Plan =
  | { kind: 'good'; row: (i: number) => GoodRow }
  /** `label` names the fault, so a counterexample says which it is. */
  | { kind: 'bad'; label: string; row: (i: number) => BadRow }
  /** The bytes of an earlier good row again: a duplicate. */
  | { kind: 'dup'; of: number };

/** A CSV field, quoted when it holds a quote, comma or line break or starts or ends with space. */
export function csvField(v: string): string {
  return /[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The bytes of one CSV record (no line break after it). */
export function csvLine(cells: readonly Cell[]): Buffer {
  const parts: Buffer[] = [];
  cells.forEach((c, i) => {
    if (i > 0) parts.push(Buffer.from(','));
    parts.push(typeof c === 'string' ? Buffer.from(csvField(c)) : Buffer.from(c.verbatim));
  });
  return Buffer.concat(parts);
}

/**
 * Rows that are broken whatever the source: a quote with text after it, one field too many or too
 * few, bytes that are not UTF-8 (for sources that refuse them), a record over the reader's limit.
 */
export function structurallyBad(
  good: fc.Arbitrary<(i: number) => GoodRow>,
  opts: { maxRecordBytes: number; refusesLatin1: boolean },
): fc.Arbitrary<Plan> {
  type How = 'quote' | 'extra' | 'missing' | 'utf8' | 'huge';
  const hows: How[] = [
    'quote',
    'extra',
    'missing',
    'huge',
    ...(opts.refusesLatin1 ? (['utf8'] as const) : []),
  ];
  return fc
    .record({
      base: good,
      how: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...hows.filter((h) => h !== 'huge')) },
        { weight: 1, arbitrary: fc.constant<How>('huge') },
      ),
      at: fc.nat(),
    })
    .map(({ base, how, at }): Plan => ({
      kind: 'bad',
      label: `${how} at cell ${at}`,
      row: (i) => {
        const cells = [...base(i).cells];
        const k = at % cells.length;
        switch (how) {
          case 'quote':
            cells[k] = { verbatim: '"quoted"then text' };
            return { cells, reasons: ['parse_error'], why: 'text after a closing quote' };
          case 'extra':
            return { cells: [...cells, 'one too many'], reasons: ['parse_error'], why: 'an extra field' };
          case 'missing':
            return { cells: cells.slice(0, -1), reasons: ['parse_error'], why: 'a field missing' };
          case 'utf8':
            cells[k] = { verbatim: Buffer.from([0x41, 0xff, 0xfe, 0xc3, 0x28, 0x42]) };
            return { cells, reasons: ['encoding_error'], why: 'bytes that are not UTF-8' };
          case 'huge': {
            // One line: the readers cut an over-long record at the line where it passes the
            // limit and go on with the next line, so the rest of a quoted multi-line field would
            // be read as records of its own (a trade-off that favours unclosed quotes).
            const flat = cells.map((c) => (typeof c === 'string' ? c.replace(/\n/g, ' ') : c));
            flat[k] = 'x'.repeat(opts.maxRecordBytes + 16);
            return { cells: flat, reasons: ['too_large'], why: 'a record over the limit' };
          }
        }
      },
    }));
}

/** A corpus as written and what each of its rows must become. */
export interface Corpus {
  bytes: Buffer;
  goods: { recordId: string; line: number; check?: (payload: Record<string, unknown>) => void }[];
  bads: { line: number; bytes: Buffer; reasons: readonly DlqReason[]; why: string }[];
  duplicates: number;
}

/**
 * Writes `header` and the rows of `plans`, one record per row (a quoted line break continues the
 * record), with a final line break unless `unclosedTail` adds a last record whose quote never
 * closes (a truncated file), which must be one more dead letter.
 */
export function buildCsv(header: readonly string[], plans: readonly Plan[], unclosedTail = false): Corpus {
  const records: Buffer[] = [csvLine(header)];
  const goods: Corpus['goods'] = [];
  const goodBytes: Buffer[] = [];
  const bads: Corpus['bads'] = [];
  let duplicates = 0;
  let line = 1 + newlines(records[0] as Buffer) + 1;
  const add = (bytes: Buffer): number => {
    const at = line;
    records.push(bytes);
    line += newlines(bytes) + 1;
    return at;
  };
  plans.forEach((plan, i) => {
    if (plan.kind === 'dup' && goodBytes.length > 0) {
      add(goodBytes[plan.of % goodBytes.length] as Buffer);
      duplicates++;
      return;
    }
    if (plan.kind === 'bad') {
      const row = plan.row(i);
      const bytes = csvLine(row.cells);
      bads.push({ line: add(bytes), bytes, reasons: row.reasons, why: row.why });
      return;
    }
    if (plan.kind === 'good') {
      const row = plan.row(i);
      const bytes = csvLine(row.cells);
      goodBytes.push(bytes);
      goods.push({ recordId: row.recordId, line: add(bytes), ...(row.check ? { check: row.check } : {}) });
    }
  });
  let bytes = Buffer.concat(records.flatMap((r) => [r, Buffer.from('\n')]));
  if (unclosedTail) {
    const tail = Buffer.from('"a record whose quote never closes,cut here');
    bads.push({ line, bytes: tail, reasons: ['parse_error'], why: 'the file ends inside a quote' });
    bytes = Buffer.concat([bytes, tail]);
  }
  return { bytes, goods, bads, duplicates };
}

function newlines(b: Buffer): number {
  let n = 0;
  for (let at = b.indexOf(0x0a); at >= 0; at = b.indexOf(0x0a, at + 1)) n++;
  return n;
}

/** The rows of a corpus: good, structurally or semantically bad, and repeats. */
export function plans(
  good: fc.Arbitrary<(i: number) => GoodRow>,
  bad: fc.Arbitrary<Plan>,
  opts: { maxRows?: number } = {},
): fc.Arbitrary<Plan[]> {
  return fc.array(
    fc.oneof(
      { weight: 5, arbitrary: good.map((row): Plan => ({ kind: 'good', row })) },
      { weight: 4, arbitrary: bad },
      { weight: 1, arbitrary: fc.nat().map((of): Plan => ({ kind: 'dup', of })) },
    ),
    { minLength: 1, maxLength: opts.maxRows ?? 24 },
  );
}

/** The pseudonymizer and sealer of the suites (a fixed test key). */
export const TEST_KEY = Buffer.alloc(32, 5);
export const testPseudonymize: Pseudonymizer = createPseudonymizer(TEST_KEY);
export const testSealer = createSealer(TEST_KEY);

/** A folder for corpus files; `remove()` deletes it (call it in afterAll). */
export function corpusFolder(prefix: string): { write(name: string, bytes: Buffer): string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  let n = 0;
  return {
    write(name, bytes) {
      const sub = path.join(dir, String(++n));
      mkdirSync(sub);
      const file = path.join(sub, name);
      writeFileSync(file, bytes);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What an import of one input gave. */
export interface CorpusRun {
  summary: ImportSummary;
  sink: MemorySink;
  file: string;
}

/** Imports `file` with the real importer into memory (sealing dead letters of sensitive sources). */
export async function importFile(
  source: ImportSource<unknown>,
  file: string,
  now = new Date('2024-11-06T12:00:00Z'),
): Promise<CorpusRun> {
  const sink = new MemorySink();
  const summary = await runImport({
    source,
    inputs: [file],
    sink,
    pseudonymize: testPseudonymize,
    log: silentLogger,
    now: () => now,
    ...(source.sensitive ? { seal: (raw: Buffer) => testSealer.seal(raw) } : {}),
  });
  return { summary, sink, file };
}

/** Published events by source_record_id. */
export function eventsByRecordId(
  sink: MemorySink,
): Map<string, { value: string; payload: Record<string, unknown> }> {
  const out = new Map<string, { value: string; payload: Record<string, unknown> }>();
  for (const e of sink.events) {
    const v = JSON.parse(e.value) as { source_record_id: string; payload: Record<string, unknown> };
    out.set(v.source_record_id, { value: e.value, payload: v.payload });
  }
  return out;
}

/** The bytes a dead letter kept: opened when sealed (first-party sources). */
export function letterBytes(letter: DeadLetter): Buffer {
  return letter.sealed ? testSealer.open(letter.raw) : letter.raw;
}

/**
 * What a dead letter keeps of `raw`: the bytes as received, except that unsealed letters have
 * the access tokens of their URLs redacted (they reach Kafka and ClickHouse).
 */
export function keptBytes(raw: Buffer, sealed: boolean): Buffer {
  return sealed ? raw : redactTokenParams(raw);
}

/**
 * The checks of every corpus: the import did not fail; the counts add up; each good row's event
 * was published once and passes its check; each bad row, in order, is one dead letter with a
 * known reason, a detail, the step and input, `line N` of where the row starts (through
 * `position`), and its bytes (a too_large letter keeps the first bytes).
 */
export function expectCorpusOutcome(
  run: CorpusRun,
  corpus: Corpus,
  opts: { position?: (line: number) => RegExp } = {},
): void {
  const { summary, sink } = run;
  const position = opts.position ?? ((line: number) => new RegExp(`\\bline ${line}\\b`));
  expect(summary.inputs[0]?.error).toBeUndefined();
  expect(summary.unreadable).toBe(0);
  expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
  expect({
    published: summary.published,
    dead_lettered: summary.dead_lettered,
    duplicates: summary.duplicates,
  }).toEqual({
    published: corpus.goods.length,
    dead_lettered: corpus.bads.length,
    duplicates: corpus.duplicates,
  });
  const events = eventsByRecordId(sink);
  expect([...events.keys()].sort()).toEqual(corpus.goods.map((g) => g.recordId).sort());
  for (const g of corpus.goods) {
    const e = events.get(g.recordId);
    expect(e, `the good row at line ${g.line}`).toBeDefined();
    if (!e) continue;
    const event = JSON.parse(e.value) as { type: EventType };
    expect(EVENT_SPECS[event.type]?.envelope.safeParse(event).success).toBe(true);
    g.check?.(e.payload);
  }
  expect(sink.letters).toHaveLength(corpus.bads.length);
  corpus.bads.forEach((bad, k) => {
    const letter = sink.letters[k] as DeadLetter;
    const what = `${bad.why} at line ${bad.line}: ${letter.reason} ${letter.position} ${letter.detail.slice(0, 200)}`;
    expect(DlqReason.options, what).toContain(letter.reason);
    expect(bad.reasons, what).toContain(letter.reason);
    expect(letter.detail.trim(), what).not.toBe('');
    expect(letter.step, what).toBe(`import:${run.summary.source}`);
    expect(letter.source, what).toBe(run.file);
    expect(letter.position ?? '', what).toMatch(position(bad.line));
    const kept = letterBytes(letter);
    if (letter.reason === 'too_large') {
      expect(kept.length, what).toBeGreaterThan(0);
      expect(
        keptBytes(bad.bytes, letter.sealed ?? false)
          .subarray(0, kept.length)
          .equals(kept),
        what,
      ).toBe(true);
    } else {
      expect(kept.toString('latin1'), what).toBe(
        keptBytes(bad.bytes, letter.sealed ?? false).toString('latin1'),
      );
    }
  });
}

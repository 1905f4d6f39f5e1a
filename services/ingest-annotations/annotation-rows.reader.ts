/**
 * Reading an annotations CSV: header-bound rows, streaming.
 *
 * Columns are bound by name (trimmed, any case, spaces and dashes read as `_`), in any order;
 * columns this source does not know are ignored. The header is checked when the file is opened:
 * a file without a required column (or repeating a known one) cannot be bound at all, so it is
 * unreadable as a whole, with the missing names in the error, instead of yielding one identical
 * dead letter per row. Every later record is one row; records that are not rows (malformed
 * quoting, another field count than the header, bytes that are not UTF-8) become faults with
 * their line and raw bytes, and reading goes on.
 *
 * Two rows that give the same record id (platform, ad, coder, subject, date) but different
 * codings would otherwise meet the importer's duplicate check and the later one would vanish
 * silently: the reader dead-letters the later one, naming the line that was kept. Identical rows
 * are left to the importer, which counts them as duplicates.
 */
import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import {
  InputUnreadableError,
  openInput,
  readCsv,
  splitCsvRecord,
  type OpenInput,
} from '../shared/ingest/readers.ts';
import type { ReadResult } from '../shared/ingest/source.ts';
import { annotationRecordId, codeForParser } from './annotations.parser.ts';

/** Columns without which a row is not an annotation. */
export const REQUIRED_COLUMNS = ['platform', 'ad_id', 'subject', 'stance', 'coder', 'coded_on'] as const;
/** Columns that may be left out of a file: their values are then empty. */
export const OPTIONAL_COLUMNS = ['ad_set', 'message', 'transcript'] as const;

export type AnnotationColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** One data row: the cell of each known column, undefined when the file has no such column. */
export type AnnotationCells = Partial<Record<AnnotationColumn, string>>;

/** A record longer than this (a transcript of ~1 MiB) is a `too_large` fault. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** The header must end within this many bytes: a longer one is an unclosed quote, not a header. */
const MAX_HEADER_BYTES = 64 * 1024;

/** Distinct codings remembered per file to detect conflicting rows (hand-coded files are small). */
const MAX_REMEMBERED = 1_000_000;

const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

/** `Ad ID` → `ad_id`, ` Coded-On ` → `coded_on`. */
export function normaliseColumn(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** A header bound to the known columns, or why it cannot be. */
export type HeaderBinding =
  { ok: true; width: number; index: ReadonlyMap<AnnotationColumn, number> } | { ok: false; detail: string };

/** Binds header fields to the known columns; unknown names are ignored. */
export function bindHeader(fields: readonly string[]): HeaderBinding {
  const names = fields.map(normaliseColumn);
  const repeated = [...new Set(names.filter((n, i) => KNOWN.has(n) && names.indexOf(n) !== i))];
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0 || repeated.length > 0) {
    const problems = [
      ...(missing.length > 0 ? [`required column(s) missing from the header: ${missing.join(', ')}`] : []),
      ...(repeated.length > 0 ? [`the header repeats the column(s) ${repeated.join(', ')}`] : []),
    ];
    const only = fields.length === 1 ? (fields[0] ?? '') : '';
    const hint = /[;\t|]/.test(only)
      ? ' — the header is one column: is the file delimited by something other than a comma?'
      : '';
    return {
      ok: false,
      detail: `${problems.join('; ')}${hint} (header: ${fields.join(',').slice(0, 300)})`,
    };
  }
  const index = new Map<AnnotationColumn, number>();
  names.forEach((n, i) => {
    if (KNOWN.has(n)) index.set(n as AnnotationColumn, i);
  });
  return { ok: true, width: fields.length, index };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function utf8Text(raw: Buffer): string | undefined {
  try {
    return utf8.decode(raw);
  } catch {
    return undefined;
  }
}

/**
 * The bytes of the first non-blank record of `head` (a line break inside quotes does not end
 * it), without its line break; undefined when `head` holds no complete record yet.
 */
function firstRecord(head: Buffer, atEnd: boolean): Buffer | undefined {
  let start = 0;
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x0a && !quoted) {
      const line = head.subarray(start, i);
      if (line.length > 0 && !(line.length === 1 && line[0] === 0x0d)) return line;
      start = i + 1; // a blank line before the header, as readCsv skips it
    }
  }
  return atEnd ? head.subarray(start) : undefined;
}

/**
 * Opens an annotations file (path or URL, `.gz` looked through, as openInput does) after
 * checking that its header binds. @throws InputUnreadableError when the input cannot be opened,
 * is empty, or its header is malformed, not UTF-8 or lacks a required column (the error names
 * the columns).
 */
export async function openAnnotations(name: string): Promise<OpenInput> {
  const input = await openInput(name);
  const it = input.stream[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let done = false;
  let header: Buffer | undefined;
  try {
    for (;;) {
      const head = Buffer.concat(seen);
      header = firstRecord(head, done);
      if (header !== undefined || done) break;
      if (head.length > MAX_HEADER_BYTES)
        throw new InputUnreadableError(
          `${name}: no header line in the first ${MAX_HEADER_BYTES} bytes (an unclosed quote?)`,
        );
      const r = await it.next();
      if (r.done) done = true;
      else seen.push(r.value);
    }
    let bytes = (header ?? Buffer.alloc(0)).subarray(0);
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    const text = utf8Text(bytes);
    if (text === undefined) throw new InputUnreadableError(`${name}: the header is not valid UTF-8`);
    if (text.trim() === '')
      throw new InputUnreadableError(
        `${name}: the file is empty; expected a header with the columns ${REQUIRED_COLUMNS.join(', ')}`,
      );
    const fields = splitCsvRecord(text);
    if (fields === undefined) throw new InputUnreadableError(`${name}: the header has malformed quoting`);
    const binding = bindHeader(fields);
    if (!binding.ok) throw new InputUnreadableError(`${name}: ${binding.detail}`);
  } catch (err) {
    await it.return?.(); // close the file
    throw err;
  }
  async function* again(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { ...input, stream: again() };
}

function fingerprint(value: unknown): string {
  return hash('sha256', JSON.stringify(value), 'base64');
}

/**
 * The rows of one annotations input, in order. Never throws for bad content: the header is bound
 * again here (an input opened elsewhere gets one fault per record when it does not bind).
 */
export async function* readAnnotationRows(input: OpenInput): AsyncGenerator<ReadResult<AnnotationCells>> {
  let binding: HeaderBinding | undefined;
  const codings = new Map<string, { line: number; fingerprint: string }>();
  for await (const rec of readCsv(input.stream, { maxRecordBytes: MAX_RECORD_BYTES })) {
    if (!rec.ok) {
      const { fault } = rec;
      if (binding === undefined)
        binding = { ok: false, detail: `the header line could not be read: ${fault.detail}` };
      yield {
        ok: false,
        fault: {
          position: `line ${fault.lineNo}`,
          raw: fault.raw,
          reason: fault.reason,
          detail: fault.detail,
        },
      };
      continue;
    }
    const { lineNo, raw, fields } = rec.record;
    const position = `line ${lineNo}`;
    if (binding === undefined) {
      binding = bindHeader(fields);
      continue;
    }
    const fault = (reason: 'parse_error' | 'encoding_error' | 'schema_invalid', detail: string) => ({
      ok: false as const,
      fault: { position, raw, reason, detail },
    });
    if (!binding.ok) {
      yield fault('parse_error', `columns cannot be bound: ${binding.detail}`);
      continue;
    }
    // Validation only (the record's text is already decoded): no second decode into a string.
    if (!isUtf8(raw)) {
      yield fault('encoding_error', 'the record is not valid UTF-8');
      continue;
    }
    if (fields.length !== binding.width) {
      yield fault(
        'parse_error',
        `expected ${binding.width} fields as in the header, found ${fields.length} (a quote or comma out of place?)`,
      );
      continue;
    }
    const cells: AnnotationCells = {};
    for (const [column, i] of binding.index) cells[column] = fields[i] ?? '';
    const coded = codeForParser(cells);
    if (coded.ok) {
      const id = annotationRecordId(coded.payload);
      const mine = fingerprint(coded.payload);
      const earlier = codings.get(id);
      if (earlier && earlier.fingerprint !== mine) {
        yield fault(
          'schema_invalid',
          `line ${earlier.line} codes the same ad, coder, subject and date (${id}) differently; ` +
            'that line was kept: correct the file and import this row again',
        );
        continue;
      }
      if (!earlier && codings.size < MAX_REMEMBERED) codings.set(id, { line: lineNo, fingerprint: mine });
    }
    yield { ok: true, item: { position, raw, value: cells } };
  }
}

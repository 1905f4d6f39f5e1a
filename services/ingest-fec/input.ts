/**
 * Input helpers for the FEC sources: lines with a length bound (a file without line breaks must
 * not be buffered whole), a peek at the first bytes to tell JSON pages from CSV, and bounded
 * whole-input reads for JSON pages (small by nature: OpenFEC returns at most 100 results a page).
 */
import { decodeText, type TextLine } from '../shared/ingest/readers.ts';

/** A line, or a stretch longer than the bound that was skipped up to the next line break. */
export type BoundedLine =
  { ok: true; line: TextLine } | { ok: false; lineNo: number; head: Buffer; bytes: number };

/**
 * Splits a byte stream into lines (`\n` or `\r\n`, UTF-8 with a per-line latin-1 fallback, BOM
 * dropped) like readLines, but never holds more than `maxLineBytes` of one line: a longer line
 * comes out as `{ ok: false }` with its first bytes and its length, and reading goes on.
 */
export async function* readBoundedLines(
  input: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let oversize: { head: Buffer; bytes: number } | undefined;
  let lineNo = 0;
  const finish = (): BoundedLine => {
    lineNo++;
    if (oversize) {
      const out: BoundedLine = { ok: false, lineNo, head: oversize.head, bytes: oversize.bytes };
      oversize = undefined;
      return out;
    }
    let raw = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    parts = [];
    size = 0;
    if (raw.length > 0 && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    if (lineNo === 1 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) raw = raw.subarray(3);
    const { text, encoding } = decodeText(raw);
    // `raw` is already a copy of its own (take() copies), never a view of a stream chunk.
    return { ok: true, line: { lineNo, raw, text, encoding } };
  };
  const take = (bytes: Buffer): void => {
    if (oversize) {
      oversize.bytes += bytes.length;
      return;
    }
    if (size + bytes.length > maxLineBytes) {
      const head = Buffer.concat([...parts, bytes]).subarray(0, Math.min(maxLineBytes, 4096));
      oversize = { head: Buffer.from(head), bytes: size + bytes.length };
      parts = [];
      size = 0;
      return;
    }
    parts.push(Buffer.from(bytes));
    size += bytes.length;
  };
  for await (const chunk of input) {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let at = data.indexOf(0x0a);
    while (at >= 0) {
      take(data.subarray(0, at));
      yield finish();
      data = data.subarray(at + 1);
      at = data.indexOf(0x0a);
    }
    if (data.length > 0) take(data);
  }
  if (size > 0 || oversize) yield finish();
}

/** The first non-whitespace byte of a stream, and the stream again from its start. */
export async function peekFirstByte(
  input: AsyncIterable<Buffer>,
): Promise<{ first: number | undefined; stream: AsyncIterable<Buffer> }> {
  const it = input[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let first: number | undefined;
  let done = false;
  while (first === undefined) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const buf = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    seen.push(buf);
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i] as number;
      // whitespace and a UTF-8 BOM do not decide the shape
      if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf)
        continue;
      first = b;
      break;
    }
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { first, stream: replay() };
}

/** Reads a whole input up to `maxBytes`; `undefined` when it is longer (the rest is drained). */
export async function readWhole(input: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of input) {
    size += chunk.length;
    if (size > maxBytes) tooLarge = true;
    else parts.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(parts);
}

/** A CSV record or a fault, like readCsv's, with the line it starts on. */
export type CsvRow =
  | { ok: true; lineNo: number; raw: Buffer; fields: string[] }
  | { ok: false; lineNo: number; raw: Buffer; reason: 'parse_error' | 'too_large'; detail: string };

function quoteCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * CSV records (RFC 4180: quoted fields may hold commas, `""` and line breaks) with memory bounded
 * by `maxRecordBytes` even when the input has no line breaks at all. Blank lines between records
 * are skipped. A record that is too long, badly quoted, or still open at the end of the input
 * becomes a fault and reading goes on.
 */
export async function* readCsvBounded(
  input: AsyncIterable<Buffer>,
  opts: { maxRecordBytes: number; splitRecord: (text: string) => string[] | undefined },
): AsyncGenerator<CsvRow> {
  let parts: TextLine[] = [];
  let quotes = 0;
  let size = 0;
  const rawOf = (ls: TextLine[]): Buffer =>
    Buffer.concat(ls.flatMap((l, i) => (i === 0 ? [l.raw] : [Buffer.from('\n'), l.raw])));
  for await (const bl of readBoundedLines(input, opts.maxRecordBytes)) {
    if (!bl.ok) {
      const start = parts[0]?.lineNo ?? bl.lineNo;
      yield {
        ok: false,
        lineNo: start,
        raw: Buffer.concat([rawOf(parts), bl.head]).subarray(0, 4096),
        reason: 'too_large',
        detail: `record longer than ${opts.maxRecordBytes} bytes (line ${bl.lineNo} alone has ${bl.bytes}); its first bytes are kept`,
      };
      parts = [];
      quotes = 0;
      size = 0;
      continue;
    }
    const line = bl.line;
    if (parts.length === 0 && line.text.trim().length === 0) continue;
    parts.push(line);
    quotes += quoteCount(line.text);
    size += line.raw.length + 1;
    if (size > opts.maxRecordBytes) {
      yield {
        ok: false,
        lineNo: parts[0]?.lineNo ?? line.lineNo,
        raw: rawOf(parts).subarray(0, 4096),
        reason: 'too_large',
        detail: `record longer than ${opts.maxRecordBytes} bytes (an unclosed quote?)`,
      };
      parts = [];
      quotes = 0;
      size = 0;
      continue;
    }
    if (quotes % 2 !== 0) continue;
    const first = parts[0] as TextLine;
    const lineNo = first.lineNo;
    // Most records are one line: no joining, no copying.
    const raw = parts.length === 1 ? first.raw : rawOf(parts);
    const fields = opts.splitRecord(parts.length === 1 ? first.text : parts.map((p) => p.text).join('\n'));
    parts = [];
    quotes = 0;
    size = 0;
    if (fields) yield { ok: true, lineNo, raw, fields };
    else yield { ok: false, lineNo, raw, reason: 'parse_error', detail: 'malformed quoting' };
  }
  if (parts.length > 0) {
    yield {
      ok: false,
      lineNo: (parts[0] as TextLine).lineNo,
      raw: rawOf(parts),
      reason: 'parse_error',
      detail: 'the input ends inside a quoted field (truncated file?)',
    };
  }
}

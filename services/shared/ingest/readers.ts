/**
 * Streaming readers for ingestion: lines (with per-line encoding fallback), CSV records (RFC
 * 4180, quoted fields may span lines) and inputs from files or URLs. Memory stays bounded by the
 * longest record, never by the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** One line of an input, with its raw bytes (without the line break). */
export interface TextLine {
  lineNo: number;
  raw: Buffer;
  text: string;
  /** utf8, or latin1 when the bytes are not valid UTF-8 (FEC bulk files may be latin-1). */
  encoding: 'utf8' | 'latin1';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes bytes as UTF-8, or as latin-1 when they are not valid UTF-8. */
export function decodeText(raw: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  try {
    return { text: utf8.decode(raw), encoding: 'utf8' };
  } catch {
    return { text: raw.toString('latin1'), encoding: 'latin1' };
  }
}

/** Splits a byte stream into lines (`\n` or `\r\n`); a UTF-8 BOM on the first line is dropped. */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<TextLine> {
  let pending: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  const emit = (bytes: Buffer): TextLine => {
    lineNo++;
    let raw =
      bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
    if (lineNo === 1 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) raw = raw.subarray(3);
    const { text, encoding } = decodeText(raw);
    return { lineNo, raw, text, encoding };
  };
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let data = pending.length > 0 ? Buffer.concat([pending, buf]) : buf;
    let at = data.indexOf(0x0a);
    while (at >= 0) {
      yield emit(data.subarray(0, at));
      data = data.subarray(at + 1);
      at = data.indexOf(0x0a);
    }
    pending = Buffer.from(data);
  }
  if (pending.length > 0) yield emit(pending);
}

/** A CSV record: its fields, the line it starts on and its raw bytes. */
export interface CsvRecord {
  lineNo: number;
  raw: Buffer;
  fields: string[];
}

/** A stretch of input that is not a CSV record, with why. */
export interface CsvFault {
  lineNo: number;
  raw: Buffer;
  reason: 'parse_error' | 'too_large' | 'encoding_error';
  detail: string;
}

export type CsvItem = { ok: true; record: CsvRecord } | { ok: false; fault: CsvFault };

/**
 * Splits one CSV record's text into fields. Quoted fields may hold the delimiter, `""` and line
 * breaks. @returns undefined when a quote is not closed or text follows a closing quote.
 */
export function splitCsvRecord(text: string, delimiter = ','): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== delimiter) return undefined;
      i++;
    } else {
      const d = text.indexOf(delimiter, i);
      if (d < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, d));
      i = d + 1;
    }
  }
}

function quoteCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * CSV records from a byte stream. A record continues over line breaks while a quote is open
 * (an even count of `"` closes it). A record longer than `maxRecordBytes`, or a quote still open
 * at the end, becomes a fault with its raw bytes; reading goes on with the next line.
 */
export async function* readCsv(
  input: AsyncIterable<Buffer | string>,
  opts: { delimiter?: string; maxRecordBytes?: number } = {},
): AsyncGenerator<CsvItem> {
  const delimiter = opts.delimiter ?? ',';
  const max = opts.maxRecordBytes ?? 1024 * 1024;
  let parts: TextLine[] = [];
  let quotes = 0;
  let size = 0;
  const rawOf = (ls: TextLine[]): Buffer =>
    Buffer.concat(ls.flatMap((l, i) => (i === 0 ? [l.raw] : [Buffer.from('\n'), l.raw])));
  for await (const line of readLines(input)) {
    if (parts.length === 0 && line.text.length === 0) continue; // blank line between records
    parts.push(line);
    quotes += quoteCount(line.text);
    size += line.raw.length + 1;
    if (size > max) {
      yield {
        ok: false,
        fault: {
          lineNo: parts[0]?.lineNo ?? line.lineNo,
          raw: rawOf(parts).subarray(0, max),
          reason: 'too_large',
          detail: `record longer than ${max} bytes (an unclosed quote?)`,
        },
      };
      parts = [];
      quotes = 0;
      size = 0;
      continue;
    }
    if (quotes % 2 !== 0) continue;
    const first = parts[0] as TextLine;
    // Most records are one line: no joining, no copying.
    const text = parts.length === 1 ? first.text : parts.map((p) => p.text).join('\n');
    const raw = parts.length === 1 ? first.raw : rawOf(parts);
    parts = [];
    quotes = 0;
    size = 0;
    const fields = splitCsvRecord(text, delimiter);
    if (fields) yield { ok: true, record: { lineNo: first.lineNo, raw, fields } };
    else
      yield {
        ok: false,
        fault: { lineNo: first.lineNo, raw, reason: 'parse_error', detail: 'malformed quoting' },
      };
  }
  if (parts.length > 0) {
    yield {
      ok: false,
      fault: {
        lineNo: parts[0]?.lineNo ?? 0,
        raw: rawOf(parts),
        reason: 'parse_error',
        detail: 'the input ends inside a quoted field (truncated file?)',
      },
    };
  }
}

/** An input opened for reading, counting the bytes that pass. */
export interface OpenInput {
  name: string;
  /** Size in bytes when known (files), for progress. */
  size: number | undefined;
  bytesRead(): number;
  stream: AsyncIterable<Buffer>;
}

/** Thrown when an input cannot be read at all (missing file, refused URL). */
export class InputUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputUnreadableError';
  }
}

async function* counting(source: AsyncIterable<Buffer>, add: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    add(chunk.length);
    yield chunk;
  }
}

/**
 * Opens a file path or an http(s) URL; `.gz` is decompressed. @throws InputUnreadableError when
 * it cannot be opened.
 */
export async function openInput(
  pathOrUrl: string,
  init?: { headers?: Record<string, string> },
): Promise<OpenInput> {
  let bytes = 0;
  const add = (n: number): void => {
    bytes += n;
  };
  let source: AsyncIterable<Buffer>;
  let size: number | undefined;
  if (/^https?:\/\//i.test(pathOrUrl)) {
    let res: Response;
    try {
      res = await fetch(pathOrUrl, init?.headers ? { headers: init.headers } : undefined);
    } catch (err) {
      throw new InputUnreadableError(`cannot fetch ${pathOrUrl}: ${(err as Error).message}`);
    }
    if (!res.ok || !res.body) throw new InputUnreadableError(`${pathOrUrl} answered HTTP ${res.status}`);
    const len = Number(res.headers.get('content-length') ?? NaN);
    size = Number.isFinite(len) ? len : undefined;
    source = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) as AsyncIterable<Buffer>;
  } else {
    try {
      const s = await stat(pathOrUrl);
      if (!s.isFile()) throw new InputUnreadableError(`${pathOrUrl} is not a file`);
      size = s.size;
    } catch (err) {
      if (err instanceof InputUnreadableError) throw err;
      throw new InputUnreadableError(
        `cannot read ${pathOrUrl}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    source = createReadStream(pathOrUrl, { highWaterMark: 256 * 1024 });
  }
  const counted = counting(source, add);
  const stream = pathOrUrl.endsWith('.gz')
    ? (Readable.from(counted).pipe(createGunzip()) as AsyncIterable<Buffer>)
    : counted;
  return { name: pathOrUrl, size, bytesRead: () => bytes, stream };
}

/** True when the text starts with a calendar date that exists (`2024-02-30` does not). */
export function startsWithRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * JSON.stringify, or undefined when the value cannot be written (nested too deep for the stack):
 * the caller dead-letters the item instead of stopping the whole input.
 */
export function stringifyOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return undefined;
  }
}

/**
 * CSV rows bound to their header, from a CSV file or from every `.csv` entry of a ZIP file. The
 * first record of each file is its header; each later record is one item carrying the header, so
 * parsers bind columns by name (exports grow columns over time). Streaming: memory is bounded by
 * the longest record.
 */
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { readCsv } from '../shared/ingest/readers.ts';
import type { ReaderContext, ReadResult } from '../shared/ingest/source.ts';
import { listZip, openZipEntry, ZipError } from './zip.ts';

/** A header: column names in order and the first index of each name. */
export interface CsvHeader {
  names: readonly string[];
  index: ReadonlyMap<string, number>;
}

/** One data row of a CSV file with the header it is read under. */
export interface CsvRow {
  /** The file name (or ZIP entry name) without folders: parsers read dates and regions from it. */
  file: string;
  header: CsvHeader;
  fields: readonly string[];
}

export interface CsvRowsOptions {
  /** Largest record accepted, in bytes; longer records become `too_large` faults. */
  maxRecordBytes?: number;
  /**
   * A documented rule to leave a whole file out (e.g. the Meta report's locations file): when it
   * returns true for a file's header, none of its rows are read or counted.
   */
  skipFile?: (header: CsvHeader, file: string) => boolean;
}

/** Builds a header from its field names (trimmed; the first of duplicate names wins). */
export function headerOf(names: readonly string[]): CsvHeader {
  const trimmed = names.map((n) => n.trim());
  const index = new Map<string, number>();
  trimmed.forEach((n, i) => {
    if (!index.has(n)) index.set(n, i);
  });
  return { names: trimmed, index };
}

/** The value of column `name` in `row`, or undefined when the header has no such column. */
export function cell(row: CsvRow, name: string): string | undefined {
  const i = row.header.index.get(name);
  return i === undefined ? undefined : (row.fields[i] ?? '');
}

/**
 * Why a file's rows cannot be bound: the missing column names, plus a hint when the header is a
 * single column holding `;`, tab or `|` (a file with another delimiter).
 */
export function missingColumnsDetail(row: CsvRow, missing: readonly string[]): string {
  const only = row.header.names.length === 1 ? (row.header.names[0] ?? '') : '';
  const hint = /[;\t|]/.test(only)
    ? ' — the header is one column: is the file delimited by something other than a comma?'
    : '';
  return `${row.file}: required column(s) missing from the header: ${missing.join(', ')}${hint} (header starts: ${row.header.names.join(',').slice(0, 300)})`;
}

/** Names in `required` that the row's header lacks. */
export function missingColumns(row: CsvRow, required: readonly string[]): string[] {
  return required.filter((n) => !row.header.index.has(n));
}

async function* rowsOfStream(
  stream: AsyncIterable<Buffer>,
  file: string,
  prefix: string,
  opts: CsvRowsOptions,
): AsyncGenerator<ReadResult<CsvRow>> {
  let header: CsvHeader | undefined;
  let headerBroken = false;
  const csvOpts = opts.maxRecordBytes === undefined ? {} : { maxRecordBytes: opts.maxRecordBytes };
  for await (const rec of readCsv(stream, csvOpts)) {
    if (!rec.ok) {
      const { fault } = rec;
      if (!header) headerBroken = true;
      yield {
        ok: false,
        fault: {
          position: `${prefix}line ${fault.lineNo}`,
          raw: fault.raw,
          reason: fault.reason,
          detail: header ? fault.detail : `header: ${fault.detail}`,
        },
      };
      continue;
    }
    const { record } = rec;
    const position = `${prefix}line ${record.lineNo}`;
    if (!isUtf8(record.raw)) {
      yield {
        ok: false,
        fault: {
          position,
          raw: record.raw,
          reason: 'encoding_error',
          detail: 'the record is not valid UTF-8',
        },
      };
      continue;
    }
    if (!header) {
      if (headerBroken) {
        yield {
          ok: false,
          fault: {
            position,
            raw: record.raw,
            reason: 'parse_error',
            detail: 'the header line could not be read, so columns cannot be bound',
          },
        };
        continue;
      }
      header = headerOf(record.fields);
      if (opts.skipFile?.(header, file)) return;
      continue;
    }
    yield { ok: true, item: { position, raw: record.raw, value: { file, header, fields: record.fields } } };
  }
}

/**
 * Rows of a CSV input, or of every `.csv` entry of a `.zip` input (local files only: a ZIP needs
 * random access to its central directory). Never throws for bad content: unreadable ZIPs and
 * malformed records become faults.
 */
export async function* readCsvRows(
  ctx: ReaderContext,
  opts: CsvRowsOptions = {},
): AsyncGenerator<ReadResult<CsvRow>> {
  const name = ctx.input.name;
  if (!/\.zip$/i.test(name)) {
    yield* rowsOfStream(ctx.input.stream, path.basename(name), '', opts);
    return;
  }
  // The ZIP is read by random access below; release the sequential stream openInput made.
  for await (const _chunk of ctx.input.stream) break;
  const fault = (detail: string): ReadResult<CsvRow> => ({
    ok: false,
    fault: { position: 'zip', raw: Buffer.alloc(0), reason: 'parse_error', detail },
  });
  if (/^https?:\/\//i.test(name)) {
    yield fault('a ZIP is read from a local file only (its directory is at the end): download it first');
    return;
  }
  let entries;
  try {
    entries = await listZip(name);
  } catch (err) {
    yield fault(err instanceof ZipError ? err.message : `cannot read the ZIP: ${(err as Error).message}`);
    return;
  }
  for (const entry of entries) {
    if (entry.name.endsWith('/') || !/\.csv$/i.test(entry.name)) continue;
    let stream: AsyncIterable<Buffer>;
    try {
      stream = await openZipEntry(name, entry);
    } catch (err) {
      yield fault(err instanceof ZipError ? err.message : `${entry.name}: ${(err as Error).message}`);
      continue;
    }
    try {
      yield* rowsOfStream(stream, path.posix.basename(entry.name), `${entry.name} `, opts);
    } catch (err) {
      // A corrupt deflate stream: what was read stays counted, the next entry goes on.
      yield fault(`${entry.name}: the entry cannot be decompressed: ${(err as Error).message}`);
    }
  }
}

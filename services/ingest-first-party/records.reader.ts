/**
 * Reads a campaign's first-party records, streaming: CSV with a header row, or NDJSON (one JSON
 * object per line). The format comes from the extension (`.csv`; `.ndjson`, `.jsonl`; a `.gz`
 * suffix is looked through), otherwise from the first byte: `{` means NDJSON, anything else CSV.
 *
 * CSV: the delimiter is detected on the header line (`,` `;` tab or `|`, whichever it holds most
 * of, e.g. a European spreadsheet's `;`); columns are bound by (normalised) header name; a row
 * with another number of fields is a fault; empty cells are absent values. Bytes that are not
 * UTF-8 are read as latin-1 (spreadsheet exports), as readers.ts does.
 * NDJSON: blank lines are skipped; a line that is not UTF-8, not JSON or not an object is a fault.
 */
import { decodeText, readCsv, readLines, type OpenInput } from '../shared/ingest/readers.ts';
import type { ReadResult } from '../shared/ingest/source.ts';
import { normaliseKey, type FirstPartyRecord } from './fields.ts';

/** A record (CSV row or NDJSON line) longer than this is a `too_large` fault. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export type RecordFormat = 'csv' | 'ndjson';

/** The format that the name implies, if any. */
export function formatFromName(name: string): RecordFormat | undefined {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl')) return 'ndjson';
  return undefined;
}

/** The first bytes of a stream (at least `want` of them, or all) and the whole stream again. */
async function peek(
  stream: AsyncIterable<Buffer>,
  want: number,
): Promise<{ head: Buffer; stream: AsyncIterable<Buffer> }> {
  const it = stream[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < want) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    seen.push(r.value);
    size += r.value.length;
  }
  async function* again(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head: Buffer.concat(seen), stream: again() };
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter the header line uses most (outside quotes); `,` when none. */
export function detectDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = unquoted.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** The records of one input; never throws for bad content. */
export async function* readRecords(input: OpenInput): AsyncGenerator<ReadResult<FirstPartyRecord>> {
  const { head, stream } = await peek(input.stream, 64 * 1024);
  let start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (start < head.length && /\s/.test(String.fromCharCode(head[start] ?? 0))) start++;
  const format = formatFromName(input.name) ?? (head[start] === 0x7b ? 'ndjson' : 'csv');
  if (format === 'ndjson') {
    yield* readNdjson(stream);
  } else {
    const nl = head.indexOf(0x0a);
    const firstLine = decodeText(head.subarray(0, nl < 0 ? head.length : nl)).text;
    yield* readCsvRecords(stream, detectDelimiter(firstLine));
  }
}

async function* readNdjson(stream: AsyncIterable<Buffer>): AsyncGenerator<ReadResult<FirstPartyRecord>> {
  for await (const line of readLines(stream)) {
    const position = `line ${line.lineNo}`;
    if (line.text.trim() === '') continue;
    const fault = (
      reason: 'parse_error' | 'too_large' | 'encoding_error',
      detail: string,
    ): ReadResult<FirstPartyRecord> => ({
      ok: false,
      fault: { position, raw: line.raw.subarray(0, MAX_RECORD_BYTES), reason, detail },
    });
    if (line.raw.length > MAX_RECORD_BYTES) {
      yield fault('too_large', `line longer than ${MAX_RECORD_BYTES} bytes`);
      continue;
    }
    if (line.encoding !== 'utf8') {
      yield fault('encoding_error', 'NDJSON must be UTF-8');
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (err) {
      yield fault('parse_error', `invalid JSON: ${(err as Error).message}`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield fault('parse_error', 'expected one JSON object per line');
      continue;
    }
    const rec: FirstPartyRecord = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) rec[normaliseKey(k)] = v;
    yield { ok: true, item: { position, raw: line.raw, value: rec } };
  }
}

async function* readCsvRecords(
  stream: AsyncIterable<Buffer>,
  delimiter: string,
): AsyncGenerator<ReadResult<FirstPartyRecord>> {
  let header: string[] | undefined;
  let headerProblem: string | undefined;
  for await (const r of readCsv(stream, { delimiter, maxRecordBytes: MAX_RECORD_BYTES })) {
    if (!r.ok) {
      yield {
        ok: false,
        fault: {
          position: `line ${r.fault.lineNo}`,
          raw: r.fault.raw,
          reason: r.fault.reason,
          detail: r.fault.detail,
        },
      };
      continue;
    }
    const { lineNo, raw, fields } = r.record;
    const position = `line ${lineNo}`;
    if (header === undefined && headerProblem === undefined) {
      const names = fields.map(normaliseKey);
      const dup = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
      if (dup !== undefined) headerProblem = `the header repeats the column ${JSON.stringify(dup)}`;
      else header = names;
      continue;
    }
    if (header === undefined) {
      yield {
        ok: false,
        fault: { position, raw, reason: 'parse_error', detail: headerProblem ?? 'no header' },
      };
      continue;
    }
    if (fields.length !== header.length) {
      yield {
        ok: false,
        fault: {
          position,
          raw,
          reason: 'parse_error',
          detail: `expected ${header.length} fields as in the header, found ${fields.length} (delimiter ${JSON.stringify(delimiter)})`,
        },
      };
      continue;
    }
    const rec: FirstPartyRecord = {};
    header.forEach((name, i) => {
      const v = fields[i];
      if (name !== '' && v !== undefined && v !== '') rec[name] = v;
    });
    yield { ok: true, item: { position, raw, value: rec } };
  }
}

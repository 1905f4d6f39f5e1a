/**
 * Re-parsing dead letters with the current code (`influence dlq replay`).
 *
 * A dead letter holds one item's raw bytes, not the file it came from, and some parsers need
 * more than the item: a CSV row is bound to its file's header, and Snap reads the snapshot date
 * from the file name. So an import's dead letter is re-read as a small input named like the
 * original, holding the original input's first line (its header) and then the raw bytes; the
 * source's own reader and parser run on it and the last item they yield is the letter's. The
 * first line comes from the original input (the path the import was given, or `--input-dir`);
 * sources without a header (FEC itcont, NDJSON records) replay from the raw bytes alone when the
 * input is gone. Items cut out of JSON pages (Meta, X, OpenFEC pages) cannot be re-read alone:
 * those are reported `not_replayable`, and re-importing the page is the way.
 *
 * A bridge dead letter (the raw-topic message failed validation) is re-validated as the bridge
 * does and, when it passes now, published again to its topic with its original key. A worker's
 * dead letter (enrichment or insert) is reported `not_replayable`: the event is already on its
 * raw topic, so `influence rebuild` re-derives it.
 *
 * Nothing here writes dead letters: what still fails stays where it is on the DLQ topic, so a
 * second replay neither duplicates it nor loses it. Event ids are deterministic, so publishing a
 * replayed event twice leaves ClickHouse as once.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import type { DlqRecordV1 } from '../../schemas/dlq.ts';
import { completeEvent } from '../shared/ingest/envelope.ts';
import { InputUnreadableError, openInput, readLines, type OpenInput } from '../shared/ingest/readers.ts';
import type { ImportSource, ReadResult } from '../shared/ingest/source.ts';
import type { Pseudonymizer } from '../shared/pseudonym.ts';
import { checkRawEvent } from '../shared/raw-event.ts';

/** One dead letter as read from the DLQ topic. */
export interface StoredLetter {
  partition: number;
  offset: string;
  record: DlqRecordV1;
}

/** What replaying one dead letter gives. */
export type ReplayOutcome =
  | { status: 'replayable'; topic: string; key: string; value: string; event_id: string }
  | { status: 'still_failing'; reason: string; detail: string }
  | { status: 'not_replayable'; detail: string };

export interface LetterFilter {
  /** The import source's name (`payouts`) or the letter's source (file, URL or topic). */
  source?: string;
  reason?: string;
  since?: Date;
  until?: Date;
}

/** True when `letter` passes every filter given. */
export function matches(letter: DlqRecordV1, f: LetterFilter): boolean {
  if (f.source !== undefined && letter.source !== f.source && importSourceName(letter) !== f.source)
    return false;
  if (f.reason !== undefined && letter.reason !== f.reason) return false;
  const at = Date.parse(letter.failed_at);
  if (f.since && at < f.since.getTime()) return false;
  if (f.until && at >= f.until.getTime()) return false;
  return true;
}

/** `payouts` for a letter of step `import:payouts`; undefined for other steps. */
export function importSourceName(letter: DlqRecordV1): string | undefined {
  return letter.step.startsWith('import:') ? letter.step.slice('import:'.length) : undefined;
}

/**
 * Sources whose items are lines or CSV records of one input, so one item can be re-read alone.
 * `headerless`: an item parses without the input's first line.
 */
function framing(sourceName: string, input: string, raw: Buffer): { headerless: boolean } | undefined {
  const name = input.toLowerCase().replace(/\.gz$/, '');
  switch (sourceName) {
    case 'fec-itcont':
      return { headerless: true };
    case 'fec-ie-bulk':
    case 'google-ads':
    case 'meta-report':
    case 'annotations':
      return { headerless: false };
    case 'fec-schedule-e':
      return name.endsWith('.csv') ? { headerless: false } : undefined;
    case 'snap':
      return name.endsWith('.zip') ? undefined : { headerless: false };
    case 'payouts':
    case 'signups':
    case 'contacts': {
      const ndjson =
        name.endsWith('.ndjson') || name.endsWith('.jsonl') || (!name.endsWith('.csv') && raw[0] === 0x7b);
      return { headerless: ndjson };
    }
    default:
      return undefined;
  }
}

/** The first line of an input, or undefined when it cannot be read. */
export async function firstLine(pathOrUrl: string): Promise<Buffer | undefined> {
  let input: OpenInput;
  try {
    input = await openInput(pathOrUrl);
  } catch (err) {
    if (err instanceof InputUnreadableError) return undefined;
    throw err;
  }
  for await (const line of readLines(input.stream)) return line.raw;
  return undefined;
}

/** An in-memory input of `name` holding `bytes`. */
function memoryInput(name: string, bytes: Buffer): OpenInput {
  return {
    name,
    size: bytes.length,
    bytesRead: () => bytes.length,
    stream: Readable.from([bytes]) as AsyncIterable<Buffer>,
  };
}

export interface ReplayContext {
  sources: readonly ImportSource<unknown>[];
  pseudonymize: Pseudonymizer;
  /** Opens sealed raw bytes. @throws when they were sealed under another key. */
  open: (sealed: Buffer) => Buffer;
  /** The first line of the letter's original input (see {@link firstLine}). */
  headerOf: (input: string) => Promise<Buffer | undefined>;
  now: Date;
}

/** Re-reads one dead letter with the current code. Never throws for bad content. */
export async function replayLetter(letter: DlqRecordV1, ctx: ReplayContext): Promise<ReplayOutcome> {
  let raw: Buffer = Buffer.from(letter.raw_base64, 'base64');
  if (letter.raw_sealed) {
    try {
      raw = ctx.open(raw);
    } catch {
      return {
        status: 'not_replayable',
        detail:
          'the raw bytes were sealed under another HMAC key: replay with the key of the time (INGEST_HMAC_KEY) — see docs/operations.md, HMAC key rotation',
      };
    }
  }
  if (letter.step.startsWith('bridge')) return replayTopicMessage(letter, raw);
  const name = importSourceName(letter);
  if (name === undefined)
    return {
      status: 'not_replayable',
      detail: `a ${letter.step} dead letter: its event is on ${letter.source} already; run \`influence rebuild\` after the fix`,
    };
  const source = ctx.sources.find((s) => s.name === name);
  if (!source) return { status: 'not_replayable', detail: `no import source is named ${name} any more` };
  const frame = framing(name, letter.source, raw);
  if (!frame)
    return {
      status: 'not_replayable',
      detail: `${name} items are parts of a page or archive and cannot be re-read alone: re-import ${letter.source}`,
    };
  const header = await ctx.headerOf(letter.source);
  if (header === undefined && !frame.headerless)
    return {
      status: 'not_replayable',
      detail: `${letter.source} cannot be read for its header line: restore it, or pass --input-dir with a folder holding it`,
    };
  const bytes = header && !header.equals(raw) ? Buffer.concat([header, Buffer.from('\n'), raw]) : raw;
  let last: ReadResult<unknown> | undefined;
  for await (const r of source.read({ input: memoryInput(letter.source, bytes) })) last = r;
  if (!last)
    return { status: 'still_failing', reason: 'parse_error', detail: 'the raw bytes hold no record' };
  if (!last.ok) return { status: 'still_failing', reason: last.fault.reason, detail: last.fault.detail };
  const parseCtx = { input: letter.source, pseudonymize: ctx.pseudonymize, now: ctx.now };
  let out;
  try {
    out = source.parse(last.item, parseCtx);
  } catch (err) {
    return {
      status: 'still_failing',
      reason: 'parse_error',
      detail: `parser failed: ${(err as Error).message}`,
    };
  }
  if (!out.ok) return { status: 'still_failing', reason: out.reason, detail: out.detail };
  const done = completeEvent(source.eventSource ?? source.name, source.eventType, out, ctx.now);
  if (!done.ok) return { status: 'still_failing', reason: done.reason, detail: done.detail };
  return {
    status: 'replayable',
    topic: done.topic,
    key: done.key,
    value: done.value,
    event_id: done.eventId,
  };
}

/** A raw-topic message validated as the bridge validates it: the envelope, then the type's schema. */
function replayTopicMessage(letter: DlqRecordV1, raw: Buffer): ReplayOutcome {
  const fail = (reason: string, detail: string): ReplayOutcome => ({
    status: 'still_failing',
    reason,
    detail,
  });
  const checked = checkRawEvent(raw);
  if (!checked.ok) return fail(checked.reason, checked.detail);
  return {
    status: 'replayable',
    topic: letter.source,
    key: letter.original_key ?? checked.event.event_id,
    value: raw.toString('utf8'),
    event_id: checked.event.event_id,
  };
}

/** Where to look for a letter's input: as recorded (relative to the working folder), else in `dir`. */
export function inputCandidates(input: string, dir: string | undefined): string[] {
  if (/^https?:\/\//i.test(input)) return [input];
  return dir ? [path.join(dir, path.basename(input)), input] : [input];
}

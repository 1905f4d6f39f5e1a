/**
 * Runs an import: reads every input of a source, parses each item, completes and validates the
 * envelope, skips events already published (in this run, or already in ClickHouse), publishes
 * the rest to the source's raw topic in batches, and dead-letters whatever cannot be used —
 * with the input, position, reason and raw bytes — while the rest goes on.
 */
import { EVENT_SPECS } from '../../../schemas/events/index.ts';
import { rawTopic } from '../../../schemas/topics.ts';
import { redactTokenParams, stripTokens } from '../urls.ts';
import type { DeadLetter } from '../dlq.ts';
import type { Logger } from '../logger.ts';
import { metrics } from '../metrics.ts';
import type { Pseudonymizer } from '../pseudonym.ts';
import { completeEvent } from './envelope.ts';
import { InputUnreadableError, openInput } from './readers.ts';
import type { ImportSource, ParseOutcome } from './source.ts';
import { RecentIds } from './recent-ids.ts';

/** Where events and dead letters go (Kafka in production, anything in unit tests). */
export interface EventSink {
  /** Sends (or buffers) events; resolves when they may be considered accepted. */
  publish(messages: readonly { topic: string; key: string; value: string }[]): Promise<void>;
  deadLetter(letters: readonly DeadLetter[]): Promise<void>;
}

/** Looks up which of these event ids are already stored downstream. */
export type StoredLookup = (eventIds: readonly string[]) => Promise<ReadonlySet<string>>;

export interface InputSummary {
  input: string;
  read: number;
  published: number;
  dead_lettered: number;
  duplicates: number;
  bytes: number;
  /** Set when the input could not be read at all. */
  error?: string;
}

export interface ImportSummary extends Omit<InputSummary, 'input' | 'error'> {
  source: string;
  inputs: InputSummary[];
  seconds: number;
  /** Inputs that could not be read at all. */
  unreadable: number;
}

export interface ImportProgress {
  input: string;
  read: number;
  dead_lettered: number;
  bytes: number;
  size: number | undefined;
}

export interface ImportOptions {
  source: ImportSource<unknown>;
  inputs: readonly string[];
  sink: EventSink;
  pseudonymize: Pseudonymizer;
  log: Logger;
  stored?: StoredLookup;
  /** Events per publish call (and per stored-lookup). */
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  now?: () => Date;
  /** Distinct event ids remembered within a run for duplicate detection. */
  rememberIds?: number;
  /** Where API sources keep their resumable cursors. */
  cursorDir?: string;
  /** Seals raw bytes of dead letters; required for sensitive sources. */
  seal?: (raw: Buffer) => Buffer;
}

/** An event larger than this is dead-lettered as too_large (Kafka refuses 1 MiB batches). */
export const MAX_EVENT_BYTES = 512 * 1024;

/** The sink failed (Kafka unreachable or refusing): the import stops, nothing is miscounted. */
export class SinkError extends Error {
  constructor(cause: unknown) {
    super(`publishing failed: ${(cause as Error).message}`, { cause });
    this.name = 'SinkError';
  }
}

/**
 * `raw` as a buffer of its own: readers hand out views of the chunks they read (256 KiB), and a
 * dead letter kept until the next flush (or by a dry run's MemorySink) must not pin a chunk.
 */
function ownBytes(raw: Buffer): Buffer {
  return raw.byteLength < raw.buffer.byteLength ? Buffer.from(raw) : raw;
}

interface Pending {
  eventId: string;
  key: string;
  value: string;
  /** Where in its input the record was (a line, a row, a page item): its correlation back. */
  position: string;
}

/**
 * Imports every input. Never throws for bad content; an input that cannot be opened is counted
 * in `unreadable` with its error and the others go on. @throws SinkError when the sink fails
 * (Kafka down or refusing): the import stops there; a re-run is safe, event ids being stable.
 */
export async function runImport(opts: ImportOptions): Promise<ImportSummary> {
  const { source, sink } = opts;
  const spec = EVENT_SPECS[source.eventType];
  if (!spec) throw new Error(`no schema is registered for ${source.eventType}`);
  const topic = rawTopic(source.eventType);
  const batchSize = opts.batchSize ?? 1000;
  const now = opts.now ?? (() => new Date());
  const seen = new RecentIds(opts.rememberIds ?? 2_000_000);
  const started = Date.now();
  const log = opts.log.child({ module: 'import', source: source.name });
  const counted = metrics.importEvents;
  const summaries: InputSummary[] = [];
  const seal = opts.seal;
  if (source.sensitive && !seal)
    throw new Error(
      `${source.name} holds private identifiers: its dead letters must be sealed (no seal given)`,
    );

  for (const given of opts.inputs) {
    // A start URL may carry its access token: opened as given, shown and stored without it.
    const name = stripTokens(given);
    const s: InputSummary = { input: name, read: 0, published: 0, dead_lettered: 0, duplicates: 0, bytes: 0 };
    summaries.push(s);
    let input;
    try {
      input = source.open ? await source.open(given) : await openInput(given);
    } catch (err) {
      if (!(err instanceof InputUnreadableError)) throw err;
      s.error = err.message;
      log.error({ input: name, err: err.message }, 'input cannot be read');
      continue;
    }
    const startedAt = now();
    const ctx = { input: given, pseudonymize: opts.pseudonymize, now: startedAt };
    let pending: Pending[] = [];
    let letters: DeadLetter[] = [];

    const flush = async (): Promise<void> => {
      try {
        if (letters.length > 0) {
          await sink.deadLetter(letters);
          counted.inc({ source: source.name, outcome: 'dead_lettered' }, letters.length);
          letters = [];
        }
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        const stored = opts.stored ? await opts.stored(batch.map((p) => p.eventId)) : new Set<string>();
        const fresh = batch.filter((p) => !stored.has(p.eventId));
        s.duplicates += batch.length - fresh.length;
        counted.inc({ source: source.name, outcome: 'duplicate' }, batch.length - fresh.length);
        if (fresh.length > 0) await sink.publish(fresh.map((p) => ({ topic, key: p.key, value: p.value })));
        s.published += fresh.length;
        counted.inc({ source: source.name, outcome: 'published' }, fresh.length);
        const first = fresh[0];
        const last = fresh[fresh.length - 1];
        if (!first || !last) return;
        // Event ids and positions only: values may hold (pseudonymized) identifiers.
        if (log.isLevelEnabled('debug'))
          for (const p of fresh)
            log.debug({ input: name, event_id: p.eventId, position: p.position }, 'event published');
        log.info(
          {
            input: name,
            topic,
            events: fresh.length,
            first: { event_id: first.eventId, position: first.position },
            last: { event_id: last.eventId, position: last.position },
          },
          'events published',
        );
      } catch (err) {
        throw new SinkError(err);
      }
    };
    const flushAndReport = async (): Promise<void> => {
      await flush();
      s.bytes = input.bytesRead();
      const size = input.size;
      opts.onProgress?.({ input: name, read: s.read, dead_lettered: s.dead_lettered, bytes: s.bytes, size });
    };
    const letter = (position: string, raw: Buffer, reason: DeadLetter['reason'], detail: string): void => {
      s.dead_lettered++;
      const sealed = source.sensitive && seal ? seal(raw) : undefined;
      letters.push({
        reason,
        detail,
        step: `import:${source.name}`,
        source: name,
        position,
        // Unsealed bytes reach Kafka and ClickHouse: no access token of a URL in them.
        raw: sealed ?? ownBytes(redactTokenParams(raw)),
        sealed: sealed !== undefined,
      });
    };

    try {
      for await (const result of source.read({
        input,
        log,
        ...(opts.cursorDir ? { cursorDir: opts.cursorDir } : {}),
      })) {
        s.read++;
        if (!result.ok) {
          letter(result.fault.position, result.fault.raw, result.fault.reason, result.fault.detail);
        } else {
          const { item } = result;
          let out: ParseOutcome;
          try {
            out = source.parse(item, ctx);
          } catch (err) {
            out = { ok: false, reason: 'parse_error', detail: `parser failed: ${(err as Error).message}` };
          }
          if (!out.ok) {
            letter(item.position, item.raw, out.reason, out.detail);
          } else {
            const done = completeEvent(source.eventSource ?? source.name, source.eventType, out, startedAt);
            const id = done.ok ? done.eventId : '';
            if (!done.ok) {
              letter(item.position, item.raw, done.reason, done.detail);
            } else if (seen.has(id)) {
              s.duplicates++;
              counted.inc({ source: source.name, outcome: 'duplicate' });
            } else {
              const value = done.value;
              // UTF-8 takes at most 3 bytes per UTF-16 unit: only long values need counting.
              if (value.length * 3 > MAX_EVENT_BYTES && Buffer.byteLength(value) > MAX_EVENT_BYTES) {
                letter(
                  item.position,
                  item.raw,
                  'too_large',
                  `the event would be ${Buffer.byteLength(value)} bytes; at most ${MAX_EVENT_BYTES}`,
                );
              } else {
                seen.add(id);
                pending.push({ eventId: id, key: done.key, value, position: item.position });
              }
            }
          }
        }
        if (pending.length >= batchSize || letters.length >= batchSize) await flushAndReport();
      }
    } catch (err) {
      if (err instanceof SinkError) throw err;
      // The stream itself failed mid-way (a read error): what was read stays counted.
      s.error = `reading stopped: ${(err as Error).message}`;
      log.error({ input: name, err }, 'reading stopped');
    }
    await flushAndReport();
    log.info({ ...s }, 'input imported');
  }

  const total = summaries.reduce(
    (t, s) => ({
      read: t.read + s.read,
      published: t.published + s.published,
      dead_lettered: t.dead_lettered + s.dead_lettered,
      duplicates: t.duplicates + s.duplicates,
      bytes: t.bytes + s.bytes,
    }),
    { read: 0, published: 0, dead_lettered: 0, duplicates: 0, bytes: 0 },
  );
  return {
    source: source.name,
    ...total,
    inputs: summaries,
    seconds: (Date.now() - started) / 1000,
    unreadable: summaries.filter((s) => s.error && s.read === 0).length,
  };
}

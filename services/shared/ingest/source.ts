/**
 * What an ingestion source is: a reader that turns one input into items (rows, records, API
 * objects), and a pure parser that turns one item into one event submission or one rejection.
 * One item, one outcome: that is what makes `read = published + dead-lettered + duplicates` hold.
 */
import type { DlqReason } from '../../../schemas/dlq.ts';
import type { EventType } from '../../../schemas/topics.ts';
import type { Pseudonymizer } from '../pseudonym.ts';
import type { OpenInput } from './readers.ts';
import type { Logger } from '../logger.ts';

/** One unit of input: where it is, its raw bytes and what the reader made of it. */
export interface Item<T> {
  /** Where in the input, for people: `line 12`, `record 7 (line 12)`, `page 2 item 5`. */
  position: string;
  raw: Buffer;
  value: T;
}

/** Input the reader could not turn into an item (malformed CSV, truncated JSON). */
export interface ItemFault {
  position: string;
  raw: Buffer;
  reason: DlqReason;
  detail: string;
}

export type ReadResult<T> = { ok: true; item: Item<T> } | { ok: false; fault: ItemFault };

/** What a parser produces for one item. */
export type ParseOutcome =
  | {
      ok: true;
      /** Unique within the source (FEC SUB_ID, Snap ADID + snapshot date, tweet id…). */
      source_record_id: string;
      occurred_at: string;
      payload: unknown;
      /**
       * The schema that `payload` is the parsed output of, when the parser ran the event type's
       * payload schema itself (to word its own rejections): completing the event then does not
       * parse the payload a second time. Any other schema is ignored.
       */
      parsedBy?: unknown;
    }
  | { ok: false; reason: DlqReason; detail: string };

export interface ParseContext {
  /** The input's name (file path or URL), for messages. */
  input: string;
  pseudonymize: Pseudonymizer;
  /** The import's start time: observed-at for sources that carry none. */
  now: Date;
}

export interface ReaderContext {
  input: OpenInput;
  log?: Logger;
  /** Where resumable sources (API pollers) keep their cursors. */
  cursorDir?: string;
}

/** An ingestion source (`influence import <name> …`). */
export interface ImportSource<T = unknown> {
  /** The CLI name and the envelope's `source`: `fec-itcont`, `snap`, … */
  name: string;
  eventType: EventType;
  /** One line for `influence import --help`. */
  description: string;
  /**
   * The raw input holds private people's identifiers (first-party records): raw bytes of dead
   * letters are sealed before they reach Kafka.
   */
  sensitive?: boolean;
  /**
   * The envelope's `source` when it differs from the CLI name: an API poller and a file export
   * of the same records share it, so both give the same event ids.
   */
  eventSource?: string;
  /** Opens an input itself (an API start URL that needs a token) instead of openInput. */
  open?: (name: string) => Promise<OpenInput>;
  /** The items of one input, in order. Must not throw for bad content: yield a fault instead. */
  read(ctx: ReaderContext): AsyncIterable<ReadResult<T>>;
  /** One item to one outcome. Pure: no I/O. */
  parse(item: Item<T>, ctx: ParseContext): ParseOutcome;
}

/** Helpers for parsers. */
export const outcome = {
  event(source_record_id: string, occurred_at: string, payload: unknown): ParseOutcome {
    return { ok: true, source_record_id, occurred_at, payload };
  },
  /** An event whose payload is `schema.safeParse(…).data` (see `parsedBy`). */
  parsedEvent(
    source_record_id: string,
    occurred_at: string,
    payload: unknown,
    schema: unknown,
  ): ParseOutcome {
    return { ok: true, source_record_id, occurred_at, payload, parsedBy: schema };
  },
  reject(reason: DlqReason, detail: string): ParseOutcome {
    return { ok: false, reason, detail };
  },
};

/**
 * `annotations`: a first-party CSV of how human coders read platform ads — the subject, the
 * stance taken on it, the message and the transcript — for ads whose export carries no words
 * (Snap, Google), the way ad-research groups code creatives by hand → `annotation` events.
 *
 * One row is one coding. Text is trimmed; `platform` is lower-cased and must be one of the ad
 * platforms; the ad id must be spelled as the platform's export spells it, so the coding joins
 * its ad: Snap's ADID is 64 lower-case hex digits (other case is refused, not folded, since the
 * ad events keep the library's spelling), Meta's archive id is digits. `coded_on` is
 * `YYYY-MM-DD`; occurred_at is that date at 00:00Z. source_record_id is
 * `<platform>:<ad_id>:<coder>:<subject>@<coded_on>`, so re-importing a file is a no-op and a
 * later coding (a later coded_on) is a new event that supersedes downstream.
 *
 * Nothing is pseudonymized: coders are named `<group>/<coder>` (a research group and a coder's
 * handle within it), not by private people's contact data. A coder that holds an `@` (an
 * e-mail) is refused rather than published, since this source's values reach Kafka as they are.
 */
import { AdPlatform } from '../../schemas/events/ad.ts';
import type { AnnotationPayloadV1 } from '../../schemas/events/annotation.ts';
import type { DlqReason } from '../../schemas/dlq.ts';
import type { Item, ParseOutcome } from '../shared/ingest/source.ts';
import { outcome } from '../shared/ingest/source.ts';
import type { AnnotationCells } from './annotation-rows.reader.ts';

export type Annotation =
  { ok: true; payload: AnnotationPayloadV1 } | { ok: false; reason: DlqReason; detail: string };

const PLATFORMS = new Set<string>(AdPlatform.options);

/** Shows a value in a message, shortened. */
function show(v: string): string {
  return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
}

/**
 * Whether `id` is an ad id as `platform`'s export spells it: Snap 64 lower-case hex, Meta
 * digits, Google any id without spaces. Colons are never allowed: they separate the parts of the
 * record id and the Kafka key.
 */
export function adIdFits(platform: AdPlatform, id: string): boolean {
  if (platform === 'snap') return /^[0-9a-f]{64}$/.test(id);
  if (platform === 'meta') return /^\d{1,24}$/.test(id);
  return /^[^\s:]{1,256}$/.test(id);
}

/** `2024-11-07`, a real calendar date. */
function isDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * `<group>/<coder>`: two non-empty parts without `/`, `:` (a record-id separator) or `@` (an
 * e-mail is contact data, which must not reach Kafka).
 */
const CODER = /^[^\s/:@][^/:@]*\/[^/:@]*[^\s/:@]$/;

/** Fields that are one line: a line break there is a quote out of place, not data. */
const ONE_LINE = [
  'platform',
  'ad_id',
  'ad_set',
  'subject',
  'stance',
  'message',
  'coder',
  'coded_on',
] as const;

/**
 * The payload of one row's cells, or why there is none (`schema_invalid`, naming the column).
 * Pure; absent optional columns give empty values. Lengths are left to the event schema.
 */
export function annotationOf(cells: AnnotationCells): Annotation {
  const get = (c: keyof AnnotationCells): string => (cells[c] ?? '').trim();
  const reject = (detail: string): Annotation => ({ ok: false, reason: 'schema_invalid', detail });
  for (const c of ONE_LINE)
    if (/[\r\n]/.test(get(c)))
      return reject(`${c} holds a line break (a quote out of place?): ${show(get(c))}`);

  const platform = get('platform').toLowerCase();
  if (!PLATFORMS.has(platform))
    return reject(`platform ${show(get('platform'))} is not one of ${AdPlatform.options.join(', ')}`);
  const p = platform as AdPlatform;
  const ad_id = get('ad_id');
  if (ad_id === '') return reject('ad_id is empty');
  if (!adIdFits(p, ad_id))
    return reject(
      p === 'snap'
        ? `ad_id is not a Snap ADID (64 lower-case hex digits): ${show(ad_id)}`
        : p === 'meta'
          ? `ad_id is not a Meta ad archive id (digits): ${show(ad_id)}`
          : `ad_id is not an ad id (no spaces or colons, at most 256 characters): ${show(ad_id)}`,
    );
  for (const c of ['subject', 'stance', 'coder', 'coded_on'] as const)
    if (get(c) === '') return reject(`${c} is empty`);
  const coder = get('coder');
  if (!CODER.test(coder))
    return reject(`coder is not <group>/<coder> (a group and a handle, no e-mail): ${show(coder)}`);
  const coded_on = get('coded_on');
  if (!isDate(coded_on)) return reject(`coded_on is not a date YYYY-MM-DD: ${show(coded_on)}`);

  return {
    ok: true,
    payload: {
      platform: p,
      ad_id,
      ad_set: get('ad_set'),
      subject: get('subject'),
      stance: get('stance'),
      message: get('message'),
      transcript: get('transcript'),
      coder,
      coded_on,
    },
  };
}

/** `<platform>:<ad_id>:<coder>:<subject>@<coded_on>`: one coder's coding of one subject of one ad on one day. */
export function annotationRecordId(
  p: Pick<AnnotationPayloadV1, 'platform' | 'ad_id' | 'coder' | 'subject' | 'coded_on'>,
): string {
  return `${p.platform}:${p.ad_id}:${p.coder}:${p.subject}@${p.coded_on}`;
}

/**
 * Codings the reader has made already: it codes every row to find conflicting codings, and the
 * parser then takes its result instead of coding the row a second time. Keyed by the cells
 * object, which nothing changes once read; annotationOf is pure, so the parser stays pure.
 */
const codedByReader = new WeakMap<AnnotationCells, Annotation>();

/** {@link annotationOf}, remembered for the parser of the same row. */
export function codeForParser(cells: AnnotationCells): Annotation {
  const a = annotationOf(cells);
  codedByReader.set(cells, a);
  return a;
}

/** One row to an outcome. Pure and never throws for bad content. */
export function parseAnnotationRow(item: Item<AnnotationCells>): ParseOutcome {
  const a = codedByReader.get(item.value) ?? annotationOf(item.value);
  codedByReader.delete(item.value);
  if (!a.ok) return outcome.reject(a.reason, a.detail);
  return outcome.event(annotationRecordId(a.payload), `${a.payload.coded_on}T00:00:00Z`, a.payload);
}

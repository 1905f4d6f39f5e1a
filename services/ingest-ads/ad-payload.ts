/** Pieces every ad parser shares: empty targeting and creative, list splitting, snapshot dates. */
import type { AdPayloadV1 } from '../../schemas/events/ad.ts';

export type AdTargeting = AdPayloadV1['targeting'];
export type AdCreative = AdPayloadV1['creative'];

export function emptyTargeting(): AdTargeting {
  return {
    countries: [],
    regions: [],
    excluded_regions: [],
    postal_codes: [],
    excluded_postal_codes: [],
    age_min: null,
    age_max: null,
    genders: [],
    interests: [],
    languages: [],
  };
}

export function emptyCreative(): AdCreative {
  return {
    bodies: [],
    link_titles: [],
    link_descriptions: [],
    link_urls: [],
    snapshot_url: null,
    media_urls: [],
  };
}

/** `"Alabama,Arkansas"` → `["Alabama", "Arkansas"]`: trimmed, empty parts and repeats dropped. */
export function splitList(text: string | undefined, separator: string | RegExp = ','): string[] {
  if (!text) return [];
  if (typeof separator === 'string' && !text.includes(separator)) {
    // One item or none, the common case of a targeting column: no split, no set.
    const t = text.trim();
    return t.length > 0 ? [t] : [];
  }
  // One pass, no intermediate arrays (postal code lists run to thousands of items).
  const out: string[] = [];
  const seen = new Set<string>();
  for (const part of text.split(separator)) {
    const s = part.trim();
    if (s.length === 0) continue;
    const size = seen.size;
    seen.add(s);
    if (seen.size !== size) out.push(s);
  }
  return out;
}

/**
 * The snapshot date a file name carries (`…_snapshot_2024-08-05.csv`, or any `_YYYY-MM-DD` part)
 * as an instant at 00:00Z; undefined when there is none or it is not a real date.
 */
export function snapshotFromFileName(file: string): string | undefined {
  // Asked once per row of the same file: remember the last answer.
  if (lastSnapshot?.file !== file) lastSnapshot = { file, at: snapshotOfName(file) };
  return lastSnapshot.at;
}

let lastSnapshot: { file: string; at: string | undefined } | undefined;

function snapshotOfName(file: string): string | undefined {
  const m = /(?:^|[_\-. ])(\d{4}-\d{2}-\d{2})(?=[_\-. ]|$)/.exec(file);
  if (!m) return undefined;
  const iso = `${m[1]}T00:00:00Z`;
  const t = Date.parse(iso);
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(m[1] ?? '')
    ? `${m[1]}T00:00:00Z`
    : undefined;
}

/** `YYYY-MM-DD` → `YYYY-MM-DDT00:00:00Z` when it is a real calendar date. */
export function instantOfDate(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ok = isCalendarDate(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
  return ok ? `${date}T00:00:00Z` : undefined;
}

/**
 * True when year, month and day name a day of the proleptic Gregorian calendar (years 0 to
 * 9999), as a round trip through Date would say, without one.
 */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

/** A JavaScript Date as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, like the libraries' times). */
export function instantOf(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** source_record_id of an ad snapshot: one event per ad per snapshot. */
export function snapshotRecordId(adId: string, snapshotAt: string): string {
  return `${adId}@${snapshotAt}`;
}

/** Age bounds from a bracket: `18+` → 18..null, `17-` → null..17, `18-29` → 18..29, `` → null..null. */
export function ageBracket(text: string): { age_min: number | null; age_max: number | null } | undefined {
  const t = text.trim();
  if (t === '') return { age_min: null, age_max: null };
  let m = /^(\d{1,3})\+$/.exec(t);
  if (m) return { age_min: Number(m[1]), age_max: null };
  m = /^(\d{1,3})-$/.exec(t);
  if (m) return { age_min: null, age_max: Number(m[1]) };
  m = /^(\d{1,3})\s*-\s*(\d{1,3})$/.exec(t);
  if (m) return { age_min: Number(m[1]), age_max: Number(m[2]) };
  return undefined;
}

/**
 * `meta-ads`: Meta Ad Library API (`ads_archive`) JSON pages `{"data":[…],"paging":{…}}` → `ad`
 * events, one per archived ad.
 *
 * - Every number is a string (`"lower_bound":"100"`); spend and impressions are buckets whose top
 *   has no `upper_bound` → high null, point = low (`low_bound_for_open_range`); a closed bucket
 *   gets its midpoint. A missing lower_bound is 0.
 * - Ids stay strings (they exceed 2^53). An id sent as a JSON number beyond 2^53 has already lost
 *   digits, so that ad is rejected rather than stored under a wrong id.
 * - Legacy names still appear: `funding_entity` (= `bylines`) → paying_entity,
 *   `region_distribution` (= `delivery_by_region`) → region_distribution; `potential_reach`
 *   (= `estimated_audience_size`), `demographic_distribution`, `publisher_platforms` and
 *   `ad_creation_time` have no place in the ad schema and are not stored.
 * - `ad_snapshot_url` carries `access_token=`: it is stripped before the URL is stored.
 * - `ad_creative_link_captions` (the displayed landing domain) are the only links the API gives:
 *   they go to creative.link_urls.
 * - snapshot_at: the page's optional top-level `_fetched_at` (an ISO instant our fetcher adds when
 *   it saves a page), else the import's start time — the API reports current cumulative figures.
 *   source_record_id = `<id>@<snapshot_at>`.
 *
 * A page is read whole (pages are small; over 64 MiB is refused as `too_large`); a page that is
 * not JSON, or has no `data` array, is one fault.
 */
import type { AdPayloadV1 } from '../../schemas/events/ad.ts';
import { stripTokens } from '../shared/urls.ts';
import type {
  ImportSource,
  Item,
  ParseContext,
  ParseOutcome,
  ReaderContext,
  ReadResult,
} from '../shared/ingest/source.ts';
import { outcome } from '../shared/ingest/source.ts';
import { startsWithRealDate, stringifyOrUndefined } from '../shared/ingest/readers.ts';
import { emptyCreative, emptyTargeting, instantOf, instantOfDate, snapshotRecordId } from './ad-payload.ts';
import { countRange, moneyRange, normaliseCount, normaliseDecimal } from './ranges.ts';

/** One archived ad of a page, with the page's fetch time when it has one. */
export interface MetaAdItem {
  ad: unknown;
  fetchedAt: string | undefined;
}

export const MAX_PAGE_BYTES = 64 * 1024 * 1024;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** `2024-09-01` or `2019-05-01T11:22:33+0000` → an instant in Z; undefined when neither. */
export function metaTime(text: string): string | undefined {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return instantOfDate(t);
  if (!INSTANT.test(t) || !startsWithRealDate(t)) return undefined;
  const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? instantOf(new Date(ms)) : undefined;
}

export async function* readMetaPages(ctx: ReaderContext): AsyncGenerator<ReadResult<MetaAdItem>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.input.stream) {
    size += chunk.length;
    if (size > MAX_PAGE_BYTES) {
      yield {
        ok: false,
        fault: {
          position: 'page',
          raw: Buffer.concat(chunks).subarray(0, 1024 * 1024),
          reason: 'too_large',
          detail: `page larger than ${MAX_PAGE_BYTES} bytes`,
        },
      };
      return;
    }
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  const fault = (reason: 'parse_error' | 'encoding_error', detail: string): ReadResult<MetaAdItem> => ({
    ok: false,
    fault: { position: 'page', raw, reason, detail },
  });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    yield fault('encoding_error', 'the page is not valid UTF-8');
    return;
  }
  let page: unknown;
  try {
    page = JSON.parse(text);
  } catch (err) {
    yield fault('parse_error', `not JSON (truncated page?): ${(err as Error).message}`);
    return;
  }
  if (typeof page !== 'object' || page === null || Array.isArray(page)) {
    yield fault('parse_error', 'the page is not a JSON object {"data":[…]}');
    return;
  }
  const p = page as Record<string, unknown>;
  if (p.error !== undefined) {
    yield fault('parse_error', `the page is a Graph API error: ${JSON.stringify(p.error).slice(0, 500)}`);
    return;
  }
  if (!Array.isArray(p.data)) {
    yield fault('parse_error', 'the page has no "data" array');
    return;
  }
  let fetchedAt: string | undefined;
  if (p._fetched_at !== undefined) {
    fetchedAt = typeof p._fetched_at === 'string' ? metaTime(p._fetched_at) : undefined;
    if (!fetchedAt) {
      yield fault(
        'parse_error',
        `_fetched_at is not an ISO instant: ${JSON.stringify(p._fetched_at).slice(0, 60)}`,
      );
      return;
    }
  }
  let i = 0;
  for (const ad of p.data as unknown[]) {
    i++;
    const text = stringifyOrUndefined(ad);
    if (text === undefined) {
      yield {
        ok: false,
        fault: {
          reason: 'parse_error',
          detail: 'the ad is nested too deeply to be read',
          position: `page item ${i}`,
          raw: Buffer.from('(nested too deeply to re-serialise; see the page file)'),
        },
      };
      continue;
    }
    yield {
      ok: true,
      item: { position: `page item ${i}`, raw: Buffer.from(text), value: { ad, fetchedAt } },
    };
  }
}

/** A JSON string, or a safe whole/decimal number written as one; undefined otherwise. */
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v)))
    return String(v);
  return undefined;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() === '' ? [] : [v];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
}

type Bounds = { low: string; high: string | null };

/** `{lower_bound:"100", upper_bound:"199"}` → bounds; undefined when the numbers are not numbers. */
function bounds(v: unknown, normalise: (s: string) => string | undefined): Bounds | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const lowText = o.lower_bound === undefined ? '0' : str(o.lower_bound);
  const low = lowText === undefined ? undefined : normalise(lowText);
  if (low === undefined) return undefined;
  if (o.upper_bound === undefined || o.upper_bound === null) return { low, high: null };
  const highText = str(o.upper_bound);
  const high = highText === undefined ? undefined : normalise(highText);
  return high === undefined ? undefined : { low, high };
}

/** A share as a Fraction string (`"0.45"`), at most 12 decimals; undefined outside 0..1. */
function share(v: unknown): string | undefined {
  const text = str(v);
  if (text === undefined) return undefined;
  let t = text.trim();
  if (/e/i.test(t) || typeof v === 'number') {
    const n = Number(t);
    if (!Number.isFinite(n)) return undefined;
    t = n.toFixed(12).replace(/\.?0+$/, '');
  }
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return undefined;
  const frac = (m[2] ?? '').slice(0, 12).replace(/0+$/, '');
  const out = frac ? `${Number(m[1])}.${frac}` : String(Number(m[1]));
  return /^(0(\.\d{1,12})?|1)$/.test(out) ? out : undefined;
}

export function parseMetaAd(item: Item<MetaAdItem>, ctx: ParseContext): ParseOutcome {
  const { ad, fetchedAt } = item.value;
  if (typeof ad !== 'object' || ad === null || Array.isArray(ad))
    return outcome.reject('schema_invalid', 'the archived ad is not a JSON object');
  const a = ad as Record<string, unknown>;
  if (typeof a.id === 'number' && !Number.isSafeInteger(a.id))
    return outcome.reject(
      'schema_invalid',
      'id is a JSON number above 2^53: its digits are already lost; the API must send ids as strings',
    );
  const id = str(a.id)?.trim();
  if (!id || !/^\d{1,24}$/.test(id))
    return outcome.reject(
      'schema_invalid',
      `id is not a digit string: ${JSON.stringify(a.id)?.slice(0, 60)}`,
    );
  const pageName = typeof a.page_name === 'string' ? a.page_name.trim() : '';
  if (pageName === '') return outcome.reject('schema_invalid', 'page_name is missing');
  const currency = typeof a.currency === 'string' ? a.currency.trim().toUpperCase() : '';
  if (!/^[A-Z]{3}$/.test(currency))
    return outcome.reject(
      'schema_invalid',
      `currency is not a 3-letter code: ${JSON.stringify(a.currency)?.slice(0, 40)}`,
    );
  if (a.spend === undefined) return outcome.reject('schema_invalid', 'spend is missing');
  const sb = bounds(a.spend, normaliseDecimal);
  const spend = sb && moneyRange(sb.low, sb.high);
  if (!spend)
    return outcome.reject(
      'schema_invalid',
      `spend is not {lower_bound, upper_bound} numbers with low <= high: ${JSON.stringify(a.spend).slice(0, 200)}`,
    );
  let impressions: AdPayloadV1['impressions'] = null;
  if (a.impressions !== undefined && a.impressions !== null) {
    const ib = bounds(a.impressions, normaliseCount);
    const r = ib && countRange(ib.low, ib.high);
    if (!r)
      return outcome.reject(
        'schema_invalid',
        `impressions is not {lower_bound, upper_bound} counts with low <= high: ${JSON.stringify(a.impressions).slice(0, 200)}`,
      );
    impressions = r;
  }
  const time = (field: string): string | null | undefined => {
    const v = a[field];
    if (v === undefined || v === null || v === '') return null;
    return typeof v === 'string' ? metaTime(v) : undefined;
  };
  const start = time('ad_delivery_start_time');
  const end = time('ad_delivery_stop_time');
  if (start === undefined)
    return outcome.reject(
      'parse_error',
      `ad_delivery_start_time is not a date or time: ${JSON.stringify(a.ad_delivery_start_time).slice(0, 60)}`,
    );
  if (end === undefined)
    return outcome.reject(
      'parse_error',
      `ad_delivery_stop_time is not a date or time: ${JSON.stringify(a.ad_delivery_stop_time).slice(0, 60)}`,
    );
  if (start !== null && end !== null && end < start)
    return outcome.reject(
      'schema_invalid',
      `ad_delivery_stop_time ${end} is before ad_delivery_start_time ${start}`,
    );

  const targeting = emptyTargeting();
  targeting.languages = strings(a.languages);
  if (Array.isArray(a.target_locations)) {
    for (const loc of a.target_locations as unknown[]) {
      if (typeof loc !== 'object' || loc === null) continue;
      const l = loc as Record<string, unknown>;
      const name = typeof l.name === 'string' ? l.name.trim() : '';
      if (!name) continue;
      const type = typeof l.type === 'string' ? l.type.toLowerCase() : '';
      const excluded = l.excluded === true;
      if (/^countr(y|ies)$/.test(type) && !excluded) targeting.countries.push(name);
      else if (/^regions?$/.test(type))
        (excluded ? targeting.excluded_regions : targeting.regions).push(name);
      else if (/^(zip|zips|postal_codes?)$/.test(type))
        (excluded ? targeting.excluded_postal_codes : targeting.postal_codes).push(name);
    }
  }
  const ages = strings(a.target_ages);
  if (ages.length > 0) {
    const nums = ages.map((s) => /^(\d{1,3})\+?$/.exec(s.trim())).filter((m) => m !== null);
    if (nums.length > 0) {
      const values = nums.map((m) => Number(m[1]));
      targeting.age_min = Math.min(...values);
      targeting.age_max = ages.some((s) => s.trim().endsWith('+')) ? null : Math.max(...values);
    }
  }
  const gender = typeof a.target_gender === 'string' ? a.target_gender.trim() : '';
  if (gender !== '' && !/^all$/i.test(gender)) targeting.genders = [gender];

  const distribution: AdPayloadV1['region_distribution'] = [];
  const dist = a.delivery_by_region ?? a.region_distribution;
  if (Array.isArray(dist)) {
    for (const d of dist as unknown[]) {
      if (typeof d !== 'object' || d === null) continue;
      const r = d as Record<string, unknown>;
      const region = typeof r.region === 'string' ? r.region.trim() : '';
      const s = share(r.percentage);
      if (!region || s === undefined)
        return outcome.reject(
          'schema_invalid',
          `delivery_by_region entry is not {region, percentage 0..1}: ${JSON.stringify(d).slice(0, 200)}`,
        );
      distribution.push({ region, share: s });
    }
  }

  const creative = emptyCreative();
  creative.bodies = strings(a.ad_creative_bodies ?? a.ad_creative_body);
  creative.link_titles = strings(a.ad_creative_link_titles ?? a.ad_creative_link_title);
  creative.link_descriptions = strings(a.ad_creative_link_descriptions ?? a.ad_creative_link_description);
  creative.link_urls = strings(a.ad_creative_link_captions ?? a.ad_creative_link_caption).map(stripTokens);
  if (typeof a.ad_snapshot_url === 'string' && a.ad_snapshot_url.trim() !== '')
    creative.snapshot_url = stripTokens(a.ad_snapshot_url.trim());

  const byline = strings(a.bylines ?? a.funding_entity)
    .join('; ')
    .trim();
  const pageId = str(a.page_id)?.trim();
  const legacy =
    a.funding_entity !== undefined || a.region_distribution !== undefined || a.potential_reach !== undefined;
  const snapshotAt = fetchedAt ?? instantOf(ctx.now);
  const payload: AdPayloadV1 = {
    platform: 'meta',
    ad_id: id,
    snapshot_at: snapshotAt,
    granularity: 'ad',
    advertiser_name: pageName,
    advertiser_id: pageId ? pageId : null,
    paying_entity: byline === '' ? null : byline,
    sponsor_committee_id: null,
    currency,
    spend,
    impressions,
    delivery_start: start,
    delivery_end: end,
    targeting,
    region_distribution: distribution,
    creative,
    stance: [],
    raw_fields_version: legacy ? 'meta-ads-archive-legacy' : 'meta-ads-archive',
  };
  return outcome.event(snapshotRecordId(id, snapshotAt), snapshotAt, payload);
}

export const metaAdsSource: ImportSource<MetaAdItem> = {
  name: 'meta-ads',
  eventType: 'ad',
  description: 'Meta Ad Library API (ads_archive) JSON pages; optional top-level _fetched_at = snapshot time',
  read: readMetaPages,
  parse: parseMetaAd,
};

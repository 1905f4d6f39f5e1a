/**
 * `google-ads`: Google's political ads transparency report, `google-political-ads-creative-
 * stats.csv` → `ad` events. Columns are bound by header name (the file gained columns over time).
 *
 * - Impressions are buckets in two vocabularies: `≤ 10k`, `10k-100k`, `100k-1M`, `1M-10M`,
 *   `> 10M` (older) and numeric ranges `0-1000`, `1000-2000`, … (newer); `> 10M` is an open top.
 * - Spend (USD) comes from Spend_Range_Min_USD / Spend_Range_Max_USD (an empty max is an open
 *   top); when those columns are absent, from the deprecated Spend_USD bucket (`≤ 100`,
 *   `100-1k`, `> 100k`, …). The per-currency Spend_Range_*_EUR… columns are ignored: the schema
 *   carries one currency and USD is present on every row.
 * - Geo_Targeting_Included/Excluded are comma lists kept as the report spells them (regions);
 *   Regions (where the ad is certified or served: `US`, `EU`) gives the countries.
 * - snapshot_at: a `_YYYY-MM-DD` date in the file name, else the import's start time (the report
 *   carries no observation time; Google refreshes it daily).
 */
import type { AdPayloadV1 } from '../../schemas/events/ad.ts';
import { stripTokens } from '../shared/urls.ts';
import type { ImportSource, Item, ParseContext, ParseOutcome } from '../shared/ingest/source.ts';
import { outcome } from '../shared/ingest/source.ts';
import {
  emptyCreative,
  emptyTargeting,
  instantOf,
  instantOfDate,
  snapshotFromFileName,
  snapshotRecordId,
  splitList,
} from './ad-payload.ts';
import { cell, type CsvRow, missingColumns, missingColumnsDetail, readCsvRows } from './csv-rows.ts';
import { countRange, moneyRange, normaliseDecimal, parseBucket } from './ranges.ts';

export const GOOGLE_REQUIRED = ['Ad_ID', 'Advertiser_Name', 'Impressions', 'Date_Range_Start'] as const;

/** Age_Targeting like `18-24, 25-34, ≥65` → the overall min and max (null when open or unknown). */
function ageSpan(text: string): { age_min: number | null; age_max: number | null } {
  let min: number | null = null;
  let max: number | null = null;
  let open = false;
  let any = false;
  for (const part of splitList(text)) {
    const m = /^(\d{1,3})\s*-\s*(\d{1,3})$/.exec(part) ?? /^(?:≥|>=)?\s*(\d{1,3})\+?$/.exec(part);
    if (!m) continue;
    any = true;
    const lo = Number(m[1]);
    min = min === null ? lo : Math.min(min, lo);
    if (m[2] === undefined) open = true;
    else max = max === null ? Number(m[2]) : Math.max(max, Number(m[2]));
  }
  if (!any) return { age_min: null, age_max: null };
  return { age_min: min, age_max: open ? null : max };
}

function spendOf(get: (c: string) => string | undefined): AdPayloadV1['spend'] | string {
  const min = get('Spend_Range_Min_USD');
  if (min !== undefined && min.trim() !== '') {
    const low = normaliseDecimal(min);
    const maxText = (get('Spend_Range_Max_USD') ?? '').trim();
    const high = maxText === '' ? null : normaliseDecimal(maxText);
    if (low === undefined || high === undefined)
      return `Spend_Range_Min/Max_USD are not numbers: ${JSON.stringify(min.slice(0, 30))}, ${JSON.stringify(maxText.slice(0, 30))}`;
    return moneyRange(low, high) ?? `Spend_Range_Max_USD ${maxText} is below Spend_Range_Min_USD ${min}`;
  }
  const bucket = (get('Spend_USD') ?? '').trim();
  if (bucket === '') return 'no spend: Spend_Range_Min_USD and Spend_USD are both missing or empty';
  const b = parseBucket(bucket);
  if (!b) return `Spend_USD is not a spend bucket: ${JSON.stringify(bucket.slice(0, 40))}`;
  return moneyRange(b.low, b.high) ?? `Spend_USD bucket is inverted: ${bucket}`;
}

export function parseGoogleRow(item: Item<CsvRow>, ctx: ParseContext): ParseOutcome {
  const row = item.value;
  const missing = missingColumns(row, GOOGLE_REQUIRED);
  if (missing.length > 0) return outcome.reject('schema_invalid', missingColumnsDetail(row, missing));
  if (row.fields.length !== row.header.names.length)
    return outcome.reject(
      'parse_error',
      `the row has ${row.fields.length} fields, the header ${row.header.names.length}`,
    );
  const opt = (name: string): string | undefined => cell(row, name);
  const get = (name: string): string => (cell(row, name) ?? '').trim();

  const adId = get('Ad_ID');
  if (adId === '' || adId.length > 256)
    return outcome.reject('schema_invalid', 'Ad_ID is empty or longer than 256 characters');
  const advertiser = get('Advertiser_Name');
  if (advertiser === '') return outcome.reject('schema_invalid', 'Advertiser_Name is empty');
  const spend = spendOf(opt);
  if (typeof spend === 'string') return outcome.reject('schema_invalid', spend);
  const impText = get('Impressions');
  let impressions: AdPayloadV1['impressions'] = null;
  if (impText !== '') {
    const b = parseBucket(impText);
    const r =
      b && /^\d+$/.test(b.low) && (b.high === null || /^\d+$/.test(b.high))
        ? countRange(b.low, b.high)
        : undefined;
    if (!r)
      return outcome.reject(
        'schema_invalid',
        `Impressions is not a bucket: ${JSON.stringify(impText.slice(0, 40))}`,
      );
    impressions = r;
  }
  const startText = get('Date_Range_Start');
  const start = instantOfDate(startText);
  if (!start)
    return outcome.reject(
      'parse_error',
      `Date_Range_Start is not YYYY-MM-DD: ${JSON.stringify(startText.slice(0, 40))}`,
    );
  const endText = get('Date_Range_End');
  const end = endText === '' ? null : instantOfDate(endText);
  if (end === undefined)
    return outcome.reject(
      'parse_error',
      `Date_Range_End is not YYYY-MM-DD: ${JSON.stringify(endText.slice(0, 40))}`,
    );
  if (end !== null && end < start)
    return outcome.reject(
      'schema_invalid',
      `Date_Range_End ${endText} is before Date_Range_Start ${startText}`,
    );

  const snapshotAt = snapshotFromFileName(row.file) ?? instantOf(ctx.now);
  const targeting = emptyTargeting();
  targeting.countries = splitList(get('Regions'));
  targeting.regions = splitList(get('Geo_Targeting_Included'));
  targeting.excluded_regions = splitList(get('Geo_Targeting_Excluded'));
  Object.assign(targeting, ageSpan(get('Age_Targeting')));
  targeting.genders = splitList(get('Gender_Targeting')).filter((g) => !/^not targeted$/i.test(g));
  const creative = emptyCreative();
  const url = get('Ad_URL');
  if (url !== '') creative.snapshot_url = stripTokens(url);
  const advertiserId = get('Advertiser_ID');

  const payload: AdPayloadV1 = {
    platform: 'google',
    ad_id: adId,
    snapshot_at: snapshotAt,
    granularity: 'ad',
    advertiser_name: advertiser,
    advertiser_id: advertiserId === '' ? null : advertiserId,
    paying_entity: null,
    sponsor_committee_id: null,
    currency: 'USD',
    spend,
    impressions,
    delivery_start: start,
    delivery_end: end,
    targeting,
    region_distribution: [],
    creative,
    stance: [],
    raw_fields_version: `google-csv-${row.header.names.length}`,
  };
  return outcome.event(snapshotRecordId(adId, snapshotAt), snapshotAt, payload);
}

export const googleAdsSource: ImportSource<CsvRow> = {
  name: 'google-ads',
  eventType: 'ad',
  description: 'Google political ads creative-stats CSV (google-political-ads-creative-stats.csv)',
  read: (ctx) => readCsvRows(ctx),
  parse: parseGoogleRow,
};

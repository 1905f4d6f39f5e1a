/**
 * `snap`: the Snap Political & Advocacy Ads Library CSV (or a ZIP of such CSVs) → `ad` events.
 *
 * Columns are bound by header name: the export grew from 34 to 38 columns (CommitteeName,
 * CommitteeIdentificationNumber, DisclosureNameOfCommittee, AdvertisingJurisdiction were added);
 * unknown columns are ignored, missing optional ones give empty values, and a file missing a
 * required column has every row rejected with the names of the missing columns.
 *
 * Spend and Impressions are cumulative per ad and exact (point_method `exact`), Spend in the
 * ad's `Currency Code`. snapshot_at is the date in the file name (`…_snapshot_YYYY-MM-DD.csv` →
 * that date at 00:00Z); a file without one falls back to the import's start time (ctx.now), since
 * the export itself carries no observation time. source_record_id is `ADID@snapshot_at`, so every
 * snapshot is its own event and re-importing a snapshot is a duplicate.
 */
import type { AdPayloadV1 } from '../../schemas/events/ad.ts';
import { stripTokens } from '../shared/urls.ts';
import type { ImportSource, Item, ParseContext, ParseOutcome } from '../shared/ingest/source.ts';
import { outcome } from '../shared/ingest/source.ts';
import {
  ageBracket,
  isCalendarDate,
  emptyCreative,
  emptyTargeting,
  instantOf,
  snapshotFromFileName,
  snapshotRecordId,
  splitList,
} from './ad-payload.ts';
import { cell, type CsvRow, missingColumns, missingColumnsDetail, readCsvRows } from './csv-rows.ts';
import { countRange, moneyRange, normaliseCount, normaliseDecimal } from './ranges.ts';

/** Columns without which a row is not an ad snapshot. */
export const SNAP_REQUIRED = ['ADID', 'Currency Code', 'Spend', 'OrganizationName'] as const;

/** `2024/02/16 11:00:58Z` → `2024-02-16T11:00:58Z`; '' → null; undefined when malformed. */
export function snapDate(text: string): string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})Z$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  ];
  // A real date and time, as a round trip through Date would say: no February 30th, no hour 24.
  return isCalendarDate(y, mo, d) && h <= 23 && mi <= 59 && sec <= 59
    ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`
    : undefined;
}

/** The landing link of CreativeProperties (`web_view_url:https://…`, `deep_link_uri:snapchat://…`). */
function creativeLinks(text: string): string[] {
  const t = text.trim();
  if (t === '') return [];
  const m = /^([a-z_]+):(.+)$/s.exec(t);
  return [stripTokens(m ? (m[2] ?? '').trim() : t)].filter((s) => s.length > 0);
}

/** An FEC committee id when CommitteeIdentificationNumber holds one (`C00867101`), else null. */
function committeeId(text: string): string | null {
  const t = text.trim().toUpperCase();
  return /^C\d{8}$/.test(t) ? t : null;
}

export function parseSnapRow(item: Item<CsvRow>, ctx: ParseContext): ParseOutcome {
  const row = item.value;
  const missing = missingColumns(row, SNAP_REQUIRED);
  if (missing.length > 0) return outcome.reject('schema_invalid', missingColumnsDetail(row, missing));
  if (row.fields.length !== row.header.names.length)
    return outcome.reject(
      'parse_error',
      `the row has ${row.fields.length} fields, the header ${row.header.names.length}`,
    );
  const get = (name: string): string => cell(row, name) ?? '';

  const adId = get('ADID').trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(adId))
    return outcome.reject(
      'schema_invalid',
      `ADID is not 64 hex digits: ${JSON.stringify(get('ADID').slice(0, 100))}`,
    );
  const currency = get('Currency Code').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    return outcome.reject(
      'schema_invalid',
      `Currency Code is not a 3-letter code: ${JSON.stringify(get('Currency Code').slice(0, 40))}`,
    );
  const spendValue = normaliseDecimal(get('Spend'));
  if (spendValue === undefined)
    return outcome.reject(
      'schema_invalid',
      `Spend is not a non-negative number: ${JSON.stringify(get('Spend').slice(0, 40))}`,
    );
  const spend = moneyRange(spendValue, spendValue);
  let impressions: AdPayloadV1['impressions'] = null;
  const imp = get('Impressions').trim();
  if (imp !== '') {
    const n = normaliseCount(imp);
    if (n === undefined)
      return outcome.reject(
        'schema_invalid',
        `Impressions is not a whole count: ${JSON.stringify(imp.slice(0, 40))}`,
      );
    impressions = countRange(n, n) ?? null;
  }
  const start = snapDate(get('StartDate'));
  const end = snapDate(get('EndDate'));
  if (start === undefined)
    return outcome.reject(
      'parse_error',
      `StartDate is not YYYY/MM/DD HH:MM:SSZ: ${JSON.stringify(get('StartDate').slice(0, 40))}`,
    );
  if (end === undefined)
    return outcome.reject(
      'parse_error',
      `EndDate is not YYYY/MM/DD HH:MM:SSZ: ${JSON.stringify(get('EndDate').slice(0, 40))}`,
    );
  if (start !== null && end !== null && end < start)
    // Real rows do this (an end date years before the start); the schema forbids it, and picking
    // either date would invent data, so the row waits in the DLQ for a decision.
    return outcome.reject(
      'schema_invalid',
      `EndDate ${end} is before StartDate ${start}: the library's dates contradict each other`,
    );
  const ages = ageBracket(get('AgeBracket'));
  if (!ages)
    return outcome.reject(
      'parse_error',
      `AgeBracket is not a bracket like 18+, 17- or 18-29: ${JSON.stringify(get('AgeBracket').slice(0, 40))}`,
    );

  const organization = get('OrganizationName').trim();
  const paying = get('PayingAdvertiserName').trim();
  const advertiser = organization || paying;
  if (advertiser === '')
    return outcome.reject('schema_invalid', 'OrganizationName and PayingAdvertiserName are both empty');

  const snapshotAt = snapshotFromFileName(row.file) ?? instantOf(ctx.now);
  const targeting = emptyTargeting();
  targeting.countries = splitList(get('CountryCode'));
  targeting.regions = splitList(get('Regions (Included)'));
  targeting.excluded_regions = splitList(get('Regions (Excluded)'));
  targeting.postal_codes = splitList(get('Postal Codes (Included)'));
  targeting.excluded_postal_codes = splitList(get('Postal Codes (Excluded)'));
  targeting.age_min = ages.age_min;
  targeting.age_max = ages.age_max;
  targeting.genders = splitList(get('Gender'));
  targeting.interests = splitList(get('Interests'));
  targeting.languages = splitList(get('Language'));
  const creative = emptyCreative();
  creative.link_urls = creativeLinks(get('CreativeProperties'));
  const media = get('CreativeUrl').trim();
  if (media !== '') creative.media_urls = [stripTokens(media)];

  const payload: AdPayloadV1 = {
    platform: 'snap',
    ad_id: adId,
    snapshot_at: snapshotAt,
    granularity: 'ad',
    advertiser_name: advertiser,
    advertiser_id: null,
    paying_entity: paying || null,
    sponsor_committee_id: committeeId(get('CommitteeIdentificationNumber')),
    currency,
    spend: spend ?? { low: spendValue, high: spendValue, point: spendValue, point_method: 'exact' },
    impressions,
    delivery_start: start,
    delivery_end: end,
    targeting,
    region_distribution: [],
    creative,
    stance: [],
    raw_fields_version: `snap-csv-${row.header.names.length}`,
  };
  return outcome.event(snapshotRecordId(adId, snapshotAt), snapshotAt, payload);
}

export const snapSource: ImportSource<CsvRow> = {
  name: 'snap',
  eventType: 'ad',
  description:
    'Snap Political & Advocacy Ads Library CSV (or a ZIP of them); snapshot date from the file name',
  read: (ctx) => readCsvRows(ctx),
  parse: parseSnapRow,
};

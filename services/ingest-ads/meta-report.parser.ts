/**
 * `meta-report`: the Meta Ad Library Report CSVs (`FacebookAdLibraryReport_<date>_<country>_
 * <period>_<part>.csv`) → `ad` events with granularity `advertiser_period`: per-advertiser totals
 * for a period, not per ad.
 *
 * - `<part>` = `advertisers`: national totals (targeting.regions empty, region `all`);
 *   any other part is a region file (`…_yesterday_Bangkok.csv`): targeting.regions = [region].
 * - The locations file (`…_locations.csv`, header `Location name,Amount spent (…)`) holds spend
 *   per region over all advertisers: each row is a period total with advertiser_name
 *   `(all advertisers)`, advertiser_id null, ad_id `report:<country>:all-advertisers:<region>:<period>`
 *   (analysts must not add these to the per-advertiser rows: they are the same money, summed).
 * - The currency comes from the header (`Amount spent (THB)`).
 * - Amounts are whole numbers (exact) or `≤100`: low 0, high 100, point 50 (`midpoint`).
 * - ad_id = `report:<country>:<page id>:<disclaimer>:<region|all>:<period>` where period is
 *   `lifelong`, or `<period>@<report date>` for the rolling windows (`yesterday`, `last_7_days`…),
 *   so each day's window is its own "ad" and a later lifelong report supersedes an earlier one.
 *   One Page ID under two disclaimers is two rows and two ids.
 * - snapshot_at = the report date at 00:00Z; delivery_start/end are null (the report gives a
 *   window, not delivery dates). paying_entity = the disclaimer, or null for Meta's placeholder
 *   "These ads ran without a disclaimer".
 */
import type { AdPayloadV1 } from '../../schemas/events/ad.ts';
import type { ImportSource, Item, ParseContext, ParseOutcome } from '../shared/ingest/source.ts';
import { outcome } from '../shared/ingest/source.ts';
import { emptyCreative, emptyTargeting, instantOfDate, snapshotRecordId } from './ad-payload.ts';
import {
  cell,
  type CsvHeader,
  type CsvRow,
  missingColumns,
  missingColumnsDetail,
  readCsvRows,
} from './csv-rows.ts';
import { moneyRange, normaliseDecimal } from './ranges.ts';

export const META_REPORT_REQUIRED = ['Page ID', 'Page name', 'Disclaimer'] as const;

const NO_DISCLAIMER = 'These ads ran without a disclaimer';

/** What a report file name says. */
export interface ReportFileName {
  date: string;
  country: string;
  period: string;
  /** `advertisers`, `locations`, or a region name. */
  part: string;
}

/** Reads `FacebookAdLibraryReport_2022-11-18_TH_yesterday_Bangkok.csv`; undefined otherwise. */
export function parseReportFileName(file: string): ReportFileName | undefined {
  const m =
    /^FacebookAdLibraryReport_(\d{4}-\d{2}-\d{2})_([A-Z]{2})_(yesterday|last_\d+_days|lifelong)_(.+)\.csv$/i.exec(
      file,
    );
  if (!m) return undefined;
  return {
    date: m[1] ?? '',
    country: (m[2] ?? '').toUpperCase(),
    period: (m[3] ?? '').toLowerCase(),
    part: m[4] ?? '',
  };
}

/** The amount column and its currency: `Amount spent (THB)`. */
function amountColumn(header: CsvHeader): { name: string; currency: string } | undefined {
  for (const name of header.names) {
    const m = /^Amount spent \(([A-Z]{3})\)$/.exec(name);
    if (m) return { name, currency: m[1] ?? '' };
  }
  return undefined;
}

/** The documented skip rule: the locations file has no advertiser per row. */
export function isLocationsFile(header: CsvHeader): boolean {
  return header.names[0] === 'Location name' && !header.index.has('Page ID');
}

/** The advertiser name of a locations-file row: spend summed over every advertiser. */
export const ALL_ADVERTISERS = '(all advertisers)';

export function parseMetaReportRow(item: Item<CsvRow>, _ctx: ParseContext): ParseOutcome {
  const row = item.value;
  const locations = isLocationsFile(row.header);
  const missing = locations
    ? missingColumns(row, ['Location name'])
    : missingColumns(row, META_REPORT_REQUIRED);
  const amount = amountColumn(row.header);
  if (!amount) missing.push('Amount spent (<currency>)');
  if (missing.length > 0 || !amount)
    return outcome.reject('schema_invalid', missingColumnsDetail(row, missing));
  const name = parseReportFileName(row.file);
  if (!name)
    return outcome.reject(
      'parse_error',
      `${row.file}: the file name is not FacebookAdLibraryReport_<date>_<country>_<period>_<part>.csv, so the report date and period are unknown`,
    );
  const snapshotAt = instantOfDate(name.date);
  if (!snapshotAt) return outcome.reject('parse_error', `${row.file}: ${name.date} is not a calendar date`);
  if (row.fields.length !== row.header.names.length)
    return outcome.reject(
      'parse_error',
      `the row has ${row.fields.length} fields, the header ${row.header.names.length}`,
    );
  const get = (col: string): string => cell(row, col) ?? '';

  const pageId = locations ? '' : get('Page ID').trim();
  if (!locations && !/^\d{1,24}$/.test(pageId))
    return outcome.reject('schema_invalid', `Page ID is not digits: ${JSON.stringify(pageId.slice(0, 60))}`);
  const pageName = locations ? ALL_ADVERTISERS : get('Page name').trim();
  if (pageName === '') return outcome.reject('schema_invalid', 'Page name is empty');
  const location = locations ? get('Location name').trim() : '';
  if (locations && location === '') return outcome.reject('schema_invalid', 'Location name is empty');
  const disclaimer = locations ? '' : get('Disclaimer').trim();
  const text = get(amount.name).trim();
  let spend: AdPayloadV1['spend'] | undefined;
  if (/^(≤|<=)\s*\d+$/.test(text)) {
    spend = moneyRange('0', normaliseDecimal(text.replace(/^(≤|<=)\s*/, '')) ?? '0');
  } else {
    const v = normaliseDecimal(text);
    spend = v === undefined ? undefined : moneyRange(v, v);
  }
  if (!spend)
    return outcome.reject(
      'schema_invalid',
      `${amount.name} is neither a number nor ≤N: ${JSON.stringify(text.slice(0, 40))}`,
    );

  const isNational = !locations && name.part.toLowerCase() === 'advertisers';
  const region = locations ? location : isNational ? 'all' : name.part;
  const period = name.period === 'lifelong' ? 'lifelong' : `${name.period}@${name.date}`;
  const adId = locations
    ? `report:${name.country}:all-advertisers:${region}:${period}`
    : `report:${name.country}:${pageId}:${disclaimer}:${region}:${period}`;
  const targeting = emptyTargeting();
  targeting.countries = [name.country];
  if (!isNational) targeting.regions = [region];

  const payload: AdPayloadV1 = {
    platform: 'meta',
    ad_id: adId,
    snapshot_at: snapshotAt,
    granularity: 'advertiser_period',
    advertiser_name: pageName,
    advertiser_id: locations ? null : pageId,
    paying_entity: disclaimer === '' || disclaimer === NO_DISCLAIMER ? null : disclaimer,
    sponsor_committee_id: null,
    currency: amount.currency,
    spend,
    impressions: null,
    delivery_start: null,
    delivery_end: null,
    targeting,
    region_distribution: [],
    creative: emptyCreative(),
    stance: [],
    raw_fields_version: `meta-report-csv-${row.header.names.length}`,
  };
  return outcome.event(snapshotRecordId(adId, snapshotAt), snapshotAt, payload);
}

export const metaReportSource: ImportSource<CsvRow> = {
  name: 'meta-report',
  eventType: 'ad',
  description: 'Meta Ad Library Report CSVs (advertisers, per-region and locations files)',
  read: (ctx) => readCsvRows(ctx),
  parse: parseMetaReportRow,
};

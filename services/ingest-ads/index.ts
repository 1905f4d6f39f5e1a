/** The ad-library import sources: Snap CSV, Meta API pages, Meta report CSVs, Google CSV. */
import type { ImportSource } from '../shared/ingest/source.ts';
import { googleAdsSource } from './google-ads.parser.ts';
import { metaAdsSource } from './meta-ads.parser.ts';
import { metaReportSource } from './meta-report.parser.ts';
import { snapSource } from './snap-csv.parser.ts';

export { currentAds } from './current-ads.ts';
export { googleAdsSource, metaAdsSource, metaReportSource, snapSource };

/**
 * Every source of this folder, for the CLI's registry (`influence import <name> …`). Item types
 * differ per source (CSV rows, API ads); the importer only passes a source's items back to it.
 */
export const SOURCES: readonly ImportSource<unknown>[] = [
  snapSource,
  metaAdsSource,
  metaReportSource,
  googleAdsSource,
];

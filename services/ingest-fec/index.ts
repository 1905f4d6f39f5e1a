/**
 * FEC ingestion sources: `fec-itcont` (bulk individual contributions → donation),
 * `fec-schedule-e` (OpenFEC Schedule E pages or CSV exports → payout) and `fec-ie-bulk` (the bulk
 * independent-expenditure file → payout).
 */
import type { ImportSource } from '../shared/ingest/source.ts';
import { fecIeBulkSource } from './ie-bulk.parser.ts';
import { fecItcontSource } from './itcont.parser.ts';
import { fecScheduleESource } from './schedule-e.parser.ts';

export { fecIeBulkSource, fecItcontSource, fecScheduleESource };
export { latestPayouts, categoryOf, restatementRankOf, PURPOSE_CATEGORIES } from './payout.ts';

/** Every FEC source, for the CLI's registry. */
export const SOURCES: readonly ImportSource<unknown>[] = [
  fecItcontSource,
  fecScheduleESource,
  fecIeBulkSource,
];

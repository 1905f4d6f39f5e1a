/**
 * The sample campaign's files in import order, with the source that reads each (the main job
 * imports them; the annotations follow the Snap ads they code).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CAMPAIGN_DIR = path.dirname(fileURLToPath(import.meta.url));

export const CAMPAIGN_IMPORTS: readonly { source: string; file: string }[] = [
  { source: 'fec-itcont', file: 'fec-itcont-america-pac.txt' },
  { source: 'fec-schedule-e', file: 'schedule-e-america-pac.csv' },
  { source: 'payouts', file: 'payouts.csv' },
  { source: 'signups', file: 'signups.csv' },
  { source: 'contacts', file: 'contacts.csv' },
  { source: 'snap', file: 'snap-america-pac_snapshot_2024-11-06.csv' },
  { source: 'annotations', file: 'ad-annotations.csv' },
  { source: 'meta-ads', file: 'meta-ads_archive_page1.json' },
  { source: 'meta-ads', file: 'meta-ads_archive_page2.json' },
  { source: 'x-posts', file: 'x-america-posts.json' },
];

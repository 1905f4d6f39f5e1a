/** Every ingestion source the CLI offers (`influence import <name> …`). */
import type { ImportSource } from '../shared/ingest/source.ts';
import { apiSource, apiTokens } from '../shared/ingest/api-source.ts';
import { metaGraphPager, openFecPager } from '../shared/ingest/poller.ts';
import { metaAdsSource } from '../ingest-ads/meta-ads.parser.ts';
import { fecScheduleESource } from '../ingest-fec/schedule-e.parser.ts';
import { SOURCES as ADS } from '../ingest-ads/index.ts';
import { SOURCES as ANNOTATIONS } from '../ingest-annotations/index.ts';
import { SOURCES as FEC } from '../ingest-fec/index.ts';
import { SOURCES as FIRST_PARTY } from '../ingest-first-party/index.ts';
import { SOURCES as X } from '../ingest-x/index.ts';

export const IMPORT_SOURCES: readonly ImportSource<unknown>[] = [
  ...(FEC as ImportSource<unknown>[]),
  ...(ADS as ImportSource<unknown>[]),
  ...(ANNOTATIONS as readonly ImportSource<unknown>[]),
  ...(X as ImportSource<unknown>[]),
  ...(FIRST_PARTY as ImportSource<unknown>[]),
  apiSource({
    name: 'openfec-schedule-e',
    description:
      'OpenFEC /schedules/schedule_e/ pulled page by page from a start URL (OPENFEC_API_KEY); resumable',
    pages: fecScheduleESource,
    pager: openFecPager,
    token: () => apiTokens().OPENFEC_API_KEY,
    tokenName: 'OPENFEC_API_KEY',
  }),
  apiSource({
    name: 'meta-ads-api',
    description:
      'Meta Ad Library API (ads_archive) pulled page by page from a start URL (META_ACCESS_TOKEN); resumable',
    pages: metaAdsSource,
    pager: metaGraphPager,
    token: () => apiTokens().META_ACCESS_TOKEN,
    tokenName: 'META_ACCESS_TOKEN',
  }),
];

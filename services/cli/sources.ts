/** Every ingestion source the CLI offers (`influence import <name> …`). */
import type { ImportSource } from '../shared/ingest/source.ts';
import { SOURCES as ADS } from '../ingest-ads/index.ts';
import { SOURCES as FEC } from '../ingest-fec/index.ts';
import { SOURCES as FIRST_PARTY } from '../ingest-first-party/index.ts';
import { SOURCES as X } from '../ingest-x/index.ts';

export const IMPORT_SOURCES: readonly ImportSource<unknown>[] = [
  ...(FEC as ImportSource<unknown>[]),
  ...(ADS as ImportSource<unknown>[]),
  ...(X as ImportSource<unknown>[]),
  ...(FIRST_PARTY as ImportSource<unknown>[]),
];

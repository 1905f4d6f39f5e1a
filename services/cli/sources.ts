/** Every ingestion source the CLI offers (`influence import <name> …`). */
import type { ImportSource } from '../shared/ingest/source.ts';

export const IMPORT_SOURCES: readonly ImportSource<unknown>[] = [];

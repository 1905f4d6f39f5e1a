/**
 * Where the reference data lives (infra/reference, documented in its README.md) and the name of
 * each file in it. The one place that knows the layout, so a move is a change here only.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** infra/reference of this checkout. */
export const DEFAULT_REFERENCE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../infra/reference',
);

/** Paths relative to the reference folder. */
export const REFERENCE_FILES = {
  entities: 'entities.json',
  lexicon: 'lexicon.json',
  petitions: 'petitions.json',
  fx: 'fx/usd-rates.csv',
  zip3: 'zip3/zip3.csv',
} as const;

/**
 * The reference data the enrichment reads (infra/reference): entity registry, lexicon,
 * petitions, the dated FX table and the ZIP-prefix table, loaded and checked once, and the rows
 * of the ClickHouse reference tables built from it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEntityRegistry, registryAliases, type EntityRegistry } from './entities.ts';
import { parseFxCsv, type FxTable } from './fx.ts';
import { parseZip3Csv, type Zip3Table } from './geo.ts';
import { parseLexicon, type Lexicon } from './lexicon.ts';
import { parsePetitions, type PetitionTable } from './petitions.ts';
import { DEFAULT_REFERENCE_DIR, REFERENCE_FILES } from './reference-files.ts';
import type { ReferenceTable } from './tables.ts';

/** Everything the enrichment looks up, parsed and indexed. */
export interface ReferenceData {
  readonly entities: EntityRegistry;
  readonly lexicon: Lexicon;
  readonly petitions: PetitionTable;
  readonly fx: FxTable;
  readonly zip3: Zip3Table;
  /**
   * Content hash of entities.json, lexicon.json and petitions.json: the `version` of the rows of
   * ref_entities, ref_stance_opposites and ref_petitions (UInt64 as a decimal string).
   */
  readonly versions: { readonly entities: string; readonly lexicon: string; readonly petitions: string };
}

/** The text of each reference file. */
export type ReferenceTexts = Record<keyof typeof REFERENCE_FILES, string>;

/**
 * A content hash as a UInt64 decimal string: the first 8 bytes of SHA-256 with the top bit
 * cleared, so it also fits a signed 64-bit integer for consumers that have no unsigned type.
 */
export function contentVersion(text: string): string {
  const head = createHash('sha256').update(text, 'utf8').digest().readBigUInt64BE(0);
  return (head & 0x7fff_ffff_ffff_ffffn).toString();
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`);
  }
}

/**
 * Reference data from the files' texts. Throws when a file does not fit its format (README.md)
 * or when the lexicon aligns a sponsor that is neither an FEC committee id nor a registry entity:
 * reference data is part of the deployment, so a bad file must stop the worker, not
 * dead-letter every event.
 */
export function referenceDataFromTexts(texts: ReferenceTexts): ReferenceData {
  const entities = parseEntityRegistry(parseJson(texts.entities, REFERENCE_FILES.entities));
  const lexicon = parseLexicon(parseJson(texts.lexicon, REFERENCE_FILES.lexicon));
  const petitions = parsePetitions(parseJson(texts.petitions, REFERENCE_FILES.petitions));
  for (const sponsor of lexicon.alignments.keys())
    if (!/^C\d{8}$/.test(sponsor) && !entities.byId.has(sponsor))
      throw new Error(
        `lexicon.json: alignment sponsor ${sponsor} is neither an FEC committee id nor in entities.json`,
      );
  return {
    entities,
    lexicon,
    petitions,
    fx: parseFxCsv(texts.fx),
    zip3: parseZip3Csv(texts.zip3),
    versions: {
      entities: contentVersion(texts.entities),
      lexicon: contentVersion(texts.lexicon),
      petitions: contentVersion(texts.petitions),
    },
  };
}

/**
 * Reads and checks infra/reference (or `dir`, laid out the same way). Throws when a file is
 * missing or malformed; see {@link referenceDataFromTexts}.
 */
export function loadReferenceData(dir: string = DEFAULT_REFERENCE_DIR): ReferenceData {
  const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8');
  return referenceDataFromTexts({
    entities: read(REFERENCE_FILES.entities),
    lexicon: read(REFERENCE_FILES.lexicon),
    petitions: read(REFERENCE_FILES.petitions),
    fx: read(REFERENCE_FILES.fx),
    zip3: read(REFERENCE_FILES.zip3),
  });
}

/**
 * The rows of the reference tables (JSONEachRow values), keyed by table. `version` is the
 * content hash of the file the rows come from, so loading unchanged data again is a no-op.
 */
export function referenceRows(ref: ReferenceData): Record<ReferenceTable, Record<string, unknown>[]> {
  return {
    ref_entities: ref.entities.entities.map((e) => ({
      entity_id: e.entity_id,
      kind: e.kind,
      name: e.name,
      fec_committee_id: e.fec_committee_id,
      aliases: registryAliases(e),
      version: ref.versions.entities,
    })),
    ref_stance_opposites: ref.lexicon.opposites.map(([a, b]) => ({
      stance_a: a,
      stance_b: b,
      version: ref.versions.lexicon,
    })),
    ref_petitions: ref.petitions.petitions.map((p) => ({
      petition_id: p.petition_id,
      sponsor_id: p.sponsor_id,
      url_prefixes: [...p.url_prefixes],
      version: ref.versions.petitions,
    })),
  };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentVersion,
  loadReferenceData,
  referenceDataFromTexts,
  type ReferenceTexts,
} from './reference.ts';
import { DEFAULT_REFERENCE_DIR, REFERENCE_FILES } from './reference-files.ts';

const texts = (): ReferenceTexts => {
  const read = (f: string): string => readFileSync(path.join(DEFAULT_REFERENCE_DIR, f), 'utf8');
  return {
    entities: read(REFERENCE_FILES.entities),
    lexicon: read(REFERENCE_FILES.lexicon),
    petitions: read(REFERENCE_FILES.petitions),
    fx: read(REFERENCE_FILES.fx),
    zip3: read(REFERENCE_FILES.zip3),
  };
};

describe('loadReferenceData', () => {
  it('loads infra/reference with the committees of the case', () => {
    const ref = loadReferenceData();
    for (const id of ['C00879510', 'C00703975', 'C00828541', 'C00669259'])
      expect(ref.entities.byId.get(id)?.fec_committee_id, id).toBe(id);
    expect(ref.petitions.byId.has('america-pac-1a2a-petition-2024')).toBe(true);
    expect(ref.versions.entities).toBe(contentVersion(texts().entities));
  });

  it('refuses a missing folder, a file that is not JSON, and an alignment to an unknown sponsor', () => {
    expect(() => loadReferenceData(path.join(DEFAULT_REFERENCE_DIR, 'no-such-folder'))).toThrow(/ENOENT/);
    expect(() => referenceDataFromTexts({ ...texts(), petitions: '{' })).toThrow(
      /petitions.json is not JSON/,
    );
    const lexicon = JSON.parse(texts().lexicon) as { alignments: { sponsor: string }[] };
    lexicon.alignments[0]!.sponsor = 'not-registered';
    expect(() => referenceDataFromTexts({ ...texts(), lexicon: JSON.stringify(lexicon) })).toThrow(
      /not-registered/,
    );
  });
});

describe('contentVersion', () => {
  it('is a UInt64 that also fits Int64, the same for the same text and another for another', () => {
    const v = contentVersion('abc');
    expect(v).toMatch(/^\d+$/);
    expect(BigInt(v)).toBeLessThan(2n ** 63n);
    expect(contentVersion('abc')).toBe(v);
    expect(contentVersion('abd')).not.toBe(v);
  });
});

import { describe, expect, it } from 'vitest';
import {
  nameSlug,
  normaliseName,
  parseEntityRegistry,
  personSlug,
  registryAliases,
  resolveDonor,
  resolveEntity,
} from './entities.ts';
import { repoReference } from './testing.ts';

const reg = repoReference().entities;

describe('normaliseName', () => {
  it('upper-cases, drops punctuation and trailing legal forms, keeps PAC', () => {
    expect(normaliseName('DONALD J. TRUMP FOR PRESIDENT 2024, INC.')).toBe(
      'DONALD J TRUMP FOR PRESIDENT 2024',
    );
    expect(normaliseName('Example Print Works, L.L.C.')).toBe('EXAMPLE PRINT WORKS');
    expect(normaliseName('Acme Co Inc')).toBe('ACME');
    expect(normaliseName('The Lincoln Project')).toBe('LINCOLN PROJECT');
    expect(normaliseName("America's Future & Co.")).toBe('AMERICAS FUTURE AND');
    expect(normaliseName('Café  Société')).toBe('CAFE SOCIETE');
    expect(normaliseName('America PAC')).toBe('AMERICA PAC');
    expect(normaliseName('FF PAC')).toBe('FF PAC');
    expect(normaliseName('Inc')).toBe('INC');
    expect(normaliseName(' -- ')).toBe('');
  });

  it('gives slugs for name: and person: ids', () => {
    expect(nameSlug('Sample Holdings, LLC')).toBe('sample-holdings');
    expect(personSlug('MUSK, ELON')).toBe('musk-elon');
    expect(personSlug("O'BRIEN, MARY-KATE JR.")).toBe('obrien-mary-kate-jr');
  });
});

describe('resolveEntity', () => {
  it('takes an FEC committee id as itself, confidence 1, registered or not', () => {
    expect(resolveEntity(reg, { sponsorId: 'C00879510', names: ['whatever'] })).toEqual({
      entity_id: 'C00879510',
      name: 'America PAC',
      confidence: 1,
      method: 'fec_id',
    });
    expect(resolveEntity(reg, { sponsorId: 'C00999999', names: ['  Some PAC '] })).toEqual({
      entity_id: 'C00999999',
      name: 'Some PAC',
      confidence: 1,
      method: 'fec_id',
    });
  });

  it('keeps a first-party sponsor slug as its id', () => {
    expect(resolveEntity(reg, { sponsorId: 'building-americas-future', names: ['BAF'] })).toEqual({
      entity_id: 'building-americas-future',
      name: 'BAF',
      confidence: 1,
      method: 'sponsor_id',
    });
  });

  it('resolves a registered platform id before any name', () => {
    expect(
      resolveEntity(reg, {
        platformIds: [{ platform: 'meta', id: '610000000000102' }],
        names: ['Somebody Else'],
      }),
    ).toEqual({
      entity_id: 'C00669259',
      name: 'Future Forward USA PAC',
      confidence: 0.95,
      method: 'platform_id',
    });
    expect(
      resolveEntity(reg, { platformIds: [{ platform: 'x', id: '1800000000000000042' }] }).entity_id,
    ).toBe('C00879510');
    // The same id on another platform is another account.
    expect(resolveEntity(reg, { platformIds: [{ platform: 'google', id: '610000000000102' }] }).method).toBe(
      'unresolved',
    );
  });

  it('resolves names through aliases after normalisation, "FF PAC" to Future Forward', () => {
    const cases: [string, string][] = [
      ['FF PAC', 'C00669259'],
      ['ff pac', 'C00669259'],
      ['F.F. PAC', 'C00669259'],
      ['Future Forward', 'C00669259'],
      ['HARRIS FOR PRESIDENT', 'C00703975'],
      ['Kamala Harris', 'C00703975'],
      ['DONALD J. TRUMP FOR PRESIDENT 2024, INC.', 'C00828541'],
      ['AMERICA PAC', 'C00879510'],
    ];
    for (const [name, id] of cases)
      expect(resolveEntity(reg, { names: [name] }), name).toMatchObject({
        entity_id: id,
        confidence: 0.9,
        method: 'alias',
      });
    // The first name that is an alias wins, in the order given.
    expect(resolveEntity(reg, { names: [null, 'Unknown Page', 'FF PAC'] }).entity_id).toBe('C00669259');
  });

  it('does not take "America" for America PAC', () => {
    expect(resolveEntity(reg, { names: ['America'] })).toEqual({
      entity_id: 'name:america',
      name: 'America',
      confidence: 0.5,
      method: 'normalised_name',
    });
  });

  it('falls back to a deterministic name: slug, or nothing', () => {
    expect(resolveEntity(reg, { names: ['  Sample Holdings, LLC '] })).toEqual({
      entity_id: 'name:sample-holdings',
      name: 'Sample Holdings, LLC',
      confidence: 0.5,
      method: 'normalised_name',
    });
    expect(resolveEntity(reg, { names: ['Sample Holdings, LLC'], nameFallback: false }).method).toBe(
      'unresolved',
    );
    expect(resolveEntity(reg, {})).toEqual({ entity_id: '', name: '', confidence: 0, method: 'unresolved' });
    expect(resolveEntity(reg, { names: ['', '  ', null] }).method).toBe('unresolved');
  });

  it('does not resolve an organisation to a person alias', () => {
    expect(resolveEntity(reg, { names: ['MUSK, ELON'] }).entity_id).toBe('name:musk-elon');
  });
});

describe('resolveDonor', () => {
  it('makes an individual person:<slug>, through the registry when listed', () => {
    expect(resolveDonor(reg, { contributor_name: 'MUSK, ELON', entity_type: 'IND' })).toEqual({
      entity_id: 'person:musk-elon',
      name: 'Elon Musk',
      confidence: 0.9,
      method: 'alias',
    });
    expect(resolveDonor(reg, { contributor_name: 'FAUXBURG, SAGE D.', entity_type: 'IND' })).toEqual({
      entity_id: 'person:fauxburg-sage-d',
      name: 'FAUXBURG, SAGE D.',
      confidence: 0.5,
      method: 'normalised_name',
    });
    // A first-party donation has no ENTITY_TP: a person.
    expect(resolveDonor(reg, { contributor_name: 'DOE, JANE' }).entity_id).toBe('person:doe-jane');
    // A person named like a committee alias stays a person.
    expect(resolveDonor(reg, { contributor_name: 'Kamala Harris', entity_type: 'IND' }).entity_id).toBe(
      'person:kamala-harris',
    );
  });

  it('takes a committee contributor by its FEC id', () => {
    expect(
      resolveDonor(reg, {
        contributor_name: 'FUTURE FORWARD USA PAC',
        entity_type: 'PAC',
        other_id: 'C00669259',
      }),
    ).toEqual({ entity_id: 'C00669259', name: 'Future Forward USA PAC', confidence: 1, method: 'fec_id' });
    expect(
      resolveDonor(reg, { contributor_name: 'SOME PAC', entity_type: 'COM', other_id: 'C00000001' }),
    ).toMatchObject({
      entity_id: 'C00000001',
      name: 'SOME PAC',
    });
  });

  it('resolves an organisation without an id by alias, else by name, and an empty name to nothing', () => {
    expect(resolveDonor(reg, { contributor_name: 'AMERICA PAC', entity_type: 'PAC' })).toMatchObject({
      entity_id: 'C00879510',
      method: 'alias',
    });
    expect(
      resolveDonor(reg, { contributor_name: 'EXAMPLE ENGINEERING CO.', entity_type: 'ORG' }).entity_id,
    ).toBe('name:example-engineering');
    expect(resolveDonor(reg, { contributor_name: '', entity_type: 'IND' }).method).toBe('unresolved');
  });
});

describe('parseEntityRegistry', () => {
  const entity = (over: Record<string, unknown>) => ({
    entity_id: 'C00000001',
    kind: 'committee',
    name: 'One PAC',
    fec_committee_id: 'C00000001',
    aliases: [],
    ...over,
  });

  it('rejects an alias, a platform id or an id claimed twice, and a committee id that is not the entity id', () => {
    const two = (a: Record<string, unknown>, b: Record<string, unknown>) => ({
      entities: [
        entity(a),
        entity({ entity_id: 'C00000002', fec_committee_id: 'C00000002', name: 'Two PAC', ...b }),
      ],
    });
    expect(() => parseEntityRegistry(two({ aliases: ['Shared'] }, { aliases: ['SHARED.'] }))).toThrow(
      /SHARED/,
    );
    expect(() =>
      parseEntityRegistry(
        two(
          { platform_ids: [{ platform: 'meta', id: '1' }] },
          { platform_ids: [{ platform: 'meta', id: '1' }] },
        ),
      ),
    ).toThrow(/meta:1/);
    expect(() => parseEntityRegistry({ entities: [entity({}), entity({})] })).toThrow(/twice/);
    expect(() => parseEntityRegistry({ entities: [entity({ entity_id: 'C00000009' })] })).toThrow(
      /entity_id/,
    );
    expect(() => parseEntityRegistry({ entities: [entity({ kind: 'alien' })] })).toThrow(/kind/);
  });

  it('lists normalised names, platform ids and sponsor ids as aliases of ref_entities', () => {
    const r = parseEntityRegistry({
      entities: [
        entity({
          aliases: ['One P.A.C.', 'One PAC, Inc.'],
          platform_ids: [{ platform: 'x', id: '42' }],
          sponsor_ids: ['one-pac'],
        }),
      ],
    });
    expect(registryAliases(r.entities[0]!)).toEqual(['ONE PAC', 'one-pac', 'x:42']);
    expect(resolveEntity(r, { sponsorId: 'one-pac' })).toMatchObject({
      entity_id: 'C00000001',
      method: 'sponsor_id',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { SWING_STATES, US_STATE_CODES } from '../../schemas/geo.ts';
import {
  bundledZip3,
  isSwingState,
  isUnitedStates,
  parseZip3Csv,
  stateCode,
  stateFromPurpose,
  stateFromZip,
} from './geo.ts';

describe('stateCode', () => {
  it('reads USPS codes in any case and ISO 3166-2 codes', () => {
    expect(stateCode('PA')).toBe('PA');
    expect(stateCode('pa')).toBe('PA');
    expect(stateCode(' Mi ')).toBe('MI');
    expect(stateCode('US-PA')).toBe('PA');
    expect(stateCode('us-nc')).toBe('NC');
    expect(stateCode('US-DC')).toBe('DC');
    for (const code of US_STATE_CODES) expect(stateCode(code), code).toBe(code);
  });

  it('reads full names in any case, with or without a country after them', () => {
    expect(stateCode('Pennsylvania')).toBe('PA');
    expect(stateCode('PENNSYLVANIA')).toBe('PA');
    expect(stateCode('north carolina')).toBe('NC');
    expect(stateCode('North  Carolina')).toBe('NC');
    expect(stateCode('Texas, United States')).toBe('TX');
    expect(stateCode('Georgia, US')).toBe('GA');
    expect(stateCode('Hawaiʻi')).toBe('HI');
    expect(stateCode('Puerto Rico')).toBe('PR');
    expect(stateCode('U.S. Virgin Islands')).toBe('VI');
  });

  it("reads Meta's region names for DC and keeps Washington the state", () => {
    expect(stateCode('Washington, District of Columbia')).toBe('DC');
    expect(stateCode('District of Columbia')).toBe('DC');
    expect(stateCode('Washington D.C.')).toBe('DC');
    expect(stateCode('Washington')).toBe('WA');
  });

  it('is null for what names no state', () => {
    for (const text of [
      'Unknown',
      '',
      '   ',
      'United States',
      'united states',
      'US',
      'Bangkok',
      'England',
      'ZZ',
      'AE',
      'XX-PA',
      'Pennsylvania Avenue',
    ])
      expect(stateCode(text), text).toBeNull();
    expect(stateCode(null)).toBeNull();
    expect(stateCode(undefined)).toBeNull();
  });
});

describe('stateFromPurpose', () => {
  it('reads the state after the last dash of a Schedule E purpose', () => {
    expect(stateFromPurpose('CANVASSING/FIELD OPERATIONS - PENNSYLVANIA')).toBe('PA');
    expect(stateFromPurpose('PRINTING - NORTH CAROLINA')).toBe('NC');
    expect(stateFromPurpose('DIGITAL ADS: SNAPCHAT - MICHIGAN')).toBe('MI');
    expect(stateFromPurpose('MAIL – Wisconsin ')).toBe('WI');
    expect(stateFromPurpose('GET-OUT-THE-VOTE - PA')).toBe('PA');
  });

  it('is null without a trailing state', () => {
    expect(stateFromPurpose('CANVASSING/FIELD OPERATIONS')).toBeNull();
    expect(stateFromPurpose('COLLATERAL MATERIALS- SIGNS')).toBeNull();
    expect(stateFromPurpose('GET-OUT-THE-VOTE')).toBeNull();
    expect(stateFromPurpose('PENNSYLVANIA - PRINTING')).toBeNull();
    expect(stateFromPurpose('')).toBeNull();
  });
});

describe('isSwingState and isUnitedStates', () => {
  it('knows the seven swing states and nothing else', () => {
    expect(US_STATE_CODES.filter(isSwingState)).toEqual(
      US_STATE_CODES.filter((s) => SWING_STATES.includes(s)),
    );
    expect(US_STATE_CODES.filter(isSwingState)).toHaveLength(7);
    expect(isSwingState('pa')).toBe(false);
    expect(isSwingState(null)).toBe(false);
  });

  it('recognises the spellings of the United States the libraries use', () => {
    for (const c of ['US', 'united states', 'United States of America', 'U.S.A.'])
      expect(isUnitedStates(c), c).toBe(true);
    for (const c of ['united kingdom', 'Georgia', 'USSR', '']) expect(isUnitedStates(c), c).toBe(false);
  });
});

describe('stateFromZip', () => {
  it('maps a ZIP to its state by the first three digits of the bundled table', () => {
    expect(stateFromZip('19103')).toBe('PA'); // Philadelphia
    expect(stateFromZip('48126')).toBe('MI'); // Dearborn
    expect(stateFromZip('15217')).toBe('PA'); // Squirrel Hill
    expect(stateFromZip('85008')).toBe('AZ');
    expect(stateFromZip('53404')).toBe('WI');
    expect(stateFromZip('30303')).toBe('GA');
    expect(stateFromZip('89101')).toBe('NV');
    expect(stateFromZip('27601')).toBe('NC');
    expect(stateFromZip('01002')).toBe('MA'); // leading zero kept
    expect(stateFromZip('00907')).toBe('PR');
    expect(stateFromZip('20500')).toBe('DC');
    expect(stateFromZip('221803447')).toBe('VA'); // ZIP+4 without the dash
    expect(stateFromZip('22180-3447')).toBe('VA');
  });

  it('keeps the majority state of a prefix shared by several states', () => {
    // 063 holds 40 Connecticut ZIPs and one New York ZIP (Fishers Island, 06390).
    expect(stateFromZip('06390')).toBe('CT');
    expect(stateFromZip('20588')).toBe('DC');
  });

  it('is null for military and unassigned prefixes and for text that is not a ZIP', () => {
    expect(stateFromZip('09001')).toBeNull(); // APO AE
    expect(stateFromZip('96201')).toBeNull(); // APO AP
    expect(stateFromZip('00001')).toBeNull();
    for (const z of ['1910', '191034', 'ABCDE', '', 'SW1A 1AA']) expect(stateFromZip(z), z).toBeNull();
    expect(stateFromZip(null)).toBeNull();
  });

  it('uses the table it is given', () => {
    const table = parseZip3Csv('zip3,state\n191,NJ\n');
    expect(stateFromZip('19103', table)).toBe('NJ');
    expect(stateFromZip('48126', table)).toBeNull();
  });

  it('bundles a table of real prefixes: every swing state, no unknown code', () => {
    const table = bundledZip3();
    expect(table.size).toBeGreaterThan(900);
    const states = new Set(table.values());
    for (const s of SWING_STATES) expect(states.has(s), s).toBe(true);
    for (const s of states) expect(US_STATE_CODES as readonly string[]).toContain(s);
  });

  it('rejects a malformed table', () => {
    expect(() => parseZip3Csv('zip,state\n191,PA\n')).toThrow(/header/);
    expect(() => parseZip3Csv('zip3,state\n191,XX\n')).toThrow(/line 2/);
    expect(() => parseZip3Csv('zip3,state\n191,PA\n191,NJ\n')).toThrow(/line 3/);
  });
});

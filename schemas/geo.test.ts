import { describe, expect, it } from 'vitest';
import { SWING_STATES, US_STATE_CODES, UsStateCode } from './geo.ts';

describe('UsStateCode', () => {
  it('lists 50 states, DC and 5 territories, once each, and all swing states', () => {
    expect(new Set(US_STATE_CODES).size).toBe(56);
    for (const s of SWING_STATES) expect(UsStateCode.parse(s)).toBe(s);
    expect(SWING_STATES).toEqual(['AZ', 'GA', 'MI', 'NV', 'NC', 'PA', 'WI']);
  });

  it('rejects names, lower case and the FEC pseudo-states', () => {
    for (const bad of ['Pennsylvania', 'pa', 'US', 'ZZ', 'AA'])
      expect(UsStateCode.safeParse(bad).success).toBe(false);
  });
});

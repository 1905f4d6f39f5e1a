/** US geography shared by the event schemas. */
import { z } from 'zod';

/** USPS codes of the 50 states, DC and the five inhabited territories. */
// prettier-ignore
export const US_STATE_CODES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA',
  'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD',
  'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ',
  'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC',
  'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
  'DC', 'PR', 'GU', 'VI', 'AS', 'MP',
] as const;

/**
 * A two-letter USPS state code (50 states, DC, PR, GU, VI, AS, MP), upper case. Sources that
 * spell states out (Snap's `Regions`) keep their spelling in their own fields; this is for codes.
 */
export const UsStateCode = z
  .enum(US_STATE_CODES)
  .meta({ id: 'UsStateCode', description: 'USPS code of a US state, DC or an inhabited territory.' });
export type UsStateCode = z.infer<typeof UsStateCode>;

/** The seven 2024 swing states. */
export const SWING_STATES: readonly UsStateCode[] = ['AZ', 'GA', 'MI', 'NV', 'NC', 'PA', 'WI'];

/** A five-digit ZIP code as a string (leading zeros kept). */
export const Zip5 = z
  .string()
  .regex(/^\d{5}$/, 'expected a 5-digit ZIP code as a string')
  .meta({ id: 'Zip5', description: 'Five-digit US ZIP code as a string; leading zeros kept.' });

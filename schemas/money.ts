import { z } from 'zod';

/** A decimal amount as a string (never a float): `-250.00`, `47`, `111111.00`. */
export const DecimalString = z
  .string()
  .regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'expected a decimal number as a string');

/** ISO 4217 currency code. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter currency code');

/** A calendar date, `YYYY-MM-DD`. */
export const IsoDate = z.iso.date();

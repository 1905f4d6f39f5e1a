/**
 * US geography from every notation the sources use: USPS codes in any case, full names in any
 * case, ISO 3166-2 (`US-PA`), Meta's region names (`Washington, District of Columbia`), Google's
 * `<state>, United States`, the trailing ` - <STATE>` of a Schedule E purpose, and ZIP codes by
 * their three-digit prefix (a table derived from public data: infra/reference/zip3).
 *
 * Everything returns a {@link UsStateCode} or null: a text that names no state (a country, a
 * city, "Unknown", "") is null, never a guess.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SWING_STATES, US_STATE_CODES, type UsStateCode } from '../../schemas/geo.ts';
import { DEFAULT_REFERENCE_DIR, REFERENCE_FILES } from './reference-files.ts';

const CODES: ReadonlySet<string> = new Set(US_STATE_CODES);
const SWING: ReadonlySet<string> = new Set(SWING_STATES);

/** Full names by code, as USPS spells them; other spellings go in {@link EXTRA_NAMES}. */
const NAMES: Readonly<Record<UsStateCode, string>> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  DC: 'District of Columbia',
  PR: 'Puerto Rico',
  GU: 'Guam',
  VI: 'Virgin Islands',
  AS: 'American Samoa',
  MP: 'Northern Mariana Islands',
};

/** Other spellings seen in the sources (Meta names DC after its city). */
const EXTRA_NAMES: Readonly<Record<string, UsStateCode>> = {
  'washington district of columbia': 'DC',
  'washington dc': 'DC',
  'us virgin islands': 'VI',
  'united states virgin islands': 'VI',
  'commonwealth of the northern mariana islands': 'MP',
  'commonwealth of puerto rico': 'PR',
};

/** `", United States"` and the like after a region name (Google writes `Texas, United States`). */
const COUNTRY_SUFFIX = /\s+(united states of america|united states|usa|us)$/;

/** Lower case, diacritics and apostrophes dropped, dots removed (`D.C.` → `dc`), spaces collapsed. */
function normaliseRegion(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’ʻ.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const BY_NAME: ReadonlyMap<string, UsStateCode> = new Map<string, UsStateCode>([
  ...(Object.entries(NAMES) as [UsStateCode, string][]).map(([code, name]): [string, UsStateCode] => [
    normaliseRegion(name),
    code,
  ]),
  ...Object.entries(EXTRA_NAMES),
]);

/** A two-letter code, an ISO 3166-2 code or a name → its USPS code; null otherwise. */
function lookup(key: string): UsStateCode | null {
  const iso = /^us ([a-z]{2})$/.exec(key);
  const code = (iso ? iso[1] : key)?.toUpperCase() ?? '';
  if (code.length === 2 && CODES.has(code)) return code as UsStateCode;
  return BY_NAME.get(key) ?? null;
}

/**
 * The USPS code of a state named in any notation: `"PA"`, `"pa"`, `"Pennsylvania"`,
 * `"PENNSYLVANIA"`, `"US-PA"`, `"Washington, District of Columbia"`, `"Texas, United States"`.
 * Null for anything else, including `"Unknown"`, `""` and `"United States"`.
 */
export function stateCode(text: string | null | undefined): UsStateCode | null {
  if (typeof text !== 'string') return null;
  const key = normaliseRegion(text);
  if (key === '') return null;
  const direct = lookup(key);
  if (direct) return direct;
  const withoutCountry = key.replace(COUNTRY_SUFFIX, '');
  return withoutCountry !== key && withoutCountry !== '' ? lookup(withoutCountry) : null;
}

/**
 * The state at the end of a Schedule E purpose, after the last dash: `CANVASSING/FIELD OPERATIONS
 * - PENNSYLVANIA` → `PA`. A presidential race's lines carry no state of their own, so filers (and
 * the sample) name it there. Null when the text after the dash is not a state
 * (`COLLATERAL MATERIALS- SIGNS`) or there is no dash.
 */
export function stateFromPurpose(purpose: string | null | undefined): UsStateCode | null {
  if (typeof purpose !== 'string') return null;
  const m = /[-–—]\s*([^-–—]+?)\s*$/.exec(purpose);
  return m ? stateCode(m[1]) : null;
}

/** True for the seven 2024 swing states (schemas/geo.ts SWING_STATES). */
export function isSwingState(code: string | null | undefined): boolean {
  return typeof code === 'string' && SWING.has(code);
}

/** Country names that mean the United States, as the libraries spell them (Snap: "united states"). */
export function isUnitedStates(country: string): boolean {
  return /^(us|usa|united states|united states of america)$/.test(normaliseRegion(country));
}

/** Three-digit ZIP prefix → state, from infra/reference/zip3/zip3.csv. */
export type Zip3Table = ReadonlyMap<string, UsStateCode>;

/**
 * Parses the `zip3,state` CSV. Throws on a malformed line or an unknown state code: the file is
 * generated (infra/reference/zip3/generate.py), so a bad line means a broken checkout.
 */
export function parseZip3Csv(text: string): Zip3Table {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== 'zip3,state') throw new Error('zip3 table: the header is not "zip3,state"');
  const table = new Map<string, UsStateCode>();
  for (const [i, line] of lines.slice(1).entries()) {
    const m = /^(\d{3}),([A-Z]{2})$/.exec(line.trim());
    if (!m || !CODES.has(m[2] ?? '') || table.has(m[1] ?? ''))
      throw new Error(`zip3 table line ${i + 2} is not a new "<3 digits>,<state code>": ${line}`);
    table.set(m[1] ?? '', m[2] as UsStateCode);
  }
  return table;
}

let bundled: Zip3Table | undefined;

/** The bundled table, read once on first use. */
export function bundledZip3(): Zip3Table {
  bundled ??= parseZip3Csv(readFileSync(path.join(DEFAULT_REFERENCE_DIR, REFERENCE_FILES.zip3), 'utf8'));
  return bundled;
}

/**
 * The state of a ZIP code by its first three digits (`"19103"`, `"191034447"`, `"19103-4447"`),
 * from `table` (the bundled one by default). Null for anything that is not 5 or 9 digits and for
 * a prefix the table does not have (military, unassigned).
 */
export function stateFromZip(
  zip: string | null | undefined,
  table: Zip3Table = bundledZip3(),
): UsStateCode | null {
  if (typeof zip !== 'string') return null;
  const m = /^(\d{3})\d{2}(?:-?\d{4})?$/.exec(zip.trim());
  return m ? (table.get(m[1] ?? '') ?? null) : null;
}

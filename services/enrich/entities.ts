/**
 * Entity resolution: who is behind a record, as one canonical id with a confidence and the
 * method that found it, so analysts can join money, ads and posts of one sponsor and can see how
 * sure each join is. Strongest clue first:
 *
 * | clue                                                           | method            | confidence |
 * | -------------------------------------------------------------- | ----------------- | ---------- |
 * | an FEC committee id in the record                              | `fec_id`          | 1          |
 * | a first-party sponsor id in the record (SponsorId slug)        | `sponsor_id`      | 1          |
 * | a platform id (Meta page, Google advertiser, X account) listed | `platform_id`     | 0.95       |
 * | a name equal to a registry alias after {@link normaliseName}   | `alias`           | 0.9        |
 * | any other name: `name:<slug>` (`person:<slug>` for a donor)    | `normalised_name` | 0.5        |
 * | nothing                                                        | `unresolved`      | 0          |
 *
 * The registry is infra/reference/entities.json (format in infra/reference/README.md). Donor
 * names are public FEC records; first-party people only ever appear as pseudonyms and are never
 * resolved here.
 */
import { z } from 'zod';
import { FecCommitteeId } from '../../schemas/ids.ts';

export type MatchMethod =
  'fec_id' | 'sponsor_id' | 'platform_id' | 'alias' | 'normalised_name' | 'unresolved';

export const CONFIDENCE: Readonly<Record<MatchMethod, number>> = {
  fec_id: 1,
  sponsor_id: 1,
  platform_id: 0.95,
  alias: 0.9,
  normalised_name: 0.5,
  unresolved: 0,
};

/** Who a record resolved to. `entity_id` is '' when unresolved. */
export interface Resolution {
  entity_id: string;
  /** The registry's display name, else the name as the record gives it. */
  name: string;
  confidence: number;
  method: MatchMethod;
}

export const UNRESOLVED: Resolution = { entity_id: '', name: '', confidence: 0, method: 'unresolved' };

export const ENTITY_PLATFORMS = ['meta', 'google', 'x', 'snap'] as const;
export type EntityPlatform = (typeof ENTITY_PLATFORMS)[number];

const FEC_COMMITTEE = /^C\d{8}$/;
const SPONSOR_SLUG = /^[a-z0-9][a-z0-9._-]{0,127}$/;

const PlatformIdSpec = z
  .object({
    platform: z.enum(ENTITY_PLATFORMS),
    id: z.string().min(1).max(256),
    note: z.string().optional(),
  })
  .strict();

const EntitySpec = z
  .object({
    entity_id: z
      .string()
      .regex(
        /^(C\d{8}|[a-z0-9][a-z0-9._-]{0,127}|(person|organization|campaign):[a-z0-9][a-z0-9-]*)$/,
        'expected an FEC committee id, a sponsor slug or <kind>:<slug>',
      ),
    kind: z.enum(['committee', 'campaign', 'person', 'organization']),
    name: z.string().min(1).max(256),
    fec_committee_id: FecCommitteeId.nullable(),
    aliases: z.array(z.string().min(1).max(256)),
    platform_ids: z.array(PlatformIdSpec).default([]),
    sponsor_ids: z.array(z.string().regex(SPONSOR_SLUG)).default([]),
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => e.fec_committee_id === null || e.entity_id === e.fec_committee_id, {
    message: 'an entity with an FEC committee id has that id as its entity_id',
    path: ['entity_id'],
  });
export type EntitySpec = z.infer<typeof EntitySpec>;

/** The shape of entities.json. */
export const EntitiesFile = z
  .object({ $comment: z.string().optional(), entities: z.array(EntitySpec) })
  .strict();

/** The registry with its lookups. */
export interface EntityRegistry {
  readonly entities: readonly EntitySpec[];
  readonly byId: ReadonlyMap<string, EntitySpec>;
  /** `<platform>:<id>` → entity. */
  readonly byPlatformId: ReadonlyMap<string, EntitySpec>;
  readonly bySponsorId: ReadonlyMap<string, EntitySpec>;
  /** {@link normaliseName} of each alias and name → entity. */
  readonly byAlias: ReadonlyMap<string, EntitySpec>;
}

/** Legal-form words dropped from the end of an organisation's name: `ACME, INC.` is `ACME`. */
const CORPORATE_SUFFIXES: ReadonlySet<string> = new Set([
  'INC',
  'INCORPORATED',
  'LLC',
  'CORP',
  'CORPORATION',
  'CO',
  'COMPANY',
  'LTD',
  'LIMITED',
  'LP',
  'LLP',
  'PLLC',
]);

/** Upper case, no diacritics, `&` → AND, dots and apostrophes removed, other punctuation → space. */
function baseTokens(text: string): string[] {
  const s = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/&/g, ' AND ')
    .replace(/[.'’`]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
  return s === '' ? [] : s.split(' ');
}

/**
 * The comparison form of an organisation's name: upper case, diacritics dropped, `&` → `AND`,
 * dots and apostrophes removed (`L.L.C.` → `LLC`, `AMERICA'S` → `AMERICAS`), other punctuation as
 * spaces, spaces collapsed, then a leading `THE` and trailing legal forms (INC, LLC, CORP, CO,
 * LTD, LP, LLP, PLLC and their long forms) dropped: `DONALD J. TRUMP FOR PRESIDENT 2024, INC.` →
 * `DONALD J TRUMP FOR PRESIDENT 2024`.
 *
 * `PAC` is kept on purpose: without it `AMERICA PAC` would become `AMERICA`, and every page or
 * account called "America" would resolve to the committee. Short forms that differ by more than
 * punctuation (`FF PAC` for Future Forward) are listed as aliases instead.
 */
export function normaliseName(text: string): string {
  const tokens = baseTokens(text);
  while (tokens.length > 1 && CORPORATE_SUFFIXES.has(tokens.at(-1) ?? '')) tokens.pop();
  if (tokens.length > 1 && tokens[0] === 'THE') tokens.shift();
  return tokens.join(' ');
}

/** `MUSK, ELON` → `musk-elon`: a person's name as filed, for `person:<slug>` (no word dropped). */
export function personSlug(name: string): string {
  return baseTokens(name).join('-').toLowerCase();
}

/** An organisation's name → `future-forward-usa-pac`, for `name:<slug>`. */
export function nameSlug(name: string): string {
  return normaliseName(name).toLowerCase().replace(/ /g, '-');
}

function platformKey(platform: string, id: string): string {
  return `${platform}:${id}`;
}

/**
 * Checks and indexes the parsed content of entities.json. Throws when it does not fit the format
 * or when an id, platform id, sponsor id or normalised alias belongs to two entities (resolution
 * would depend on file order).
 */
export function parseEntityRegistry(json: unknown): EntityRegistry {
  const file = EntitiesFile.safeParse(json);
  if (!file.success) throw new Error(`entities.json: ${z.prettifyError(file.error)}`);
  const byId = new Map<string, EntitySpec>();
  const byPlatformId = new Map<string, EntitySpec>();
  const bySponsorId = new Map<string, EntitySpec>();
  const byAlias = new Map<string, EntitySpec>();
  const claim = (map: Map<string, EntitySpec>, key: string, e: EntitySpec, what: string): void => {
    const other = map.get(key);
    if (other && other !== e)
      throw new Error(
        `entities.json: ${what} ${JSON.stringify(key)} is claimed by ${other.entity_id} and ${e.entity_id}`,
      );
    map.set(key, e);
  };
  for (const e of file.data.entities) {
    if (byId.has(e.entity_id)) throw new Error(`entities.json: entity_id ${e.entity_id} appears twice`);
    byId.set(e.entity_id, e);
    for (const p of e.platform_ids) claim(byPlatformId, platformKey(p.platform, p.id), e, 'platform id');
    for (const s of e.sponsor_ids) claim(bySponsorId, s, e, 'sponsor id');
    for (const a of [e.name, ...e.aliases]) {
      const key = normaliseName(a);
      if (key === '')
        throw new Error(
          `entities.json: alias ${JSON.stringify(a)} of ${e.entity_id} is empty once normalised`,
        );
      claim(byAlias, key, e, 'normalised alias');
    }
  }
  return { entities: file.data.entities, byId, byPlatformId, bySponsorId, byAlias };
}

function resolved(entity_id: string, name: string, method: MatchMethod): Resolution {
  return { entity_id, name, confidence: CONFIDENCE[method], method };
}

function firstName(names: readonly (string | null | undefined)[]): string {
  for (const n of names) if (typeof n === 'string' && n.trim() !== '') return n.trim();
  return '';
}

/** What a record says about who is behind it. Every field is optional. */
export interface EntityClues {
  /** A SponsorId from the record: an FEC committee id or a first-party sponsor slug. */
  sponsorId?: string | null;
  platformIds?: readonly { platform: EntityPlatform; id: string | null | undefined }[];
  /** Names in order of preference (the paying entity before the page name). */
  names?: readonly (string | null | undefined)[];
  /** Whether a name no alias knows still yields `name:<slug>` (false for post authors). */
  nameFallback?: boolean;
}

/**
 * The canonical entity of a sponsor, payer or advertiser, by the strongest clue (see the table
 * above). An FEC committee id is its own canonical id, registered or not; a sponsor slug maps to
 * the registry entity that lists it, else stays itself. Deterministic; never throws.
 */
export function resolveEntity(reg: EntityRegistry, clues: EntityClues): Resolution {
  const names = clues.names ?? [];
  const sponsorId = clues.sponsorId?.trim() ?? '';
  if (FEC_COMMITTEE.test(sponsorId)) {
    const known = reg.byId.get(sponsorId);
    return resolved(sponsorId, known?.name ?? (firstName(names) || sponsorId), 'fec_id');
  }
  if (SPONSOR_SLUG.test(sponsorId)) {
    const known = reg.bySponsorId.get(sponsorId) ?? reg.byId.get(sponsorId);
    return known
      ? resolved(known.entity_id, known.name, 'sponsor_id')
      : resolved(sponsorId, firstName(names) || sponsorId, 'sponsor_id');
  }
  for (const p of clues.platformIds ?? []) {
    if (!p.id) continue;
    const known = reg.byPlatformId.get(platformKey(p.platform, p.id));
    if (known) return resolved(known.entity_id, known.name, 'platform_id');
  }
  for (const n of names) {
    if (typeof n !== 'string') continue;
    const known = reg.byAlias.get(normaliseName(n));
    if (known && known.kind !== 'person') return resolved(known.entity_id, known.name, 'alias');
  }
  if (clues.nameFallback === false) return UNRESOLVED;
  const name = firstName(names);
  const slug = nameSlug(name);
  return slug === '' ? UNRESOLVED : resolved(`name:${slug}`, name, 'normalised_name');
}

/** FEC ENTITY_TP values of a natural person. */
const PERSON_TYPES: ReadonlySet<string> = new Set(['IND', 'CAN']);

/**
 * The canonical donor of a contribution: the contributing committee's FEC id (OTHER_ID) when
 * there is one; an individual (ENTITY_TP IND or CAN, or no type at all, as a first-party
 * donation has) is a registry person by alias, else `person:<slug of the name as filed>`
 * (`MUSK, ELON` → `person:musk-elon`); an organisation without an id is a registry alias, else
 * `name:<slug>`. An empty name with no id is unresolved.
 */
export function resolveDonor(
  reg: EntityRegistry,
  d: { contributor_name: string; entity_type?: string | undefined; other_id?: string | undefined },
): Resolution {
  const name = d.contributor_name.trim();
  if (d.other_id) {
    const known = reg.byId.get(d.other_id);
    return resolved(d.other_id, known?.name ?? (name || d.other_id), 'fec_id');
  }
  if (name === '') return UNRESOLVED;
  const person = d.entity_type === undefined || PERSON_TYPES.has(d.entity_type);
  const known = reg.byAlias.get(normaliseName(name));
  if (known && (known.kind === 'person') === person) return resolved(known.entity_id, known.name, 'alias');
  if (person) {
    const slug = personSlug(name);
    return slug === '' ? UNRESOLVED : resolved(`person:${slug}`, name, 'normalised_name');
  }
  const slug = nameSlug(name);
  return slug === '' ? UNRESOLVED : resolved(`name:${slug}`, name, 'normalised_name');
}

/** The `aliases` column of ref_entities: normalised names, `<platform>:<id>` and sponsor ids. */
export function registryAliases(e: EntitySpec): string[] {
  const all = new Set<string>([
    ...[e.name, ...e.aliases].map(normaliseName),
    ...e.platform_ids.map((p) => platformKey(p.platform, p.id)),
    ...e.sponsor_ids,
  ]);
  return [...all].sort(byCodeUnit);
}

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

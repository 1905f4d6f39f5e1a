/**
 * Petitions (infra/reference/petitions.json): who runs each petition and which links lead to
 * it, so a signature is credited to its sponsor and a post to the petition it promotes.
 */
import { z } from 'zod';
import { SponsorId } from '../../schemas/ids.ts';
import { byCodeUnit } from './entities.ts';

/** `host/path` without a scheme, query or fragment: `petition.america-pac.example/sign`. */
const UrlPrefix = z
  .string()
  .regex(/^[a-z0-9.-]+\.[a-z]{2,}(\/[^\s?#]*)?$/, 'expected a lower-case host and path, no scheme or query');

const PetitionSpec = z
  .object({
    petition_id: z.string().min(1).max(256),
    sponsor_id: SponsorId.describe('Canonical entity id of who runs the petition (entities.json).'),
    name: z.string().min(1).max(256),
    url_prefixes: z.array(UrlPrefix),
    note: z.string().optional(),
  })
  .strict();
export type PetitionSpec = z.infer<typeof PetitionSpec>;

/** The shape of petitions.json. */
export const PetitionsFile = z
  .object({ $comment: z.string().optional(), petitions: z.array(PetitionSpec) })
  .strict();

export interface PetitionTable {
  readonly petitions: readonly PetitionSpec[];
  readonly byId: ReadonlyMap<string, PetitionSpec>;
}

/** Checks and indexes the parsed content of petitions.json; throws on a bad file or a repeated id. */
export function parsePetitions(json: unknown): PetitionTable {
  const parsed = PetitionsFile.safeParse(json);
  if (!parsed.success) throw new Error(`petitions.json: ${z.prettifyError(parsed.error)}`);
  const byId = new Map<string, PetitionSpec>();
  for (const p of parsed.data.petitions) {
    if (byId.has(p.petition_id))
      throw new Error(`petitions.json: petition_id ${p.petition_id} appears twice`);
    byId.set(p.petition_id, p);
  }
  return { petitions: parsed.data.petitions, byId };
}

/** `https://WWW.Example.org/sign/?a=1` → `example.org/sign/`; null when it is not an http(s) URL. */
function hostAndPath(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  return `${u.hostname.replace(/^www\./, '')}${u.pathname}`;
}

/** True when `hp` is `prefix` or continues it at a path boundary (`/sign` is not `/signature`). */
function under(hp: string, prefix: string): boolean {
  const p = prefix.replace(/^www\./, '');
  if (hp === p || hp === `${p}/`) return true;
  return p.endsWith('/') ? hp.startsWith(p) : hp.startsWith(`${p}/`);
}

/**
 * The petitions the links lead to, distinct and sorted. A link matches a petition's url prefix
 * on host (any case, a leading `www.` ignored) and path at a segment boundary; the scheme, query
 * and fragment do not matter (`?utm_source=x` is still the petition).
 */
export function petitionsOfUrls(table: PetitionTable, urls: readonly string[]): string[] {
  const found = new Set<string>();
  for (const url of urls) {
    const hp = hostAndPath(url);
    if (hp === null) continue;
    for (const p of table.petitions)
      if (p.url_prefixes.some((prefix) => under(hp, prefix))) found.add(p.petition_id);
  }
  return [...found].sort(byCodeUnit);
}

/** Who runs a petition: its sponsor id, or '' when the petition is not in the table. */
export function sponsorOfPetition(table: PetitionTable, petitionId: string): string {
  return table.byId.get(petitionId)?.sponsor_id ?? '';
}

/**
 * The analysts' SQL cookbook (docs/sql/*.sql): each file is one question, with a comment header
 * that declares the defaults of its parameters (`-- param: sponsor=C00879510`). The CLI runs a
 * file with those defaults unless `--param` overrides them; the main job and the tests read the
 * same files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../infra/local/config.ts';

export const COOKBOOK_DIR = path.join(REPO_ROOT, 'docs', 'sql');

export interface CookbookQuery {
  /** The file name without `.sql`, e.g. `cost-per-phone-via-referral-bounties`. */
  name: string;
  file: string;
  /** The whole file, comment header included (ClickHouse ignores the comments). */
  sql: string;
  /** Default parameter values from the header's `-- param: name=value` lines. */
  params: Record<string, string>;
}

/** A header line declaring a parameter's default: `-- param: committee=C00879510`. */
const PARAM_LINE = /^--\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** The `-- param:` defaults a query's text declares, by name. */
export function declaredParams(sql: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const line of sql.split('\n')) {
    const m = PARAM_LINE.exec(line.trim());
    if (m?.[1] !== undefined) params[m[1]] = (m[2] ?? '').trim();
  }
  return params;
}

/**
 * One cookbook query. @throws when it uses a `{name:Type}` parameter its header gives no default
 * for, or declares one it does not use: the defaults are what the comment's figures were
 * computed with, so they must be complete.
 */
export function parseCookbookQuery(file: string, sql: string): CookbookQuery {
  const base = path.basename(file);
  const params = declaredParams(sql);
  const code = sql
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n');
  const used = new Set([...code.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*):/g)].map((m) => m[1] ?? ''));
  const missing = [...used].filter((p) => !(p in params));
  const unused = Object.keys(params).filter((p) => !used.has(p));
  if (missing.length > 0) throw new Error(`${base}: no "-- param:" default for ${missing.join(', ')}`);
  if (unused.length > 0) throw new Error(`${base}: "-- param:" for unused ${unused.join(', ')}`);
  return { name: base.replace(/\.sql$/, ''), file, sql, params };
}

/** Every cookbook query, sorted by name. */
export function loadCookbook(dir: string = COOKBOOK_DIR): CookbookQuery[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseCookbookQuery(path.join(dir, f), readFileSync(path.join(dir, f), 'utf8')));
}

/** The cookbook query `name` (a file in docs/sql). */
export function cookbookQuery(name: string, dir: string = COOKBOOK_DIR): CookbookQuery {
  const file = path.join(dir, `${name}.sql`);
  return parseCookbookQuery(file, readFileSync(file, 'utf8'));
}

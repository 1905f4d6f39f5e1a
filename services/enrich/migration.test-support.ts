/**
 * Test support: the columns of every table in infra/clickhouse/migrations/0002_event_tables.sql,
 * read from the SQL itself, so tests compare what the library writes with what ClickHouse has.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const EVENT_TABLES_SQL = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../infra/clickhouse/migrations/0002_event_tables.sql',
);

/** Splits `text` at `sep` outside parentheses and single-quoted strings. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === "'") quoted = false;
    } else if (ch === "'") quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The body between the parenthesis that opens at `open` and its match. */
function balanced(text: string, open: number): string {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === "'") quoted = false;
    } else if (ch === "'") quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced parentheses in the migration');
}

/** Table → its columns as `[name, type]`, types with white space collapsed and comments dropped. */
export function migrationColumns(
  sql = readFileSync(EVENT_TABLES_SQL, 'utf8'),
): Map<string, [string, string][]> {
  const text = sql.replace(/--[^\n]*/g, '');
  const tables = new Map<string, [string, string][]>();
  const create = /CREATE TABLE IF NOT EXISTS\s+(\w+)\s*\(/g;
  for (let m = create.exec(text); m; m = create.exec(text)) {
    const body = balanced(text, m.index + m[0].length - 1);
    const columns = splitTopLevel(body, ',')
      .map((c) => c.replace(/\s+COMMENT\s+'(?:[^'\\]|\\.|'')*'\s*$/s, '').trim())
      .filter((c) => c !== '')
      .map((c): [string, string] => {
        const [name = '', ...type] = c.split(/\s+/);
        return [name, type.join(' ')];
      });
    tables.set(m[1] ?? '', columns);
  }
  return tables;
}

/**
 * Just enough lexing of ClickHouse SQL text for the HTTP gateway to behave like a server:
 * find statement boundaries, the statement kind, a trailing FORMAT clause and `{name:Type}`
 * parameters. Quoted strings, quoted identifiers and comments are skipped, so a `;` or
 * `FORMAT` inside them does not count.
 */

/** Index ranges of the parts of `sql` that are code (not strings, identifiers or comments). */
function codeMask(sql: string): boolean[] {
  const code = new Array<boolean>(sql.length).fill(true);
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "'" || c === '"' || c === '`') {
      const start = i;
      i++;
      while (i < sql.length) {
        if (sql[i] === '\\') {
          i += 2;
          continue;
        }
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      for (let k = start; k <= Math.min(i, sql.length - 1); k++) code[k] = false;
      i++;
    } else if ((c === '-' && next === '-') || c === '#') {
      const start = i;
      while (i < sql.length && sql[i] !== '\n') i++;
      for (let k = start; k < i; k++) code[k] = false;
    } else if (c === '/' && next === '*') {
      const start = i;
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      for (let k = start; k < i; k++) code[k] = false;
    } else {
      i++;
    }
  }
  return code;
}

/** The text with strings and comments blanked out (same length), for keyword searches. */
export function codeOnly(sql: string): string {
  const mask = codeMask(sql);
  let out = '';
  for (let i = 0; i < sql.length; i++) out += mask[i] ? sql[i] : ' ';
  return out;
}

/** The statement's first keyword in upper case (`SELECT`, `INSERT`, `WITH`, …), or ''. */
export function statementKind(sql: string): string {
  const m = /^[\s(]*([A-Za-z]+)/.exec(codeOnly(sql));
  return m?.[1]?.toUpperCase() ?? '';
}

/**
 * True when `sql` holds more than one statement: a `;` in code followed by anything but
 * white space or further `;`. A real server refuses those over HTTP.
 */
export function hasMultipleStatements(sql: string): boolean {
  const code = codeOnly(sql);
  const at = code.indexOf(';');
  if (at < 0) return false;
  return /[^\s;]/.test(code.slice(at + 1));
}

/** The format named by a trailing `FORMAT Name` clause, if any. */
export function trailingFormat(sql: string): string | undefined {
  const m = /\bFORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*;?\s*$/i.exec(codeOnly(sql));
  return m?.[1];
}

/** The `{name:Type}` placeholders of a query, name → type text. */
export function queryParameterTypes(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  const code = codeOnly(sql);
  const re = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    if (m[1] && m[2]) out.set(m[1], m[2]);
  }
  return out;
}

/** True for Array, Map, Tuple and Nested types, whose parameter text the gateway casts itself. */
export function isCompositeType(type: string): boolean {
  return /^(Array|Map|Tuple|Nested)\s*\(/i.test(type.trim());
}

/**
 * Rewrites every composite-typed placeholder so the engine parses the parameter's text exactly
 * as a server does (the embedded engine's own binding would escape that text once more):
 * `{n:Array(T)}` and `{n:Tuple(…)}` become `CAST({n:String} AS T)`; `{n:Map(K, V)}` (which
 * CAST cannot read from text) becomes a scalar subquery reading the text in TSV form.
 * Other placeholders are left as they are.
 */
export function castCompositeParams(sql: string): string {
  const code = codeOnly(sql);
  const re = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;
  let out = '';
  let last = 0;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const [whole, name] = m;
    // The type as written in the original text (code and original agree outside strings).
    const type = sql
      .slice(m.index, m.index + whole.length)
      .replace(/^\{\s*[A-Za-z_][A-Za-z0-9_]*\s*:\s*/, '')
      .replace(/\s*\}$/, '');
    if (!name || !isCompositeType(type)) continue;
    const replacement = /^Map\s*\(/i.test(type)
      ? `(SELECT v FROM format(TSV, ${sqlString(`v ${type}`)}, {${name}:String}))`
      : `CAST({${name}:String} AS ${type})`;
    out += sql.slice(last, m.index) + replacement;
    last = m.index + whole.length;
  }
  return out + sql.slice(last);
}

/** True for String, FixedString(N) and their Nullable/LowCardinality wrappings. */
export function isStringLikeType(type: string): boolean {
  const inner = unwrap(type.trim());
  return /^(String|FixedString\s*\(\s*\d+\s*\))$/i.test(inner);
}

/** True for Nullable(...) (possibly inside LowCardinality). */
export function isNullableType(type: string): boolean {
  return /^(LowCardinality\s*\(\s*)?Nullable\s*\(/i.test(type.trim());
}

function unwrap(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\s*\((.*)\)$/i.exec(type);
  return m?.[1] ? unwrap(m[1].trim()) : type;
}

const ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
  a: '\x07',
  v: '\v',
  e: '\x1b',
};

/**
 * Decodes a value in ClickHouse's TabSeparated "escaped" text form, which is how the HTTP
 * interface reads a query parameter (`\t`, `\n`, `\\`, `\'`, `\xHH` bytes, …). The result
 * is the UTF-8 text of the decoded bytes.
 */
export function unescapeTsv(value: string): string {
  if (!value.includes('\\')) return value;
  const bytes: number[] = [];
  const push = (text: string): void => {
    for (const b of Buffer.from(text, 'utf8')) bytes.push(b);
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c !== '\\' || i === value.length - 1) {
      const cp = value.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      push(ch);
      i += ch.length - 1;
      continue;
    }
    const e = value[++i] as string;
    if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      push(ESCAPES[e] ?? e);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A ClickHouse SQL string literal for `value`. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A backquoted ClickHouse identifier. */
export function sqlIdentifier(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/**
 * Recognises the plain form clickhouse-js sends for inserts,
 * `INSERT INTO [db.]table [(c1, c2)] FORMAT Name`, so the body can go to the engine as bytes.
 */
export function parsePlainInsert(
  sql: string,
): { table: string; columns: string[] | undefined; format: string } | undefined {
  const ident = '(?:`(?:[^`\\\\]|\\\\.)+`|[A-Za-z_][A-Za-z0-9_]*)';
  const re = new RegExp(
    `^\\s*INSERT\\s+INTO\\s+(?:TABLE\\s+)?(${ident}(?:\\.${ident})?)\\s*(?:\\(([^()]*)\\))?\\s*FORMAT\\s+([A-Za-z]+)\\s*$`,
    'i',
  );
  const m = re.exec(sql);
  if (!m?.[1] || !m[3]) return undefined;
  const columns = m[2]
    ?.split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0)
    .map((c) => (c.startsWith('`') ? c.slice(1, -1).replace(/\\(.)/g, '$1') : c));
  return { table: m[1], columns: columns && columns.length > 0 ? columns : undefined, format: m[3] };
}

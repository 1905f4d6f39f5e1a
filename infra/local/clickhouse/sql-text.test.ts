import { describe, expect, it } from 'vitest';
import {
  castCompositeParams,
  codeOnly,
  hasMultipleStatements,
  isNullableType,
  isStringLikeType,
  parsePlainInsert,
  queryParameterTypes,
  sqlIdentifier,
  sqlString,
  statementKind,
  trailingFormat,
  unescapeTsv,
} from './sql-text.ts';
import { prng, randomString } from '../../../test/helpers/random.ts';

/** Characters that stress escaping: every TSV escape, quotes, backslashes, `x`/`N`, digits, unicode. */
const ALPHABET = [
  ...'abcxNn019 ',
  '\\',
  "'",
  '"',
  '`',
  '\t',
  '\n',
  '\r',
  '\0',
  '\b',
  '\f',
  '\v',
  '\x07',
  '\x1b',
  '\x01',
  '\x7f',
  'é',
  'Ж',
  '中',
  '😀',
  ';',
  '{',
  '}',
];

/** ClickHouse's TabSeparated "escaped" form of a string, as a server writes it. */
function escapeTsv(s: string): string {
  const named: Record<string, string> = {
    '\\': '\\\\',
    "'": "\\'",
    '\t': '\\t',
    '\n': '\\n',
    '\r': '\\r',
    '\0': '\\0',
    '\b': '\\b',
    '\f': '\\f',
    '\v': '\\v',
    '\x07': '\\a',
    '\x1b': '\\e',
  };
  let out = '';
  for (const c of s) out += named[c] ?? c;
  return out;
}

/** The same escaping, but other ASCII control characters as `\xHH` (also valid TSV). */
function escapeTsvHex(s: string): string {
  let out = '';
  for (const c of escapeTsv(s)) {
    const code = c.codePointAt(0) ?? 0;
    out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}

describe('statementKind', () => {
  it.each([
    ['SELECT 1', 'SELECT'],
    ['  select 1', 'SELECT'],
    ['\n\t(SELECT 1) UNION ALL (SELECT 2)', 'SELECT'],
    ['insert into t FORMAT JSONEachRow', 'INSERT'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['/* leading comment */ CREATE TABLE t (x UInt8) ENGINE = Memory', 'CREATE'],
    ['-- a comment line\nDROP TABLE t', 'DROP'],
    ['# a hash comment\nSHOW TABLES', 'SHOW'],
    ['set max_threads = 1', 'SET'],
  ])('%j is %s', (sql, kind) => {
    expect(statementKind(sql)).toBe(kind);
  });

  it('is empty when there is no keyword before anything else', () => {
    expect(statementKind('')).toBe('');
    expect(statementKind('   ;')).toBe('');
    expect(statementKind('-- only a comment')).toBe('');
    expect(statementKind("'SELECT' 1")).toBe('');
    expect(statementKind('`INSERT`')).toBe('');
  });
});

describe('hasMultipleStatements', () => {
  it.each([
    'SELECT 1',
    'SELECT 1;',
    'SELECT 1 ;  \n',
    'SELECT 1;;; ',
    "SELECT ';'",
    "SELECT 'a;b', 'c; SELECT 2'",
    "SELECT 'it''s; fine'",
    "SELECT 'esc\\'; SELECT 2'",
    'SELECT "col;umn" FROM t',
    'SELECT `weird;name` FROM t',
    'SELECT `back\\`; SELECT 2` FROM t',
    'SELECT 1 -- ; SELECT 2',
    'SELECT 1 # ; SELECT 2',
    'SELECT 1 /* ; SELECT 2 */',
    'SELECT 1; -- trailing comment',
    'SELECT 1; /* trailing comment */',
  ])('%j is one statement', (sql) => {
    expect(hasMultipleStatements(sql)).toBe(false);
  });

  it.each([
    'SELECT 1; SELECT 2',
    'SELECT 1;SELECT 2;',
    "SELECT ';'; SELECT 2",
    'SELECT 1 -- comment\n; SELECT 2',
    'SELECT 1; /* c */ DROP TABLE t',
    'SET max_threads = 1; SELECT 1',
    "SELECT 'a\\\\'; SELECT 2",
  ])('%j is more than one statement', (sql) => {
    expect(hasMultipleStatements(sql)).toBe(true);
  });
});

describe('codeOnly', () => {
  it('blanks strings, identifiers and comments but keeps the length', () => {
    const sql = "SELECT 'x;y', `a b` -- c\n/* d */ FROM t";
    const code = codeOnly(sql);
    expect(code).toHaveLength(sql.length);
    expect(code).not.toMatch(/[;xyabcd]/);
    expect(code.replace(/\s+/g, ' ').trim()).toBe('SELECT , FROM t');
  });
});

describe('trailingFormat', () => {
  it.each([
    ['SELECT 1 FORMAT JSON', 'JSON'],
    ['SELECT 1 format JSONEachRow', 'JSONEachRow'],
    ['SELECT 1 FORMAT TabSeparatedWithNames;', 'TabSeparatedWithNames'],
    ['SELECT 1 FORMAT CSV ; \n', 'CSV'],
    ['SELECT 1 FORMAT JSONCompact -- why not', 'JSONCompact'],
    ['SELECT 1 FORMAT Parquet /* binary */', 'Parquet'],
  ])('%j names %s', (sql, format) => {
    expect(trailingFormat(sql)).toBe(format);
  });

  it.each([
    'SELECT 1',
    "SELECT 'FORMAT JSON'",
    'SELECT 1 AS `FORMAT JSON`',
    'SELECT 1 -- FORMAT JSON',
    'SELECT 1 /* FORMAT CSV */',
    'SELECT 1 FORMAT JSON LIMIT 1',
    'SELECT formatReadableSize(1)',
  ])('%j names none', (sql) => {
    expect(trailingFormat(sql)).toBeUndefined();
  });
});

describe('queryParameterTypes', () => {
  it('maps each placeholder to its type text', () => {
    const types = queryParameterTypes(
      'SELECT {a:String}, { b : Array(String) }, {c:Map(String, UInt8)}, {d_1:Nullable(DateTime64(3))}',
    );
    expect([...types]).toEqual([
      ['a', 'String'],
      ['b', 'Array(String)'],
      ['c', 'Map(String, UInt8)'],
      ['d_1', 'Nullable(DateTime64(3))'],
    ]);
  });

  it('ignores placeholders inside strings, identifiers and comments', () => {
    const types = queryParameterTypes(
      "SELECT '{s:String}', `{i:UInt8}` /* {c:UInt8} */ -- {l:UInt8}\n, {real:UInt64}",
    );
    expect([...types]).toEqual([['real', 'UInt64']]);
  });

  it('lists a repeated placeholder once and is empty without any', () => {
    expect([...queryParameterTypes('SELECT {x:UInt8} + {x:UInt8}')]).toEqual([['x', 'UInt8']]);
    expect(queryParameterTypes('SELECT 1').size).toBe(0);
    expect(queryParameterTypes('SELECT map{1:2}').size).toBe(0);
  });
});

describe('isStringLikeType / isNullableType', () => {
  it.each([
    ['String', true, false],
    [' String ', true, false],
    ['FixedString(32)', true, false],
    ['FixedString( 8 )', true, false],
    ['Nullable(String)', true, true],
    ['LowCardinality(String)', true, false],
    ['LowCardinality(Nullable(String))', true, true],
    ['Nullable(FixedString(2))', true, true],
    ['Array(String)', false, false],
    ['Nullable(UInt64)', false, true],
    ['LowCardinality(Nullable(UInt8))', false, true],
    ['Array(Nullable(String))', false, false],
    ['UInt64', false, false],
    ['DateTime', false, false],
    ['Map(String, String)', false, false],
    ['FixedString', false, false],
  ])('%j: string-like %s, nullable %s', (type, stringLike, nullable) => {
    expect(isStringLikeType(type)).toBe(stringLike);
    expect(isNullableType(type)).toBe(nullable);
  });
});

describe('unescapeTsv', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a\\tb', 'a\tb'],
    ['line\\nbreak\\r', 'line\nbreak\r'],
    ['back\\\\slash', 'back\\slash'],
    ["it\\'s", "it's"],
    ['\\0\\b\\f\\a\\v\\e', '\0\b\f\x07\v\x1b'],
    ['\\x41\\x7a', 'Az'],
    ['\\xZZ', 'xZZ'],
    ['\\x4', 'x4'],
    ['\\N', 'N'],
    ['\\/\\"', '/"'],
    ['trailing\\', 'trailing\\'],
    ['ünï😀', 'ünï😀'],
  ])('%j → %j', (escaped, value) => {
    expect(unescapeTsv(escaped)).toBe(value);
  });

  it('inverts TSV escaping for random strings (seeded)', () => {
    const next = prng(20_241_105);
    for (let n = 0; n < 2000; n++) {
      const s = randomString(next, ALPHABET, 40);
      expect(unescapeTsv(escapeTsv(s)), `case ${n}: ${JSON.stringify(s)}`).toBe(s);
      expect(unescapeTsv(escapeTsvHex(s)), `hex case ${n}: ${JSON.stringify(s)}`).toBe(s);
    }
  });

  it('leaves a string without backslashes unchanged (seeded)', () => {
    const next = prng(7);
    for (let n = 0; n < 500; n++) {
      const s = randomString(next, ALPHABET, 30).replace(/\\/g, '');
      expect(unescapeTsv(s)).toBe(s);
    }
  });
});

describe('sqlString / sqlIdentifier', () => {
  it('quotes and escapes', () => {
    expect(sqlString('')).toBe("''");
    expect(sqlString("it's")).toBe("'it\\'s'");
    expect(sqlString('a\\b')).toBe("'a\\\\b'");
    expect(sqlIdentifier('my db')).toBe('`my db`');
    expect(sqlIdentifier('a`b\\c')).toBe('`a\\`b\\\\c`');
  });

  it('round-trips through the literal: the quoted body unescapes to the value (seeded)', () => {
    const next = prng(42);
    for (let n = 0; n < 1000; n++) {
      const s = randomString(next, ALPHABET, 30);
      const literal = sqlString(s);
      expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
      expect(unescapeTsv(literal.slice(1, -1)), JSON.stringify(s)).toBe(s);
      // The literal is one string token: nothing of it is code, so no `;` inside can split it.
      expect(codeOnly(`SELECT ${literal}`).trim()).toBe('SELECT');
      expect(hasMultipleStatements(`SELECT ${literal}; `)).toBe(false);
    }
  });

  it('keeps an identifier one token (seeded)', () => {
    const next = prng(43);
    for (let n = 0; n < 500; n++) {
      const id = sqlIdentifier(randomString(next, ALPHABET, 20));
      expect(codeOnly(`SELECT 1 AS ${id}`).trim()).toBe('SELECT 1 AS');
    }
  });
});

describe('parsePlainInsert', () => {
  it('recognises the form clickhouse-js sends', () => {
    expect(parsePlainInsert('INSERT INTO events FORMAT JSONEachRow')).toEqual({
      table: 'events',
      columns: undefined,
      format: 'JSONEachRow',
    });
    expect(parsePlainInsert('INSERT INTO db.events (a, b) FORMAT CSV')).toEqual({
      table: 'db.events',
      columns: ['a', 'b'],
      format: 'CSV',
    });
    expect(parsePlainInsert('  insert into TABLE t(x)format TSV \n')).toEqual({
      table: 't',
      columns: ['x'],
      format: 'TSV',
    });
  });

  it('keeps quoted table names as written and unquotes column names', () => {
    expect(
      parsePlainInsert('INSERT INTO `my db`.`the table` (`a b`, `c\\`d`, e) FORMAT JSONEachRow'),
    ).toEqual({
      table: '`my db`.`the table`',
      columns: ['a b', 'c`d', 'e'],
      format: 'JSONEachRow',
    });
    expect(parsePlainInsert('INSERT INTO `db`.events FORMAT CSV')?.table).toBe('`db`.events');
  });

  it('treats an empty column list as none', () => {
    expect(parsePlainInsert('INSERT INTO t () FORMAT CSV')?.columns).toBeUndefined();
  });

  it.each([
    'INSERT INTO t VALUES (1)',
    'INSERT INTO t SELECT 1',
    'INSERT INTO t SELECT * FROM s FORMAT CSV',
    'INSERT INTO t (a) SETTINGS async_insert=1 FORMAT CSV',
    'INSERT INTO t FORMAT',
    'SELECT 1 FORMAT CSV',
    'INSERT INTO a.b.c FORMAT CSV',
    'INSERT INTO t FORMAT CSV extra',
  ])('%j is not the plain form', (sql) => {
    expect(parsePlainInsert(sql)).toBeUndefined();
  });
});

describe('castCompositeParams', () => {
  it('casts Array and Tuple placeholders from their String text', () => {
    expect(castCompositeParams('SELECT 1 WHERE x IN {ids:Array(String)}')).toBe(
      'SELECT 1 WHERE x IN CAST({ids:String} AS Array(String))',
    );
    expect(castCompositeParams('SELECT {t:Tuple(UInt8, String)}')).toBe(
      'SELECT CAST({t:String} AS Tuple(UInt8, String))',
    );
  });
  it('reads Map placeholders through a TSV subquery', () => {
    expect(castCompositeParams('SELECT {m:Map(String, UInt8)} AS m')).toBe(
      "SELECT (SELECT v FROM format(TSV, 'v Map(String, UInt8)', {m:String})) AS m",
    );
  });
  it('leaves scalar placeholders and text inside strings alone', () => {
    const sql = "SELECT {s:String}, {n:UInt64}, '{a:Array(String)}' -- {b:Array(UInt8)}";
    expect(castCompositeParams(sql)).toBe(sql);
  });
});

import { describe, expect, it } from 'vitest';
import { bindParams, contentTypeFor, httpStatusFor } from './gateway.ts';

describe('httpStatusFor', () => {
  it.each([
    [516, 401], // AUTHENTICATION_FAILED
    [192, 401], // UNKNOWN_USER
    [193, 401], // WRONG_PASSWORD
    [194, 401], // REQUIRED_PASSWORD
    [497, 403], // ACCESS_DENIED
    [164, 403], // READONLY
    [60, 404], // UNKNOWN_TABLE
    [46, 404], // UNKNOWN_FUNCTION
    [47, 404], // UNKNOWN_IDENTIFIER
    [50, 404], // UNKNOWN_TYPE
    [81, 404], // UNKNOWN_DATABASE
    [115, 404], // UNKNOWN_SETTING
    [456, 404], // UNKNOWN_QUERY_PARAMETER
    [73, 404], // UNKNOWN_FORMAT
    [62, 400], // SYNTAX_ERROR
    [6, 400], // CANNOT_PARSE_TEXT
    [26, 400],
    [27, 400],
    [38, 400],
    [41, 400],
    [69, 400],
    [72, 400],
    [117, 400],
    [36, 400], // BAD_ARGUMENTS
    [42, 400],
    [43, 400], // ILLEGAL_TYPE_OF_ARGUMENT
    [457, 400], // BAD_QUERY_PARAMETER
    [53, 400], // TYPE_MISMATCH
    [70, 400],
    [202, 503], // TOO_MANY_SIMULTANEOUS_QUERIES
    [159, 500], // TIMEOUT_EXCEEDED
    [48, 501], // NOT_IMPLEMENTED
    [307, 413], // TOO_MANY_BYTES
  ])('code %i → HTTP %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it('answers 500 for any other code', () => {
    for (const code of [0, 1, 1001, 241, 999_999, -1]) expect(httpStatusFor(code)).toBe(500);
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['JSONEachRow', 'application/x-ndjson; charset=UTF-8'],
    ['JSONStringsEachRow', 'application/x-ndjson; charset=UTF-8'],
    ['JSONCompactEachRow', 'application/x-ndjson; charset=UTF-8'],
    ['NDJSON', 'application/x-ndjson; charset=UTF-8'],
    ['JSONLines', 'application/x-ndjson; charset=UTF-8'],
    ['JSON', 'application/json; charset=UTF-8'],
    ['JSONCompact', 'application/json; charset=UTF-8'],
    ['JSONObjectEachRow', 'application/json; charset=UTF-8'],
    ['CSV', 'text/csv; charset=UTF-8; header=absent'],
    ['CSVWithNames', 'text/csv; charset=UTF-8; header=absent'],
    ['TSV', 'text/tab-separated-values; charset=UTF-8'],
    ['TabSeparated', 'text/tab-separated-values; charset=UTF-8'],
    ['TabSeparatedWithNamesAndTypes', 'text/tab-separated-values; charset=UTF-8'],
    ['TSVRaw', 'text/tab-separated-values; charset=UTF-8'],
    ['Pretty', 'text/plain; charset=UTF-8'],
    ['PrettyCompactMonoBlock', 'text/plain; charset=UTF-8'],
    ['XML', 'application/xml; charset=UTF-8'],
    ['Native', 'application/octet-stream'],
    ['RowBinary', 'application/octet-stream'],
    ['RowBinaryWithNamesAndTypes', 'application/octet-stream'],
    ['Parquet', 'application/octet-stream'],
    ['Arrow', 'application/octet-stream'],
    ['ArrowStream', 'application/octet-stream'],
    ['ORC', 'application/octet-stream'],
    ['Avro', 'application/octet-stream'],
    ['Values', 'text/plain; charset=UTF-8'],
    ['Vertical', 'text/plain; charset=UTF-8'],
  ])('%s → %s', (format, type) => {
    expect(contentTypeFor(format)).toBe(type);
  });

  it('ignores the case of the format name', () => {
    expect(contentTypeFor('jsoneachrow')).toBe(contentTypeFor('JSONEachRow'));
    expect(contentTypeFor('PARQUET')).toBe('application/octet-stream');
    expect(contentTypeFor('csv')).toBe(contentTypeFor('CSV'));
  });
});

describe('bindParams', () => {
  const params = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));

  it('is undefined without parameters', () => {
    expect(bindParams('SELECT {a:String}', new Map())).toBeUndefined();
  });

  it('decodes TSV-escaped String-like values and passes other types as text', () => {
    const sql =
      'SELECT {s:String}, {f:FixedString(4)}, {lc:LowCardinality(String)}, {n:UInt64}, {a:Array(String)}, {d:DateTime}';
    expect(
      bindParams(
        sql,
        params({
          s: "it\\'s\\ta\\\\b\\nc",
          f: 'ab\\tc',
          lc: '\\x41',
          n: '18446744073709551615',
          a: "['x\\'y','z']",
          d: '1700000000',
        }),
      ),
    ).toEqual({
      s: "it's\ta\\b\nc",
      f: 'ab\tc',
      lc: 'A',
      n: '18446744073709551615',
      a: "['x\\'y','z']",
      d: '1700000000',
    });
  });

  it('binds \\N as NULL for Nullable types only', () => {
    const sql =
      'SELECT {ns:Nullable(String)}, {nu:Nullable(UInt8)}, {lcn:LowCardinality(Nullable(String))}, {s:String}, {u:UInt8}';
    expect(bindParams(sql, params({ ns: '\\N', nu: '\\N', lcn: '\\N', s: '\\N', u: '\\N' }))).toEqual({
      ns: null,
      nu: null,
      lcn: null,
      // Not Nullable: a String reads `\N` as an escaped `N`; other types get the text to reject.
      s: 'N',
      u: '\\N',
    });
  });

  it('decodes a Nullable(String) value that is not NULL', () => {
    expect(bindParams('SELECT {ns:Nullable(String)}', params({ ns: 'a\\tb' }))).toEqual({ ns: 'a\tb' });
  });

  it('drops values no placeholder asks for, and is undefined when none is left', () => {
    expect(bindParams('SELECT {a:String}', params({ a: 'x', unused: 'y' }))).toEqual({ a: 'x' });
    expect(bindParams('SELECT 1', params({ unused: 'y' }))).toBeUndefined();
  });

  it('does not see placeholders inside string literals or comments', () => {
    expect(bindParams("SELECT '{a:String}' -- {b:String}", params({ a: 'x', b: 'y' }))).toBeUndefined();
  });
});

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsv, readLines, splitCsvRecord } from './readers.ts';

function chunks(...parts: (string | Buffer)[]): AsyncIterable<Buffer> {
  return Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readLines', () => {
  it('splits across chunk boundaries, drops a BOM and CR, falls back to latin-1 per line', async () => {
    const lines = await collect(
      readLines(chunks('\ufeffa,b\r\nc', 'd\n', Buffer.from([0x63, 0x61, 0x66, 0xe9]), '\nlast')),
    );
    expect(lines.map((l) => [l.lineNo, l.text, l.encoding])).toEqual([
      [1, 'a,b', 'utf8'],
      [2, 'cd', 'utf8'],
      [3, 'café', 'latin1'],
      [4, 'last', 'utf8'],
    ]);
    expect(lines[2]?.raw).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });
});

describe('splitCsvRecord', () => {
  it('handles quotes, doubled quotes, delimiters and line breaks in quoted fields', () => {
    expect(splitCsvRecord('a,"b,c","say ""hi""","x\ny",')).toEqual(['a', 'b,c', 'say "hi"', 'x\ny', '']);
    expect(splitCsvRecord('"unterminated')).toBeUndefined();
    expect(splitCsvRecord('"a"b,c')).toBeUndefined();
  });
});

describe('readCsv', () => {
  it('joins quoted line breaks into one record and reports truncation and huge records', async () => {
    const items = await collect(
      readCsv(chunks('h1,h2\n"multi\nline",2\n', '3,4\n"open,5\n'), { maxRecordBytes: 1000 }),
    );
    expect(
      items.map((i) =>
        i.ok ? ['ok', i.record.lineNo, i.record.fields] : ['fault', i.fault.lineNo, i.fault.reason],
      ),
    ).toEqual([
      ['ok', 1, ['h1', 'h2']],
      ['ok', 2, ['multi\nline', '2']],
      ['ok', 4, ['3', '4']],
      ['fault', 5, 'parse_error'],
    ]);
    const huge = await collect(
      readCsv(chunks(`a,"${'x'.repeat(50)}\n`, `${'y'.repeat(50)}\n`, 'b,c\n'), { maxRecordBytes: 60 }),
    );
    expect(huge[0]).toMatchObject({ ok: false, fault: { reason: 'too_large' } });
    expect(huge.at(-1)).toMatchObject({ ok: true, record: { fields: ['b', 'c'] } });
  });
});

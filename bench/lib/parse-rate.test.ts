import { describe, expect, it } from 'vitest';
import { splitCsvText } from './parse-rate.ts';

describe('splitCsvText', () => {
  it('splits plain fields on commas, keeping empty ones', () => {
    expect(splitCsvText('a,b,,c,')).toEqual(['a', 'b', '', 'c', '']);
  });

  it('keeps commas and doubled quotes inside a quoted field', () => {
    expect(splitCsvText('1,"TRUMP, DONALD J.","say ""hi""",x')).toEqual([
      '1',
      'TRUMP, DONALD J.',
      'say "hi"',
      'x',
    ]);
  });

  it('returns undefined while a quoted field is open, and splits once the next line closes it', () => {
    expect(splitCsvText('1,"two')).toBeUndefined();
    expect(splitCsvText('1,"two\nlines",3')).toEqual(['1', 'two\nlines', '3']);
  });

  it('ends on a quoted last field', () => {
    expect(splitCsvText('a,"b"')).toEqual(['a', 'b']);
  });
});

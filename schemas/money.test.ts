import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimal, DecimalString } from './money.ts';

describe('compareDecimal', () => {
  it('orders decimal strings exactly', () => {
    const cases: [string, string, -1 | 0 | 1][] = [
      ['1', '2', -1],
      ['10', '9', 1],
      ['1.5', '1.50', 0],
      ['-0', '0', 0],
      ['0.000', '-0.0', 0],
      ['-1', '1', -1],
      ['-2', '-10', 1],
      ['-1.25', '-1.2', -1],
      ['0.1', '0.09', 1],
      ['007', '7', 0],
      ['999999999999999.999999', '999999999999999.999998', 1],
      ['111111.00', '111111', 0],
    ];
    for (const [a, b, want] of cases) {
      expect(compareDecimal(a, b), `${a} vs ${b}`).toBe(want);
      expect(compareDecimal(b, a), `${b} vs ${a}`).toBe(want === 0 ? 0 : -want);
    }
  });

  it('distinguishes what a double cannot', () => {
    expect(Number('123456789012345.000001')).toBe(Number('123456789012345'));
    expect(compareDecimal('123456789012345.000001', '123456789012345')).toBe(1);
  });

  it('agrees with comparing the digits taken apart by split and replace', () => {
    // The straightforward version the index arithmetic replaced.
    const parts = (s: string) => {
      const negative = s.startsWith('-');
      const [i = '', f = ''] = (negative ? s.slice(1) : s).split('.');
      const int = i.replace(/^0+/, '');
      const frac = f.replace(/0+$/, '');
      return { sign: int === '' && frac === '' ? 0 : negative ? -1 : 1, int, frac };
    };
    const decimal = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^[0-9]{1,15}$/),
        fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
      )
      .map(([neg, i, f]) => `${neg ? '-' : ''}${i}${f === undefined ? '' : `.${f}`}`);
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const [x, y] = [parts(a), parts(b)];
        const want =
          x.sign !== y.sign
            ? Math.sign(x.sign - y.sign)
            : x.sign === 0
              ? 0
              : x.sign *
                Math.sign(
                  x.int.length !== y.int.length
                    ? x.int.length - y.int.length
                    : x.int !== y.int
                      ? x.int < y.int
                        ? -1
                        : 1
                      : (() => {
                          const n = Math.max(x.frac.length, y.frac.length);
                          const xf = x.frac.padEnd(n, '0');
                          const yf = y.frac.padEnd(n, '0');
                          return xf === yf ? 0 : xf < yf ? -1 : 1;
                        })(),
                );
        expect(compareDecimal(a, b) + 0).toBe(want + 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('throws on a string that is not a decimal', () => {
    for (const bad of ['1e3', '', '1.', '.5', 'NaN', '1,000'])
      expect(() => compareDecimal(bad, '0')).toThrow(RangeError);
  });
});

describe('DecimalString', () => {
  it('accepts decimal strings and rejects numbers and exponents', () => {
    for (const good of ['0', '-250.00', '47', '111111.00'])
      expect(DecimalString.safeParse(good).success).toBe(true);
    for (const bad of [47, 1.5, '1e3', '1,000', '+1', ' 1'])
      expect(DecimalString.safeParse(bad).success).toBe(false);
  });
});

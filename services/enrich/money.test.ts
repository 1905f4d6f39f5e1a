import { describe, expect, it } from 'vitest';
import {
  addDecimal,
  formatScaled,
  isPlainDecimal,
  multiplyDecimal,
  roundDecimal,
  toScaled,
} from './money.ts';

describe('roundDecimal', () => {
  it('pads to the scale and rounds half to even', () => {
    expect(roundDecimal('124999.5', 2)).toBe('124999.50');
    expect(roundDecimal('47', 2)).toBe('47.00');
    expect(roundDecimal('-250', 2)).toBe('-250.00');
    expect(roundDecimal('0.125', 2)).toBe('0.12');
    expect(roundDecimal('0.135', 2)).toBe('0.14');
    expect(roundDecimal('0.1251', 2)).toBe('0.13');
    expect(roundDecimal('-0.125', 2)).toBe('-0.12');
    expect(roundDecimal('-0.135', 2)).toBe('-0.14');
    expect(roundDecimal('-0.001', 2)).toBe('0.00');
    expect(roundDecimal('999999999999999.995', 2)).toBe('1000000000000000.00');
    expect(roundDecimal('1', 8)).toBe('1.00000000');
  });

  it('keeps digits a double would lose', () => {
    expect(roundDecimal('1234567890123456.785', 2)).toBe('1234567890123456.78');
    expect(Number('1234567890123456.785').toFixed(2)).not.toBe('1234567890123456.78');
  });

  it('throws a RangeError for what is not a decimal', () => {
    for (const bad of ['', '1e3', '1.', '.5', '+1', '1,000', 'abc']) {
      expect(isPlainDecimal(bad), bad).toBe(false);
      expect(() => roundDecimal(bad, 2), bad).toThrow(RangeError);
    }
  });
});

describe('scaled values', () => {
  it('round-trips through an integer count of the smallest unit', () => {
    expect(toScaled('12.34', 2)).toBe(1234n);
    expect(toScaled('-0.5', 3)).toBe(-500n);
    expect(formatScaled(-5n, 2)).toBe('-0.05');
    expect(formatScaled(0n, 2)).toBe('0.00');
    expect(formatScaled(7n, 0)).toBe('7');
  });

  it('adds exactly', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('0.63', '0.37')).toBe('1.00');
    expect(addDecimal('-25351.49', '100')).toBe('-25251.49');
  });
});

describe('multiplyDecimal', () => {
  it('multiplies exactly, then rounds once half to even to cents', () => {
    expect(multiplyDecimal('100', '1.10860000')).toBe('110.86');
    expect(multiplyDecimal('4120', '1.00000000')).toBe('4120.00');
    expect(multiplyDecimal('1000', '0.00695614')).toBe('6.96'); // 6.95614
    expect(multiplyDecimal('0.125', '1')).toBe('0.12');
    expect(multiplyDecimal('0.375', '1')).toBe('0.38');
    expect(multiplyDecimal('-47.005', '1')).toBe('-47.00');
    expect(multiplyDecimal('124999.5', '1.33256404')).toBe('166569.84'); // 166569.838...
    expect(multiplyDecimal('2', '0.5', 0)).toBe('1');
    expect(multiplyDecimal('3', '0.5', 0)).toBe('2');
  });
});

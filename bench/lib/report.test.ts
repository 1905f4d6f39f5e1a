import { describe, expect, it } from 'vitest';
import { atLeast, below, figureTable, table } from './report.ts';

describe('targets', () => {
  it('checks a value against its target, and says nothing without a value', () => {
    expect(atLeast(0.5, 0.5)).toBe(true);
    expect(atLeast(0.49, 0.5)).toBe(false);
    expect(below(99, 100)).toBe(true);
    expect(below(100, 100)).toBe(false);
    expect(atLeast(null, 1)).toBeUndefined();
    expect(below(Number.NaN, 1)).toBeUndefined();
  });
});

describe('table', () => {
  it('pads columns to their widest cell', () => {
    expect(table(['a', 'bb'], [['xxx', 'y']])).toBe('a    bb\n---  --\nxxx  y');
  });

  it('marks a miss in capitals and a figure without target with nothing', () => {
    const text = figureTable([
      { measure: 'ratio', value: 0.1, target: '≥ 0.5', pass: false },
      { measure: 'rate', value: 1234, unit: 'events/s' },
    ]);
    expect(text).toContain('MISS');
    expect(text).toContain('1,234 events/s');
    expect(text).not.toContain('pass');
  });
});

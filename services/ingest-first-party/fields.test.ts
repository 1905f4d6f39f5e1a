import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldError, instantOf } from './fields.ts';

/** instantOf before its shortcut for canonical instants: the reference it must agree with. */
function reference(v: string, key: string): string {
  const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  const INSTANT =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|z|[+-]\d{2}:?\d{2})$/;
  const realDate = (y: number, m: number, d: number): boolean => {
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  };
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const iso = (y: number, m: number, d: number): string => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
  const d = DATE.exec(v);
  if (d) {
    const [y, mo, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    if (realDate(y, mo, day)) return `${iso(y, mo, day)}T00:00:00Z`;
  }
  const m = INSTANT.exec(v);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) throw new FieldError(`${key} no zone`);
    throw new FieldError(`${key} not an instant`);
  }
  const num = (i: number): number => Number(m[i] ?? 0);
  const [y, mo, day, h, mi, s] = [num(1), num(2), num(3), num(4), num(5), num(6)];
  if (!realDate(y, mo, day) || h > 23 || mi > 59 || s > 59) throw new FieldError(`${key} not real`);
  const zone = (m[8] ?? 'Z').toUpperCase();
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(
    `${iso(y, mo, day)}T${pad(h)}:${pad(mi)}:${pad(s)}${(m[7] ?? '').slice(0, 4)}${offset}`,
  );
  if (Number.isNaN(ms)) throw new FieldError(`${key} not an instant`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const outcome = (f: () => string): string => {
  try {
    return f();
  } catch (err) {
    return err instanceof FieldError ? 'FieldError' : 'other';
  }
};

describe('instantOf', () => {
  it('gives what the full parse gives, canonical instants included', () => {
    const n = (max: number, width = 2) =>
      fc.integer({ min: 0, max }).map((x) => String(x).padStart(width, '0'));
    const canonical = fc
      .tuple(n(9999, 4), n(13), n(32), n(25), n(61), n(61))
      .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    fc.assert(
      fc.property(fc.oneof(canonical, fc.string({ maxLength: 24 })), (v) => {
        expect(outcome(() => instantOf(v, 'k'))).toBe(outcome(() => reference(v, 'k')));
      }),
      { numRuns: 20000 },
    );
    expect(instantOf('2024-10-19T14:03:00Z', 'k')).toBe('2024-10-19T14:03:00Z');
    expect(() => instantOf('2024-02-30T14:03:00Z', 'k')).toThrow(FieldError);
    expect(() => instantOf('0024-01-01T00:00:00Z', 'k')).toThrow(FieldError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventId } from '../event-id.ts';
import { RecentIds } from './recent-ids.ts';

/** The rule RecentIds keeps, written plainly: the last `limit` distinct ids added. */
class ReferenceIds {
  private readonly order: string[] = [];
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  has(id: string): boolean {
    return this.order.includes(id);
  }
  add(id: string): void {
    if (this.has(id)) return;
    this.order.push(id);
    if (this.order.length > this.limit) this.order.shift();
  }
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

describe('RecentIds', () => {
  it('remembers the last `limit` ids and forgets the oldest first', () => {
    const ids = ['a', 'b', 'c', 'd'].map((s) => eventId('test', s, 1));
    const [a, b, c, d] = ids as [string, string, string, string];
    const seen = new RecentIds(2);
    seen.add(a);
    seen.add(b);
    expect([seen.has(a), seen.has(b), seen.has(c)]).toEqual([true, true, false]);
    seen.add(c);
    expect([seen.has(a), seen.has(b), seen.has(c)]).toEqual([false, true, true]);
    seen.add(b); // already there: does not move, so it is still the oldest
    seen.add(d);
    expect([seen.has(b), seen.has(c), seen.has(d)]).toEqual([false, true, true]);
    expect(seen.count).toBe(2);
  });

  it('agrees with the plain rule after every step, including ids that collide in the table', () => {
    // 64 ids over a few buckets: long probe runs and wrap-arounds, which the deletion must keep
    // intact. After each add, every id of the universe is looked up.
    const universe = Array.from(
      { length: 64 },
      (_, i) => `${hex((i % 8) * 0x01000001)}${hex((i >> 3) % 2)}${hex(0xffffffff)}${hex(i >> 4)}`,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 0, max: universe.length - 1 }), { maxLength: 120 }),
        (limit, adds) => {
          const seen = new RecentIds(limit);
          const ref = new ReferenceIds(limit);
          for (const i of adds) {
            seen.add(universe[i] as string);
            ref.add(universe[i] as string);
            for (const x of universe) expect(seen.has(x)).toBe(ref.has(x));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps exactly the last `limit` of many real event ids', () => {
    const seen = new RecentIds(1000);
    const ids = Array.from({ length: 5000 }, (_, i) => eventId('test', String(i), 1));
    for (const x of ids) seen.add(x);
    expect(ids.slice(0, 4000).some((x) => seen.has(x))).toBe(false);
    expect(ids.slice(4000).every((x) => seen.has(x))).toBe(true);
  });

  it('refuses what is not an event id, saying what it expected', () => {
    const seen = new RecentIds(4);
    expect(() => seen.add('ABCDEF0123456789abcdef0123456789')).toThrow(/32 lowercase hex digits/);
    expect(() => seen.has('a')).toThrow(/not an event id/);
  });
});

/**
 * Seeded choices for the bench's data, so two runs with the same sizes produce the same events and
 * rows (and compare on the same work). The generator is the tests' (test/helpers/random.ts).
 */
export { prng as seeded } from '../../test/helpers/random.ts';

/** One element of a non-empty list, uniformly. */
export function pick<T>(next: () => number, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** An integer in [min, max]. */
export function between(next: () => number, min: number, max: number): number {
  return min + Math.floor(next() * (max - min + 1));
}

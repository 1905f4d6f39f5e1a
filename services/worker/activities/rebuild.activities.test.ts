import { describe, expect, it } from 'vitest';
import { replayRanges } from './rebuild.activities.ts';

const partitions = [
  { partition: 0, low: '0', high: '100' },
  { partition: 1, low: '40', high: '50' },
  { partition: 2, low: '7', high: '7' },
];

describe('replayRanges', () => {
  it('replays every kept message without a time range (a rebuild)', () => {
    expect(replayRanges(partitions)).toEqual(
      new Map([
        [0, { start: 0n, end: 100n }],
        [1, { start: 40n, end: 50n }],
      ]),
    );
  });

  it('starts at the first message at --from and stops before the first at --to', () => {
    const from = new Map([
      [0, 30n],
      [1, 50n], // nothing that late: the high-water mark
      [2, 7n],
    ]);
    const to = new Map([
      [0, 60n],
      [1, 50n],
      [2, 7n],
    ]);
    expect(replayRanges(partitions, from, to)).toEqual(new Map([[0, { start: 30n, end: 60n }]]));
  });

  it('never starts before the earliest kept offset nor ends past the current end', () => {
    expect(replayRanges(partitions, new Map([[1, 10n]]), new Map([[1, 90n]])).get(1)).toEqual({
      start: 40n,
      end: 50n,
    });
  });
});

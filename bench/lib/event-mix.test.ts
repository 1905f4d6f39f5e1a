import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../schemas/topics.ts';
import { AMERICA_PAC, createEventMix } from './event-mix.ts';

const at = new Date('2026-01-02T03:04:05Z');

describe('createEventMix', () => {
  it('gives valid events of every type, with distinct ids, on their raw topics', () => {
    const mix = createEventMix({ tag: '12345678', sponsors: 20, ingestedAt: at });
    const ids = new Set<string>();
    const sponsors = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const m = mix.next();
      const e = JSON.parse(m.value) as { event_id: string; type: string; source: string };
      expect(m.topic).toBe(`influence.raw.${m.type}.v1`);
      expect(e.type).toBe(m.type);
      expect(e.source).toBe('bench:12345678');
      ids.add(e.event_id);
      if (m.type === 'donation') sponsors.add(m.key);
    }
    expect(ids.size).toBe(3000);
    for (const t of EVENT_TYPES) expect(mix.counts[t], t).toBeGreaterThan(0);
    expect(sponsors.has(AMERICA_PAC)).toBe(true);
    expect(sponsors.size).toBeGreaterThan(10);
  });

  it('is deterministic for a tag and seed, and another tag gives other ids', () => {
    const take = (tag: string) => {
      const mix = createEventMix({ tag, sponsors: 5, ingestedAt: at, seed: 3 });
      return Array.from({ length: 200 }, () => mix.next().value);
    };
    expect(take('1')).toEqual(take('1'));
    const other = new Set(take('2').map((v) => (JSON.parse(v) as { event_id: string }).event_id));
    for (const v of take('1'))
      expect(other.has((JSON.parse(v) as { event_id: string }).event_id)).toBe(false);
  });

  it('refuses a tag that is not digits (it goes into numeric ids)', () => {
    expect(() => createEventMix({ tag: 'abc', sponsors: 1 })).toThrow(/digits/);
  });
});

import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SOURCES } from './index.ts';
import { FIXTURES, importAds, SHARED_DATA, tempDir, writeFile } from './testing.ts';

const dir = tempDir('ads-garbage-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Flips, drops and inserts bytes (quotes, commas, newlines, braces, invalid UTF-8). */
function mangle(data: Buffer, rnd: () => number): Buffer {
  const out = Buffer.from(data);
  const specials = [0x22, 0x2c, 0x0a, 0x0d, 0x7b, 0x7d, 0x5b, 0x5d, 0xff, 0xc3, 0x00];
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * out.length);
    out[at] = specials[Math.floor(rnd() * specials.length)] ?? 0;
  }
  return out.subarray(0, Math.floor(out.length * (0.5 + rnd() / 2)));
}

const INPUTS: Record<string, string> = {
  snap: path.join(FIXTURES, 'snap', 'snap_political_ads_34col_snapshot_2024-07-20.csv'),
  'meta-ads': path.join(FIXTURES, 'meta', 'ads_archive_page1.json'),
  'meta-report': path.join(
    SHARED_DATA,
    'meta',
    'report_TH',
    'FacebookAdLibraryReport_2022-11-18_TH_yesterday_advertisers.csv',
  ),
  'google-ads': path.join(FIXTURES, 'google', 'google-political-ads-creative-stats.csv'),
};

describe('garbage in: every source keeps read = published + dead-lettered + duplicates and never throws', () => {
  for (const source of SOURCES) {
    it(source.name, async () => {
      const input = INPUTS[source.name];
      if (!input) throw new Error(`no garbage input for ${source.name}`);
      const original = readFileSync(input);
      let published = 0;
      for (let seed = 1; seed <= 25; seed++) {
        // Report rows need a report file name (date, country, period); `Seed<n>` is the region.
        const name =
          source.name === 'meta-report'
            ? `FacebookAdLibraryReport_2022-11-18_TH_yesterday_Seed${seed}.csv`
            : `${source.name}-${seed}${path.extname(input)}`;
        const file = writeFile(dir, name, mangle(original, prng(seed)));
        const { summary } = await importAds(source, [file]);
        expect(summary.inputs[0]?.error).toBeUndefined();
        expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
        published += summary.published;
      }
      // The mangling leaves some rows intact: the parsers are exercised, not just the readers.
      if (source.name !== 'meta-ads') expect(published).toBeGreaterThan(0);
    });
  }
});

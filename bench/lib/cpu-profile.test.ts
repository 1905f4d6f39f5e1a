import { describe, expect, it } from 'vitest';
import { areaOf, summarizeProfileData, type CpuProfile } from './cpu-profile.ts';

describe('areaOf', () => {
  it('names a package, a scoped package, a folder of the repository, Node and native code', () => {
    expect(areaOf('file:///srv/influence-ledger/node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(areaOf('file:///srv/influence-ledger/node_modules/@temporalio/worker/lib/worker.js')).toBe(
      '@temporalio/worker',
    );
    expect(areaOf('file:///srv/influence-ledger/services/enrich/rows/ad.ts')).toBe('services/enrich');
    expect(areaOf('file:///srv/influence-ledger/schemas/envelope.ts')).toBe('schemas');
    expect(areaOf('node:internal/timers')).toBe('(node)');
    expect(areaOf('')).toBe('(native, gc, program)');
  });
});

describe('summarizeProfileData', () => {
  const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 2_000_000,
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), hitCount: 0 },
      { id: 2, callFrame: frame('(idle)', ''), hitCount: 60 },
      { id: 3, callFrame: frame('parse', 'file:///r/node_modules/zod/x.js'), hitCount: 30 },
      { id: 4, callFrame: frame('enrich', 'file:///r/services/enrich/index.ts'), hitCount: 10 },
    ],
  };

  it('leaves idle samples out of the shares and reports how busy the thread was', () => {
    const s = summarizeProfileData(profile, 'p.cpuprofile');
    expect(s.samples).toBe(100);
    expect(s.seconds).toBe(2);
    expect(s.busy_pct).toBe(40);
    expect(s.areas).toEqual([
      { name: 'zod', pct: 75 },
      { name: 'services/enrich', pct: 25 },
    ]);
    expect(s.functions[0]).toEqual({ name: 'parse x.js:10', pct: 75 });
  });
});

import { describe, expect, it } from 'vitest';
import { diffCorrelations, type CandidateRow } from './correlate.activities.ts';

const candidate = (id: string, detail = '{"a":1}'): CandidateRow => ({
  correlation_id: id,
  sponsor_id: 'C00879510',
  subject: 'Harris',
  detail,
  source_event_ids: [`e-${id}`],
});

describe('diffCorrelations', () => {
  it('writes new correlations and nothing when a recomputation finds the same', () => {
    const first = diffCorrelations([candidate('a'), candidate('b')], []);
    expect(first.changed.map((r) => r.correlation_id)).toEqual(['a', 'b']);
    expect(first.retracted).toEqual([]);
    const stored = [candidate('a'), candidate('b')].map((r) => ({ ...r, is_deleted: 0 }));
    expect(diffCorrelations([candidate('a'), candidate('b')], stored)).toEqual({
      changed: [],
      retracted: [],
    });
  });

  it('rewrites a correlation whose detail changed and retracts one that no longer holds', () => {
    const stored = [
      { correlation_id: 'a', detail: '{"a":1}', is_deleted: 0 },
      { correlation_id: 'b', detail: '{"a":1}', is_deleted: 0 },
    ];
    const d = diffCorrelations([candidate('a', '{"a":2}')], stored);
    expect(d.changed.map((r) => [r.correlation_id, r.detail])).toEqual([['a', '{"a":2}']]);
    expect(d.retracted.map((r) => r.correlation_id)).toEqual(['b']);
  });

  it('brings back a correlation that was retracted, and does not retract it twice', () => {
    const stored = [{ correlation_id: 'a', detail: '{"a":1}', is_deleted: 1 }];
    expect(diffCorrelations([candidate('a')], stored).changed).toHaveLength(1);
    expect(diffCorrelations([], stored).retracted).toEqual([]);
  });
});

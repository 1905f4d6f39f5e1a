import { describe, expect, it } from 'vitest';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { headersToStrings, toDlqRecord, type DeadLetter } from './dlq.ts';

const NOW = new Date('2024-10-20T08:30:00.123Z');

function letter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    reason: 'schema_invalid',
    detail: '[{"path":["payload","amount"]}]',
    step: 'bridge:decode',
    source: 'influence.raw.donation.v1',
    position: '42',
    partition: 2,
    key: 'C00879510',
    headers: { trace: 'abc' },
    raw: Buffer.from('{"not":"valid"}'),
    ...overrides,
  };
}

/** Deterministic pseudo-random bytes (LCG), so a failure is reproducible. */
function bytes(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe('toDlqRecord', () => {
  it('builds a valid DlqRecordV1 keeping key, headers, position and adding service and time', () => {
    const record = toDlqRecord(letter(), 'bridge', NOW);
    expect(DlqRecordV1.parse(record)).toEqual(record);
    expect(record).toEqual({
      schema_version: 1,
      reason: 'schema_invalid',
      detail: '[{"path":["payload","amount"]}]',
      step: 'bridge:decode',
      service: 'bridge',
      source: 'influence.raw.donation.v1',
      position: '42',
      source_partition: 2,
      original_key: 'C00879510',
      original_headers: { trace: 'abc' },
      raw_base64: Buffer.from('{"not":"valid"}').toString('base64'),
      raw_sealed: false,
      failed_at: '2024-10-20T08:30:00.123Z',
    });
  });

  it('fills absent Kafka fields with null and {}, still valid', () => {
    const {
      partition: _p,
      key: _k,
      headers: _h,
      ...fileLetter
    } = letter({
      source: 'file:itcont.txt',
      position: null,
    });
    const record = DlqRecordV1.parse(toDlqRecord(fileLetter, 'import', NOW));
    expect(record.source_partition).toBeNull();
    expect(record.original_key).toBeNull();
    expect(record.original_headers).toEqual({});
    expect(record.position).toBeNull();
  });

  it('takes the current time by default', () => {
    const before = Date.now();
    const record = toDlqRecord(letter(), 'bridge');
    const at = Date.parse(record.failed_at);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('round-trips arbitrary raw bytes through base64 exactly (seeded)', () => {
    for (const [seed, length] of [
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 255],
      [6, 4096],
      [7, 65_537],
    ] as const) {
      const raw = bytes(seed, length);
      const record = DlqRecordV1.parse(toDlqRecord(letter({ raw }), 'bridge', NOW));
      expect(Buffer.compare(Buffer.from(record.raw_base64, 'base64'), raw), `length ${length}`).toBe(0);
      expect(record.raw_base64).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
    }
  });

  it('keeps a detail up to the schema limit and truncates a longer one so it still validates', () => {
    const atLimit = 'd'.repeat(16_384);
    expect(toDlqRecord(letter({ detail: atLimit }), 'bridge', NOW).detail).toBe(atLimit);

    const long = `${'x'.repeat(16_380)}TAIL${'y'.repeat(10_000)}`;
    const record = DlqRecordV1.parse(toDlqRecord(letter({ detail: long }), 'bridge', NOW));
    expect(record.detail.length).toBeLessThanOrEqual(16_384);
    expect(record.detail.endsWith('…')).toBe(true);
    expect(record.detail.startsWith('x'.repeat(16_380))).toBe(true);
    expect(record.detail).not.toContain('TAIL');

    const justOver = 'z'.repeat(16_385);
    expect(DlqRecordV1.safeParse(toDlqRecord(letter({ detail: justOver }), 'bridge', NOW)).success).toBe(
      true,
    );
  });

  it('produces a record the schema accepts for every reason', () => {
    for (const reason of DlqRecordV1.shape.reason.options) {
      expect(DlqRecordV1.safeParse(toDlqRecord(letter({ reason }), 'svc', NOW)).success, reason).toBe(true);
    }
  });
});

describe('headersToStrings', () => {
  it('turns Kafka header values into strings, joining arrays and dropping undefined', () => {
    expect(
      headersToStrings({
        a: Buffer.from('alpha'),
        b: 'beta',
        c: [Buffer.from('x'), 'y'],
        d: undefined,
      }),
    ).toEqual({ a: 'alpha', b: 'beta', c: 'x,y' });
    expect(headersToStrings(undefined)).toEqual({});
  });
});

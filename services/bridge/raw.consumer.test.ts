import { describe, expect, it } from 'vitest';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { rawTopic } from '../../schemas/topics.ts';
import { toDlqRecord } from '../shared/dlq.ts';
import { eventId } from '../shared/event-id.ts';
import { chunkMessages, decodeRawMessage } from './raw.consumer.ts';

const TOPIC = rawTopic('donation');

function message(
  value: Buffer | null,
  offset: string,
  extra: { key?: Buffer | null; headers?: IHeaders } = {},
): KafkaMessage {
  return {
    key: extra.key === undefined ? Buffer.from('C00879510') : extra.key,
    value,
    timestamp: '1729346400000',
    attributes: 0,
    offset,
    headers: extra.headers ?? {},
  };
}

function sized(bytes: number, offset: number): KafkaMessage {
  return message(Buffer.alloc(bytes, 0x61), String(offset));
}

/** A valid donation envelope, built as the ingest endpoint builds one. */
function donationEnvelope(overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) {
  const source = 'fec:itcont';
  const sourceRecordId = 'SA11AI.4123';
  return {
    event_id: eventId(source, sourceRecordId, 1),
    type: 'donation',
    schema_version: 1,
    source,
    source_record_id: sourceRecordId,
    occurred_at: '2024-10-19T14:00:00Z',
    ingested_at: '2024-10-20T08:30:15.250+02:00',
    payload: {
      committee_id: 'C00879510',
      contributor_name: 'DOE, JANE',
      contributor_state: 'PA',
      amount: '250.00',
      contributed_on: '2024-10-19',
      ...payload,
    },
    ...overrides,
  };
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

describe('chunkMessages', () => {
  it('returns no chunk for no messages', () => {
    expect(chunkMessages([], 10, 1000)).toEqual([]);
  });

  it('bounds chunks by count, keeping offset order', () => {
    const msgs = Array.from({ length: 7 }, (_, i) => sized(1, i));
    const chunks = chunkMessages(msgs, 3, 1_000_000);
    expect(chunks.map((c) => c.map((m) => m.offset))).toEqual([['0', '1', '2'], ['3', '4', '5'], ['6']]);
  });

  it('bounds chunks by bytes, counting only message values', () => {
    const msgs = [sized(40, 0), sized(40, 1), sized(30, 2), sized(100, 3), sized(1, 4)];
    const chunks = chunkMessages(msgs, 100, 100);
    expect(chunks.map((c) => c.map((m) => m.offset))).toEqual([['0', '1'], ['2'], ['3'], ['4']]);
    for (const c of chunks) {
      const bytes = c.reduce((n, m) => n + (m.value?.length ?? 0), 0);
      expect(bytes <= 100 || c.length === 1).toBe(true);
    }
  });

  it('puts a message larger than the byte bound in a chunk of its own', () => {
    const chunks = chunkMessages([sized(10, 0), sized(500, 1), sized(10, 2)], 10, 100);
    expect(chunks.map((c) => c.map((m) => m.offset))).toEqual([['0'], ['1'], ['2']]);
  });

  it('counts a tombstone (null value) as zero bytes', () => {
    const chunks = chunkMessages([sized(100, 0), message(null, '1'), sized(1, 2)], 10, 100);
    expect(chunks.map((c) => c.map((m) => m.offset))).toEqual([['0', '1'], ['2']]);
  });

  it('loses and duplicates nothing (seeded sizes)', () => {
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round++) {
      const msgs = Array.from({ length: Math.floor(next() * 60) }, (_, i) =>
        sized(Math.floor(next() * 300), i),
      );
      const maxEvents = 1 + Math.floor(next() * 10);
      const maxBytes = 1 + Math.floor(next() * 600);
      const chunks = chunkMessages(msgs, maxEvents, maxBytes);
      expect(chunks.flat()).toEqual(msgs);
      for (const c of chunks) {
        expect(c.length).toBeGreaterThan(0);
        expect(c.length).toBeLessThanOrEqual(maxEvents);
        const bytes = c.reduce((n, m) => n + (m.value?.length ?? 0), 0);
        expect(bytes <= maxBytes || c.length === 1).toBe(true);
      }
    }
  });
});

describe('decodeRawMessage', () => {
  it('turns a valid donation envelope into a raw_events row with ClickHouse times', () => {
    const env = donationEnvelope();
    const d = decodeRawMessage(TOPIC, 2, message(json(env), '41'));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.row).toEqual({
      event_id: env.event_id,
      type: 'donation',
      schema_version: 1,
      source: 'fec:itcont',
      source_record_id: 'SA11AI.4123',
      occurred_at: '2024-10-19 14:00:00.000',
      // +02:00 converted to UTC.
      ingested_at: '2024-10-20 06:30:15.250',
      payload: expect.any(String) as string,
      kafka_topic: TOPIC,
      kafka_partition: 2,
      kafka_offset: '41',
      workflow_id: '',
    });
    expect(d.row.event_id).toMatch(/^[0-9a-f]{32}$/);
    // The payload is the validated one, with the schema's defaults filled in.
    expect(JSON.parse(d.row.payload)).toEqual({ ...env.payload, currency: 'USD', memo: false });
  });

  it('dead-letters bytes that are not JSON as parse_error, keeping everything about the message', () => {
    const raw = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x0a]);
    const d = decodeRawMessage(
      TOPIC,
      1,
      message(raw, '9007199254740993', {
        key: Buffer.from('C00000042'),
        headers: {
          'content-type': Buffer.from('application/json'),
          trace: 'abc',
          multi: ['x', Buffer.from('y')],
        },
      }),
    );
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.letter).toMatchObject({
      reason: 'parse_error',
      step: 'bridge:decode',
      source: TOPIC,
      position: '9007199254740993',
      partition: 1,
      key: 'C00000042',
      headers: { 'content-type': 'application/json', trace: 'abc', multi: 'x,y' },
    });
    expect(d.letter.detail).toMatch(/^not JSON: /);
    expect(Buffer.compare(d.letter.raw, raw)).toBe(0);
    // And the DLQ record built from it is valid and keeps the exact bytes.
    const record = DlqRecordV1.parse(toDlqRecord(d.letter, 'bridge'));
    expect(Buffer.from(record.raw_base64, 'base64')).toEqual(raw);
    expect(record.source_partition).toBe(1);
    expect(record.original_key).toBe('C00000042');
  });

  it('dead-letters a tombstone (no value) as parse_error with a null key kept null', () => {
    const d = decodeRawMessage(TOPIC, 0, message(null, '3', { key: null }));
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.letter.reason).toBe('parse_error');
    expect(d.letter.key).toBeNull();
    expect(d.letter.raw).toHaveLength(0);
  });

  it('dead-letters JSON that is not an envelope as schema_invalid', () => {
    for (const value of [json([1, 2]), json('donation'), json(null), json({})]) {
      const d = decodeRawMessage(TOPIC, 0, message(value, '5'));
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.letter.reason).toBe('schema_invalid');
    }
  });

  it('dead-letters an envelope with a bad payload as schema_invalid, naming the field', () => {
    const env = donationEnvelope({}, { committee_id: 'nope', amount: 250 });
    const d = decodeRawMessage(TOPIC, 0, message(json(env), '6'));
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.letter.reason).toBe('schema_invalid');
    const issues = JSON.parse(d.letter.detail) as { path: unknown[] }[];
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ['payload', 'committee_id'],
        ['payload', 'amount'],
      ]),
    );
  });

  it('dead-letters an envelope with a bad head as schema_invalid', () => {
    for (const overrides of [
      { event_id: 'not-hex' },
      { schema_version: 2 },
      { occurred_at: '2024-10-19 14:00:00' },
      { type: 'bribe' },
    ]) {
      const d = decodeRawMessage(TOPIC, 0, message(json(donationEnvelope(overrides)), '7'));
      expect(d.ok, JSON.stringify(overrides)).toBe(false);
      if (!d.ok) expect(d.letter.reason).toBe('schema_invalid');
    }
  });

  it('dead-letters an event whose payload does not fit its type as schema_invalid', () => {
    const env = { ...donationEnvelope({ type: 'payout' }), payload: { anything: true } };
    const d = decodeRawMessage(rawTopic('payout'), 0, message(json(env), '8'));
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.letter.reason).toBe('schema_invalid');
    expect(d.letter.detail).toContain('payer_committee_id');
    expect(d.letter.source).toBe(rawTopic('payout'));
  });

  it('dead-letters an unknown event type as schema_invalid at the envelope', () => {
    const env = { ...donationEnvelope({ type: 'rumour' }) };
    const d = decodeRawMessage(rawTopic('payout'), 0, message(json(env), '9'));
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.letter.reason).toBe('schema_invalid');
    expect(d.letter.detail).toContain('type');
  });
});

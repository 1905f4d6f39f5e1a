import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { toDlqRecord } from '../shared/dlq.ts';
import { dlqRow } from './dlq.consumer.ts';

function message(value: string, offset = '7'): KafkaMessage {
  const m: KafkaMessage = {
    key: Buffer.from('k'),
    value: Buffer.from(value),
    offset,
    timestamp: String(Date.UTC(2024, 9, 19, 12)),
    attributes: 0,
    headers: {},
  };
  return m;
}

describe('dlqRow', () => {
  it('copies reason, source, position and the size of the raw bytes of a DLQ record', () => {
    const record = toDlqRecord(
      {
        reason: 'schema_invalid',
        detail: 'amount: expected a decimal',
        step: 'import:fec-itcont',
        source: 'itcont.txt',
        position: '42',
        raw: Buffer.from('C00879510|N|...'),
      },
      'cli',
      new Date('2024-10-19T12:00:00.000Z'),
    );
    const row = dlqRow(0, message(JSON.stringify(record)));
    expect(row).toMatchObject({
      dlq_partition: 0,
      dlq_offset: '7',
      reason: 'schema_invalid',
      step: 'import:fec-itcont',
      service: 'cli',
      source: 'itcont.txt',
      position: '42',
      raw_sealed: false,
      raw_bytes: 15,
      dead_lettered_at: '2024-10-19 12:00:00.000',
    });
  });

  it('keeps a message that is not a DLQ record, so the count still adds up', () => {
    const row = dlqRow(0, message('not json', '8'));
    expect(row.reason).toBe('unreadable_dead_letter');
    expect(row.dlq_offset).toBe('8');
    expect(row.raw_bytes).toBe(8);
  });
});

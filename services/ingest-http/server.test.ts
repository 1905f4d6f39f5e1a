import { describe, expect, it } from 'vitest';
import { DonationV1 } from '../../schemas/events/donation.ts';
import { rawTopic } from '../../schemas/topics.ts';
import { eventId } from '../shared/event-id.ts';
import { validateSubmission, type Validation } from './server.ts';

const NOW = new Date('2024-10-20T08:30:00.000Z');

function submission(overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) {
  return {
    source: 'webhook:actblue',
    source_record_id: 'AB-0001',
    occurred_at: '2024-10-19T14:00:00-04:00',
    payload: {
      committee_id: 'C00879510',
      contributor_name: 'DOE, JANE',
      amount: '47',
      contributed_on: '2024-10-19',
      ...payload,
    },
    ...overrides,
  };
}

const body = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');

function accepted(v: Validation): Extract<Validation, { ok: true }> {
  if (!v.ok) throw new Error(`expected acceptance, got ${v.reason}: ${v.detail}`);
  return v;
}

function rejected(v: Validation): Extract<Validation, { ok: false }> {
  if (v.ok) throw new Error(`expected rejection, got event ${v.eventId}`);
  return v;
}

describe('validateSubmission', () => {
  it('completes a valid donation into an envelope for the raw topic, keyed by committee', () => {
    const v = accepted(validateSubmission('donation', body(submission()), NOW));
    expect(v.topic).toBe(rawTopic('donation'));
    expect(v.key).toBe('C00879510');
    expect(v.eventId).toBe(eventId('webhook:actblue', 'AB-0001', 1));
    const event = DonationV1.parse(JSON.parse(v.value));
    expect(event).toEqual({
      event_id: v.eventId,
      type: 'donation',
      schema_version: 1,
      source: 'webhook:actblue',
      source_record_id: 'AB-0001',
      occurred_at: '2024-10-19T14:00:00-04:00',
      ingested_at: '2024-10-20T08:30:00.000Z',
      payload: {
        committee_id: 'C00879510',
        contributor_name: 'DOE, JANE',
        amount: '47',
        currency: 'USD',
        contributed_on: '2024-10-19',
        memo: false,
      },
    });
  });

  it('gives the same event_id to the same source record, whatever else differs', () => {
    const a = accepted(validateSubmission('donation', body(submission()), NOW));
    const b = accepted(
      validateSubmission(
        'donation',
        body(submission({ occurred_at: '2024-10-18T00:00:00Z' }, { amount: '1.00' })),
        new Date('2025-01-01T00:00:00Z'),
      ),
    );
    expect(b.eventId).toBe(a.eventId);
  });

  it('gives another event_id to another record id or another source', () => {
    const base = accepted(validateSubmission('donation', body(submission()), NOW)).eventId;
    const otherId = accepted(
      validateSubmission('donation', body(submission({ source_record_id: 'AB-0002' })), NOW),
    ).eventId;
    const otherSource = accepted(
      validateSubmission('donation', body(submission({ source: 'webhook:winred' })), NOW),
    ).eventId;
    expect(new Set([base, otherId, otherSource]).size).toBe(3);
  });

  it('keys each donation by its own committee', () => {
    const v = accepted(
      validateSubmission('donation', body(submission({}, { committee_id: 'C00000001' })), NOW),
    );
    expect(v.key).toBe('C00000001');
  });

  it('rejects an unknown type as unknown_type, listing the known ones', () => {
    const v = rejected(validateSubmission('bribe', body(submission()), NOW));
    expect(v.reason).toBe('unknown_type');
    expect(v.detail).toContain('bribe');
    expect(v.detail).toContain('donation');
  });

  it('validates each type against its own schema: a donation payload is not a payout', () => {
    const v = rejected(validateSubmission('payout', body(submission()), NOW));
    expect(v.reason).toBe('schema_invalid');
    expect(v.detail).toContain('payer_committee_id');
  });

  it('rejects a body that is not UTF-8 as parse_error, even when it would decode leniently', () => {
    const text = JSON.stringify(submission({}, { contributor_name: 'X' }));
    // Replace the name's "X" with a lone 0xFF byte: invalid UTF-8 inside an otherwise valid JSON.
    const raw = Buffer.from(text, 'utf8');
    raw[raw.indexOf('"X"') + 1] = 0xff;
    const v = rejected(validateSubmission('donation', raw, NOW));
    expect(v.reason).toBe('parse_error');
    expect(v.detail).toMatch(/^body is not UTF-8 JSON: /);
  });

  it('rejects a body that is not JSON as parse_error', () => {
    for (const raw of [Buffer.from('{"source":'), Buffer.alloc(0), Buffer.from('source=x')]) {
      expect(rejected(validateSubmission('donation', raw, NOW)).reason).toBe('parse_error');
    }
  });

  it('rejects a bad submission as schema_invalid with the zod path', () => {
    const v = rejected(validateSubmission('donation', body(submission({ occurred_at: 'yesterday' })), NOW));
    expect(v.reason).toBe('schema_invalid');
    const issues = JSON.parse(v.detail) as { path: unknown[] }[];
    expect(issues.map((i) => i.path)).toEqual([['occurred_at']]);
  });

  it('rejects a bad payload as schema_invalid with the zod path into the payload', () => {
    const v = rejected(
      validateSubmission(
        'donation',
        body(submission({}, { committee_id: 'C123', amount: 47, surprise: 'field' })),
        NOW,
      ),
    );
    expect(v.reason).toBe('schema_invalid');
    const issues = JSON.parse(v.detail) as { path: unknown[]; code: string }[];
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ['payload', 'committee_id'],
        ['payload', 'amount'],
      ]),
    );
    // The payload is strict: an unknown field is an issue too.
    expect(issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });

  it('rejects a submission with no source record id as schema_invalid', () => {
    const v = rejected(validateSubmission('donation', body(submission({ source_record_id: '' })), NOW));
    expect(v.reason).toBe('schema_invalid');
    expect(v.detail).toContain('source_record_id');
  });
});

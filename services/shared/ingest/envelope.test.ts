import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DonationPayloadV1, SignupPayloadV1 } from '../../../schemas/events/index.ts';
import type { EventType } from '../../../schemas/topics.ts';
import { eventId } from '../event-id.ts';
import { createPseudonymizer } from '../pseudonym.ts';
import { completeEvent, completeEventWhole, type CompletableRecord } from './envelope.ts';

const pseudonym = createPseudonymizer(Buffer.alloc(32, 3));

const signup = {
  petition_id: 'america-pac-petition',
  signed_at: '2024-10-19T14:03:00Z',
  signer: pseudonym('email', 'jane@example.com'),
  referrer: null,
  state: 'PA',
  zip5: '19103',
  phone_provided: false,
  phones_collected: 0,
  email_provided: true,
  channel: 'sms',
};

// Keys out of schema order and defaults left out: the output must still be the schema's.
const donation = {
  amount: '47.00',
  committee_id: 'C00879510',
  contributor_name: 'DOE, JANE',
  contributed_on: '2024-10-19',
  fec_sub_id: '4123456789012345678',
};

const base: Record<
  'signup' | 'donation',
  { source_record_id: string; occurred_at: string; payload: unknown }
> = {
  signup: {
    source_record_id: 'america-pac-petition:1',
    occurred_at: '2024-10-19T14:03:00Z',
    payload: signup,
  },
  donation: {
    source_record_id: '4123456789012345678',
    occurred_at: '2024-10-19T00:00:00Z',
    payload: donation,
  },
};

/** The reference: the envelope schema run whole. */
function whole(source: string, type: EventType, record: CompletableRecord, at: Date) {
  return completeEventWhole(source, type, record, at, eventId(source, record.source_record_id, 1));
}

const text = fc.oneof(
  fc.constantFrom('', 'x', 'PA', 'C00879510', '2024-10-19', '2024-10-19T14:03:00Z', '47.00', '"q"\n'),
  fc.string({ maxLength: 20 }),
);
const anyValue = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));

describe('completeEvent', () => {
  it('gives the bytes of the envelope schema for valid records', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    for (const type of ['signup', 'donation'] as const) {
      const fast = completeEvent('test-source', type, base[type], at);
      expect(fast.ok).toBe(true);
      expect(fast).toEqual(whole('test-source', type, base[type], at));
    }
    const done = completeEvent('test-source', 'donation', base.donation, at);
    if (!done.ok) throw new Error(done.detail);
    // Defaults filled and keys in schema order, as the envelope's output has them.
    expect(done.value).toContain(
      '"amount":"47.00","currency":"USD","contributed_on":"2024-10-19","memo":false',
    );
    expect(done.key).toBe('C00879510');
  });

  it('does not parse a payload twice when the parser ran the payload schema', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const parsed = DonationPayloadV1.parse(donation);
    const record = { ...base.donation, payload: parsed, parsedBy: DonationPayloadV1 };
    expect(completeEvent('s', 'donation', record, at)).toEqual(whole('s', 'donation', record, at));
    // Another schema's output is parsed again (and here refused, as the envelope refuses it).
    const other = { ...base.donation, payload: { ...signup }, parsedBy: SignupPayloadV1 };
    const done = completeEvent('s', 'donation', other, at);
    expect(done.ok).toBe(false);
    expect(done).toEqual(whole('s', 'donation', other, at));
  });

  it('agrees with the envelope schema on any record, accepted or refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('signup' as const, 'donation' as const),
        fc.record(
          {
            source: fc.oneof(fc.constantFrom('snap', 'fec-itcont'), fc.string({ maxLength: 140 })),
            record_id: fc.oneof(
              fc.constant(undefined),
              fc.string({ maxLength: 4 }),
              fc.integer().map((n) => 'r'.repeat(Math.abs(n) % 600)),
            ),
            occurred_at: fc.oneof(fc.constant(undefined), text, fc.integer()),
            field: fc.option(fc.tuple(text, anyValue)),
            time: fc.oneof(
              fc.constant(Date.parse('2026-01-02T03:04:05.678Z')),
              fc.integer({ min: -8.64e15, max: 8.64e15 }),
            ),
          },
          { requiredKeys: ['source', 'time'] },
        ),
        (type, s) => {
          const b = base[type];
          const payload = { ...(b.payload as Record<string, unknown>) };
          if (s.field) {
            const [k, v] = s.field;
            payload[k in payload || k.length === 0 ? k : (Object.keys(payload)[k.length % 5] ?? k)] = v;
          }
          const record = {
            source_record_id: s.record_id ?? b.source_record_id,
            occurred_at: (s.occurred_at ?? b.occurred_at) as string,
            payload,
          };
          const at = new Date(s.time);
          expect(completeEvent(s.source, type, record, at)).toEqual(whole(s.source, type, record, at));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

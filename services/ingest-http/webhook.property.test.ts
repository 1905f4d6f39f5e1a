/**
 * Bad input, property-based, for the webhook bodies (the pure validation behind
 * `POST /v1/events/<type>` and `POST /v1/first-party/<source>`): truncated JSON, bytes that are
 * not UTF-8, values of the wrong type, numbers beyond what a double holds, nesting 20,000 levels
 * deep, strings over the schema's limits, and bodies that are not objects never throw; each is
 * refused with a reason the DLQ schema knows and a detail that repeats no e-mail; each good body
 * becomes exactly its event, its injection-looking text kept as data. Status codes, body limits
 * and the DLQ itself are tested on the real server (test/integration/bad-input-webhook.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DlqReason } from '../../schemas/dlq.ts';
import { DonationV1 } from '../../schemas/events/donation.ts';
import { SignupV1 } from '../../schemas/events/signup.ts';
import { rawTopic } from '../../schemas/topics.ts';
import { eventId } from '../shared/event-id.ts';
import { date2024, nastyText, testPseudonymize } from '../shared/ingest/bad-input.test-support.ts';
import {
  parseJsonKeepingBigNumbers,
  validateFirstParty,
  validateSubmission,
  type Validation,
} from './server.ts';

const NOW = new Date('2024-11-06T12:00:00Z');

/** JSON text nested `depth` objects deep (JSON.stringify cannot write it). */
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A body as text, with `@raw@` string values replaced by raw JSON (numbers, nesting). */
function body(value: unknown, raw: Record<string, string> = {}): Buffer {
  let text = JSON.stringify(value);
  for (const [k, v] of Object.entries(raw)) text = text.replace(`"${k}":"@raw@"`, `"${k}":${v}`);
  return Buffer.from(text);
}

/** Ways to spoil a good body's bytes: each must be refused with one of `reasons`. */
type Spoil = { why: string; reasons: DlqReason[]; apply: (b: Buffer, at: number) => Buffer };
const byteSpoils: Spoil[] = [
  {
    why: 'truncated',
    reasons: ['parse_error'],
    apply: (b, at) => b.subarray(0, at % b.length),
  },
  {
    why: 'not UTF-8',
    reasons: ['parse_error'],
    apply: (b, at) =>
      Buffer.concat([b.subarray(0, at % b.length), Buffer.from([0xff]), b.subarray(at % b.length)]),
  },
  {
    why: 'an array',
    reasons: ['schema_invalid'],
    apply: (b) => Buffer.concat([Buffer.from('['), b, Buffer.from(']')]),
  },
  {
    why: 'a string',
    reasons: ['schema_invalid'],
    apply: (b) => Buffer.from(JSON.stringify(b.toString('utf8'))),
  },
  { why: 'null', reasons: ['schema_invalid'], apply: () => Buffer.from('null') },
  { why: 'a huge number', reasons: ['schema_invalid'], apply: () => Buffer.from('1e400') },
];

function expectRefused(v: Validation, reasons: readonly DlqReason[], what: string): void {
  expect(v.ok, what).toBe(false);
  if (v.ok) return;
  expect(DlqReason.options, what).toContain(v.reason);
  expect(reasons, `${what}: ${v.reason} ${v.detail.slice(0, 200)}`).toContain(v.reason);
  expect(v.detail.trim(), what).not.toBe('');
  expect(v.detail, what).not.toMatch(/@example\.com/);
}

describe('POST /v1/events/<type> bodies', () => {
  const donation = fc.record({
    id: fc.nat(),
    name: nastyText({ maxLength: 256 }),
    day: date2024,
    cents: fc.integer({ min: 1, max: 10_000_000_00 }),
  });
  const submission = (d: { id: number; name: string; day: string; cents: number }) => ({
    source: 'webhook:bad-input',
    source_record_id: `R-${d.id}`,
    occurred_at: `${d.day}T12:00:00Z`,
    payload: {
      committee_id: 'C00879510',
      contributor_name: d.name,
      amount: `${Math.floor(d.cents / 100)}.${String(d.cents % 100).padStart(2, '0')}`,
      contributed_on: d.day,
    },
  });

  it('turns a good body into exactly its event, names and all', () => {
    fc.assert(
      fc.property(donation, (d) => {
        const v = validateSubmission('donation', body(submission(d)), NOW);
        expect(v.ok).toBe(true);
        if (!v.ok) return;
        expect(v.topic).toBe(rawTopic('donation'));
        expect(v.eventId).toBe(eventId('webhook:bad-input', `R-${d.id}`, 1));
        expect(DonationV1.parse(JSON.parse(v.value)).payload.contributor_name).toBe(d.name);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a spoiled body with a reason and never throws', () => {
    const valueSpoils = fc.constantFrom<{
      why: string;
      set: Record<string, unknown>;
      raw?: Record<string, string>;
    }>(
      { why: 'amount as a number', set: { amount: 47 } },
      { why: 'amount of 1e400', set: { amount: '@raw@' }, raw: { amount: '1e400' } },
      { why: 'committee as a number', set: { committee_id: 42 } },
      {
        why: 'a name nested 20,000 deep',
        set: { contributor_name: '@raw@' },
        raw: { contributor_name: nested(20_000) },
      },
      { why: 'an unknown key nested deep', set: { extra: '@raw@' }, raw: { extra: nested(20_000) } },
      { why: 'a name over 256', set: { contributor_name: 'N'.repeat(257) } },
      { why: 'a date that is not', set: { contributed_on: '2024-02-30' } },
      { why: 'an amount of letters', set: { amount: 'forty-seven' } },
    );
    const envelopeSpoils = fc.constantFrom<{
      why: string;
      set: Record<string, unknown>;
      raw?: Record<string, string>;
    }>(
      { why: 'occurred_at not an instant', set: { occurred_at: 'yesterday' } },
      {
        why: 'record id as a huge number',
        set: { source_record_id: '@raw@' },
        raw: { source_record_id: '123456789012345678901234567890' },
      },
      { why: 'source over 128', set: { source: 's'.repeat(129) } },
      { why: 'record id over 512', set: { source_record_id: 'r'.repeat(513) } },
      { why: 'payload an array', set: { payload: [1, 2] } },
      { why: 'payload missing', set: { payload: undefined } },
    );
    fc.assert(
      fc.property(
        donation,
        fc.oneof(
          fc.constantFrom(...byteSpoils).map((s) => ({ kind: 'bytes' as const, s })),
          valueSpoils.map((s) => ({ kind: 'payload' as const, s })),
          envelopeSpoils.map((s) => ({ kind: 'envelope' as const, s })),
        ),
        fc.nat(),
        (d, spoil, at) => {
          const sub = submission(d);
          let b: Buffer;
          let reasons: DlqReason[] = ['schema_invalid'];
          if (spoil.kind === 'bytes') {
            b = spoil.s.apply(body(sub), at);
            reasons = spoil.s.reasons;
          } else if (spoil.kind === 'payload') {
            b = body({ ...sub, payload: { ...sub.payload, ...spoil.s.set } }, spoil.s.raw);
          } else {
            b = body({ ...sub, ...spoil.s.set }, spoil.s.raw);
          }
          expectRefused(validateSubmission('donation', b, NOW), reasons, spoil.s.why);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an unknown event type whatever the body', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('bribe', 'donation_', 'raw_events', '__proto__', 'constructor'),
        fc.uint8Array(),
        (type, bytes) => {
          expectRefused(validateSubmission(type, Buffer.from(bytes), NOW), ['unknown_type'], type);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('POST /v1/first-party/signups bodies', () => {
  const signup = fc.record({
    id: fc.nat(),
    day: date2024,
    channel: fc.option(nastyText({ maxLength: 256 })),
  });
  const record = (s: { id: number; day: string; channel: string | null }) => ({
    signature_id: `S-${s.id}`,
    petition_id: 'ap-petition-2024',
    signed_at: `${s.day}T15:04:05Z`,
    signer_email: `signer.${s.id}@example.com`,
    signer_phone: '(215) 555-0100',
    state: 'Pennsylvania',
    zip: '19103',
    ...(s.channel === null ? {} : { channel: s.channel }),
  });

  it('turns a good record into its event, with pseudonyms only and the channel kept as data', () => {
    fc.assert(
      fc.property(signup, (s) => {
        const v = validateFirstParty('signups', body(record(s)), testPseudonymize, NOW);
        expect(v.ok).toBe(true);
        if (!v.ok) return;
        const event = SignupV1.parse(JSON.parse(v.value));
        expect(event.source_record_id).toBe(`ap-petition-2024:S-${s.id}`);
        expect(event.payload.signer).toBe(testPseudonymize('email', `signer.${s.id}@example.com`));
        expect(event.payload.channel).toBe(s.channel === null ? null : s.channel.trim());
        expect(v.value).not.toContain('@example.com');
        expect(v.value).not.toContain('555-0100');
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a record id sent as a number beyond 2^53 digit for digit, so two ids stay two events', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 10n ** 30n }), (n) => {
        const ids = [n, n + 1n].map((id) => {
          const text = body(
            { ...record({ id: 0, day: '2024-10-20', channel: null }), signature_id: '@raw@' },
            {
              signature_id: id.toString(),
            },
          );
          const w = validateFirstParty('signups', text, testPseudonymize, NOW);
          expect(w.ok).toBe(true);
          return w.ok ? (JSON.parse(w.value) as { source_record_id: string; event_id: string }) : undefined;
        });
        expect(ids[0]?.source_record_id).toBe(`ap-petition-2024:${n}`);
        expect(ids[1]?.source_record_id).toBe(`ap-petition-2024:${n + 1n}`);
        expect(ids[0]?.event_id).not.toBe(ids[1]?.event_id);
      }),
      { numRuns: 50 },
    );
    expect(parseJsonKeepingBigNumbers('{"a":1e400,"b":12345678901234567890,"c":1.5,"d":42}')).toEqual({
      a: '1e400',
      b: '12345678901234567890',
      c: 1.5,
      d: 42,
    });
  });

  it('refuses a spoiled record with a reason that repeats no contact, and never throws', () => {
    const valueSpoils = fc.constantFrom<{
      why: string;
      set: Record<string, unknown>;
      raw?: Record<string, string>;
    }>(
      { why: 'signed_at as a number', set: { signed_at: 1730822755 } },
      { why: 'signed_at without a zone', set: { signed_at: '2024-10-20 15:04' } },
      { why: 'an e-mail that is not', set: { signer_email: 'not-an-email' } },
      { why: 'an e-mail as an array', set: { signer_email: ['a@example.com'] } },
      {
        why: 'phones_collected of 1e400',
        set: { phones_collected: '@raw@' },
        raw: { phones_collected: '1e400' },
      },
      { why: 'phones_collected as words', set: { phones_collected: 'two' } },
      { why: 'a zip as a huge number', set: { zip: '@raw@' }, raw: { zip: '191031234567890123456' } },
      {
        why: 'the e-mail nested 20,000 deep',
        set: { signer_email: '@raw@' },
        raw: { signer_email: nested(20_000) },
      },
      { why: 'a channel over 256', set: { channel: 'c'.repeat(257) } },
      { why: 'a signature id over 256', set: { signature_id: 'S'.repeat(257) } },
      { why: 'a state that is not', set: { state: "'; DROP TABLE signups; --" } },
      { why: 'no signer', set: { signer_email: null, signer_phone: null } },
    );
    fc.assert(
      fc.property(
        signup,
        fc.oneof(
          fc.constantFrom(...byteSpoils).map((s) => ({ kind: 'bytes' as const, s })),
          valueSpoils.map((s) => ({ kind: 'value' as const, s })),
        ),
        fc.nat(),
        (s, spoil, at) => {
          const rec = record(s);
          const b =
            spoil.kind === 'bytes'
              ? spoil.s.apply(body(rec), at)
              : body({ ...rec, ...spoil.s.set }, spoil.s.raw);
          // Nesting too deep to walk is refused while parsing, before any field is read.
          const reasons: DlqReason[] =
            spoil.kind === 'bytes'
              ? spoil.s.reasons
              : ['schema_invalid', ...(spoil.s.raw ? (['parse_error'] as const) : [])];
          expectRefused(validateFirstParty('signups', b, testPseudonymize, NOW), reasons, spoil.s.why);
        },
      ),
      { numRuns: 200 },
    );
  });
});

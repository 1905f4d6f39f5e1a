/**
 * Bad input on the real ingest endpoint and broker: a generated corpus of bodies — good
 * donations and signups with injection-looking text, and truncated JSON, bytes that are not UTF-8,
 * values of the wrong type, numbers beyond a double, nesting 20,000 levels deep, strings over the
 * schema's limits, bodies that are not objects, and bodies over the size limit — is posted to
 * POST /v1/events/donation and POST /v1/first-party/signups. Each good body is answered 202 and
 * reaches this test's own raw topic once; each bad one is answered 422 and reaches the DLQ (a
 * topic of this test's own) once, with the answer's reason and its bytes (sealed for first-party
 * records); each oversized one is answered 413 and reaches nothing.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DlqRecordV1, type DlqReason } from '../../schemas/dlq.ts';
import { EVENT_SPECS } from '../../schemas/events/index.ts';
import { DLQ_TOPIC, rawTopic, type EventType } from '../../schemas/topics.ts';
import { createSealer } from '../../services/shared/seal.ts';
import { date2024, nastyText } from '../../services/shared/ingest/bad-input.test-support.ts';
import { testKafka, uniqueSuffix } from '../helpers/stack.ts';
import { readTopic } from '../security/kafka-scan.ts';
import { startOwnIngestServer, type OwnIngestServer } from '../helpers/ingest-server.ts';

const suffix = uniqueSuffix();
const marker = `badinput-${suffix}`;
const token = randomBytes(24).toString('hex');
const key = randomBytes(32);
const sealer = createSealer(key);
const kafka = testKafka(`bad-input-webhook-${suffix}`);
const LIMIT = 192 * 1024;
const TYPES: EventType[] = ['donation', 'signup'];
const topicOf = (type: EventType): string => `${rawTopic(type)}.test-${suffix}`;
/** A DLQ of this test's own: its sealed letters stay out of the shared one. */
const dlqTopic = `${DLQ_TOPIC}.test-${suffix}`;

let url: string;

let ingest: OwnIngestServer | undefined;

beforeAll(async () => {
  ingest = await startOwnIngestServer({
    kafka,
    token,
    key,
    seal: (raw) => sealer.seal(raw),
    types: TYPES,
    topicOf,
    dlqTopic,
    partitions: 2,
    maxBodyBytes: LIMIT,
  });
  url = ingest.url;
});

afterAll(() => ingest?.close());

type Route = '/v1/events/donation' | '/v1/first-party/signups';
type Expect = { status: 202 } | { status: 422; reasons: readonly DlqReason[] } | { status: 413 };
interface Post {
  route: Route;
  why: string;
  body: Buffer;
  expect: Expect;
}

const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** JSON text of `value` with `"@raw@"` values of `raw`'s keys replaced by raw JSON. */
function text(value: unknown, raw: Record<string, string> = {}): string {
  let t = JSON.stringify(value);
  for (const [k, v] of Object.entries(raw)) t = t.replace(`"${k}":"@raw@"`, `"${k}":${v}`);
  return t;
}

/** Good bodies of record `i`, named after this test. */
const goodDonation = (i: number, name: string, day: string) => ({
  source: `${marker}-${i}`,
  source_record_id: `R-${i}`,
  occurred_at: `${day}T12:00:00Z`,
  payload: { committee_id: 'C00879510', contributor_name: name, amount: '47.00', contributed_on: day },
});
const goodSignup = (i: number, channel: string, day: string) => ({
  signature_id: `${marker}-${i}`,
  petition_id: 'ap-petition-2024',
  signed_at: `${day}T15:04:05Z`,
  signer_email: `signer.${i}.${suffix}@example.com`,
  state: 'PA',
  zip: '19103',
  channel,
});

type Spoil = {
  why: string;
  status: 422 | 413;
  reasons?: DlqReason[];
  make: (good: unknown, at: number) => Buffer;
};
const spoils: Spoil[] = [
  {
    why: 'truncated',
    status: 422,
    reasons: ['parse_error'],
    make: (g, at) => {
      const b = Buffer.from(text(g));
      return b.subarray(0, 48 + (at % (b.length - 48)));
    },
  },
  {
    why: 'not UTF-8',
    status: 422,
    reasons: ['parse_error'],
    make: (g) =>
      Buffer.concat([Buffer.from(text(g).slice(0, -1)), Buffer.from([0xff, 0xfe]), Buffer.from('}')]),
  },
  { why: 'an array', status: 422, reasons: ['schema_invalid'], make: (g) => Buffer.from(`[${text(g)}]`) },
  {
    why: 'a string',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(JSON.stringify(text(g))),
  },
  {
    why: 'over the size limit',
    status: 413,
    make: (g) => Buffer.from(text({ ...(g as object), padding: 'p'.repeat(LIMIT) })),
  },
];
const donationSpoils: Spoil[] = [
  ...spoils,
  {
    why: 'a name nested 20,000 deep',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) =>
      Buffer.from(text(set(g, 'payload.contributor_name', '@raw@'), { contributor_name: nested(20_000) })),
  },
  {
    why: 'amount as a number',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(text(set(g, 'payload.amount', 47))),
  },
  {
    why: 'amount of 1e400',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(text(set(g, 'payload.amount', '@raw@'), { amount: '1e400' })),
  },
  {
    why: 'a name over 256',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(text(set(g, 'payload.contributor_name', 'N'.repeat(257)))),
  },
  {
    why: 'occurred_at not an instant',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(text(set(g, 'occurred_at', 'yesterday'))),
  },
];
const signupSpoils: Spoil[] = [
  ...spoils,
  {
    why: 'a channel nested 20,000 deep',
    status: 422,
    // Too deep to walk for exact numbers: refused while parsing, before any field is read.
    reasons: ['schema_invalid', 'parse_error'],
    make: (g) => Buffer.from(text(set(g, 'channel', '@raw@'), { channel: nested(20_000) })),
  },
  {
    why: 'signed_at as a number',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(text(set(g, 'signed_at', 1730822755))),
  },
  {
    why: 'phones_collected of 1e400',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(text(set(g, 'phones_collected', '@raw@'), { phones_collected: '1e400' })),
  },
  {
    why: 'a channel over 256',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(text(set(g, 'channel', 'c'.repeat(257)))),
  },
  {
    why: 'an e-mail that is not',
    status: 422,
    reasons: ['schema_invalid'],
    make: (g) => Buffer.from(text(set(g, 'signer_email', 'nope'))),
  },
];

/** A copy of `obj` with the value at dotted `path` replaced. */
function set(obj: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const parts = path.split('.');
  let at = copy;
  for (const p of parts.slice(0, -1)) at = at[p] as Record<string, unknown>;
  at[parts.at(-1) as string] = value;
  return copy;
}

const corpus: fc.Arbitrary<{ route: Route; spoil: number | null; name: string; day: string; at: number }[]> =
  fc.array(
    fc.record({
      route: fc.constantFrom<Route>('/v1/events/donation', '/v1/first-party/signups'),
      spoil: fc.option(fc.nat(), { freq: 2 }),
      name: nastyText({ maxLength: 256 }),
      day: date2024,
      at: fc.nat(),
    }),
    { minLength: 40, maxLength: 40 },
  );

function posts(seed: number): Post[] {
  const [items] = fc.sample(corpus, { numRuns: 1, seed });
  return (items ?? []).map((c, i): Post => {
    const donation = c.route === '/v1/events/donation';
    const good = donation ? goodDonation(i, c.name, c.day) : goodSignup(i, c.name, c.day);
    if (c.spoil === null)
      return { route: c.route, why: 'good', body: Buffer.from(text(good)), expect: { status: 202 } };
    const list = donation ? donationSpoils : signupSpoils;
    const s = list[c.spoil % list.length] as Spoil;
    return {
      route: c.route,
      why: s.why,
      body: s.make(good, c.at),
      expect: s.status === 413 ? { status: 413 } : { status: 422, reasons: s.reasons ?? [] },
    };
  });
}

describe('a generated corpus of webhook bodies on the real broker', () => {
  it('answers each body as it deserves and puts each where it belongs: raw topic, DLQ or nowhere', async () => {
    const seed = Date.now();
    const all = posts(seed);
    const context = `seed ${seed}`;
    expect(
      all.some((p) => p.expect.status === 202),
      context,
    ).toBe(true);
    expect(
      all.some((p) => p.expect.status === 422),
      context,
    ).toBe(true);

    const accepted = new Map<string, Post>();
    const refused = new Map<string, { post: Post; reason: string }[]>();
    for (const post of all) {
      const res = await fetch(`${url}${post.route}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: post.body,
      });
      const answer = (await res.json()) as {
        event_id?: string;
        topic?: string;
        error?: string;
        detail?: string;
      };
      const what = `${context}: ${post.route} ${post.why}: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`;
      expect(res.status, what).toBe(post.expect.status);
      if (post.expect.status === 202) {
        expect(answer.topic, what).toBe(
          topicOf(post.route === '/v1/events/donation' ? 'donation' : 'signup'),
        );
        accepted.set(String(answer.event_id), post);
      } else if (post.expect.status === 422) {
        expect(post.expect.reasons, what).toContain(answer.error);
        expect(answer.detail?.trim(), what).toBeTruthy();
        expect(answer.detail, what).not.toContain('@example.com');
        const k = post.body.toString('base64');
        refused.set(k, [...(refused.get(k) ?? []), { post, reason: String(answer.error) }]);
      }
    }

    // The raw topics hold exactly the accepted events, once each.
    const published = (await Promise.all(TYPES.map((t) => readTopic(kafka, topicOf(t))))).flat();
    const ids = published.map(
      (m) => (JSON.parse(m.message.value?.toString('utf8') ?? '{}') as { event_id: string }).event_id,
    );
    expect(ids.sort(), context).toEqual([...accepted.keys()].sort());
    for (const m of published) {
      const event = JSON.parse(m.message.value?.toString('utf8') ?? '{}') as { type: EventType };
      expect(EVENT_SPECS[event.type]?.envelope.safeParse(event).success, context).toBe(true);
      expect(m.message.value?.toString('utf8'), context).not.toContain('@example.com');
    }

    // The DLQ (this test's own) holds exactly the refused bodies, once each, with the answer's
    // reason; first-party bodies sealed (only this test's key opens them).
    const letters = (await readTopic(kafka, dlqTopic))
      .map((m) => DlqRecordV1.parse(JSON.parse(m.message.value?.toString('utf8') ?? '{}')))
      .map((d) => {
        const raw = Buffer.from(d.raw_base64, 'base64');
        return { d, body: d.raw_sealed ? sealer.open(raw) : raw };
      });
    const expected = [...refused.values()].flat();
    expect(letters.length, context).toBe(expected.length);
    for (const { d, body } of letters) {
      const pending = refused.get(body.toString('base64'));
      const what = `${context}: a letter ${d.reason} ${d.step} ${body.toString('utf8').slice(0, 120)}`;
      expect(pending?.length, what).toBeGreaterThan(0);
      const [first, ...rest] = pending ?? [];
      refused.set(body.toString('base64'), rest);
      expect(d.reason, what).toBe(first?.reason);
      expect(d.detail.trim(), what).not.toBe('');
      expect(d.source, what).toBe(`http:${first?.post.route}`);
      expect(d.raw_sealed, what).toBe(first?.post.route === '/v1/first-party/signups');
      if (d.raw_sealed)
        expect(Buffer.from(d.raw_base64, 'base64').toString('latin1'), what).not.toContain('@example.com');
    }
    expect([...refused.values()].flat(), context).toEqual([]);
  });
});

/**
 * The ingest webhook's gate, on the real broker: a request without the bearer token, with a wrong
 * one, or with the token anywhere but the Authorization header is answered 401; a body over the
 * server's default limit (1 MiB, declared or streamed) is answered 413; and neither publishes
 * anything — not to the raw topics nor to the DLQ (this test's own, through rawTopicOf and a
 * DlqPublisher on its own topic).
 * Controls prove the checks can see a publication: a good body with the token lands in the raw
 * topic, a bad one in the DLQ.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { DLQ_TOPIC, rawTopic, type EventType } from '../../schemas/topics.ts';
import { createSealer } from '../../services/shared/seal.ts';
import { testKafka, uniqueSuffix } from '../helpers/stack.ts';
import { endOffsets, readTopic } from './kafka-scan.ts';
import { startOwnIngestServer, type OwnIngestServer } from '../helpers/ingest-server.ts';

const suffix = uniqueSuffix();
const marker = `webhook-auth-${suffix}`;
const token = randomBytes(24).toString('hex');
const key = randomBytes(32);
const sealer = createSealer(key);
const kafka = testKafka(`webhook-auth-${suffix}`);
/** The server's own default limit (services/ingest-http/server.ts: maxBodyBytes ?? 1 MiB). */
const DEFAULT_LIMIT = 1024 * 1024;
const TYPES: EventType[] = ['donation', 'signup'];
const topicOf = (type: EventType): string => `${rawTopic(type)}.test-${suffix}`;
/** A DLQ of this test's own: its sealed letters stay out of the shared one. */
const dlqTopic = `${DLQ_TOPIC}.test-${suffix}`;

let url: string;

const donation = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    source: marker,
    source_record_id: id,
    occurred_at: '2024-10-19T12:00:00Z',
    payload: {
      committee_id: 'C00879510',
      contributor_name: 'DOE, JANE',
      amount: '47.00',
      contributed_on: '2024-10-19',
    },
    ...extra,
  });
const signup = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    signature_id: `${marker}-${id}`,
    petition_id: 'ap-petition-2024',
    signed_at: '2024-10-20T15:04:05Z',
    signer_email: `signer.${suffix}@example.com`,
    ...extra,
  });
const ROUTES = [
  { path: '/v1/events/donation', type: 'donation' as const, body: donation },
  { path: '/v1/first-party/signups', type: 'signup' as const, body: signup },
];

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
    partitions: 1,
  });
  url = ingest.url;
});

afterAll(() => ingest?.close());

/** How many messages each of this test's raw topics holds. */
async function published(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TYPES)
    out[t] = Number([...(await endOffsets(kafka, topicOf(t))).values()].reduce((a, b) => a + b, 0n));
  return out;
}

/** This test's dead letters since it started: unsealed ones carrying the marker, sealed ones this key opens. */
async function myLetters(): Promise<{ reason: string; body: string }[]> {
  const all = await readTopic(kafka, dlqTopic);
  return all.flatMap((m) => {
    const d = DlqRecordV1.parse(JSON.parse(m.message.value?.toString('utf8') ?? '{}'));
    const raw = Buffer.from(d.raw_base64, 'base64');
    if (d.raw_sealed) {
      try {
        return [{ reason: d.reason, body: sealer.open(raw).toString('utf8') }];
      } catch {
        return [];
      }
    }
    return raw.includes(marker) ? [{ reason: d.reason, body: raw.toString('utf8') }] : [];
  });
}

async function post(
  path: string,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  });
  return { status: res.status, text: await res.text() };
}

describe('the ingest webhook refuses callers without the token and bodies over the limit', () => {
  it('answers 401 to every way of not presenting the token, and publishes nothing', async () => {
    const before = await published();
    const wrong = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    const tries: { why: string; headers: Record<string, string>; query?: string }[] = [
      { why: 'no Authorization', headers: {} },
      { why: 'an empty bearer', headers: { Authorization: 'Bearer ' } },
      { why: 'a wrong token', headers: { Authorization: 'Bearer not-the-token-at-all' } },
      { why: 'the token with its last character changed', headers: { Authorization: `Bearer ${wrong}` } },
      { why: 'the token twice', headers: { Authorization: `Bearer ${token}${token}` } },
      {
        why: 'the token as Basic credentials',
        headers: { Authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
      },
      { why: 'the token without a scheme', headers: { Authorization: token } },
      { why: 'the token in another header', headers: { 'X-Ingest-Token': token } },
      { why: 'the token in the query string', headers: {}, query: `?token=${token}&access_token=${token}` },
    ];
    for (const route of ROUTES) {
      for (const t of tries) {
        const r = await post(`${route.path}${t.query ?? ''}`, route.body(`unauthorised-${t.why}`), t.headers);
        expect(r.status, `${route.path}: ${t.why}: ${r.text}`).toBe(401);
        expect(r.text).not.toContain(token);
      }
    }
    expect(await published()).toEqual(before);
    expect(await myLetters()).toEqual([]);
  });

  it('answers 413 to a body over the default limit, declared or streamed, and publishes nothing', async () => {
    const before = await published();
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    for (const route of ROUTES) {
      const big = route.body('oversized', { padding: 'p'.repeat(DEFAULT_LIMIT) });
      expect(Buffer.byteLength(big)).toBeGreaterThan(DEFAULT_LIMIT);
      const declared = await post(route.path, big, auth);
      expect(declared.status, `${route.path} declared: ${declared.text}`).toBe(413);
      // Streamed without a Content-Length: refused once the bytes read pass the limit.
      const bytes = Buffer.from(big);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024)
            controller.enqueue(bytes.subarray(at, at + 64 * 1024));
          controller.close();
        },
      });
      const streamed = await post(route.path, stream, auth);
      expect(streamed.status, `${route.path} streamed: ${streamed.text}`).toBe(413);
    }
    expect(await published()).toEqual(before);
    expect(await myLetters()).toEqual([]);
  });

  it('controls: with the token, a good body is published and a bad one dead-lettered (the checks above can see both)', async () => {
    const before = await published();
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    for (const route of ROUTES) {
      const good = await post(route.path, route.body('control-good'), auth);
      expect(good.status, good.text).toBe(202);
      const bad = await post(route.path, `${route.body('control-bad')}}`, auth);
      expect(bad.status, bad.text).toBe(422);
    }
    expect(await published()).toEqual({
      donation: (before.donation ?? 0) + 1,
      signup: (before.signup ?? 0) + 1,
    });
    const letters = await myLetters();
    expect(letters.map((l) => l.reason).sort()).toEqual(['parse_error', 'parse_error']);
    expect(letters.map((l) => l.body).sort()).toEqual(
      [`${donation('control-bad')}}`, `${signup('control-bad')}}`].sort(),
    );
  });
});

/**
 * The authenticated first-party webhook on the real broker: a signup posted with a signer's
 * email and phone reaches the raw topic with pseudonyms only; a bad record is dead-lettered with
 * its bytes sealed; missing tokens and oversized bodies are refused.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { DLQ_TOPIC, rawTopic } from '../../schemas/topics.ts';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { SignupV1 } from '../../schemas/events/signup.ts';
import { createIngestServer } from '../../services/ingest-http/server.ts';
import { DlqPublisher } from '../../services/shared/dlq.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { createPseudonymizer } from '../../services/shared/pseudonym.ts';
import { createSealer } from '../../services/shared/seal.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { testKafka, uniqueSuffix } from '../helpers/stack.ts';

const suffix = uniqueSuffix();
const token = randomBytes(24).toString('hex');
const key = randomBytes(32);
const sealer = createSealer(key);
const kafka = testKafka(`webhook-${suffix}`);
let producer: Producer;
let server: Server;
let url: string;

const email = `signer.${suffix}@example.com`;
const phone = '+1 (555) 010-4477';

beforeAll(async () => {
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  server = createIngestServer({
    producer,
    dlq: new DlqPublisher(producer, 'ingest-http'),
    token,
    log: silentLogger,
    maxBodyBytes: 64 * 1024,
    firstParty: { pseudonymize: createPseudonymizer(key), seal: (raw) => sealer.seal(raw) },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await producer?.disconnect();
});

function post(path: string, body: string, auth = `Bearer ${token}`): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: auth }, body });
}

/** Messages of `topic` whose value contains `needle`, waited for up to 30 s. */
async function find(topic: string, needle: string): Promise<string[]> {
  const seen: string[] = [];
  const consumer = kafka.consumer({ groupId: `webhook-check-${uniqueSuffix()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const v = message.value?.toString('utf8') ?? '';
      if (v.includes(needle)) seen.push(v);
      return Promise.resolve();
    },
  });
  try {
    return await waitFor(() => Promise.resolve(seen.length > 0 ? seen : undefined), {
      what: `a message with ${needle}`,
      timeoutMs: 30_000,
    });
  } finally {
    await consumer.disconnect();
  }
}

describe('the first-party webhook', () => {
  it('publishes a signup with pseudonyms and no raw email or phone', async () => {
    const signatureId = `sig-${suffix}`;
    const res = await post(
      '/v1/first-party/signups',
      JSON.stringify({
        signature_id: signatureId,
        petition_id: 'america-pac-petition',
        signed_at: '2024-10-20T15:04:05Z',
        signer_email: email,
        signer_phone: phone,
        signer_name: 'Jane Webhook',
        referrer_email: `ref.${suffix}@example.com`,
        state: 'Pennsylvania',
        zip: '19103',
        channel: 'x',
      }),
    );
    expect(res.status).toBe(202);
    const body = (await res.json()) as { event_id: string; topic: string };
    expect(body.topic).toBe(rawTopic('signup'));
    const [value] = await find(rawTopic('signup'), body.event_id);
    const event = SignupV1.parse(JSON.parse(value ?? '{}'));
    expect(event.payload.signer).toBe(createPseudonymizer(key)('email', email));
    expect(event.payload.state).toBe('PA');
    for (const raw of [email, phone, '5550104477', 'Jane Webhook'.toLowerCase()]) {
      expect((value ?? '').toLowerCase()).not.toContain(raw.toLowerCase());
    }
  });

  it('dead-letters a bad record with its bytes sealed, answering which field is wrong', async () => {
    const bad = JSON.stringify({
      signature_id: `bad-${suffix}`,
      petition_id: 'p',
      signed_at: 'yesterday',
      signer_email: email,
    });
    const res = await post('/v1/first-party/signups', bad);
    expect(res.status).toBe(422);
    const answer = (await res.json()) as { error: string; detail: string };
    expect(answer.error).toBe('schema_invalid');
    expect(answer.detail).toContain('signed_at');
    expect(answer.detail).not.toContain(email);
    const letters = (await find(DLQ_TOPIC, '"step":"ingest-http:first-party"'))
      .map((v) => DlqRecordV1.parse(JSON.parse(v)))
      .filter(
        (d) => d.raw_sealed && sealer.open(Buffer.from(d.raw_base64, 'base64')).toString('utf8') === bad,
      );
    expect(letters).toHaveLength(1);
    expect(Buffer.from(letters[0]?.raw_base64 ?? '', 'base64').toString('latin1')).not.toContain(email);
  });

  it('refuses missing or wrong tokens and oversized bodies', async () => {
    expect((await post('/v1/first-party/payouts', '{}', '')).status).toBe(401);
    expect((await post('/v1/first-party/payouts', '{}', 'Bearer nope-nope-nope')).status).toBe(401);
    expect((await post('/v1/first-party/payouts', 'x'.repeat(70 * 1024))).status).toBe(413);
  });
});

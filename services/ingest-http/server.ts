/**
 * The ingest HTTP endpoint (webhook): `POST /v1/events/<type>` with a JSON submission
 * `{ source, source_record_id, occurred_at, payload }` and `Authorization: Bearer <token>`.
 * A valid event is completed (deterministic event_id, ingested_at) and published to its raw
 * topic, keyed by its entity; 202 answers once Kafka acknowledged it. An invalid one is written
 * to the DLQ with its reason and raw bytes and answered 422 with the issues.
 */
import http from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { SubmissionV1 } from '../../schemas/envelope.ts';
import { EVENT_SPECS } from '../../schemas/events/index.ts';
import { EVENT_TYPES, rawTopic, type EventType } from '../../schemas/topics.ts';
import type { DeadLetter, DlqPublisher } from '../shared/dlq.ts';
import { eventId } from '../shared/event-id.ts';
import type { Logger } from '../shared/logger.ts';
import { metrics, serveMetrics } from '../shared/metrics.ts';
import type { Pseudonymizer } from '../shared/pseudonym.ts';
import { completeEvent } from '../shared/ingest/envelope.ts';
import {
  FIRST_PARTY_EVENT_TYPES,
  submissionFromRecord,
  type FirstPartySourceName,
} from '../ingest-first-party/index.ts';

export interface IngestServerOptions {
  producer: Producer;
  dlq: DlqPublisher;
  /** Bearer token callers must present. */
  token: string;
  log: Logger;
  maxBodyBytes?: number;
  now?: () => Date;
  /**
   * Pseudonyms and sealing for the first-party webhook (`POST /v1/first-party/<source>`); without
   * them that route answers 503.
   */
  firstParty?: { pseudonymize: Pseudonymizer; seal: (raw: Buffer) => Buffer };
  /** The topic of each event type (default `influence.raw.<type>.v1`; tests use their own). */
  rawTopicOf?: (type: EventType) => string;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function tokenMatches(expected: string, header: string | undefined): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const a = createHash('sha256').update(header.slice(7)).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The outcome of validating one submission. */
export type Validation =
  | { ok: true; topic: string; key: string; value: string; eventId: string }
  | { ok: false; reason: DeadLetter['reason']; detail: string };

/** Validates a submission of `type` and builds the Kafka record. Pure; exported for unit tests. */
export function validateSubmission(type: string, raw: Buffer, now: Date): Validation {
  if (!(EVENT_TYPES as readonly string[]).includes(type)) {
    return {
      ok: false,
      reason: 'unknown_type',
      detail: `unknown event type ${type}; expected one of ${EVENT_TYPES.join(', ')}`,
    };
  }
  const spec = EVENT_SPECS[type as EventType];
  if (!spec)
    return { ok: false, reason: 'unknown_type', detail: `event type ${type} is not accepted over HTTP yet` };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    return { ok: false, reason: 'parse_error', detail: `body is not UTF-8 JSON: ${(err as Error).message}` };
  }
  const sub = SubmissionV1.safeParse(json);
  if (!sub.success) return { ok: false, reason: 'schema_invalid', detail: JSON.stringify(sub.error.issues) };
  const event = {
    event_id: eventId(sub.data.source, sub.data.source_record_id, spec.schema_version),
    type,
    schema_version: spec.schema_version,
    source: sub.data.source,
    source_record_id: sub.data.source_record_id,
    occurred_at: sub.data.occurred_at,
    ingested_at: now.toISOString(),
    payload: sub.data.payload,
  };
  const parsed = spec.envelope.safeParse(event);
  if (!parsed.success)
    return { ok: false, reason: 'schema_invalid', detail: JSON.stringify(parsed.error.issues) };
  return {
    ok: true,
    topic: rawTopic(type as EventType),
    key: spec.key(parsed.data),
    value: JSON.stringify(parsed.data),
    eventId: event.event_id,
  };
}

/**
 * JSON.parse that keeps a number a double cannot hold exactly (an integer beyond 2^53, `1e400`)
 * as the text that was sent: a record id posted as a big JSON number must not turn into another
 * id (`…890` read as `…900`, so two signatures would share one event id) or into `Infinity`. The
 * field readers then take that text as written or refuse it.
 */
export function parseJsonKeepingBigNumbers(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' &&
    context?.source !== undefined &&
    (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))
      ? context.source
      : value,
  );
}

/**
 * Validates one first-party record of `source` (a JSON object with the fields of a CSV row):
 * pseudonymizes its people and builds the Kafka record. Pure; exported for unit tests. A
 * rejection's detail names the field and never repeats a private value.
 */
export function validateFirstParty(
  source: FirstPartySourceName,
  raw: Buffer,
  pseudonymize: Pseudonymizer,
  now: Date,
): Validation {
  let record: unknown;
  try {
    record = parseJsonKeepingBigNumbers(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    return { ok: false, reason: 'parse_error', detail: `body is not UTF-8 JSON: ${(err as Error).message}` };
  }
  if (!record || typeof record !== 'object' || Array.isArray(record))
    return { ok: false, reason: 'schema_invalid', detail: 'the body must be one JSON object (a record)' };
  const out = submissionFromRecord(source, record as Record<string, unknown>, { pseudonymize, now });
  if (!out.ok) return { ok: false, reason: out.reason, detail: out.detail };
  const done = completeEvent(source, FIRST_PARTY_EVENT_TYPES[source], out, now);
  if (!done.ok) return { ok: false, reason: done.reason, detail: done.detail };
  return { ok: true, topic: done.topic, key: done.key, value: done.value, eventId: done.eventId };
}

/** Creates the server (not yet listening). */
export function createIngestServer(opts: IngestServerOptions): http.Server {
  const log = opts.log.child({ module: 'ingest-http' });
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const now = opts.now ?? (() => new Date());

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/healthz') {
      send(res, 200, { status: 'ok' });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/metrics') {
      serveMetrics(res);
      return;
    }
    const fp = /^\/v1\/first-party\/(payouts|signups|contacts)$/.exec(url.pathname);
    if (fp?.[1]) {
      await firstParty(fp[1] as FirstPartySourceName, req, res, url);
      return;
    }
    const m = /^\/v1\/events\/([a-z_]+)$/.exec(url.pathname);
    if (!m?.[1])
      throw new HttpError(
        404,
        'not found; POST /v1/events/<type> or /v1/first-party/<payouts|signups|contacts>',
      );
    if (req.method !== 'POST') throw new HttpError(405, 'use POST');
    if (!tokenMatches(opts.token, req.headers.authorization)) {
      throw new HttpError(401, 'missing or wrong bearer token');
    }
    const type = m[1];
    const raw = await readBody(req, limit);
    const v = validateSubmission(type, raw, now());
    if (!v.ok) {
      await opts.dlq.publish([
        {
          reason: v.reason,
          detail: v.detail,
          step: 'ingest-http',
          source: `http:${url.pathname}`,
          position: null,
          raw,
        },
      ]);
      log.info({ type, reason: v.reason }, 'submission dead-lettered');
      send(res, 422, { error: v.reason, detail: v.detail, dead_lettered: true });
      return;
    }
    const topic = opts.rawTopicOf ? opts.rawTopicOf(type as EventType) : v.topic;
    await opts.producer.send({ topic, acks: -1, messages: [{ key: v.key, value: v.value }] });
    metrics.eventsPublished.inc({ topic });
    log.debug({ event_id: v.eventId, topic }, 'event published');
    send(res, 202, { event_id: v.eventId, topic });
  }

  /**
   * One first-party record (a JSON object with the same fields as a row of the CSV import):
   * people are pseudonymized before anything is published; a bad record is dead-lettered with
   * its bytes sealed, and the answer names the field without repeating private values.
   */
  async function firstParty(
    source: FirstPartySourceName,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    if (req.method !== 'POST') throw new HttpError(405, 'use POST');
    if (!tokenMatches(opts.token, req.headers.authorization))
      throw new HttpError(401, 'missing or wrong bearer token');
    const fpOpts = opts.firstParty;
    if (!fpOpts) throw new HttpError(503, 'the first-party webhook is off: set INGEST_HMAC_KEY');
    const raw = await readBody(req, limit);
    const v = validateFirstParty(source, raw, fpOpts.pseudonymize, now());
    if (!v.ok) {
      await reject(source, raw, v.reason, v.detail);
      return;
    }
    const topic = opts.rawTopicOf ? opts.rawTopicOf(FIRST_PARTY_EVENT_TYPES[source]) : v.topic;
    await opts.producer.send({ topic, acks: -1, messages: [{ key: v.key, value: v.value }] });
    metrics.eventsPublished.inc({ topic });
    log.debug({ event_id: v.eventId, topic, source }, 'first-party event published');
    send(res, 202, { event_id: v.eventId, topic });

    async function reject(
      src: string,
      body: Buffer,
      reason: DeadLetter['reason'],
      detail: string,
    ): Promise<void> {
      await opts.dlq.publish([
        {
          reason,
          detail,
          step: 'ingest-http:first-party',
          source: `http:${url.pathname}`,
          position: null,
          raw: fpOpts!.seal(body),
          sealed: true,
        },
      ]);
      log.info({ source: src, reason }, 'first-party record dead-lettered');
      send(res, 422, { error: reason, detail, dead_lettered: true });
    }
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        send(res, err.status, { error: err.message });
        return;
      }
      log.error({ err }, 'ingest request failed');
      send(res, 503, { error: 'could not publish; retry later' });
    });
  });
}

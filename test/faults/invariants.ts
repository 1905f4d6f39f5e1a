/**
 * What must hold after any fault, recomputed from the log (the raw topics, the source of truth)
 * and compared with what the pipeline left in ClickHouse:
 *
 * - conservation: every event on a raw topic (distinct by event_id) is in `raw_events` FINAL or
 *   dead-lettered by the bridge or the raw insert, and nothing else is there; every event in
 *   `raw_events` is in its typed table or dead-lettered by the enrichment, and each typed table
 *   keyed by event shows one row per event through FINAL;
 * - money: the sums of the `payouts` and `donations` views equal a recomputation from the raw
 *   payout and donation events (per payout_key the filing with the highest restatement rank;
 *   memo lines not counted), in cents, per payer, category and currency, per committee and
 *   currency;
 * - latest snapshot: `ads_current` shows, per ad, the snapshot with the latest snapshot_at.
 *
 * The recomputations are deliberately written apart from the pipeline's code (no enrich, no
 * views), so a fault that loses, doubles or reorders events shows up as a difference.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka } from 'kafkajs';
import { EVENT_TYPES, rawTopic, type EventType } from '../../schemas/topics.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { TABLE_OF_TYPE } from '../../services/enrich/index.ts';

/** Tables whose FINAL keeps one row per event (ad_annotations keeps one per coder and subject). */
const KEYED_BY_EVENT = new Set([
  'donation_events',
  'payout_filings',
  'ad_snapshots',
  'post_observations',
  'signup_events',
  'contact_events',
]);

/** One message of a raw topic, as a consumer reading from offset 0 sees it. */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** The parsed envelope; null when the value is not a JSON object with an event_id. */
  event: RawEvent | null;
}

export interface RawEvent {
  event_id: string;
  type: string;
  source: string;
  source_record_id: string;
  occurred_at: string;
  payload: Record<string, unknown>;
}

/** Every message of every raw topic up to the end offsets read at the start. */
export interface RawLog {
  messages: RawMessage[];
  /** The first message of each event_id (a re-delivered event counts once). */
  events: Map<string, RawMessage>;
}

function parseEvent(value: Buffer | null): RawEvent | null {
  if (!value) return null;
  try {
    const v = JSON.parse(value.toString('utf8')) as Partial<RawEvent> | null;
    if (!v || typeof v !== 'object' || typeof v.event_id !== 'string' || typeof v.type !== 'string')
      return null;
    return v as RawEvent;
  } catch {
    return null;
  }
}

/**
 * Reads every raw topic from offset 0 to the end offsets it finds first, with a consumer group
 * of its own that commits nothing. @throws when the end is not reached within `timeoutMs`.
 */
export async function readRawLog(kafka: Kafka, timeoutMs = 180_000): Promise<RawLog> {
  const topics = EVENT_TYPES.map(rawTopic);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const messages: RawMessage[] = [];
  const remaining = new Set(ends.keys());
  if (remaining.size > 0) {
    const groupId = `fault-check-${randomUUID()}`;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 8 << 20,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const id = `${batch.topic}:${batch.partition}`;
          const end = ends.get(id) ?? 0n;
          for (const m of batch.messages) {
            if (BigInt(m.offset) >= end) continue;
            messages.push({
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              key: m.key,
              value: m.value,
              event: parseEvent(m.value),
            });
          }
          const last = batch.messages[batch.messages.length - 1];
          if (last && BigInt(last.offset) >= end - 1n) remaining.delete(id);
          return Promise.resolve();
        },
      });
      await waitFor(() => Promise.resolve(remaining.size === 0 ? true : undefined), {
        what: `the raw topics read to their end (left: ${[...remaining].join(', ')})`,
        timeoutMs,
        intervalMs: 100,
      });
    } finally {
      await consumer.disconnect();
    }
  }
  const events = new Map<string, RawMessage>();
  for (const m of messages) if (m.event && !events.has(m.event.event_id)) events.set(m.event.event_id, m);
  return { messages, events };
}

async function rows<T>(ch: ClickHouseClient, query: string): Promise<T[]> {
  const rs = await ch.query({ query, format: 'JSONEachRow' });
  return rs.json<T>();
}

interface DlqRow {
  step: string;
  reason: string;
  source: string;
  position: string;
  source_partition: number | null;
  record_key: string | null;
}

/** Dead letters by what they stand for: events refused before `raw_events`, and by the enrichment. */
export interface DeadLetters {
  /** Events the bridge or the raw insert set aside: never in raw_events. */
  beforeRaw: Set<string>;
  /** Events the enrichment (or the typed insert) set aside: in raw_events, not in a typed table. */
  enrichment: Set<string>;
  /** Raw-topic messages that are not events at all, set aside by the bridge (topic:partition:offset). */
  notEvents: Set<string>;
  /** Dead letters of the pipeline that match no raw-topic message. */
  unmatched: DlqRow[];
}

async function deadLetters(ch: ClickHouseClient, log: RawLog): Promise<DeadLetters> {
  const byPosition = new Map(log.messages.map((m) => [`${m.topic}:${m.partition}:${m.offset}`, m]));
  const out: DeadLetters = {
    beforeRaw: new Set(),
    enrichment: new Set(),
    notEvents: new Set(),
    unmatched: [],
  };
  const letters = await rows<DlqRow>(
    ch,
    `SELECT step, reason, source, position, source_partition, record_key FROM dlq_events FINAL
     WHERE startsWith(step, 'worker:') OR startsWith(step, 'bridge:')`,
  );
  for (const l of letters) {
    if (l.step.startsWith('bridge:')) {
      const m = byPosition.get(`${l.source}:${l.source_partition ?? ''}:${l.position}`);
      if (!m) out.unmatched.push(l);
      else if (m.event) out.beforeRaw.add(m.event.event_id);
      else out.notEvents.add(`${m.topic}:${m.partition}:${m.offset}`);
    } else if (l.record_key && log.events.has(l.record_key)) {
      (l.step === 'worker:insertRawEvents' ? out.beforeRaw : out.enrichment).add(l.record_key);
    } else {
      out.unmatched.push(l);
    }
  }
  return out;
}

export interface InvariantReport {
  /** What was counted, for the test's log. */
  counts: Record<string, number>;
  /** Every violation found, with a few example ids; empty when all invariants hold. */
  problems: string[];
}

function sample(ids: Iterable<string>, n = 5): string {
  const all = [...ids];
  return `${all.slice(0, n).join(', ')}${all.length > n ? `, … (${all.length})` : ''}`;
}

function difference<T>(a: Iterable<T>, b: { has(x: T): boolean }): T[] {
  return [...a].filter((x) => !b.has(x));
}

/** Conservation from the raw topics to raw_events and from raw_events to the typed tables. */
async function checkConservation(
  ch: ClickHouseClient,
  log: RawLog,
  dlq: DeadLetters,
): Promise<InvariantReport> {
  const problems: string[] = [];
  const raw = await rows<{ id: string; type: string }>(
    ch,
    `SELECT toString(event_id) AS id, type FROM raw_events FINAL`,
  );
  const rawIds = new Map(raw.map((r) => [r.id, r.type]));
  if (rawIds.size !== raw.length)
    problems.push(`raw_events FINAL has ${raw.length - rawIds.size} duplicate rows`);

  const notEvents = log.messages.filter((m) => !m.event).map((m) => `${m.topic}:${m.partition}:${m.offset}`);
  const notEventsLost = difference(notEvents, dlq.notEvents);
  if (notEventsLost.length > 0)
    problems.push(`raw-topic messages that are not events, not dead-lettered: ${sample(notEventsLost)}`);

  const lost = difference(log.events.keys(), {
    has: (id: string) => rawIds.has(id) || dlq.beforeRaw.has(id),
  });
  if (lost.length > 0)
    problems.push(`events on the raw topics neither in raw_events nor dead-lettered: ${sample(lost)}`);
  const invented = difference(rawIds.keys(), log.events);
  if (invented.length > 0) problems.push(`raw_events rows of no raw-topic event: ${sample(invented)}`);
  const both = [...dlq.beforeRaw].filter((id) => rawIds.has(id));
  if (both.length > 0)
    problems.push(`events both in raw_events and dead-lettered before it: ${sample(both)}`);
  if (dlq.unmatched.length > 0)
    problems.push(`dead letters of no raw-topic event: ${JSON.stringify(dlq.unmatched.slice(0, 3))}`);
  for (const m of log.events.values()) {
    const t = rawIds.get(m.event?.event_id ?? '');
    if (t !== undefined && t !== m.event?.type) {
      problems.push(
        `event ${m.event?.event_id} is a ${m.event?.type} on ${m.topic} but a ${t} in raw_events`,
      );
      break;
    }
  }

  const counts: Record<string, number> = {
    topic_messages: log.messages.length,
    topic_events: log.events.size,
    raw_events: rawIds.size,
    dead_letters_before_raw: dlq.beforeRaw.size,
    dead_letters_enrichment: dlq.enrichment.size,
  };
  for (const type of EVENT_TYPES) {
    const table = TABLE_OF_TYPE[type];
    const expected = [...rawIds].filter(([id, t]) => t === type && !dlq.enrichment.has(id)).map(([id]) => id);
    const typed = new Set(
      (await rows<{ id: string }>(ch, `SELECT DISTINCT toString(event_id) AS id FROM ${table}`)).map(
        (r) => r.id,
      ),
    );
    counts[table] = typed.size;
    const missing = difference(expected, typed);
    if (missing.length > 0)
      problems.push(`${type} events in raw_events missing from ${table}: ${sample(missing)}`);
    const extra = difference(typed, { has: (id: string) => rawIds.get(id) === type });
    if (extra.length > 0) problems.push(`${table} rows of no ${type} event in raw_events: ${sample(extra)}`);
    if (KEYED_BY_EVENT.has(table)) {
      const [c] = await rows<{ n: string; ids: string }>(
        ch,
        `SELECT count() AS n, uniqExact(event_id) AS ids FROM ${table} FINAL`,
      );
      if (c && c.n !== c.ids) problems.push(`${table} FINAL shows ${c.n} rows for ${c.ids} events`);
    }
  }
  return { counts, problems };
}

/** An exact decimal string in cents, rounded half to even past the second fraction digit. */
export function toCents(s: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (!m) throw new RangeError(`not a decimal: ${JSON.stringify(s)}`);
  const frac = m[3] ?? '';
  let cents = BigInt(m[2] ?? '0') * 100n + BigInt((frac + '00').slice(0, 2));
  const rest = frac.slice(2);
  if (/[1-9]/.test(rest)) {
    const half = rest[0] === '5' && !/[1-9]/.test(rest.slice(1));
    if (rest[0]! > '5' || (half ? cents % 2n === 1n : rest[0] === '5')) cents += 1n;
  }
  return m[1] ? -cents : cents;
}

/** Cents as a decimal string with two fraction digits. */
export function fromCents(cents: bigint): string {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

function addTo(map: Map<string, bigint>, key: string, cents: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + cents);
}

function compareSums(what: string, expected: Map<string, bigint>, actual: Map<string, bigint>): string[] {
  const out: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(key);
    const a = actual.get(key);
    if (e !== a) out.push(`${what} ${key}: recomputed ${e ?? 'nothing'} cents, view ${a ?? 'nothing'} cents`);
  }
  return out;
}

interface PayoutPayload {
  payer_committee_id: string;
  payout_key: string;
  restatement_rank: number;
  category: string;
  currency: string;
  amount: string;
}

/**
 * The filing that counts for one payout: the highest restatement rank; between filings of one
 * rank the pipeline's documented tie-break (the first 8 hex digits of the event id, then the id).
 */
function laterFiling(a: RawEvent, b: RawEvent): boolean {
  const pa = a.payload as unknown as PayoutPayload;
  const pb = b.payload as unknown as PayoutPayload;
  if (pa.restatement_rank !== pb.restatement_rank) return pa.restatement_rank > pb.restatement_rank;
  const ha = parseInt(a.event_id.slice(0, 8), 16);
  const hb = parseInt(b.event_id.slice(0, 8), 16);
  return ha !== hb ? ha > hb : a.event_id > b.event_id;
}

/** Live events of a type: on the topics and not dead-lettered anywhere. */
function liveEvents(log: RawLog, dlq: DeadLetters, type: EventType): RawEvent[] {
  const out: RawEvent[] = [];
  for (const m of log.events.values()) {
    const e = m.event;
    if (e?.type === type && !dlq.beforeRaw.has(e.event_id) && !dlq.enrichment.has(e.event_id)) out.push(e);
  }
  return out;
}

/** Payout and donation sums recomputed from the raw topics against the views. */
async function checkMoney(ch: ClickHouseClient, log: RawLog, dlq: DeadLetters): Promise<InvariantReport> {
  const problems: string[] = [];
  const winners = new Map<string, RawEvent>();
  for (const e of liveEvents(log, dlq, 'payout')) {
    const key = (e.payload as unknown as PayoutPayload).payout_key;
    const held = winners.get(key);
    if (!held || laterFiling(e, held)) winners.set(key, e);
  }
  const expectedPayouts = new Map<string, bigint>();
  for (const e of winners.values()) {
    const p = e.payload as unknown as PayoutPayload;
    addTo(expectedPayouts, `${p.payer_committee_id}/${p.category}/${p.currency}`, toCents(p.amount));
  }
  const payoutRows = await rows<{ k: string; total: string; n: string }>(
    ch,
    `SELECT concat(committee_id, '/', category, '/', currency) AS k, toString(sum(amount)) AS total, count() AS n
     FROM payouts GROUP BY k`,
  );
  const actualPayouts = new Map(payoutRows.map((r) => [r.k, toCents(r.total)]));
  problems.push(...compareSums('payouts', expectedPayouts, actualPayouts));
  const payoutCount = payoutRows.reduce((n, r) => n + Number(r.n), 0);
  if (payoutCount !== winners.size)
    problems.push(`payouts shows ${payoutCount} payments, the raw topic has ${winners.size} payout keys`);

  const expectedDonations = new Map<string, bigint>();
  let donations = 0;
  for (const e of liveEvents(log, dlq, 'donation')) {
    const p = e.payload as { committee_id: string; currency?: string; amount: string; memo?: boolean };
    addTo(expectedDonations, `${p.committee_id}/${p.currency ?? 'USD'}`, p.memo ? 0n : toCents(p.amount));
    donations++;
  }
  const donationRows = await rows<{ k: string; total: string; n: string }>(
    ch,
    `SELECT concat(committee_id, '/', currency) AS k, toString(sumIf(amount, counted)) AS total, count() AS n
     FROM donations GROUP BY k`,
  );
  problems.push(
    ...compareSums('donations', expectedDonations, new Map(donationRows.map((r) => [r.k, toCents(r.total)]))),
  );
  return {
    counts: { payout_keys: winners.size, payout_groups: expectedPayouts.size, donations },
    problems,
  };
}

/** ads_current against the latest snapshot of each ad on the raw topic. */
async function checkLatestAds(ch: ClickHouseClient, log: RawLog, dlq: DeadLetters): Promise<InvariantReport> {
  const latest = new Map<string, { at: number; id: string }>();
  for (const e of liveEvents(log, dlq, 'ad')) {
    const p = e.payload as { platform: string; ad_id: string; snapshot_at: string; granularity: string };
    if (p.granularity !== 'ad') continue;
    const key = `${p.platform}:${p.ad_id}`;
    const at = Date.parse(p.snapshot_at);
    const held = latest.get(key);
    if (!held || at > held.at || (at === held.at && e.event_id > held.id))
      latest.set(key, { at, id: e.event_id });
  }
  const shown = await rows<{ k: string; id: string }>(
    ch,
    `SELECT concat(platform, ':', ad_id) AS k, toString(event_id) AS id FROM ads_current`,
  );
  const problems: string[] = [];
  const seen = new Map(shown.map((r) => [r.k, r.id]));
  if (seen.size !== shown.length) problems.push(`ads_current shows ${shown.length - seen.size} ads twice`);
  for (const [k, { id }] of latest) {
    const got = seen.get(k);
    if (got !== id)
      problems.push(`ads_current ${k}: shows ${got ?? 'nothing'}, the latest snapshot is ${id}`);
  }
  for (const k of seen.keys())
    if (!latest.has(k)) problems.push(`ads_current shows ${k}, which no raw ad event has`);
  return { counts: { ads: latest.size }, problems };
}

/**
 * Reads the raw topics from offset 0 and checks every invariant against ClickHouse. Call it once
 * the pipeline is idle (`influence wait --idle`).
 */
export async function checkInvariants(kafka: Kafka, ch: ClickHouseClient): Promise<InvariantReport> {
  const log = await readRawLog(kafka);
  const dlq = await deadLetters(ch, log);
  const parts = [
    await checkConservation(ch, log, dlq),
    await checkMoney(ch, log, dlq),
    await checkLatestAds(ch, log, dlq),
  ];
  return {
    counts: Object.assign({}, ...parts.map((p) => p.counts)) as Record<string, number>,
    problems: parts.flatMap((p) => p.problems),
  };
}

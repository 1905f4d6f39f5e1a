/**
 * `influence dlq list|stats|replay`: the dead letters on influence.dlq.v1, counted, listed, and
 * re-parsed with the current code after a fix (see ../dlq-replay.ts for how and why).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Kafka } from 'kafkajs';
import { DlqRecordV1 } from '../../../schemas/dlq.ts';
import { DLQ_TOPIC } from '../../../schemas/topics.ts';
import type { Logger } from '../../shared/logger.ts';
import { createKafka, sendInChunks } from '../../shared/kafka.ts';
import { createClickHouse } from '../../shared/clickhouse.ts';
import { createPseudonymizer } from '../../shared/pseudonym.ts';
import { createSealer } from '../../shared/seal.ts';
import { clickhouseStoredLookup } from '../../shared/ingest/stored-lookup.ts';
import { CliError, EXIT, currentEndpoints, stackConfig } from '../context.ts';
import {
  firstLine,
  inputCandidates,
  matches,
  replayLetter,
  type LetterFilter,
  type StoredLetter,
} from '../dlq-replay.ts';
import { hmacKey, previousHmacKey } from '../hmac-key.ts';
import { printJson, table } from '../output.ts';
import { IMPORT_SOURCES } from '../sources.ts';

export const DLQ_HELP = `Usage: influence dlq list|stats|replay [filters] [--json]

Reads the dead letters on ${DLQ_TOPIC} (the log, with their raw bytes; \`dlq_events\` in
ClickHouse is its copy for SQL).

  list      one line per dead letter: partition:offset, time, step, source, position, reason
  stats     dead letters counted by step and reason
  replay    re-parses each dead letter with the current code (after a fix) and publishes what now
            parses to its raw topic. What still fails stays on the DLQ as it is (nothing is
            dead-lettered again), so replaying twice leaves the same state; events already in
            ClickHouse are skipped. An import's dead letter of a CSV row is re-read under the
            header line of its original file (as recorded, or found in --input-dir).

Filters:
  --source S        the import source (payouts, fec-itcont, …) or the letter's file, URL or topic
  --reason R        schema_invalid, parse_error, encoding_error, too_large, unknown_type, …
  --since T         dead-lettered at or after T (ISO 8601, e.g. 2024-10-01T00:00:00Z)
  --until T         dead-lettered before T
Options:
  --dry-run         replay: say what would be published, publish nothing
  --input-dir DIR   replay: where the original inputs are now (looked up by file name)

Sealed raw bytes (first-party records) open with INGEST_HMAC_KEY, or after a key rotation with
INGEST_HMAC_KEY_PREVIOUS; replayed records are pseudonymized with INGEST_HMAC_KEY.
  --json            print the result as JSON

Exit codes: 0 ok (also when some letters still fail: see the counts), 2 usage, 3 no stack.`;

/**
 * Every dead letter on the DLQ topic up to its current end, in partition and offset order.
 * Reads with a throwaway consumer group that commits nothing and is deleted afterwards.
 */
export async function readDeadLetters(
  kafka: Kafka,
  log: Logger,
  timeoutMs = 120_000,
): Promise<StoredLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `influence-cli.dlq-read.${randomUUID()}`;
  try {
    const ends = await admin.fetchTopicOffsets(DLQ_TOPIC);
    const pending = new Map<number, bigint>();
    for (const e of ends) if (BigInt(e.high) > BigInt(e.low)) pending.set(e.partition, BigInt(e.high));
    const letters: StoredLetter[] = [];
    if (pending.size === 0) return letters;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [DLQ_TOPIC], fromBeginning: true });
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(new CliError(`reading ${DLQ_TOPIC} took longer than ${timeoutMs / 1000} s; is Kafka up?`)),
          timeoutMs,
        );
        consumer
          .run({
            autoCommit: false,
            // eslint-disable-next-line @typescript-eslint/require-await -- kafkajs wants a promise
            eachMessage: async ({ partition, message }) => {
              const end = pending.get(partition);
              if (end === undefined) return;
              const offset = BigInt(message.offset);
              if (offset < end) {
                const parsed = parseLetter(message.value);
                if (parsed) letters.push({ partition, offset: message.offset, record: parsed });
                else
                  log.warn(
                    { partition, offset: message.offset },
                    'a DLQ message is not a DLQ record; skipped',
                  );
              }
              if (offset + 1n >= end) {
                pending.delete(partition);
                if (pending.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      }).finally(() => clearTimeout(timer));
    } finally {
      await consumer.disconnect();
    }
    letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    return letters;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

function parseLetter(value: Buffer | null): DlqRecordV1 | undefined {
  try {
    const r = DlqRecordV1.safeParse(JSON.parse(value?.toString('utf8') ?? ''));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

function instant(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new CliError(`--${name} ${text} is not an ISO 8601 time`, EXIT.usage);
  return at;
}

export interface ReplaySummary {
  dry_run: boolean;
  letters: number;
  replayed: number;
  already_stored: number;
  still_failing: number;
  not_replayable: number;
  results: {
    dlq: string;
    source: string;
    position: string | null;
    status: 'replayed' | 'would_replay' | 'already_stored' | 'still_failing' | 'not_replayable';
    event_id?: string;
    reason?: string;
    detail?: string;
  }[];
}

export async function dlqCommand(argv: string[], log: Logger): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      reason: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'input-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${DLQ_HELP}\n`);
    return EXIT.ok;
  }
  const [action] = positionals;
  if (action !== 'list' && action !== 'stats' && action !== 'replay')
    throw new CliError(DLQ_HELP, EXIT.usage);
  const since = instant('since', values.since);
  const until = instant('until', values.until);
  const filter: LetterFilter = {
    ...(values.source !== undefined ? { source: values.source } : {}),
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
  const cfg = stackConfig();
  const endpoints = currentEndpoints(cfg);
  if (!endpoints.kafka.brokers)
    throw new CliError('no Kafka brokers: start a stack or set KAFKA_BROKERS', EXIT.notRunning);
  const kafka = createKafka({
    brokers: endpoints.kafka.brokers.split(','),
    clientId: 'influence-cli-dlq',
    log,
  });
  const letters = (await readDeadLetters(kafka, log)).filter((l) => matches(l.record, filter));

  if (action === 'list') {
    const rows = letters.map((l) => ({
      dlq: `${l.partition}:${l.offset}`,
      failed_at: l.record.failed_at,
      step: l.record.step,
      source: l.record.source,
      position: l.record.position,
      reason: l.record.reason,
      detail: l.record.detail,
    }));
    if (values.json) printJson(rows);
    else
      process.stdout.write(
        `${table(
          ['dlq', 'failed at', 'step', 'source', 'position', 'reason', 'detail'],
          rows.map((r) => [
            r.dlq,
            r.failed_at,
            r.step,
            r.source,
            r.position ?? '',
            r.reason,
            r.detail.slice(0, 80),
          ]),
        )}\n`,
      );
    return EXIT.ok;
  }
  if (action === 'stats') {
    const counts = new Map<string, { step: string; reason: string; letters: number }>();
    for (const l of letters) {
      const k = `${l.record.step}\u0000${l.record.reason}`;
      const c = counts.get(k) ?? { step: l.record.step, reason: l.record.reason, letters: 0 };
      c.letters++;
      counts.set(k, c);
    }
    const rows = [...counts.values()].sort((a, b) => b.letters - a.letters);
    if (values.json) printJson({ letters: letters.length, by_step_and_reason: rows });
    else
      process.stdout.write(
        `${table(['step', 'reason', 'letters'], [...rows.map((r) => [r.step, r.reason, r.letters]), ['total', '', letters.length]])}\n`,
      );
    return EXIT.ok;
  }

  const summary = await replay(letters, {
    dryRun: values['dry-run'],
    inputDir: values['input-dir'],
    key: hmacKey(cfg, !endpoints.kafka.external),
    previousKey: previousHmacKey(),
    kafka,
    clickhouseUrl: endpoints.clickhouse.url,
    database: endpoints.clickhouse.database,
    log,
  });
  if (values.json) printJson(summary);
  else {
    process.stdout.write(
      `${table(
        ['dlq', 'source', 'position', 'status', 'detail'],
        summary.results.map((r) => [
          r.dlq,
          r.source,
          r.position ?? '',
          r.status,
          r.detail ?? r.event_id ?? '',
        ]),
      )}\n`,
    );
    process.stdout.write(
      `${summary.letters} dead letters: ${summary.replayed} ${summary.dry_run ? 'would be replayed' : 'replayed'}, ` +
        `${summary.already_stored} already stored, ${summary.still_failing} still failing, ` +
        `${summary.not_replayable} not replayable\n`,
    );
  }
  return EXIT.ok;
}

async function replay(
  letters: readonly StoredLetter[],
  opts: {
    dryRun: boolean;
    inputDir: string | undefined;
    key: Buffer;
    /** Opens letters sealed before a key rotation. */
    previousKey: Buffer | undefined;
    kafka: Kafka;
    clickhouseUrl: string;
    database: string;
    log: Logger;
  },
): Promise<ReplaySummary> {
  const log = opts.log.child({ module: 'dlq-replay' });
  const sealers = [opts.key, ...(opts.previousKey ? [opts.previousKey] : [])].map(createSealer);
  const open = (sealed: Buffer): Buffer => {
    let last: unknown;
    for (const s of sealers) {
      try {
        return s.open(sealed);
      } catch (err) {
        last = err;
      }
    }
    throw last;
  };
  const headers = new Map<string, Promise<Buffer | undefined>>();
  const headerOf = (input: string): Promise<Buffer | undefined> => {
    let h = headers.get(input);
    if (!h) {
      h = (async () => {
        for (const candidate of inputCandidates(input, opts.inputDir)) {
          const line = await firstLine(candidate);
          if (line !== undefined) return line;
        }
        return undefined;
      })();
      headers.set(input, h);
    }
    return h;
  };
  const ctx = {
    sources: IMPORT_SOURCES,
    pseudonymize: createPseudonymizer(opts.key),
    open,
    headerOf,
    now: new Date(),
  };
  const summary: ReplaySummary = {
    dry_run: opts.dryRun,
    letters: letters.length,
    replayed: 0,
    already_stored: 0,
    still_failing: 0,
    not_replayable: 0,
    results: [],
  };
  const publish: { topic: string; key: string; value: string; event_id: string; at: number }[] = [];
  for (const l of letters) {
    const base = { dlq: `${l.partition}:${l.offset}`, source: l.record.source, position: l.record.position };
    const out = await replayLetter(l.record, ctx);
    if (out.status === 'replayable') {
      publish.push({ ...out, at: summary.results.length });
      summary.results.push({
        ...base,
        status: opts.dryRun ? 'would_replay' : 'replayed',
        event_id: out.event_id,
      });
    } else if (out.status === 'still_failing') {
      summary.still_failing++;
      summary.results.push({ ...base, status: out.status, reason: out.reason, detail: out.detail });
    } else {
      summary.not_replayable++;
      summary.results.push({ ...base, status: out.status, detail: out.detail });
    }
  }
  // Events already in ClickHouse (an earlier replay, or a re-import) are not published again.
  const clickhouse = opts.clickhouseUrl
    ? createClickHouse({ url: opts.clickhouseUrl, database: opts.database, log: opts.log })
    : undefined;
  let stored = new Set<string>();
  try {
    if (clickhouse && publish.length > 0)
      stored = new Set(
        await clickhouseStoredLookup(clickhouse)([...new Set(publish.map((p) => p.event_id))]),
      );
  } finally {
    await clickhouse?.close();
  }
  const seen = new Set<string>();
  const fresh = publish.filter((p) => {
    const result = summary.results[p.at];
    if (stored.has(p.event_id) || seen.has(p.event_id)) {
      if (result) result.status = 'already_stored';
      summary.already_stored++;
      return false;
    }
    seen.add(p.event_id);
    return true;
  });
  summary.replayed = fresh.length;
  if (!opts.dryRun && fresh.length > 0) {
    const producer = opts.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    try {
      await sendInChunks(
        producer,
        fresh.map(({ topic, key, value }) => ({ topic, key, value })),
      );
    } finally {
      await producer.disconnect();
    }
  }
  log.info(
    {
      letters: summary.letters,
      replayed: summary.replayed,
      already_stored: summary.already_stored,
      still_failing: summary.still_failing,
      not_replayable: summary.not_replayable,
      dry_run: opts.dryRun,
    },
    'dead letters replayed',
  );
  return summary;
}

/**
 * Which batch hand-off to Temporal sustains more events per second on the dev server.
 *
 *   npm run bench:handoff -- [--events 20000] [--sizes 100,500,1000,2000] [--designs inline,claim,offsets]
 *                             [--starters 1] [--rounds 4]
 *
 * In this one process, against one local stack (the one recorded in INFLUENCE_STATE_DIR when it
 * runs, else one the bench starts in <state dir>/bench-handoff and stops), with a worker of its
 * own (bench/handoff/workflows.ts on a private task queue), it hands the same kind of batches of
 * donation events (valid DonationV1 envelopes with ~600-byte payloads, made into RawEventRow by
 * the bridge's own decodeRawMessage) to Temporal three ways:
 *   A. inline   — the rows in the workflow input and in each activity's input (the pipeline today);
 *   B. claim    — the starter stages the rows in a ClickHouse claim table, the workflow gets
 *                 { batchId, count } and each activity reads the rows back by batch id;
 *   C. offsets  — the envelopes are in a Kafka topic already, the workflow gets the offset range
 *                 and each activity re-reads and re-validates it.
 * The workflows are ingestBatch's shape (two activities in a row; the sponsor signals, the same
 * for every design, are left out) and every design's activities do the same two idempotent
 * inserts (bench/handoff/activities.ts), so only the hand-off differs. The starter hands batches
 * over one after the other, as the bridge does (--starters N for more at once).
 * For each batch size, each design handles --events events in --rounds rounds, every other one in
 * reverse design order, so the drift of a shared, noisy machine falls on every design alike; a
 * design's ratio to inline is the geometric mean of its ratios within each round (runs a few
 * seconds apart), with their range. Events/s is end
 * to end: from the first start (B's claim write included) to the last workflow's completion.
 * Ratios against inline at the same size come first; absolute figures and the Temporal history
 * payload bytes of a batch after them. Results go to bench/handoff-results.json.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { ClickHouseClient } from '@clickhouse/client';
import type { KafkaMessage } from 'kafkajs';
import { loadStackConfig } from '../infra/local/config.ts';
import { readStackState, stackIsRunning, startStack, type StackEndpoints } from '../infra/local/stack.ts';
import { createClickHouse } from '../services/shared/clickhouse.ts';
import { createKafka } from '../services/shared/kafka.ts';
import { createLogger } from '../services/shared/logger.ts';
import { installTemporalLogging } from '../services/worker/worker.ts';
import { decodeRawMessage } from '../services/bridge/raw.consumer.ts';
import type { RawEventRow } from '../workflows/ingest-batch/activity-contracts.ts';
import {
  createHandoffActivities,
  createRangeReader,
  SCRATCH_TABLES,
  writeClaim,
  type RangeReader,
} from './handoff/activities.ts';
import type { HandoffResult } from './handoff/contracts.ts';

const DESIGNS = ['inline', 'claim', 'offsets'] as const;
type Design = (typeof DESIGNS)[number];
const WORKFLOW_OF: Record<Design, string> = {
  inline: 'inlineBatch',
  claim: 'claimCheckBatch',
  offsets: 'offsetRangeBatch',
};
/** Temporal's default limits on one payload: limit.blobSize.error and limit.blobSize.warn. */
const BLOB_LIMIT_BYTES = 2 * 1024 * 1024;
const BLOB_WARN_BYTES = 512 * 1024;
/** The raw topic the inline and claim rows claim to come from. */
const RAW_TOPIC = 'influence.raw.donation.v1';
/** The bridge's batch size today (maxBatchEvents in services/bridge/raw.consumer.ts). */
const TODAY_BATCH = 500;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    sizes: { type: 'string', default: '100,500,1000,2000' },
    designs: { type: 'string', default: DESIGNS.join(',') },
    /** Batches handed over at once: the bridge hands over one at a time (eachBatch, one partition). */
    starters: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '4' },
  },
});
const eventsPerRun = Number(values.events);
const sizes = values.sizes.split(',').map(Number);
const designs = values.designs.split(',') as Design[];
const starters = Number(values.starters);
const rounds = Number(values.rounds);
if (
  !(eventsPerRun > 0) ||
  sizes.some((s) => !Number.isInteger(s) || s <= 0) ||
  designs.some((d) => !DESIGNS.includes(d)) ||
  !(starters > 0) ||
  !Number.isInteger(rounds) ||
  rounds < 1
) {
  process.stderr.write(
    'usage: batch-handoff.ts [--events N] [--sizes 100,500,1000,2000] [--designs inline,claim,offsets] [--starters 1] [--rounds 4]\n',
  );
  process.exit(2);
}

const cfg = loadStackConfig();
const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
mkdirSync(path.join(cfg.stateDir, 'logs'), { recursive: true });
const log = createLogger(
  'bench-handoff',
  createWriteStream(path.join(cfg.stateDir, 'logs', 'bench-handoff.log'), { flags: 'a' }),
);
const say = (line: string): void => void process.stderr.write(`${line}\n`);

// ---- rows -----------------------------------------------------------------------------------

const STATES = ['PA', 'GA', 'MI', 'NV', 'AZ', 'WI', 'NC', 'TX', 'CA', 'NY'];
const MEMO = 'EARMARKED CONTRIBUTION: SEE BELOW; REFUND OF EXCESSIVE PORTION PENDING REDESIGNATION. ';

/** A donation payload of ~600 bytes of JSON, as an itcont row gives one (every column filled). */
function donationPayload(n: number): Record<string, unknown> {
  const p: Record<string, unknown> = {
    committee_id: `C00${String(879510 + (n % 50)).padStart(6, '0')}`,
    contributor_name: `DONOR${n % 100000}, PERSON ${n % 997}`,
    contributor_state: STATES[n % STATES.length],
    contributor_zip: `${10000 + (n % 89999)}1234`,
    amount: `${(n % 5000) + 5}.00`,
    currency: 'USD',
    contributed_on: isoDate(n),
    memo: n % 17 === 0,
    transaction_type: '15',
    entity_type: 'IND',
    contributor_city: `CITY ${n % 301}`,
    contributor_employer: `EMPLOYER ${n % 503}`,
    contributor_occupation: `OCCUPATION ${n % 71}`,
    report_type: 'Q3',
    amendment_indicator: 'N',
    transaction_pgi: 'P2024',
    image_number: `2024${String(n).padStart(14, '0')}`,
    file_number: String(1800000 + (n % 999)),
    fec_sub_id: String(4100000000000000000n + BigInt(n)),
    transaction_id: `SA11AI.${n}`,
  };
  p.memo_text = MEMO.repeat(8).slice(0, Math.max(1, 600 - JSON.stringify(p).length - 16));
  return p;
}

function isoDate(n: number): string {
  return `2024-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`;
}

let serial = 0;

/** The next `count` donation events as the raw topic holds them (envelope JSON). */
function makeValues(count: number): string[] {
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = serial++;
    values.push(
      JSON.stringify({
        event_id: createHash('sha256').update(`${runId}:${n}`).digest('hex').slice(0, 32),
        type: 'donation',
        schema_version: 1,
        source: 'fec:itcont',
        source_record_id: String(4100000000000000000n + BigInt(n)),
        occurred_at: `${isoDate(n)}T00:00:00.000Z`,
        ingested_at: '2026-11-26T12:00:00.000Z',
        payload: donationPayload(n),
      }),
    );
  }
  return values;
}

/** The rows the bridge makes of those values (decodeRawMessage: validation included). */
function toRows(values: string[], workflowId: string, topic: string, firstOffset: bigint): RawEventRow[] {
  return values.map((value, i) => {
    const message = {
      key: null,
      value: Buffer.from(value),
      offset: String(firstOffset + BigInt(i)),
      timestamp: '0',
      attributes: 0,
      headers: {},
    } as KafkaMessage;
    const d = decodeRawMessage(topic, 0, message);
    if (!d.ok) throw new Error(`a generated event is invalid: ${d.letter.detail}`);
    return { ...d.row, workflow_id: workflowId };
  });
}

// ---- the stack --------------------------------------------------------------------------------

interface BenchStack {
  endpoints: StackEndpoints;
  /** The dev server's log, where it reports payloads over its warning limit (none when external). */
  temporalLog: string | undefined;
  stop: () => Promise<void>;
}

async function stackEndpoints(): Promise<BenchStack> {
  const recorded = readStackState(cfg.stateDir);
  if (recorded && stackIsRunning(recorded)) {
    say(`using the stack recorded in ${cfg.stateDir}`);
    return {
      endpoints: recorded.endpoints,
      temporalLog: recorded.processes.find((p) => p.name === 'temporal')?.log_file,
      stop: () => Promise.resolve(),
    };
  }
  say(`no stack runs from ${cfg.stateDir}: starting one (first run installs Kafka and Temporal)…`);
  const stack = await startStack({
    cfg,
    log,
    stateDir: path.join(cfg.stateDir, 'bench-handoff'),
    ui: false,
    database: 'influence_bench',
  });
  return {
    endpoints: stack.endpoints,
    temporalLog: stack.processes.find((p) => p.name === 'temporal')?.logFile,
    stop: () => stack.stop(),
  };
}

/**
 * The `<design>:<size>` keys of this run whose workflows the dev server logged "Blob data size
 * exceeds the warning limit" for (a payload over 512 KiB), from `offset` of its log on. The
 * server throttles these lines, so they say whether it warned, not how often. Undefined without
 * a log (an external server).
 */
function blobWarned(file: string | undefined, offset: number): Set<string> | undefined {
  if (!file || !existsSync(file)) return undefined;
  const warned = new Set<string>();
  const text = readFileSync(file).subarray(offset).toString('utf8');
  const prefix = `handoff:${runId}:`;
  for (const line of text.split('\n')) {
    if (!line.includes('Blob data size exceeds the warning limit')) continue;
    let id: unknown;
    try {
      id = (JSON.parse(line) as { 'wf-id'?: unknown })['wf-id'];
    } catch {
      continue;
    }
    if (typeof id !== 'string' || !id.startsWith(prefix)) continue;
    const [design, size] = id.slice(prefix.length).split(':');
    warned.add(`${design}:${size}`);
  }
  return warned;
}

// ---- history size ----------------------------------------------------------------------------

/** The size of every Payload (data and metadata) in a decoded history, into `out`. */
function payloadSizes(node: unknown, out: number[]): number[] {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return out;
  const o = node as Record<string, unknown>;
  if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') {
    let bytes = o.data.length;
    for (const [k, v] of Object.entries(o.metadata))
      bytes += k.length + (v instanceof Uint8Array ? v.length : 0);
    out.push(bytes);
    return out;
  }
  for (const v of Array.isArray(node) ? (node as unknown[]) : Object.values(o)) payloadSizes(v, out);
  return out;
}

// ---- one run ----------------------------------------------------------------------------------

interface RunFigures {
  design: Design;
  size: number;
  round: number;
  batches: number;
  events: number;
  seconds: number;
  /** From the first start to the last start acknowledged (B: claim writes included). */
  start_seconds: number;
  failed_batches: number;
  failure?: string;
}

interface Prepared {
  workflowId: string;
  count: number;
  /** The rows, for the starters that hand rows over (inline) or stage them (claim). */
  rows: RawEventRow[];
  args: unknown[];
}

async function prepare(
  design: Design,
  size: number,
  batches: number,
  tag: string,
  kafka: { topic: string; produce: (values: string[]) => Promise<bigint> },
): Promise<Prepared[]> {
  const out: Prepared[] = [];
  for (let b = 0; b < batches; b++) {
    const workflowId = `handoff:${runId}:${tag}:${b}`;
    const values = makeValues(size);
    if (design === 'offsets') {
      // The events are in Kafka before the clock starts, as the bridge finds them.
      const first = await kafka.produce(values);
      const range = { firstOffset: String(first), lastOffset: String(first + BigInt(size - 1)) };
      out.push({ workflowId, count: size, rows: [], args: [{ topic: kafka.topic, partition: 0, ...range }] });
    } else {
      const rows = toRows(values, workflowId, RAW_TOPIC, BigInt(serial));
      out.push({
        workflowId,
        count: size,
        rows,
        args: design === 'inline' ? [{ rows }] : [{ batchId: workflowId, count: rows.length }],
      });
    }
  }
  return out;
}

/** The server's reason when there is one (a start refused for its size says so in the cause). */
function reason(err: unknown): string {
  const e = err as Error & { cause?: { message?: string; details?: string } };
  return e.cause?.details ?? e.cause?.message ?? e.message;
}

async function runOnce(
  client: Client,
  clickhouse: ClickHouseClient,
  taskQueue: string,
  design: Design,
  batches: Prepared[],
): Promise<Omit<RunFigures, 'design' | 'size' | 'round'> & { started: string[] }> {
  const handles: WorkflowHandle[] = [];
  const failures: string[] = [];
  let next = 0;
  const t0 = performance.now();
  // Each starter hands over one batch after the other, as the bridge does for its partitions.
  const starter = async (): Promise<void> => {
    for (let i = next++; i < batches.length; i = next++) {
      const b = batches[i];
      if (!b) continue;
      try {
        if (design === 'claim') await writeClaim(clickhouse, b.workflowId, b.rows);
        handles.push(
          await client.workflow.start(WORKFLOW_OF[design], {
            taskQueue,
            workflowId: b.workflowId,
            args: b.args,
            workflowRunTimeout: '3 minutes',
          }),
        );
      } catch (err) {
        failures.push(reason(err));
      }
    }
  };
  await Promise.all(Array.from({ length: starters }, () => starter()));
  const started = performance.now();
  const size = batches[0]?.count ?? 0;
  let events = 0;
  await Promise.all(
    handles.map(async (h) => {
      try {
        const r = (await h.result()) as HandoffResult;
        if (r.raw !== size || r.typed !== size)
          failures.push(`a batch saw ${r.raw}/${r.typed} of ${size} rows`);
        else events += size;
      } catch (err) {
        failures.push(reason(err));
      }
    }),
  );
  return {
    batches: batches.length,
    events,
    seconds: (performance.now() - t0) / 1000,
    start_seconds: (started - t0) / 1000,
    failed_batches: failures.length,
    ...(failures[0] ? { failure: failures[0] } : {}),
    started: handles.map((h) => h.workflowId),
  };
}

// ---- main -------------------------------------------------------------------------------------

const stack = await stackEndpoints();
const e = stack.endpoints;
const database = `bench_handoff_${runId}`;
const admin = createClickHouse({ url: e.clickhouse.url, log });
const clickhouse = createClickHouse({ url: e.clickhouse.url, log, database });
const kafka = createKafka({ brokers: e.kafka.brokers.split(','), clientId: 'bench-handoff', log });
const kafkaAdmin = kafka.admin();
const producer = kafka.producer({ idempotent: true });
const topic = `bench.handoff.${runId}`;
const taskQueue = `bench-handoff-${runId}`;
let reader: RangeReader | undefined;
let worker: Worker | undefined;
let workerRun: Promise<void> | undefined;
const connections: { close(): Promise<void> }[] = [];

try {
  await admin.command({ query: `CREATE DATABASE ${database}` });
  for (const ddl of SCRATCH_TABLES) await clickhouse.command({ query: ddl });
  await kafkaAdmin.connect();
  await producer.connect();
  if (designs.includes('offsets')) {
    await kafkaAdmin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    });
    reader = await createRangeReader(kafka, topic, 8, `bench-handoff.${runId}.reader`);
  }
  /** Produces rows to the bench topic; returns the offset of the first. */
  const produce = async (values: string[]): Promise<bigint> => {
    const [high] = await kafkaAdmin.fetchTopicOffsets(topic);
    for (let i = 0; i < values.length; i += 200) {
      await producer.send({
        topic,
        acks: -1,
        messages: values.slice(i, i + 200).map((value) => ({ value })),
      });
    }
    // One producer, one partition: the batch's offsets follow the high mark without gaps.
    return BigInt(high?.high ?? '0');
  };

  installTemporalLogging(log);
  const nativeConnection = await NativeConnection.connect({ address: e.temporal.address });
  connections.push(nativeConnection);
  const connection = await Connection.connect({ address: e.temporal.address });
  connections.push(connection);
  const client = new Client({ connection, namespace: e.temporal.namespace });
  say('bundling the bench workflows…');
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: e.temporal.namespace,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./handoff/workflows.ts', import.meta.url)),
    activities: createHandoffActivities({ clickhouse, ...(reader ? { reader } : {}) }),
    // As the pipeline's worker (services/worker/worker.ts).
    maxConcurrentActivityTaskExecutions: 8,
  });
  workerRun = worker.run();

  // Warm-up: JIT, connections, the workflow bundle's first load; not recorded.
  let warmEvents = 0;
  for (const design of designs) {
    const warm = await prepare(design, 100, 4, `warmup:${design}`, { topic, produce });
    warmEvents += (await runOnce(client, clickhouse, taskQueue, design, warm)).events;
  }

  const logStart = stack.temporalLog && existsSync(stack.temporalLog) ? statSync(stack.temporalLog).size : 0;
  const runs: RunFigures[] = [];
  const history = new Map<
    string,
    { payload_bytes: number; largest: number; over_warn: number; events: number }
  >();
  const inputBytes = new Map<string, number>();
  for (const size of sizes) {
    const batches = Math.max(1, Math.round(eventsPerRun / rounds / size));
    for (let round = 0; round < rounds; round++) {
      for (const design of round % 2 === 0 ? designs : [...designs].reverse()) {
        const tag = `${design}:${size}:${round}`;
        const prepared = await prepare(design, size, batches, tag, { topic, produce });
        inputBytes.set(`${design}:${size}`, Buffer.byteLength(JSON.stringify(prepared[0]?.args ?? [])));
        const { started, ...r } = await runOnce(client, clickhouse, taskQueue, design, prepared);
        runs.push({ design, size, round, ...r });
        say(
          `  ${String(size).padStart(5)} × ${design.padEnd(7)} round ${round}: ` +
            `${r.events} events in ${r.seconds.toFixed(1)} s = ${Math.round(r.events / r.seconds)} events/s` +
            (r.failed_batches > 0 ? ` (${r.failed_batches} batches failed: ${r.failure})` : ''),
        );
        const first = started[0];
        if (round === 0 && first) {
          const h = await client.workflow.getHandle(first).fetchHistory();
          const payloads = payloadSizes(h.events ?? [], []);
          history.set(`${design}:${size}`, {
            payload_bytes: payloads.reduce((a, b) => a + b, 0),
            largest: Math.max(0, ...payloads),
            over_warn: payloads.filter((b) => b > BLOB_WARN_BYTES).length,
            events: h.events?.length ?? 0,
          });
        }
      }
    }
  }

  const warned = blobWarned(stack.temporalLog, logStart);
  // Every event a workflow reported must be in both scratch tables, once (unique dedup tokens).
  const countRows = async (table: string): Promise<number> => {
    const rs = await clickhouse.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
    return Number((await rs.json<{ n: string }>())[0]?.n ?? 0);
  };
  const expectedRows = warmEvents + runs.reduce((s, r) => s + r.events, 0);
  const stored = { raw: await countRows('raw_events'), typed: await countRows('donation_events') };
  if (stored.raw !== expectedRows || stored.typed !== expectedRows) {
    say(
      `MISMATCH: the scratch tables hold ${stored.raw} raw and ${stored.typed} typed rows, not ${expectedRows}`,
    );
    process.exitCode = 1;
  }
  // ---- report -------------------------------------------------------------------------------
  const summary = sizes.flatMap((size) =>
    designs.map((design) => {
      const mine = runs.filter((r) => r.design === design && r.size === size);
      const events = mine.reduce((s, r) => s + r.events, 0);
      const seconds = mine.reduce((s, r) => s + r.seconds, 0);
      const failed = mine.reduce((s, r) => s + r.failed_batches, 0);
      const startSeconds = mine.reduce((s, r) => s + r.start_seconds, 0);
      const hist = history.get(`${design}:${size}`);
      return {
        design,
        size,
        events,
        seconds: Number(seconds.toFixed(2)),
        /** Share of the wall time the starter took to hand everything over (near 1: starter-bound). */
        start_share: seconds > 0 ? Number((startSeconds / seconds).toFixed(3)) : null,
        events_per_s: failed === 0 && events > 0 ? Math.round(events / seconds) : null,
        failed_batches: failed,
        failure: mine.find((r) => r.failure)?.failure ?? null,
        start_input_bytes: inputBytes.get(`${design}:${size}`) ?? 0,
        history_payload_bytes_per_batch: hist?.payload_bytes ?? null,
        history_events_per_batch: hist?.events ?? null,
        history_largest_payload_bytes: hist?.largest ?? null,
        /** Payloads in a batch's history over the server's warning limit (512 KiB). */
        history_payloads_over_warn_limit: hist?.over_warn ?? null,
        server_logged_blob_warning: warned ? warned.has(`${design}:${size}`) : null,
      };
    }),
  );
  const rate = (design: Design, size: number): number | null =>
    summary.find((s) => s.design === design && s.size === size)?.events_per_s ?? null;
  /** The ratio in each round alone (same size, inline of the same round): the spread of the noise. */
  const roundRatios = (design: Design, size: number): number[] =>
    Array.from({ length: rounds }, (_, round) => round).flatMap((round) => {
      const at = (d: Design): RunFigures | undefined =>
        runs.find((r) => r.design === d && r.size === size && r.round === round);
      const mine = at(design);
      const base = at('inline');
      return mine && base && mine.failed_batches === 0 && base.failed_batches === 0 && base.events > 0
        ? [Number((mine.events / mine.seconds / (base.events / base.seconds)).toFixed(3))]
        : [];
    });
  /**
   * Against inline at the same size: the geometric mean of the round ratios. Against inline at
   * another size (runs minutes apart): the ratio of the totals.
   */
  const ratio = (design: Design, size: number, baseSize = size): number | null => {
    if (baseSize === size && summary.some((s) => s.design === design && s.size === size && s.events_per_s)) {
      const rr = roundRatios(design, size);
      if (rr.length === rounds)
        return Number(Math.exp(rr.reduce((a, r) => a + Math.log(r), 0) / rr.length).toFixed(3));
      return null;
    }
    const mine = rate(design, size);
    const base = rate('inline', baseSize);
    return mine && base ? Number((mine / base).toFixed(3)) : null;
  };
  const rows = summary.map((s) => ({
    ...s,
    ratio_vs_inline: ratio(s.design, s.size),
    ratio_vs_inline_by_round: roundRatios(s.design, s.size),
    /** Against the pipeline as it is: inline rows in batches of 500 (the bridge's maxBatchEvents). */
    ratio_vs_inline_500: ratio(s.design, s.size, TODAY_BATCH),
  }));
  const sample = toRows(makeValues(1), `handoff:${runId}:inline:500:0:0`, RAW_TOPIC, 0n)[0];
  const result = {
    measured_at: new Date().toISOString(),
    events_per_design_and_size: eventsPerRun,
    sizes,
    designs,
    starters,
    rounds,
    worker_max_concurrent_activities: 8,
    payload_json_bytes: sample?.payload.length ?? 0,
    row_json_bytes: Buffer.byteLength(JSON.stringify(sample)),
    blob_limit_bytes: BLOB_LIMIT_BYTES,
    blob_warn_bytes: BLOB_WARN_BYTES,
    stack: {
      kafka_external: e.kafka.external,
      temporal_external: e.temporal.external,
      clickhouse_external: e.clickhouse.external,
    },
    rows_stored: { expected: expectedRows, ...stored },
    results: rows,
    runs: runs.map((r) => ({
      ...r,
      seconds: Number(r.seconds.toFixed(3)),
      start_seconds: Number(r.start_seconds.toFixed(3)),
    })),
  };
  writeFileSync(
    path.join(import.meta.dirname, 'handoff-results.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );

  const cell = (r: (typeof rows)[number] | undefined, v: number | null, digits: number): string =>
    v !== null ? v.toFixed(digits) : r && r.failed_batches > 0 ? 'refused' : '—';
  const spread = (r: (typeof rows)[number] | undefined): string => {
    const rr = r?.ratio_vs_inline_by_round ?? [];
    return r && r.design !== 'inline' && rr.length > 1
      ? `${cell(r, r.ratio_vs_inline, 2)} (${Math.min(...rr).toFixed(2)}–${Math.max(...rr).toFixed(2)})`
      : cell(r, r?.ratio_vs_inline ?? null, 2);
  };
  const byKey = (design: Design, size: number): (typeof rows)[number] | undefined =>
    rows.find((r) => r.design === design && r.size === size);
  const header = (first: string): string =>
    `${first.padStart(6)}  ${designs.map((d) => d.padStart(8)).join('  ')}`;
  const lines = [
    `batch hand-off to Temporal: ${eventsPerRun} events per design and size in ${rounds} rounds, ${starters} starter(s), ` +
      `payload ${result.payload_json_bytes} B, row ${result.row_json_bytes} B as JSON`,
    '',
    'events/s ratio vs inline at the same batch size: geometric mean of the rounds (their range)',
    `${'size'.padStart(6)}  ${designs.map((d) => d.padStart(18)).join('  ')}`,
    ...sizes.map(
      (size) =>
        `${String(size).padStart(6)}  ${designs.map((d) => spread(byKey(d, size)).padStart(18)).join('  ')}`,
    ),
    '',
    `events/s ratio vs inline at ${TODAY_BATCH} (the pipeline today)`,
    header('size'),
    ...sizes.map(
      (size) =>
        `${String(size).padStart(6)}  ${designs
          .map((d) => cell(byKey(d, size), ratio(d, size, TODAY_BATCH), 2).padStart(8))
          .join('  ')}`,
    ),
    '',
    `${'size'.padStart(6)}  ${'design'.padEnd(8)}  ${'events/s'.padStart(9)}  ${'seconds'.padStart(8)}  ` +
      `${'start share'.padStart(11)}  ${'input B'.padStart(9)}  ${'history payload B/batch'.padStart(23)}  ` +
      `${'>512K'.padStart(5)}  failed`,
    ...rows.map(
      (r) =>
        `${String(r.size).padStart(6)}  ${r.design.padEnd(8)}  ${cell(r, r.events_per_s, 0).padStart(9)}  ` +
        `${r.seconds.toFixed(1).padStart(8)}  ${(r.start_share?.toFixed(2) ?? '—').padStart(11)}  ` +
        `${String(r.start_input_bytes).padStart(9)}  ${(r.history_payload_bytes_per_batch?.toString() ?? '—').padStart(23)}  ` +
        `${(r.history_payloads_over_warn_limit?.toString() ?? '—').padStart(5)}  ` +
        `${r.failed_batches}${r.failure ? ` (${r.failure.slice(0, 100)})` : ''}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  worker?.shutdown();
  await workerRun?.catch((err: unknown) => log.error({ err }, 'bench worker failed'));
  if (reader) {
    await reader.close();
    await kafkaAdmin.deleteGroups(reader.groups).catch(() => undefined);
  }
  for (const c of connections.reverse()) await c.close().catch(() => undefined);
  await producer.disconnect().catch(() => undefined);
  if (designs.includes('offsets')) await kafkaAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await kafkaAdmin.disconnect().catch(() => undefined);
  await clickhouse.close();
  await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
  await admin.close();
  await stack.stop();
}

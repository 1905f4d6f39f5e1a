/**
 * `npm run bench`: one command that measures the pipeline and prints ratios first.
 *
 *   npm run bench -- [--events 1000000] [--rows 10000000] [--itcont-gb 2] [--parse-mb 16]
 *                    [--only parse,pipeline,queries,memory] [--reuse] [--keep] [--cpu-prof] …
 *
 * Sections (each can be skipped with --only and sized by its flag):
 *   parse     ingestion parse rate per source (MB/s, rows/s) against a split-only baseline of the
 *             same input (bench/lib/parse-rate.ts). Target: importer ≥ 0.5 × split.
 *   memory    the importer's RSS over a generated itcont file of --itcont-gb GB, in a process of
 *             its own (end ÷ first tenth: flat ≈ 1), and the peak RSS (VmHWM) of every process of
 *             the stack at the end of the run (when the run has one: pipeline, queries or --reuse).
 *   pipeline  end-to-end events/s on a generated mix of every event type (bench/lib/event-mix.ts),
 *             from the first publish until all are in raw_events and the typed tables
 *             (Kafka → bridge → Temporal → ClickHouse), then until idle (correlations done); and
 *             in the same run the raw baseline: the same events through a plain kafkajs consumer
 *             straight into a scratch table, on the pipeline's clock (published again to topics
 *             of its own, first publish → last insert) and on a consumer's clock (bench/lib/
 *             baseline.ts). Targets: pipeline ≥ 0.5 × baseline (the first), ≥ 20,000 events/s.
 *   queries   p50/p95 of every cookbook query (docs/sql) as the analyst, on --rows generated rows
 *             in a scratch database. Target: p95 < 100 ms.
 *
 * It starts a private stack in a temporary folder (or, with --reuse, uses the one recorded in
 * INFLUENCE_STATE_DIR) with a bridge and a worker, and stops what it started. The default sizes
 * are the targets' (1M events, 10M rows, 2 GB): at today's few hundred events/s the pipeline
 * section alone takes about an hour on 2 cores, so CI and development runs pass smaller ones,
 * e.g. `npm run bench -- --events 50000 --rows 1000000 --itcont-gb 0.25`. The machines are shared
 * and noisy: ratios come first. Misses are marked, never turned into a failing exit code; the
 * process fails only when it cannot measure (a stack that does not start, a broker that refuses).
 * Results go to bench/results.json.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { createClickHouse } from '../services/shared/clickhouse.ts';
import { measureBaseline, measureBaselineEndToEnd, type BaselineMeasure } from './lib/baseline.ts';
import { summarizeProfiles, type ProfileSummary } from './lib/cpu-profile.ts';
import type { ImporterRss } from './lib/importer-rss.child.ts';
import { generateItcont, splitPipeFile } from './lib/itcont.ts';
import { groupCpuSeconds, groupMemory, type ProcessMemory } from './lib/memory.ts';
import { measureParseRate, prepareParseInputs, type ParseRate } from './lib/parse-rate.ts';
import {
  formatDuration,
  measurePipeline,
  rawTopicEnds,
  writeEventFile,
  type PipelineMeasure,
} from './lib/pipeline.ts';
import { measureCookbook, prepareQueryData, type QueriesMeasure } from './lib/queries.ts';
import { atLeast, below, figureTable, machineNote, table, type Figure } from './lib/report.ts';
import { acquireStack, type BenchStack } from './lib/stack.ts';

const SECTIONS = ['parse', 'pipeline', 'queries', 'memory'] as const;
type Section = (typeof SECTIONS)[number];
const RESULTS = path.join(import.meta.dirname, 'results.json');
/** What the pipeline managed before this bench existed, for the first estimate. */
const ASSUMED_EVENTS_PER_S = 300;
/** RSS at the end over RSS after the first tenth of the file: above this it is not flat. */
const FLAT_RSS_RATIO = 1.2;

const USAGE = `Usage: npm run bench -- [options]

  --only LIST        sections to run, comma-separated: ${SECTIONS.join(',')} (default: all)
  --events N         events through the pipeline and the raw baseline (default 1000000;
                     CI/dev: e.g. 50000 — the pipeline manages a few hundred events/s on 2 cores)
  --sponsors N       committees the generated events are spread over (default 50)
  --rows N           generated rows for the cookbook queries (default 10000000)
  --query-runs N     timed runs per cookbook query after one warm-up (default 20, so p95 is not just the slowest run; fewer for a slow query)
  --itcont-gb N      size of the generated itcont file of the importer memory test (default 2; --gb too)
  --parse-mb N       size of each parse-rate input (default 16)
  --parse-rounds N   rounds per source, the best time counts (default 2)
  --reuse            use the running stack of INFLUENCE_STATE_DIR instead of starting a private one
  --cpu-prof         run the bridge, the worker (and a private stack's ClickHouse gateway) with
                     --cpu-prof and summarise where their time went
  --timeout-s N      give up waiting for the pipeline after N s (default: max(900, events / 50))
  --keep             keep the generated files, the scratch databases and the private stack's folder
  --seed N           seed of the generated events (default 7)
  -h, --help         this text`;

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: SECTIONS.join(',') },
    events: { type: 'string', default: '1000000' },
    sponsors: { type: 'string', default: '50' },
    rows: { type: 'string', default: '10000000' },
    'query-runs': { type: 'string', default: '20' },
    'itcont-gb': { type: 'string' },
    gb: { type: 'string' },
    'parse-mb': { type: 'string', default: '16' },
    'parse-rounds': { type: 'string', default: '2' },
    reuse: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'timeout-s': { type: 'string' },
    keep: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function positive(name: string, text: string | undefined, integer = true): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    process.stderr.write(
      `--${name} expects a positive ${integer ? 'integer' : 'number'}, not ${text}\n\n${USAGE}\n`,
    );
    process.exit(2);
  }
  return n;
}
const only = new Set(values.only.split(',').map((s) => s.trim()));
for (const s of only)
  if (!(SECTIONS as readonly string[]).includes(s)) {
    process.stderr.write(`--only: unknown section ${s} (known: ${SECTIONS.join(', ')})\n`);
    process.exit(2);
  }
const run = (s: Section): boolean => only.has(s);
const sizes = {
  events: positive('events', values.events),
  sponsors: positive('sponsors', values.sponsors),
  rows: positive('rows', values.rows),
  query_runs: positive('query-runs', values['query-runs']),
  itcont_gb: positive('itcont-gb', values['itcont-gb'] ?? values.gb ?? '2', false),
  parse_mb: positive('parse-mb', values['parse-mb'], false),
  parse_rounds: positive('parse-rounds', values['parse-rounds']),
  seed: positive('seed', values.seed),
};
const timeoutS = values['timeout-s']
  ? positive('timeout-s', values['timeout-s'])
  : Math.max(900, Math.round(sizes.events / 50));
// The run's tag: unique ids and a source of their own for this run's events (the time in seconds).
const tag = String(Math.floor(Date.now() / 1000) % 100_000_000);
const say = (line: string): void => void process.stderr.write(`${line}\n`);

const dataDir = mkdtempSync(path.join(tmpdir(), 'influence-bench-data-'));
const startedAt = new Date();
const machineAtStart = machineNote();
let stack: BenchStack | undefined;
let cleaning: Promise<void> | undefined;
const scratchDbs: string[] = [];

/** Stops what this run started, once, whatever ends the run. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (stack) {
      if (!values.keep) {
        for (const db of scratchDbs)
          await stack.clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` }).catch(() => undefined);
      }
      say(stack.own ? 'stopping the private stack…' : 'stopping what this run added to the stack…');
      await stack
        .stop(values.keep)
        .catch((err: unknown) => say(`stopping failed: ${(err as Error).message}`));
    }
    if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    say(`${signal}: stopping…`);
    void cleanup().finally(() => process.exit(130));
  });

const results: {
  parse?: ParseRate[];
  importer?: Record<string, unknown>;
  pipeline?: PipelineMeasure;
  /** The raw baseline on the pipeline's clock (first publish → last insert): the target's. */
  baseline_e2e?: BaselineMeasure | { error: string };
  /** The raw baseline on a consumer's clock (events already in Kafka). */
  baseline?: BaselineMeasure | { error: string };
  queries?: QueriesMeasure;
  stack_memory?: ProcessMemory[];
  cpu_profiles?: (ProfileSummary & { process: string })[];
} = {};

try {
  if (run('parse')) {
    say(`parse rates: preparing inputs of ~${sizes.parse_mb} MB per source…`);
    const inputs = await prepareParseInputs(dataDir, sizes.parse_mb * 1e6);
    results.parse = [];
    for (const input of inputs) {
      const r = await measureParseRate(input, sizes.parse_rounds);
      results.parse.push(r);
      say(
        `  ${r.source}: ${r.import_mb_per_s} MB/s, ${r.import_rows_per_s} rows/s; split ${r.split_mb_per_s} MB/s; ratio ${r.ratio}`,
      );
    }
  }

  if (run('memory')) results.importer = await importerMemory();

  if (run('pipeline') || run('queries') || (values.reuse && run('memory'))) {
    const cpuProfDir = values['cpu-prof'] ? path.join(tmpdir(), `influence-bench-prof-${tag}`) : undefined;
    if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
    stack = await acquireStack({ reuse: values.reuse, say, ...(cpuProfDir ? { cpuProfDir } : {}) });
    say(`stack: ${stack.own ? 'private' : 'reused'}, state in ${stack.stateDir}`);
  }

  if (run('pipeline') && stack) await pipelineSections(stack);
  if (run('queries') && stack) results.queries = await querySection(stack);

  if (run('memory') && stack) {
    results.stack_memory = stack.processes().map((p) => groupMemory(p.name, p.pid));
  }
} finally {
  const pids = new Map(stack?.processes().map((p) => [p.pid, p.name]) ?? []);
  await cleanup();
  if (stack?.cpuProfDir) {
    results.cpu_profiles = summarizeProfiles(stack.cpuProfDir).map((p) => {
      const pid = Number(/\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(p.file)?.[1] ?? 0);
      return { process: pids.get(pid) ?? `pid ${pid}`, ...p };
    });
  }
}
report();

async function importerMemory(): Promise<Record<string, unknown>> {
  const file = path.join(dataDir, 'itcont-memory.txt');
  say(`importer memory: generating ${sizes.itcont_gb} GB of itcont rows…`);
  const generated = await generateItcont(file, Math.round(sizes.itcont_gb * 1024 ** 3));
  const size = statSync(file).size;
  say(`  ${generated.toLocaleString('en-US')} rows, ${(size / 1e9).toFixed(2)} GB; splitting (baseline)…`);
  const split = await splitPipeFile(file);
  say(`  importing in a child process (at ~3 MB/s this takes ~${formatDuration(size / 3e6)})…`);
  const child = path.join(import.meta.dirname, 'lib', 'importer-rss.child.ts');
  const { stdout } = await promisify(execFile)(process.execPath, [child, file], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 6 * 3600 * 1000,
  });
  const r = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ImporterRss;
  rmSync(file, { force: true });
  const firstTenth = r.rss_samples_mb.find(([f]) => f >= 0.1) ?? r.rss_samples_mb[0];
  const last = r.rss_samples_mb.at(-1);
  return {
    file_gb: Number((size / 1e9).toFixed(3)),
    rows: r.rows,
    published: r.published,
    dead_lettered: r.dead_lettered,
    import_rows_per_s: Math.round(r.rows / r.seconds),
    import_mb_per_s: Number((size / 1e6 / r.seconds).toFixed(2)),
    split_rows_per_s: Math.round(split.rows / split.seconds),
    ratio_parse_vs_split: Number((split.seconds / r.seconds).toFixed(3)),
    rss_mb_after_first_tenth: firstTenth?.[1] ?? null,
    rss_mb_at_end: last?.[1] ?? null,
    ratio_rss_end_vs_first_tenth: firstTenth && last ? Number((last[1] / firstTenth[1]).toFixed(3)) : null,
    peak_rss_mb: r.peak_rss_mb,
    rss_samples_mb: r.rss_samples_mb,
  };
}

/** The previous run's pipeline rate, for the estimate. */
function previousRate(): number | undefined {
  if (!existsSync(RESULTS)) return undefined;
  try {
    const prev = JSON.parse(readFileSync(RESULTS, 'utf8')) as { pipeline?: { events_per_s?: number | null } };
    return prev.pipeline?.events_per_s ?? undefined;
  } catch {
    return undefined;
  }
}

async function pipelineSections(s: BenchStack): Promise<void> {
  const rate = previousRate();
  const assumed = rate ?? ASSUMED_EVENTS_PER_S;
  say(
    `pipeline: ${sizes.events.toLocaleString('en-US')} events over ${sizes.sponsors} sponsors; at ` +
      `${assumed} events/s (${rate ? 'the last run' : 'an assumption'}) this takes ~${formatDuration(sizes.events / assumed)}` +
      `${sizes.events > 100_000 ? ' (CI/dev: --events 50000)' : ''}; giving up after ${formatDuration(timeoutS)}`,
  );
  say('  generating the events (before the clock starts)…');
  const generated = await writeEventFile(path.join(dataDir, 'events.tsv'), sizes.events, {
    tag,
    sponsors: sizes.sponsors,
    seed: sizes.seed,
  });
  say(
    `  ${generated.events.toLocaleString('en-US')} events, ${(generated.bytes / 1e6).toFixed(0)} MB, in ${generated.seconds.toFixed(1)} s`,
  );
  const admin = s.kafka.admin();
  await admin.connect();
  try {
    const from = await rawTopicEnds(admin);
    results.pipeline = await measurePipeline({
      kafka: s.kafka,
      admin,
      temporal: s.temporal,
      clickhouse: s.clickhouse,
      events: generated,
      timeoutMs: timeoutS * 1000,
      say,
      cpu: () => groupCpuSeconds([...s.processes(), { name: 'bench (publisher, polls)', pid: process.pid }]),
    });
    const p = results.pipeline;
    say(
      p.incomplete
        ? `  pipeline incomplete: ${p.incomplete}`
        : `  pipeline: ${p.events_per_s} events/s to visible (${p.visible_seconds} s), ` +
            (p.not_idle ? `not idle: ${p.not_idle}` : `idle after ${p.idle_seconds} s`),
    );
    const to = await rawTopicEnds(admin);
    say('raw baseline: the same events, plain consumer → scratch table…');
    const scratchDb = `bench_${tag}_baseline`;
    scratchDbs.push(scratchDb);
    results.baseline = await measureBaseline({
      kafka: s.kafka,
      clickhouse: s.clickhouse,
      database: s.endpoints.clickhouse.database,
      scratchDb,
      groupId: `bench.baseline.${tag}`,
      from,
      to,
      timeoutMs: timeoutS * 1000,
    }).catch((err: unknown) => ({ error: (err as Error).message }));
    if ('error' in results.baseline) say(`  baseline failed: ${results.baseline.error}`);
    else say(`  baseline: ${results.baseline.events_per_s} events/s (${results.baseline.seconds} s)`);
    say(
      'raw baseline end to end: the event file published again to topics of its own, plain consumer → scratch table…',
    );
    results.baseline_e2e = await measureBaselineEndToEnd({
      kafka: s.kafka,
      clickhouse: s.clickhouse,
      database: s.endpoints.clickhouse.database,
      scratchDb,
      groupId: `bench.baseline-e2e.${tag}`,
      topicPrefix: `bench.${tag}.baseline.`,
      file: generated.file,
      events: generated.events,
      timeoutMs: timeoutS * 1000,
    }).catch((err: unknown) => ({ error: (err as Error).message }));
    if ('error' in results.baseline_e2e) say(`  end-to-end baseline failed: ${results.baseline_e2e.error}`);
    else
      say(
        `  end-to-end baseline: ${results.baseline_e2e.events_per_s} events/s (${results.baseline_e2e.seconds} s)`,
      );
  } finally {
    await admin.disconnect();
    rmSync(generated.file, { force: true });
  }
}

async function querySection(s: BenchStack): Promise<QueriesMeasure> {
  const database = `bench_${tag}_queries`;
  scratchDbs.push(database);
  say(`queries: generating ${sizes.rows.toLocaleString('en-US')} rows in ${database}…`);
  const data = await prepareQueryData({
    writerUrl: s.endpoints.clickhouse.url,
    database,
    rows: sizes.rows,
    log: s.log,
    say,
  });
  const analystUrl = s.endpoints.clickhouse.analyst_url;
  const client = createClickHouse({ url: analystUrl ?? s.endpoints.clickhouse.url, database, log: s.log });
  try {
    say('  running the cookbook as the analyst…');
    const queries = await measureCookbook({ client, runs: sizes.query_runs, budgetMs: 60_000, say });
    return {
      database,
      rows: Object.values(data.rowsByTable).reduce((a, b) => a + b, 0),
      rows_by_table: data.rowsByTable,
      generate_seconds: Number(data.seconds.toFixed(1)),
      as_user: analystUrl ? 'analyst (read-only)' : 'writer (the stack has no analyst user)',
      queries,
    };
  } finally {
    await client.close();
  }
}

function report(): void {
  const ratios: Figure[] = [];
  const absolute: Figure[] = [];
  const p = results.pipeline;
  const b = results.baseline && !('error' in results.baseline) ? results.baseline : undefined;
  const e2e = results.baseline_e2e && !('error' in results.baseline_e2e) ? results.baseline_e2e : undefined;
  if (p) {
    const over = (base: BaselineMeasure | undefined): number | null =>
      p.events_per_s && base?.events_per_s ? Number((p.events_per_s / base.events_per_s).toFixed(3)) : null;
    const ratio = over(e2e);
    ratios.push({
      measure: 'pipeline ÷ raw baseline, both first publish → all visible',
      value: ratio,
      target: '≥ 0.5',
      pass: atLeast(ratio, 0.5),
      ...(p.incomplete ? { note: p.incomplete } : {}),
    });
    ratios.push({
      measure: 'pipeline ÷ raw baseline consumer only (events in Kafka already)',
      value: over(b),
      note: 'publishing is on the pipeline clock only',
    });
  }
  for (const r of results.parse ?? [])
    ratios.push({
      measure: `parse ${r.source} ÷ split`,
      value: r.ratio,
      target: '≥ 0.5',
      pass: atLeast(r.ratio, 0.5),
    });
  const imp = results.importer;
  if (imp) {
    const rss = imp.ratio_rss_end_vs_first_tenth as number | null;
    ratios.push({
      measure: `importer RSS end ÷ first tenth (${String(imp.file_gb)} GB itcont)`,
      value: rss,
      target: `flat (≤ ${FLAT_RSS_RATIO})`,
      pass: rss === null ? undefined : rss <= FLAT_RSS_RATIO,
    });
    ratios.push({
      measure: `parse fec-itcont ÷ split (${String(imp.file_gb)} GB)`,
      value: imp.ratio_parse_vs_split as number,
      target: '≥ 0.5',
      pass: atLeast(imp.ratio_parse_vs_split as number, 0.5),
    });
  }
  if (p) {
    absolute.push({
      measure: 'pipeline end to end (first publish → all visible)',
      value: p.events_per_s,
      unit: 'events/s',
      target: '≥ 20,000',
      pass: atLeast(p.events_per_s, 20_000),
      note: `${p.events.toLocaleString('en-US')} events in ${p.visible_seconds ?? '—'} s, ${p.batches} batches (${p.batches > 0 ? Math.round(p.events / p.batches) : '—'} events each)`,
    });
    absolute.push({
      measure: 'pipeline once warm (a tenth visible → all visible)',
      value: p.warm_events_per_s,
      unit: 'events/s',
      target: '≥ 20,000',
      pass: atLeast(p.warm_events_per_s, 20_000),
    });
    absolute.push({
      measure: 'pipeline until idle (correlations recomputed)',
      value: p.idle_seconds,
      unit: 's',
      note: p.not_idle ?? `${p.sponsors_running} sponsor workflows`,
    });
    absolute.push({
      measure: 'publish to Kafka (768 KB requests)',
      value: p.publish_events_per_s,
      unit: 'events/s',
    });
  }
  const baselineFigure = (measure: string, r: BaselineMeasure | { error: string } | undefined): void => {
    if (!r) return;
    if ('error' in r) absolute.push({ measure: measure.replace(/ \(.*\)$/, ''), value: null, note: r.error });
    else absolute.push({ measure, value: r.events_per_s, unit: 'events/s', note: `${r.inserts} inserts` });
  };
  baselineFigure('raw baseline end to end (first publish → all inserted)', results.baseline_e2e);
  baselineFigure('raw baseline (consumer → scratch table)', results.baseline);
  const q = results.queries;
  if (q) {
    const ok = q.queries.filter((x) => x.p95_ms !== null);
    const worst = ok.reduce<(typeof ok)[number] | undefined>(
      (w, x) => (!w || (x.p95_ms ?? 0) > (w.p95_ms ?? 0) ? x : w),
      undefined,
    );
    const passing = ok.filter((x) => (x.p95_ms ?? Infinity) < 100).length;
    absolute.push({
      measure: `cookbook p95, worst query (${(q.rows / 1e6).toFixed(1)}M rows)`,
      value: worst?.p95_ms ?? null,
      unit: 'ms',
      target: '< 100',
      pass: below(worst?.p95_ms, 100),
      note: `${passing} of ${q.queries.length} queries under 100 ms${worst ? `; worst ${worst.name}` : ''}`,
    });
  }
  if (imp)
    absolute.push({
      measure: 'importer fec-itcont',
      value: imp.import_mb_per_s as number,
      unit: 'MB/s',
      note: `${String(imp.import_rows_per_s)} rows/s, peak RSS ${String(imp.peak_rss_mb)} MB`,
    });

  const out: string[] = [];
  const sizesLine =
    `sizes: events ${run('pipeline') ? sizes.events.toLocaleString('en-US') : '—'}, rows ${run('queries') ? sizes.rows.toLocaleString('en-US') : '—'}, ` +
    `itcont ${run('memory') ? `${sizes.itcont_gb} GB` : '—'}, parse inputs ${run('parse') ? `${sizes.parse_mb} MB` : '—'}`;
  out.push('', `npm run bench — ${startedAt.toISOString()}`, sizesLine, '');
  out.push('Ratios (both sides measured in this run, on this machine: these are the figures that count)');
  out.push(figureTable(ratios), '');
  out.push('Absolute figures (for scale: the machine is shared and noisy)');
  out.push(figureTable(absolute), '');
  if (results.parse)
    out.push(
      'Parse rate per source',
      table(
        [
          'source',
          'input',
          'MB',
          'rows',
          'import MB/s',
          'import rows/s',
          'split MB/s',
          'split rows/s',
          'ratio',
          'dead letters',
        ],
        results.parse.map((r) => [
          r.source,
          r.origin,
          String(r.mb),
          String(r.rows),
          String(r.import_mb_per_s),
          String(r.import_rows_per_s),
          String(r.split_mb_per_s),
          String(r.split_rows_per_s),
          String(r.ratio),
          String(r.dead_lettered),
        ]),
      ),
      '',
    );
  if (q)
    out.push(
      `Cookbook queries on ${q.rows.toLocaleString('en-US')} rows, as ${q.as_user} (target p95 < 100 ms)`,
      table(
        ['query', 'p50 ms', 'p95 ms', 'runs', 'rows', ''],
        q.queries.map((x) => [
          x.name,
          x.p50_ms === null ? '—' : String(x.p50_ms),
          x.p95_ms === null ? '—' : String(x.p95_ms),
          String(x.runs),
          x.rows === null ? '—' : String(x.rows),
          x.error ? `error: ${x.error.slice(0, 80)}` : x.p95_ms !== null && x.p95_ms < 100 ? 'pass' : 'MISS',
        ]),
      ),
      '',
    );
  if (results.stack_memory)
    out.push(
      'Stack processes at the end of the run',
      table(
        ['process', 'pid', 'peak RSS (VmHWM) MB', 'RSS now MB', 'processes in group'],
        results.stack_memory.map((m) => [
          m.name,
          String(m.pid),
          String(m.peak_rss_mb),
          String(m.rss_mb),
          String(m.processes),
        ]),
      ),
      '',
    );
  const cpu = p?.cpu_seconds;
  if (cpu && p.visible_seconds) {
    const wall = p.visible_seconds;
    const idleWall = p.idle_seconds !== null ? p.idle_seconds - wall : null;
    out.push(
      `CPU seconds per process during the pipeline run (2 cores = 2 CPU s per s; ${wall} s to visible, ${idleWall === null ? '—' : idleWall.toFixed(1)} s more to idle)`,
      table(
        ['process', 'to visible', 'share of the cores', 'visible → idle', 'share of the cores'],
        Object.entries(cpu.to_visible).map(([name, sec]) => {
          const later = cpu.visible_to_idle[name];
          return [
            name,
            String(sec),
            `${((100 * sec) / (wall * 2)).toFixed(0)}%`,
            later === undefined ? '—' : String(later),
            later === undefined || !idleWall ? '—' : `${((100 * later) / (idleWall * 2)).toFixed(0)}%`,
          ];
        }),
      ),
      '',
    );
  }
  for (const prof of results.cpu_profiles ?? []) {
    out.push(
      `CPU profile of ${prof.process} (${prof.seconds} s, busy ${prof.busy_pct}% of it): self time of the busy samples by area`,
      table(
        ['area', '%'],
        prof.areas.slice(0, 10).map((a) => [a.name, String(a.pct)]),
      ),
      'top functions (self time)',
      table(
        ['function', '%'],
        prof.functions.slice(0, 10).map((f) => [f.name, String(f.pct)]),
      ),
      '',
    );
  }
  if (stack?.cpuProfDir) out.push(`profiles (open in Chrome DevTools): ${stack.cpuProfDir}`);
  out.push(`results: ${path.relative(process.cwd(), RESULTS)}`);
  process.stdout.write(`${out.join('\n')}\n`);

  const json = {
    measured_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    machine: { ...machineAtStart, load_average_at_end: machineNote().load_average },
    stack: stack ? (stack.own ? 'private' : 'reused') : 'none',
    sizes: { ...sizes, sections: [...only], tag },
    ratios,
    absolute,
    ...results,
  };
  writeFileSync(RESULTS, `${JSON.stringify(json, null, 2)}\n`);
}

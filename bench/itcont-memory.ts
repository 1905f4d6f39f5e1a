/**
 * Importer memory and parse rate on a generated multi-GB FEC itcont file.
 *
 *   npm run bench -- --gb 2
 *
 * Generates a pipe-delimited itcont file of the given size (rows varied from the shared sample's
 * shape, deterministic), then in this one process:
 *   1. the baseline: read the file and split every line into fields, nothing else;
 *   2. the importer: `fec-itcont` through runImport into a sink that only counts (Kafka is not
 *      part of this measurement; the pipeline benchmark measures it).
 * It samples RSS while importing and reports ratios first (the machines are shared and noisy):
 * parse rate importer/baseline, and RSS at the end / RSS after the first tenth of the file —
 * flat memory means that ratio stays near 1 whatever the size. Results go to
 * bench/results.json under "itcont".
 */
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { fecItcontSource } from '../services/ingest-fec/itcont.parser.ts';
import { runImport, type EventSink } from '../services/shared/ingest/importer.ts';
import { readLines } from '../services/shared/ingest/readers.ts';
import { silentLogger } from '../services/shared/logger.ts';
import { createPseudonymizer } from '../services/shared/pseudonym.ts';
import { createReadStream } from 'node:fs';

const { values } = parseArgs({
  options: { gb: { type: 'string', default: '2' }, keep: { type: 'boolean', default: false } },
});
const bytesWanted = Math.round(Number(values.gb) * 1024 ** 3);
const dir = mkdtempSync(path.join(tmpdir(), 'itcont-bench-'));
const file = path.join(dir, 'itcont.txt');

/** A deterministic stream of itcont rows (unique SUB_IDs, varied names, amounts, dates, memos). */
async function generate(): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1024 * 1024 });
  let written = 0;
  let n = 0;
  const states = ['PA', 'GA', 'MI', 'NV', 'AZ', 'WI', 'NC', 'TX', 'CA', 'NY'];
  while (written < bytesWanted) {
    let chunk = '';
    for (let i = 0; i < 5000; i++, n++) {
      const memo = n % 17 === 0 ? 'X' : '';
      const amount = n % 29 === 0 ? `-${(n % 500) + 1}` : String((n % 5000) + 5);
      const day = String((n % 28) + 1).padStart(2, '0');
      const month = String((n % 12) + 1).padStart(2, '0');
      chunk +=
        `C00${String(879510 + (n % 50)).padStart(6, '0')}|N|Q3|P2024|2024${String(n).padStart(14, '0')}|15|IND|` +
        `DONOR${n % 100000}, PERSON ${n % 997}|CITY ${n % 301}|${states[n % states.length]}|${String(10000 + (n % 89999))}1234|` +
        `EMPLOYER ${n % 503}|OCCUPATION ${n % 71}|${month}${day}2024|${amount}||SA${n}|${1800000 + (n % 999)}|${memo}|` +
        `${memo ? 'EARMARKED' : ''}|${4100000000000000000n + BigInt(n)}\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

async function baseline(): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  let rows = 0;
  for await (const line of readLines(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
    if (line.text.split('|').length > 0) rows++;
  }
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

const counting: EventSink & { events: number; letters: number } = {
  events: 0,
  letters: 0,
  publish(m) {
    this.events += m.length;
    return Promise.resolve();
  },
  deadLetter(l) {
    this.letters += l.length;
    return Promise.resolve();
  },
};

process.stderr.write(`generating ${values.gb} GB of itcont rows in ${dir}…\n`);
const generated = await generate();
const size = statSync(file).size;
process.stderr.write(
  `${generated.toLocaleString('en-US')} rows, ${(size / 1e9).toFixed(2)} GB; splitting (baseline)…\n`,
);
const base = await baseline();
process.stderr.write('importing…\n');
const rss: { fraction: number; mb: number }[] = [];
const t0 = performance.now();
const summary = await runImport({
  source: fecItcontSource,
  inputs: [file],
  sink: counting,
  pseudonymize: createPseudonymizer(Buffer.alloc(32, 1)),
  log: silentLogger,
  rememberIds: 100_000,
  onProgress: (p) => {
    const fraction = p.bytes / size;
    if (rss.length === 0 || fraction - (rss.at(-1)?.fraction ?? 0) >= 0.05)
      rss.push({ fraction, mb: process.memoryUsage().rss / 1e6 });
  },
});
const seconds = (performance.now() - t0) / 1000;
const firstTenth = rss.find((r) => r.fraction >= 0.1) ?? rss[0];
const last = rss.at(-1);
const result = {
  file_gb: Number((size / 1e9).toFixed(3)),
  rows: summary.read,
  published: counting.events,
  dead_lettered: counting.letters,
  import_rows_per_s: Math.round(summary.read / seconds),
  import_mb_per_s: Number((size / 1e6 / seconds).toFixed(1)),
  baseline_rows_per_s: Math.round(base.rows / base.seconds),
  ratio_parse_vs_split: Number((base.seconds / seconds).toFixed(3)),
  rss_mb_after_first_tenth: Math.round(firstTenth?.mb ?? 0),
  rss_mb_at_end: Math.round(last?.mb ?? 0),
  ratio_rss_end_vs_first_tenth: Number(((last?.mb ?? 0) / (firstTenth?.mb ?? 1)).toFixed(3)),
  rss_samples_mb: rss.map((r) => [Number(r.fraction.toFixed(2)), Math.round(r.mb)]),
};
const out = path.join(import.meta.dirname, 'results.json');
const all = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
writeFileSync(
  out,
  `${JSON.stringify({ ...all, itcont: { ...result, measured_at: new Date().toISOString() } }, null, 2)}\n`,
);
process.stdout.write(
  `itcont import, ${result.file_gb} GB, ${result.rows.toLocaleString('en-US')} rows\n` +
    `  parse rate vs split-only baseline: ${result.ratio_parse_vs_split} (${result.import_rows_per_s} vs ${result.baseline_rows_per_s} rows/s)\n` +
    `  RSS at end / after the first tenth: ${result.ratio_rss_end_vs_first_tenth} (${result.rss_mb_at_end} MB vs ${result.rss_mb_after_first_tenth} MB)\n`,
);
if (!values.keep) rmSync(dir, { recursive: true, force: true });

/**
 * Child process of the memory section: imports one itcont file with `fec-itcont` through
 * runImport into a sink that only counts (Kafka is not part of this measurement) and samples its
 * own RSS every 5% of the file. It runs alone in its process so the RSS is the importer's, not
 * the bench's. Prints one JSON object ({@link ImporterRss}) on stdout.
 *
 *   node bench/lib/importer-rss.child.ts <file>
 */
import { statSync } from 'node:fs';
import { fecItcontSource } from '../../services/ingest-fec/itcont.parser.ts';
import { runImport, type EventSink } from '../../services/shared/ingest/importer.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { createPseudonymizer } from '../../services/shared/pseudonym.ts';
import { procStatus } from './memory.ts';

export interface ImporterRss {
  rows: number;
  published: number;
  dead_lettered: number;
  seconds: number;
  /** [fraction of the file read, RSS in MB] every 5%. */
  rss_samples_mb: [number, number][];
  /** VmHWM of the child at the end, in MB. */
  peak_rss_mb: number;
}

const file = process.argv[2];
if (!file) throw new Error('usage: importer-rss.child.ts <itcont file>');
const size = statSync(file).size;
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
const samples: [number, number][] = [];
const t0 = performance.now();
const summary = await runImport({
  source: fecItcontSource,
  inputs: [file],
  sink: counting,
  pseudonymize: createPseudonymizer(Buffer.alloc(32, 1)),
  log: silentLogger,
  // The importer's own duplicate memory (2M ids), as `influence import` runs it: an override here
  // once hid that a Set of 2M id strings kept growing (785 MiB after 0.5 GB).
  onProgress: (p) => {
    const fraction = p.bytes / size;
    if (samples.length === 0 || fraction - (samples.at(-1)?.[0] ?? 0) >= 0.05)
      samples.push([Number(fraction.toFixed(3)), Math.round(process.memoryUsage().rss / 1024 ** 2)]);
  },
});
const result: ImporterRss = {
  rows: summary.read,
  published: counting.events,
  dead_lettered: counting.letters,
  seconds: (performance.now() - t0) / 1000,
  rss_samples_mb: samples,
  peak_rss_mb: Math.round((procStatus(process.pid)?.hwmKb ?? 0) / 1024),
};
process.stdout.write(`${JSON.stringify(result)}\n`);

/**
 * Ingestion parse rate per source, against a baseline that only splits the same input into
 * fields: pipe files `split('|')`, CSV a plain split that respects quotes, JSON pages
 * `JSON.parse`. The importer runs the real source through runImport into a sink that only counts
 * (no Kafka), as `influence import` would with a broker that costs nothing. Inputs are the shared
 * real files where there are some (Snap, FEC Schedule E) and the sample campaign's files
 * replicated to a few MB otherwise; itcont is generated (bench/lib/itcont.ts).
 *
 * Each source is measured in `rounds`, baseline and importer in alternating order, and the best
 * time of each counts: on a shared machine the best time is the one least disturbed by others.
 */
import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import { IMPORT_SOURCES } from '../../services/cli/sources.ts';
import { runImport, type EventSink } from '../../services/shared/ingest/importer.ts';
import { readLines } from '../../services/shared/ingest/readers.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { createPseudonymizer } from '../../services/shared/pseudonym.ts';
import { generateItcont, splitPipeFile } from './itcont.ts';

/** The shared real records, beside the checkout (`../shared/data`), as the tests find them. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));

export type SplitKind = 'pipe' | 'csv' | 'json';

export interface ParseInput {
  /** The import source (`influence import <source>`). */
  source: string;
  kind: SplitKind;
  files: string[];
  /** Where the input comes from, for the report. */
  origin: string;
}

export interface ParseRate {
  source: string;
  origin: string;
  mb: number;
  rows: number;
  dead_lettered: number;
  import_mb_per_s: number;
  import_rows_per_s: number;
  split_mb_per_s: number;
  split_rows_per_s: number;
  /** Importer rate / split rate (target ≥ 0.5). */
  ratio: number;
}

/**
 * Splits one CSV record's text into fields: commas separate, a field in double quotes may hold
 * commas, doubled quotes and line breaks. Returns undefined while a quote is still open (the
 * record goes on at the next line). The baseline's own splitter, kept apart from the project's
 * readers so that optimising them moves the importer's figure only.
 */
export function splitCsvText(text: string): string[] | undefined {
  if (!text.includes('"')) return text.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return undefined;
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    }
    const c = text.indexOf(',', i);
    if (c < 0) {
      fields.push(value + text.slice(i));
      return fields;
    }
    fields.push(value + text.slice(i, c));
    i = c + 1;
  }
}

/** The baseline of one input: rows (records, or JSON `data` items) and seconds. */
export async function splitFiles(
  kind: SplitKind,
  files: readonly string[],
): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  let rows = 0;
  for (const file of files) {
    if (kind === 'pipe') {
      rows += (await splitPipeFile(file)).rows;
    } else if (kind === 'json') {
      const page = JSON.parse(await readFile(file, 'utf8')) as { data?: unknown };
      rows += Array.isArray(page.data) ? page.data.length : 1;
    } else {
      let pending = '';
      let first = true;
      for await (const line of readLines(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
        const text = pending === '' ? line.text : `${pending}\n${line.text}`;
        const fields = splitCsvText(text);
        if (fields === undefined) {
          pending = text;
          continue;
        }
        pending = '';
        if (first) first = false;
        else if (fields.length > 0) rows++;
      }
    }
  }
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

/** A CSV file's header and its body repeated until the file holds at least `bytes`. */
function replicateCsv(from: string, to: string, bytes: number): void {
  const text = readFileSync(from, 'utf8');
  const cut = text.indexOf('\n') + 1;
  const body = text.slice(cut).endsWith('\n') ? text.slice(cut) : `${text.slice(cut)}\n`;
  const copies = Math.max(1, Math.ceil((bytes - cut) / Buffer.byteLength(body)));
  writeFileSync(to, text.slice(0, cut) + body.repeat(copies));
}

/** One JSON page whose `data` holds the pages' items repeated until it is at least `bytes`. */
function replicateJsonPages(from: readonly string[], to: string, bytes: number): void {
  const pages = from.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>);
  const items = pages.flatMap((p) => (Array.isArray(p.data) ? (p.data as unknown[]) : []));
  const one = Buffer.byteLength(JSON.stringify(items));
  const copies = Math.max(1, Math.ceil(bytes / one));
  const { paging: _paging, ...rest } = pages[0] ?? {};
  writeFileSync(to, JSON.stringify({ ...rest, data: Array.from({ length: copies }, () => items).flat() }));
}

/**
 * Writes the inputs of every source into `dir`, each about `bytes` long (Snap's shared files are
 * used as they are). @throws when a shared or sample file is missing.
 */
export async function prepareParseInputs(dir: string, bytes: number): Promise<ParseInput[]> {
  const sample = (f: string) => path.join(CAMPAIGN_DIR, f);
  const out = (f: string) => path.join(dir, f);
  const mb = `${Math.round(bytes / 1e6)} MB`;
  await generateItcont(out('itcont.txt'), bytes);
  replicateCsv(
    path.join(SHARED_DATA, 'fec', 'america_pac_schedule_e_2024.csv'),
    out('schedule-e.csv'),
    bytes,
  );
  for (const f of ['signups.csv', 'payouts.csv', 'contacts.csv', 'ad-annotations.csv'])
    replicateCsv(sample(f), out(f), bytes);
  replicateJsonPages(
    [sample('meta-ads_archive_page1.json'), sample('meta-ads_archive_page2.json')],
    out('meta.json'),
    bytes,
  );
  replicateJsonPages([sample('x-america-posts.json')], out('x.json'), bytes);
  const snapDir = path.join(SHARED_DATA, 'snap');
  const snap = readdirSync(snapDir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => path.join(snapDir, f));
  if (snap.length === 0) throw new Error(`no Snap CSV in ${snapDir}`);
  return [
    { source: 'fec-itcont', kind: 'pipe', files: [out('itcont.txt')], origin: `generated, ${mb}` },
    {
      source: 'fec-schedule-e',
      kind: 'csv',
      files: [out('schedule-e.csv')],
      origin: `shared America PAC Schedule E ×${Math.ceil(bytes / statSync(path.join(SHARED_DATA, 'fec', 'america_pac_schedule_e_2024.csv')).size)}`,
    },
    { source: 'snap', kind: 'csv', files: snap, origin: `shared Snap CSVs (${snap.length} files)` },
    { source: 'meta-ads', kind: 'json', files: [out('meta.json')], origin: `sample pages replicated, ${mb}` },
    { source: 'signups', kind: 'csv', files: [out('signups.csv')], origin: `sample replicated, ${mb}` },
    { source: 'payouts', kind: 'csv', files: [out('payouts.csv')], origin: `sample replicated, ${mb}` },
    { source: 'contacts', kind: 'csv', files: [out('contacts.csv')], origin: `sample replicated, ${mb}` },
    {
      source: 'annotations',
      kind: 'csv',
      files: [out('ad-annotations.csv')],
      origin: `sample replicated, ${mb}`,
    },
    { source: 'x-posts', kind: 'json', files: [out('x.json')], origin: `sample replicated, ${mb}` },
  ];
}

/** Imports `files` with `source` into a counting sink; returns rows read, dead letters and seconds. */
export async function importFiles(
  sourceName: string,
  files: readonly string[],
): Promise<{ rows: number; deadLettered: number; seconds: number }> {
  const source = IMPORT_SOURCES.find((s) => s.name === sourceName);
  if (!source) throw new Error(`no import source is named ${sourceName}`);
  const sink: EventSink = { publish: () => Promise.resolve(), deadLetter: () => Promise.resolve() };
  const t0 = performance.now();
  const summary = await runImport({
    source,
    inputs: files,
    sink,
    pseudonymize: createPseudonymizer(Buffer.alloc(32, 1)),
    log: silentLogger,
    // First-party sources must seal dead letters; nothing leaves this process, so no-op sealing.
    seal: (raw) => raw,
  });
  return {
    rows: summary.read,
    deadLettered: summary.dead_lettered,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Measures one source: the best of `rounds` for the baseline and for the importer. */
export async function measureParseRate(input: ParseInput, rounds: number): Promise<ParseRate> {
  const bytes = input.files.reduce((t, f) => t + statSync(f).size, 0);
  let split = { rows: 0, seconds: Infinity };
  let imported = { rows: 0, deadLettered: 0, seconds: Infinity };
  for (let r = 0; r < Math.max(1, rounds); r++) {
    const order = r % 2 === 0 ? (['split', 'import'] as const) : (['import', 'split'] as const);
    for (const step of order) {
      if (step === 'split') {
        const s = await splitFiles(input.kind, input.files);
        if (s.seconds < split.seconds) split = s;
      } else {
        const i = await importFiles(input.source, input.files);
        if (i.seconds < imported.seconds) imported = i;
      }
    }
  }
  const mb = bytes / 1e6;
  return {
    source: input.source,
    origin: input.origin,
    mb: Number(mb.toFixed(2)),
    rows: imported.rows,
    dead_lettered: imported.deadLettered,
    import_mb_per_s: Number((mb / imported.seconds).toFixed(2)),
    import_rows_per_s: Math.round(imported.rows / imported.seconds),
    split_mb_per_s: Number((mb / split.seconds).toFixed(2)),
    split_rows_per_s: Math.round(split.rows / split.seconds),
    ratio: Number((split.seconds / imported.seconds).toFixed(3)),
  };
}

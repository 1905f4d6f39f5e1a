/**
 * Test support for this folder's unit tests (pure logic, no network): an in-memory sink, a
 * one-call import through the real `runImport`, paths to the shared real data, and a minimal ZIP
 * writer. Not used by production code.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { AdV1 } from '../../schemas/events/ad.ts';
import type { DeadLetter } from '../shared/dlq.ts';
import { runImport, type ImportSummary } from '../shared/ingest/importer.ts';
import type { ImportSource } from '../shared/ingest/source.ts';
import { silentLogger } from '../shared/logger.ts';
import { createPseudonymizer } from '../shared/pseudonym.ts';
import { MemorySink } from '../shared/ingest/memory-sink.ts';
export { MemorySink } from '../shared/ingest/memory-sink.ts';

export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');
export const FIXTURES = path.resolve(REPO_ROOT, 'test', 'fixtures', 'ads');
export const FIXED_NOW = new Date('2024-11-01T08:30:00.000Z');

export interface ImportResult {
  summary: ImportSummary;
  events: AdV1[];
  keys: string[];
  letters: DeadLetter[];
}

/** Imports `inputs` with the real importer into memory; every published event is re-validated. */
export async function importAds<T>(
  source: ImportSource<T>,
  inputs: readonly string[],
  now = FIXED_NOW,
): Promise<ImportResult> {
  const sink = new MemorySink();
  const summary = await runImport({
    source,
    inputs,
    sink,
    pseudonymize: createPseudonymizer(Buffer.alloc(32, 7)),
    log: silentLogger,
    now: () => now,
  });
  return {
    summary,
    events: sink.events.map((m) => AdV1.parse(JSON.parse(m.value))),
    keys: sink.events.map((m) => m.key),
    letters: sink.letters,
  };
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes `text` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A minimal ZIP (deflate, no ZIP64) of `files`, for reader tests. */
export function zipOf(files: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const packed = deflateRawSync(f.data);
    const crc = crc32(f.data);
    const loc = Buffer.alloc(30);
    loc.writeUInt32LE(0x04034b50, 0);
    loc.writeUInt16LE(20, 4);
    loc.writeUInt16LE(0x800, 6);
    loc.writeUInt16LE(8, 8);
    loc.writeUInt32LE(crc, 14);
    loc.writeUInt32LE(packed.length, 18);
    loc.writeUInt32LE(f.data.length, 22);
    loc.writeUInt16LE(name.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0x800, 8);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(packed.length, 20);
    cen.writeUInt32LE(f.data.length, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE(offset, 42);
    locals.push(loc, name, packed);
    centrals.push(cen, name);
    offset += loc.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

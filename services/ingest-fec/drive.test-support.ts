/**
 * Test support for the FEC sources (not collected as a test file): in-memory inputs, driving a
 * source item by item, an in-memory EventSink for runImport, and an independent CSV splitter
 * used to count the golden files without the code under test.
 */
import path from 'node:path';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { openInput, type OpenInput } from '../shared/ingest/readers.ts';
import type { ImportSource, ItemFault, ParseOutcome } from '../shared/ingest/source.ts';
import { createPseudonymizer } from '../shared/pseudonym.ts';
export { MemorySink } from '../shared/ingest/memory-sink.ts';

export const DATA_FEC = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'fec');
export const FIXTURES_FEC = path.resolve(REPO_ROOT, 'test', 'fixtures', 'fec');
export const pseudonymize = createPseudonymizer(Buffer.alloc(32, 7));

/** An input over bytes, delivered in chunks of `chunk` bytes (to cross chunk boundaries). */
export function memoryInput(data: Buffer | string, chunk = 64 * 1024, name = 'memory'): OpenInput {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  async function* stream(): AsyncGenerator<Buffer> {
    for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
    await Promise.resolve();
  }
  return { name, size: buf.length, bytesRead: () => buf.length, stream: stream() };
}

export interface Driven {
  read: number;
  events: Extract<ParseOutcome, { ok: true }>[];
  rejections: { position: string; reason: string; detail: string; raw: Buffer }[];
  faults: ItemFault[];
}

/** Reads and parses one input the way runImport does (one outcome per item), without a sink. */
export async function drive<T>(source: ImportSource<T>, input: OpenInput | string): Promise<Driven> {
  const opened = typeof input === 'string' ? await openInput(input) : input;
  const out: Driven = { read: 0, events: [], rejections: [], faults: [] };
  const ctx = { input: opened.name, pseudonymize, now: new Date('2026-01-01T00:00:00Z') };
  for await (const r of source.read({ input: opened })) {
    out.read++;
    if (!r.ok) {
      out.faults.push(r.fault);
      continue;
    }
    const o = source.parse(r.item, ctx);
    if (o.ok) out.events.push(o);
    else
      out.rejections.push({ position: r.item.position, reason: o.reason, detail: o.detail, raw: r.item.raw });
  }
  return out;
}

/**
 * A deliberately naive CSV splitter for golden counts (one record per line, `"…"` fields with
 * `""` escapes), independent of the readers under test.
 */
export function naiveCsvLine(line: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (;;) {
    const m = re.exec(line);
    if (!m) break;
    const v = m[1] ?? '';
    out.push(v.startsWith('"') ? v.slice(1, -1).replace(/""/g, '"') : v);
    if (m[2] === '' || re.lastIndex >= line.length + 1) break;
  }
  return out;
}

/** `"1234.5"` → 123450n cents, without floats (test-side, independent of the parser's helper). */
export function toCents(amount: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) throw new Error(`not an amount: ${amount}`);
  const c = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -c : c;
}

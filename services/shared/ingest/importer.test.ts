import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DonationV1 } from '../../../schemas/events/donation.ts';
import { silentLogger } from '../logger.ts';
import { createPseudonymizer } from '../pseudonym.ts';
import { runImport, type EventSink } from './importer.ts';
import { readLines } from './readers.ts';
import { outcome, type ImportSource } from './source.ts';
import { MemorySink } from './memory-sink.ts';

/** A toy source: `sub_id|committee|amount` lines; `BOOM` makes the parser throw. */
const toy: ImportSource<string[]> = {
  name: 'toy',
  eventType: 'donation',
  description: 'test source',
  async *read({ input }) {
    for await (const line of readLines(input.stream)) {
      if (line.text.startsWith('#')) {
        yield {
          ok: false,
          fault: { position: `line ${line.lineNo}`, raw: line.raw, reason: 'parse_error', detail: 'comment' },
        };
      } else {
        yield {
          ok: true,
          item: { position: `line ${line.lineNo}`, raw: line.raw, value: line.text.split('|') },
        };
      }
    }
  },
  parse(item) {
    const [id, committee, amount] = item.value;
    if (id === 'BOOM') throw new Error('kaboom');
    if (!id || !committee || amount === undefined) return outcome.reject('parse_error', 'too few fields');
    return outcome.event(id, '2024-10-19T00:00:00Z', {
      committee_id: committee,
      contributor_name: 'X',
      amount,
      currency: 'USD',
      contributed_on: '2024-10-19',
      memo: false,
    });
  },
};

const dir = mkdtempSync(path.join(tmpdir(), 'importer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}
const pseudonymize = createPseudonymizer(Buffer.alloc(32, 1));

describe('runImport', () => {
  it('gives every item exactly one outcome and keeps the rest going', async () => {
    const input = file(
      'a.txt',
      [
        '1|C00879510|10.00',
        '# a comment',
        '2|C00879510',
        'BOOM|x|y',
        '3|not-a-committee|5',
        '1|C00879510|10.00',
        '4|C00879510|-2.50',
      ].join('\n'),
    );
    const sink = new MemorySink();
    const s = await runImport({
      source: toy,
      inputs: [input],
      sink,
      pseudonymize,
      log: silentLogger,
      batchSize: 2,
    });
    expect(s).toMatchObject({ read: 7, published: 2, dead_lettered: 4, duplicates: 1, unreadable: 0 });
    expect(s.read).toBe(s.published + s.dead_lettered + s.duplicates);
    expect(sink.events).toHaveLength(2);
    for (const e of sink.events) {
      expect(e.topic).toBe('influence.raw.donation.v1');
      expect(e.key).toBe('C00879510');
      expect(DonationV1.parse(JSON.parse(e.value)).source).toBe('toy');
    }
    expect(sink.letters.map((l) => [l.position, l.reason])).toEqual([
      ['line 2', 'parse_error'],
      ['line 3', 'parse_error'],
      ['line 4', 'parse_error'],
      ['line 5', 'schema_invalid'],
    ]);
    expect(sink.letters[2]?.detail).toContain('kaboom');
    expect(sink.letters[3]?.raw.toString()).toBe('3|not-a-committee|5');
    expect(sink.letters[3]?.source).toBe(input);
    expect(sink.calls).toBeGreaterThan(1);
  });

  it('gives the same event ids on a second import, and skips what is already stored', async () => {
    const input = file('b.txt', '10|C00879510|1.00\n11|C00879510|2.00\n');
    const first = new MemorySink();
    await runImport({ source: toy, inputs: [input], sink: first, pseudonymize, log: silentLogger });
    const ids = first.events.map((e) => (JSON.parse(e.value) as { event_id: string }).event_id);
    const stored = new Set(ids.slice(0, 1));
    const second = new MemorySink();
    const s = await runImport({
      source: toy,
      inputs: [input],
      sink: second,
      pseudonymize,
      log: silentLogger,
      stored: (q) => Promise.resolve(new Set(q.filter((id) => stored.has(id)))),
    });
    expect(s).toMatchObject({ read: 2, published: 1, duplicates: 1 });
    expect((JSON.parse(second.events[0]?.value ?? '{}') as { event_id: string }).event_id).toBe(ids[1]);
  });

  it('reports an input that cannot be read and goes on with the others', async () => {
    const good = file('c.txt', '20|C00879510|1.00\n');
    const sink = new MemorySink();
    const s = await runImport({
      source: toy,
      inputs: [path.join(dir, 'missing.txt'), good],
      sink,
      pseudonymize,
      log: silentLogger,
    });
    expect(s.unreadable).toBe(1);
    expect(s.inputs[0]?.error).toMatch(/cannot read/);
    expect(s.published).toBe(1);
  });
});

describe('publishing limits', () => {
  it('splits produce requests below the broker limit and stops on a failing sink', async () => {
    const { chunkByBytes } = await import('../kafka.ts');
    const msgs = Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: 'x'.repeat(300), i }));
    const chunks = chunkByBytes(msgs, 1000);
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 2, 2, 2]);
    expect(chunks.flat()).toEqual(msgs);

    const input = file('d.txt', '30|C00879510|1.00\n');
    const failing: EventSink = {
      publish: () => Promise.reject(new Error('broker down')),
      deadLetter: () => Promise.resolve(),
    };
    await expect(
      runImport({ source: toy, inputs: [input], sink: failing, pseudonymize, log: silentLogger }),
    ).rejects.toThrow(/publishing failed: broker down/);
  });

  it('remembers the last rememberIds event ids of a run, forgetting the oldest first', async () => {
    // a b c a c d b: with room for two ids, the second a (forgotten by then) is published again,
    // the second c is a duplicate, and b is forgotten again by the time it returns.
    const input = file(
      'recent.txt',
      ['a', 'b', 'c', 'a', 'c', 'd', 'b'].map((id) => `${id}|C00879510|1.00`).join('\n'),
    );
    const sink = new MemorySink();
    const summary = await runImport({
      source: toy,
      inputs: [input],
      sink,
      pseudonymize,
      log: silentLogger,
      rememberIds: 2,
    });
    expect(summary.read).toBe(7);
    expect(summary.duplicates).toBe(1);
    expect(
      sink.events.map((e) => (JSON.parse(e.value) as { source_record_id: string }).source_record_id),
    ).toEqual(['a', 'b', 'c', 'a', 'd', 'b']);
  });

  it("keeps a dead letter's bytes apart from the chunk they were read in", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${i}|C00879510|1.00`);
    lines.splice(2500, 0, '# not a record');
    const input = file('chunky.txt', lines.join('\n'));
    const sink = new MemorySink();
    await runImport({ source: toy, inputs: [input], sink, pseudonymize, log: silentLogger });
    expect(sink.letters).toHaveLength(1);
    const raw = sink.letters[0]?.raw ?? Buffer.alloc(0);
    expect(raw.toString()).toBe('# not a record');
    // The reader reads chunks of up to 256 KiB (here the whole ~100 KB file); the letter holds at
    // most a slab of the Buffer pool.
    expect(raw.buffer.byteLength).toBeLessThanOrEqual(Buffer.poolSize);
  });
});

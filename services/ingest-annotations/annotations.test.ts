import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { AnnotationV1 } from '../../schemas/events/annotation.ts';
import type { DeadLetter } from '../shared/dlq.ts';
import { runImport, type ImportSummary } from '../shared/ingest/importer.ts';
import { MemorySink } from '../shared/ingest/memory-sink.ts';
import { openInput } from '../shared/ingest/readers.ts';
import { silentLogger } from '../shared/logger.ts';
import { createPseudonymizer } from '../shared/pseudonym.ts';
import {
  annotationsSource,
  readAnnotationRows,
  REQUIRED_COLUMNS,
  SOURCES,
  ANNOTATIONS_EVENT_SOURCE,
} from './index.ts';

const SAMPLE = path.join(REPO_ROOT, 'infra', 'sample', 'campaign', 'ad-annotations.csv');
const NOW = new Date('2024-11-08T09:00:00Z');
const dir = mkdtempSync(path.join(tmpdir(), 'annotations-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'platform,ad_id,ad_set,subject,stance,message,transcript,coder,coded_on';
const SNAP_ID = '55ea0ce2c4f4fb16aedc2d93f8e6ca03495e76d003ee5d780f863a13dbf2af9f';
const SNAP_ID_2 = '0b874feec272cb715ab3dce0e45b6b659dbe1e5d42f320ecc7826516d46da60f';
const BASE: Record<string, string> = {
  platform: 'snap',
  ad_id: SNAP_ID,
  ad_set: 'mi-harris-friend-of-israel',
  subject: 'Harris',
  stance: 'pro-Israel',
  message: 'Kamala Harris: friend of Israel',
  transcript: 'Kamala Harris: friend of Israel. Paid for by America PAC.',
  coder: 'test-group/coder-a',
  coded_on: '2024-11-07',
};

/** A CSV cell as a spreadsheet writes it: quoted when it holds a comma, quote or line break. */
function cell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One row under HEADER, with overrides by column name. */
function row(over: Record<string, string> = {}): string {
  return HEADER.split(',')
    .map((c) => cell(over[c] ?? BASE[c] ?? ''))
    .join(',');
}

let files = 0;
async function importText(
  text: string | Buffer,
  name = `a${++files}.csv`,
): Promise<{ summary: ImportSummary; events: AnnotationV1[]; keys: string[]; letters: DeadLetter[] }> {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const sink = new MemorySink();
  const summary = await runImport({
    source: annotationsSource,
    inputs: [file],
    sink,
    pseudonymize: createPseudonymizer(Buffer.alloc(32, 3)),
    log: silentLogger,
    now: () => NOW,
  });
  expect(summary.read).toBe(summary.published + summary.dead_lettered + summary.duplicates);
  return {
    summary,
    events: sink.events.map((m) => AnnotationV1.parse(JSON.parse(m.value))),
    keys: sink.events.map((m) => m.key),
    letters: sink.letters,
  };
}

/** The sample's rows read without the source: one record per line, header names as keys. */
function sampleRows(): Record<string, string>[] {
  const text = readFileSync(SAMPLE, 'utf8');
  // No sample field holds a line break or an escaped quote: a quote only opens or closes a field.
  expect(text).not.toContain('""');
  const cellsOf = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const [head = '', ...lines] = text.trimEnd().split('\n');
  const header = cellsOf(head);
  return lines.map((line) => Object.fromEntries(header.map((h, i) => [h, cellsOf(line)[i] ?? ''])));
}

describe('annotations: the sample campaign file', () => {
  it('publishes one event per row with the cells as written', async () => {
    const expected = sampleRows();
    expect(expected).toHaveLength(6);
    const { summary, events, keys, letters } = await importText(readFileSync(SAMPLE));
    expect(letters).toEqual([]);
    expect(summary).toMatchObject({ read: 6, published: 6, dead_lettered: 0, duplicates: 0, unreadable: 0 });
    expect(events.map((e) => e.payload)).toEqual(expected);
    for (const e of events) {
      expect(e.type).toBe('annotation');
      expect(e.source).toBe('annotations:csv');
      expect(e.source_record_id).toBe(
        `snap:${e.payload.ad_id}:${e.payload.coder}:${e.payload.subject}@${e.payload.coded_on}`,
      );
      expect(e.occurred_at).toBe('2024-11-07T00:00:00Z');
      expect(e.ingested_at).toBe(NOW.toISOString());
    }
    expect(keys).toEqual(expected.map((r) => `snap:${r.ad_id}`));
    expect(new Set(events.map((e) => e.event_id)).size).toBe(6);
  });

  it('is registered for the CLI under its name, with its envelope source', () => {
    expect(SOURCES.map((s) => s.name)).toEqual(['annotations']);
    expect(annotationsSource.eventSource).toBe(ANNOTATIONS_EVENT_SOURCE);
    expect(annotationsSource.eventType).toBe('annotation');
    expect(annotationsSource.sensitive).toBeUndefined();
  });

  it('gives the same event ids on a second import', async () => {
    const a = await importText(readFileSync(SAMPLE));
    const b = await importText(readFileSync(SAMPLE));
    expect(b.events.map((e) => e.event_id)).toEqual(a.events.map((e) => e.event_id));
  });

  it('reads a gzipped file', async () => {
    const { events, letters } = await importText(gzipSync(readFileSync(SAMPLE)), 'sample.csv.gz');
    expect(letters).toEqual([]);
    expect(events).toHaveLength(6);
  });
});

describe('annotations: columns are bound by header name', () => {
  it('takes columns in any order, in any case, and ignores unknown ones', async () => {
    const names = ['Coded On', 'NOTES', 'coder', 'Ad-ID', 'platform', 'stance', 'subject', 'transcript'];
    const values = ['2024-11-07', 'ignore me, please', 'g/c', SNAP_ID, 'snap', 'pro-Israel', 'Harris', 't'];
    const { events, letters } = await importText(`${names.join(',')}\n${values.map(cell).join(',')}\n`);
    expect(letters).toEqual([]);
    expect(events.map((e) => e.payload)).toEqual([
      {
        platform: 'snap',
        ad_id: SNAP_ID,
        ad_set: '',
        subject: 'Harris',
        stance: 'pro-Israel',
        message: '',
        transcript: 't',
        coder: 'g/c',
        coded_on: '2024-11-07',
      },
    ]);
  });

  it('gives the same event whatever the column order', async () => {
    const reversed = HEADER.split(',').reverse();
    const text = `${reversed.join(',')}\n${reversed.map((c) => cell(BASE[c] ?? '')).join(',')}\n`;
    const a = await importText(`${HEADER}\n${row()}\n`);
    const b = await importText(text);
    expect(b.events.map((e) => [e.event_id, e.payload])).toEqual(
      a.events.map((e) => [e.event_id, e.payload]),
    );
  });

  for (const column of REQUIRED_COLUMNS) {
    it(`makes a file without ${column} unreadable, naming the column`, async () => {
      const names = HEADER.split(',').filter((c) => c !== column);
      const body = names.map((c) => cell(BASE[c] ?? '')).join(',');
      const { summary, events, letters } = await importText(`${names.join(',')}\n${body}\n${body}\n`);
      expect(summary.unreadable).toBe(1);
      expect(summary.read).toBe(0);
      expect(summary.inputs[0]?.error).toContain(`required column(s) missing from the header: ${column}`);
      expect(events).toEqual([]);
      expect(letters).toEqual([]);
    });
  }

  it('names every missing column and hints at another delimiter', async () => {
    const { summary } = await importText(`${HEADER.replace(/,/g, ';')}\n${row().replace(/,/g, ';')}\n`);
    expect(summary.unreadable).toBe(1);
    expect(summary.inputs[0]?.error).toContain(REQUIRED_COLUMNS.join(', '));
    expect(summary.inputs[0]?.error).toContain('delimited by something other than a comma');
  });

  it('makes a file that repeats a known column unreadable', async () => {
    const { summary } = await importText(`${HEADER},stance\n${row()},pro-Palestine\n`);
    expect(summary.unreadable).toBe(1);
    expect(summary.inputs[0]?.error).toContain('repeats the column(s) stance');
  });

  it('makes an empty file unreadable, and reads a header-only file as no rows', async () => {
    const empty = await importText('');
    expect(empty.summary.unreadable).toBe(1);
    expect(empty.summary.inputs[0]?.error).toContain('the file is empty');
    const headerOnly = await importText(`${HEADER}\r\n`);
    expect(headerOnly.summary).toMatchObject({ read: 0, unreadable: 0 });
    expect(headerOnly.summary.inputs[0]?.error).toBeUndefined();
  });

  it('makes a header that is not UTF-8, or never ends, unreadable', async () => {
    const latin1 = Buffer.from(`${HEADER},r\xe9sum\xe9\n${row()},x\n`, 'latin1');
    const bad = await importText(latin1);
    expect(bad.summary.inputs[0]?.error).toContain('not valid UTF-8');
    const open = await importText(`"${HEADER}\n${`${row()}\n`.repeat(2000)}`);
    expect(open.summary.unreadable).toBe(1);
    expect(open.summary.inputs[0]?.error).toContain('no header line');
  });

  it('still faults every row when read without the opening check', async () => {
    const file = path.join(dir, 'unchecked.csv');
    writeFileSync(file, `platform,ad_id\n${row()}\n`);
    const out = [];
    for await (const r of readAnnotationRows(await openInput(file))) out.push(r);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ok: false, fault: { position: 'line 2', reason: 'parse_error' } });
    expect(JSON.stringify(out[0])).toContain('subject, stance, coder, coded_on');
  });
});

describe('annotations: broken rows are dead-lettered with line and raw bytes, the rest goes on', () => {
  /** Imports HEADER, a good row, `bad`, and another good row; returns the one dead letter. */
  async function rejectOne(bad: string, lineOfBad = 3): Promise<DeadLetter> {
    const good2 = row({ ad_id: SNAP_ID_2 });
    const { summary, letters, events } = await importText(`${HEADER}\n${row()}\n${bad}\n${good2}\n`);
    expect(summary).toMatchObject({ read: 3, published: 2, dead_lettered: 1, duplicates: 0 });
    expect(events.map((e) => e.payload.ad_id)).toEqual([SNAP_ID, SNAP_ID_2]);
    const [letter] = letters;
    if (!letter) throw new Error('no dead letter');
    expect(letter.position).toBe(`line ${lineOfBad}`);
    expect(letter.raw.toString('utf8')).toBe(bad);
    expect(letter.step).toBe('import:annotations');
    expect(letter.sealed).toBe(false);
    return letter;
  }

  it('a platform that is not an ad platform', async () => {
    const l = await rejectOne(row({ platform: 'tiktok', ad_set: 'other' }));
    expect(l.reason).toBe('schema_invalid');
    expect(l.detail).toContain('platform "tiktok" is not one of meta, snap, google');
  });

  it('an empty or blank stance, subject or coder', async () => {
    for (const column of ['stance', 'subject', 'coder']) {
      const l = await rejectOne(row({ [column]: '   ', ad_set: `blank-${column}` }));
      expect(l.reason).toBe('schema_invalid');
      expect(l.detail).toBe(`${column} is empty`);
    }
  });

  it('a date that is not YYYY-MM-DD or not a real date', async () => {
    for (const coded_on of ['2024-02-30', '11/07/2024', '2024-11-07T10:00:00Z', '']) {
      const l = await rejectOne(row({ coded_on, ad_set: `date-${coded_on}` }));
      expect(l.reason).toBe('schema_invalid');
      expect(l.detail).toContain(coded_on === '' ? 'coded_on is empty' : 'coded_on is not a date YYYY-MM-DD');
    }
  });

  it('a Snap ad id that is not 64 lower-case hex digits', async () => {
    for (const ad_id of [SNAP_ID.toUpperCase(), SNAP_ID.slice(1), `${SNAP_ID.slice(1)}g`, `${SNAP_ID}0`]) {
      const l = await rejectOne(row({ ad_id }));
      expect(l.reason).toBe('schema_invalid');
      expect(l.detail).toContain('not a Snap ADID (64 lower-case hex digits)');
    }
    const empty = await rejectOne(row({ ad_id: '' }));
    expect(empty.detail).toBe('ad_id is empty');
  });

  it('a Meta ad id that is not digits, and a Google id with a colon', async () => {
    const meta = await rejectOne(row({ platform: 'meta', ad_id: '12a34' }));
    expect(meta.detail).toContain('not a Meta ad archive id');
    const google = await rejectOne(row({ platform: 'google', ad_id: 'CR1:2' }));
    expect(google.detail).toContain('no spaces or colons');
    const { events, letters } = await importText(
      `${HEADER}\n${row({ platform: 'Meta', ad_id: '1234567890123456789' })}\n${row({ platform: 'google', ad_id: 'CR0123456789' })}\n`,
    );
    expect(letters).toEqual([]);
    expect(events.map((e) => [e.payload.platform, e.payload.ad_id])).toEqual([
      ['meta', '1234567890123456789'],
      ['google', 'CR0123456789'],
    ]);
  });

  it('a coder that is not <group>/<coder>, such as an e-mail', async () => {
    for (const coder of ['jane.doe@example.com', 'group/jane@example.com', 'coder-a', 'a/b/c', 'g:x/c']) {
      const l = await rejectOne(row({ coder }));
      expect(l.reason).toBe('schema_invalid');
      expect(l.detail).toContain('coder is not <group>/<coder>');
    }
  });

  it('a row with another number of fields than the header', async () => {
    const l = await rejectOne(`${row()},extra`);
    expect(l.reason).toBe('parse_error');
    expect(l.detail).toContain('expected 9 fields as in the header, found 10');
    const short = await rejectOne(row().split(',').slice(0, 8).join(','));
    expect(short.detail).toContain('found 8');
  });

  it('a line break in a one-line field (a quote out of place)', async () => {
    const bad = row({ subject: 'Harris\nWalz' });
    const { letters, summary } = await importText(`${HEADER}\n${row()}\n${bad}\n`);
    expect(summary).toMatchObject({ read: 2, published: 1, dead_lettered: 1 });
    expect(letters[0]?.detail).toContain('subject holds a line break');
    expect(letters[0]?.raw.toString('utf8')).toBe(bad);
  });

  it('a row that is not UTF-8', async () => {
    const bad = Buffer.from(row({ transcript: 'caf\xe9' }), 'latin1');
    const text = Buffer.concat([
      Buffer.from(`${HEADER}\n${row()}\n`),
      bad,
      Buffer.from(`\n${row({ ad_id: SNAP_ID_2 })}\n`),
    ]);
    const { letters, summary } = await importText(text);
    expect(summary).toMatchObject({ read: 3, published: 2, dead_lettered: 1 });
    expect(letters[0]).toMatchObject({ reason: 'encoding_error', position: 'line 3' });
    expect(letters[0]?.raw.equals(bad)).toBe(true);
  });

  it('a quote left open at the end of the file', async () => {
    const { letters, summary } = await importText(
      `${HEADER}\n${row()}\n${row().replace(',Kamala', ',"Kamala')}\n`,
    );
    expect(summary).toMatchObject({ read: 2, published: 1, dead_lettered: 1 });
    expect(letters[0]).toMatchObject({ reason: 'parse_error', position: 'line 3' });
    expect(letters[0]?.detail).toContain('ends inside a quoted field');
  });
});

describe('annotations: duplicates', () => {
  it('counts an identical row (after trimming) as a duplicate, published once', async () => {
    const same = row({ platform: ' SNAP ', stance: ' pro-Israel ' });
    const { summary, events, letters } = await importText(`${HEADER}\n${row()}\n${same}\n${row()}\n`);
    expect(letters).toEqual([]);
    expect(summary).toMatchObject({ read: 3, published: 1, dead_lettered: 0, duplicates: 2 });
    expect(events).toHaveLength(1);
  });

  it('dead-letters a different coding under the same record id, naming the line kept', async () => {
    const other = row({ stance: 'pro-Palestine' });
    const { summary, events, letters } = await importText(`${HEADER}\n${row()}\n${other}\n`);
    expect(summary).toMatchObject({ read: 2, published: 1, dead_lettered: 1, duplicates: 0 });
    expect(events[0]?.payload.stance).toBe('pro-Israel');
    expect(letters[0]).toMatchObject({ reason: 'schema_invalid', position: 'line 3' });
    expect(letters[0]?.detail).toContain('line 2 codes the same ad, coder, subject and date');
    expect(letters[0]?.raw.toString('utf8')).toBe(other);
  });

  it('keeps codings of one ad by other coders, on other subjects or on other days', async () => {
    const rows = [
      row(),
      row({ coder: 'test-group/coder-b', stance: 'pro-Palestine' }),
      row({ subject: 'Israel', stance: 'ally' }),
      row({ coded_on: '2024-11-08', stance: 'neutral' }),
    ];
    const { summary, events } = await importText(`${HEADER}\n${rows.join('\n')}\n`);
    expect(summary).toMatchObject({ read: 4, published: 4, dead_lettered: 0, duplicates: 0 });
    expect(new Set(events.map((e) => e.source_record_id)).size).toBe(4);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(4);
  });
});

describe('annotations: text as spreadsheets write it', () => {
  it('drops a UTF-8 BOM before the header', async () => {
    const { events, letters } = await importText(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\n${row()}\n`)]),
    );
    expect(letters).toEqual([]);
    expect(events[0]?.payload.platform).toBe('snap');
  });

  it('reads CRLF line ends, keeps no carriage return, and keeps line breaks inside a quoted transcript', async () => {
    const transcript = 'Kamala Harris: friend of Israel.\r\n\r\nPaid for by "America PAC".';
    const text = `${HEADER}\r\n${row({ transcript })}\r\n${row({ ad_id: SNAP_ID_2 })}\r\n`;
    const { events, letters, summary } = await importText(text);
    expect(letters).toEqual([]);
    expect(summary.read).toBe(2);
    expect(events[0]?.payload.transcript).toBe(
      'Kamala Harris: friend of Israel.\n\nPaid for by "America PAC".',
    );
    for (const e of events) for (const v of Object.values(e.payload)) expect(v).not.toContain('\r');
  });

  it('counts lines across quoted line breaks for the position of a later bad row', async () => {
    const text = `${HEADER}\n${row({ transcript: 'one\ntwo\nthree' })}\n\n${row({ platform: 'myspace' })}\n`;
    const { letters, events } = await importText(text);
    expect(events[0]?.payload.transcript).toBe('one\ntwo\nthree');
    expect(letters[0]?.position).toBe('line 6');
  });

  it('trims every value and lower-cases the platform, keeping other case', async () => {
    const { events } = await importText(
      `${HEADER}\n${row({ platform: ' Snap ', subject: ' Harris ', coder: ' Test-Group/Coder-A ', transcript: '  Hi.  ' })}\n`,
    );
    expect(events[0]?.payload).toMatchObject({
      platform: 'snap',
      subject: 'Harris',
      coder: 'Test-Group/Coder-A',
      transcript: 'Hi.',
    });
  });
});

describe('annotations: garbage in', () => {
  /** mulberry32, so a failure can be replayed by its seed. */
  function prng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('never throws and accounts for every record of mangled files', async () => {
    const original = readFileSync(SAMPLE);
    const specials = [0x22, 0x2c, 0x0a, 0x0d, 0xff, 0xc3, 0x00, 0x40, 0x3a];
    let published = 0;
    let unreadable = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = prng(seed);
      const data = Buffer.from(original);
      for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n; i++)
        data[Math.floor(rnd() * data.length)] = specials[Math.floor(rnd() * specials.length)] ?? 0;
      const { summary } = await importText(data.subarray(0, Math.floor(data.length * (0.5 + rnd() / 2))));
      published += summary.published;
      unreadable += summary.unreadable;
      if (summary.unreadable === 0) expect(summary.read).toBeGreaterThan(0);
    }
    // The mangling leaves most headers and some rows intact: the parser is exercised too.
    expect(published).toBeGreaterThan(0);
    expect(unreadable).toBeLessThan(40);
  });
});

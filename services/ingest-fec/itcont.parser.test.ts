import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DonationPayloadV1, DonationV1 } from '../../schemas/events/donation.ts';
import { silentLogger } from '../shared/logger.ts';
import { runImport } from '../shared/ingest/importer.ts';
import { DATA_FEC, MemorySink, drive, memoryInput, pseudonymize, toCents } from './drive.test-support.ts';
import { fecItcontSource, ITCONT_MAX_LINE_BYTES, parseItcontLine } from './itcont.parser.ts';

const GOLDEN = path.join(DATA_FEC, 'itcont_2017_sample.txt');

/** The golden file split independently: lines on '\n', fields on '|'. */
const goldenRows = readFileSync(GOLDEN, 'latin1')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => l.split('|'));

const LINE =
  'C00570994|N|Q3|P|201710130200292272|15|IND|KEELER, TIM|VIENNA|VA|221803447|MAYER BROWN, LLP|ATTORNEY|09022017|250||SA101717227228|1187824||CONTRIBUTION|2101720171458474471';

function withField(line: string, index: number, value: string): string {
  const f = line.split('|');
  f[index] = value;
  return f.join('|');
}

describe('fec-itcont golden: itcont_2017_sample.txt', () => {
  it('reads every line: read = events + rejections, 699 donations', async () => {
    expect(goldenRows).toHaveLength(699);
    const d = await drive(fecItcontSource, GOLDEN);
    expect(d.read).toBe(goldenRows.length);
    expect(d.read).toBe(d.events.length + d.rejections.length + d.faults.length);
    expect(d.events).toHaveLength(699);
    expect(d.rejections).toEqual([]);
    for (const e of d.events) expect(() => DonationPayloadV1.parse(e.payload)).not.toThrow();
  });

  it('keeps SUB_ID as the key, signs, memo flags and totals as in the file', async () => {
    const d = await drive(fecItcontSource, GOLDEN);
    const payloads = d.events.map((e) => DonationPayloadV1.parse(e.payload));
    expect(d.events.map((e) => e.source_record_id)).toEqual(goldenRows.map((r) => r[20]));
    expect(new Set(d.events.map((e) => e.source_record_id)).size).toBe(699);

    const memo = goldenRows.filter((r) => r[18] === 'X').length;
    const negative = goldenRows.filter((r) => (r[14] ?? '').startsWith('-')).length;
    expect(memo).toBeGreaterThan(0);
    expect(negative).toBeGreaterThan(0);
    expect(payloads.filter((p) => p.memo)).toHaveLength(memo);
    expect(payloads.filter((p) => p.amount.startsWith('-'))).toHaveLength(negative);

    const sum = (rows: string[][]): bigint => rows.reduce((s, r) => s + toCents(r[14] ?? ''), 0n);
    const nonMemoTotal = sum(goldenRows.filter((r) => r[18] !== 'X'));
    const parsedNonMemo = payloads.filter((p) => !p.memo).reduce((s, p) => s + toCents(p.amount), 0n);
    expect(parsedNonMemo).toBe(nonMemoTotal);
    expect(sum(goldenRows)).toBe(payloads.reduce((s, p) => s + toCents(p.amount), 0n));
  });

  it('maps one line field by field', () => {
    const o = parseItcontLine(LINE.split('|'));
    expect(o).toEqual({
      ok: true,
      source_record_id: '2101720171458474471',
      occurred_at: '2017-09-02T00:00:00Z',
      payload: {
        committee_id: 'C00570994',
        contributor_name: 'KEELER, TIM',
        contributor_city: 'VIENNA',
        contributor_state: 'VA',
        contributor_zip: '221803447',
        contributor_employer: 'MAYER BROWN, LLP',
        contributor_occupation: 'ATTORNEY',
        entity_type: 'IND',
        amount: '250.00',
        currency: 'USD',
        contributed_on: '2017-09-02',
        memo: false,
        memo_text: 'CONTRIBUTION',
        transaction_type: '15',
        report_type: 'Q3',
        amendment_indicator: 'N',
        transaction_pgi: 'P',
        image_number: '201710130200292272',
        file_number: '1187824',
        fec_sub_id: '2101720171458474471',
        transaction_id: 'SA101717227228',
      },
      // The payload is DonationPayloadV1's output: completing the event does not parse it again.
      parsedBy: DonationPayloadV1,
    });
  });

  it('runs end to end through runImport: published + dead-lettered = read, keyed by committee', async () => {
    const sink = new MemorySink();
    const summary = await runImport({
      source: fecItcontSource,
      inputs: [GOLDEN],
      sink,
      pseudonymize,
      log: silentLogger,
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    expect(summary.read).toBe(699);
    expect(summary.published + summary.dead_lettered + summary.duplicates).toBe(summary.read);
    expect(summary.published).toBe(699);
    expect(sink.events.every((m) => m.topic.includes('donation'))).toBe(true);
    const first = DonationV1.parse(JSON.parse(sink.events[0]?.value ?? 'null'));
    expect(first.source).toBe('fec-itcont');
    expect(sink.events[0]?.key).toBe(first.payload.committee_id);

    const again = await runImport({
      source: fecItcontSource,
      inputs: [GOLDEN, GOLDEN],
      sink: new MemorySink(),
      pseudonymize,
      log: silentLogger,
    });
    expect(again.published).toBe(699);
    expect(again.duplicates).toBe(699); // same SUB_IDs → same event ids
  });
});

describe('fec-itcont broken input', () => {
  it('keeps zero-padded ZIPs, reads a memo line and a refund', () => {
    const zip = parseItcontLine(withField(LINE, 10, '02109').split('|'));
    expect(zip.ok && (zip.payload as { contributor_zip: string }).contributor_zip).toBe('02109');
    const memo = parseItcontLine(withField(withField(LINE, 18, 'X'), 14, '-2300').split('|'));
    expect(memo.ok && memo.payload).toMatchObject({ memo: true, amount: '-2300.00' });
  });

  it('rejects wrong column counts, bad dates, non-numeric amounts, missing SUB_ID', () => {
    const cases: [string, RegExp][] = [
      [LINE.split('|').slice(0, 15).join('|'), /expected 21 .* found 15/],
      [LINE.replaceAll('|', ','), /found 1 /],
      [`${LINE}|extra`, /found 22/],
      [withField(LINE, 13, '13452017'), /TRANSACTION_DT/],
      [withField(LINE, 13, ''), /TRANSACTION_DT/],
      [withField(LINE, 13, '02302017'), /TRANSACTION_DT/],
      [withField(LINE, 14, 'abc'), /TRANSACTION_AMT/],
      [withField(LINE, 14, '1e3'), /TRANSACTION_AMT/],
      [withField(LINE, 14, ''), /TRANSACTION_AMT/],
      [withField(LINE, 20, ''), /SUB_ID/],
      [withField(LINE, 20, '21017x'), /SUB_ID/],
    ];
    for (const [line, detail] of cases) {
      const o = parseItcontLine(line.split('|'));
      expect(o.ok, line).toBe(false);
      if (!o.ok) {
        expect(o.reason).toBe('parse_error');
        expect(o.detail).toMatch(detail);
      }
    }
  });

  it('rejects a bad committee id or an oversized field as schema_invalid', () => {
    const bad = parseItcontLine(withField(LINE, 0, 'X123').split('|'));
    expect(bad).toMatchObject({ ok: false, reason: 'schema_invalid' });
    const huge = parseItcontLine(withField(LINE, 7, 'A'.repeat(5000)).split('|'));
    expect(huge).toMatchObject({ ok: false, reason: 'schema_invalid' });
    if (!huge.ok) expect(huge.detail).toMatch(/contributor_name/);
  });

  it('keeps formula- and SQL-looking text and quotes verbatim, as data', () => {
    const formula = "=cmd|' /C calc'!A0";
    // a `|` inside the text would split it: itcont has no quoting, so the formula goes in the
    // employer field without its pipe, and the SQL in the name.
    const line = withField(
      withField(withField(LINE, 11, formula.replace('|', '')), 7, "'; DROP TABLE x; --"),
      12,
      'SAID "HI"',
    );
    const o = parseItcontLine(line.split('|'));
    expect(o.ok && o.payload).toMatchObject({
      contributor_employer: "=cmd' /C calc'!A0",
      contributor_name: "'; DROP TABLE x; --",
      contributor_occupation: 'SAID "HI"',
    });
    // with its pipe, the formula adds a field: a column-count rejection, not an interpretation
    const split = parseItcontLine(withField(LINE, 11, formula).split('|'));
    expect(split).toMatchObject({ ok: false, reason: 'parse_error' });
  });

  it('drives a damaged file: latin-1 lines, truncated last line, a huge line, blank lines, CRLF', async () => {
    const latin1 = Buffer.from(withField(LINE, 7, 'MUÑOZ, JOSÉ'), 'latin1');
    const data = Buffer.concat([
      Buffer.from(`${LINE}\r\n`),
      latin1,
      Buffer.from('\n\n'),
      Buffer.from(`${'Z'.repeat(ITCONT_MAX_LINE_BYTES + 10)}\n`),
      Buffer.from(`${withField(LINE, 20, '2101720171458474999')}\n`),
      Buffer.from(LINE.slice(0, 60)), // truncated: the file ends mid-line
    ]);
    const d = await drive(fecItcontSource, memoryInput(data, 7));
    expect(d.read).toBe(5);
    expect(d.read).toBe(d.events.length + d.rejections.length + d.faults.length);
    expect(d.events).toHaveLength(3);
    expect(d.events[1]?.payload).toMatchObject({ contributor_name: 'MUÑOZ, JOSÉ' });
    expect(d.faults).toHaveLength(1);
    expect(d.faults[0]).toMatchObject({ position: 'line 4', reason: 'too_large' });
    expect(d.faults[0]?.raw.length).toBeLessThanOrEqual(4096);
    expect(d.rejections).toHaveLength(1);
    expect(d.rejections[0]).toMatchObject({ position: 'line 6', reason: 'parse_error' });
  });

  it('survives random garbage without throwing: every line gets one outcome', async () => {
    let seed = 42;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const bytes = Buffer.alloc(50_000);
    for (let i = 0; i < bytes.length; i++)
      bytes[i] = rnd() < 0.05 ? 0x0a : rnd() < 0.1 ? 0x7c : Math.floor(rnd() * 256);
    const d = await drive(fecItcontSource, memoryInput(bytes, 1000));
    const lines = bytes
      .toString('latin1')
      .split('\n')
      .filter((l) => l.trim().length > 0).length;
    expect(d.read).toBe(lines);
    expect(d.read).toBe(d.events.length + d.rejections.length + d.faults.length);
  });
});

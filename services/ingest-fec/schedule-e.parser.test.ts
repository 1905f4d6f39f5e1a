import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PayoutPayloadV1, PayoutV1, type PayoutPayloadV1 as Payout } from '../../schemas/events/payout.ts';
import { runImport } from '../shared/ingest/importer.ts';
import { silentLogger } from '../shared/logger.ts';
import {
  DATA_FEC,
  FIXTURES_FEC,
  MemorySink,
  drive,
  memoryInput,
  naiveCsvLine,
  pseudonymize,
  toCents,
} from './drive.test-support.ts';
import { latestPayouts } from './payout.ts';
import { fecScheduleESource } from './schedule-e.parser.ts';

const WIRED = path.join(DATA_FEC, 'america_pac_schedule_e_2024.csv');
const RAW_CSV = path.join(FIXTURES_FEC, 'america_pac_raw_schedule_e.csv.gz');
const RAW_PAGES = readdirSync(FIXTURES_FEC)
  .filter((f) => /^america_pac_raw_schedule_e\.page-\d+\.json\.gz$/.test(f))
  .sort()
  .map((f) => path.join(FIXTURES_FEC, f));

/** WIRED's published figure for America PAC (README of wired-investigations/America-PAC-Spending). */
const WIRED_TOTAL_CENTS = 174_637_011_09n;

/** A CSV file as rows of named fields, split naively (one record per line). */
function naiveTable(text: string): Record<string, string>[] {
  const [head = '', ...lines] = text.split('\n').filter((l) => l.length > 0);
  const header = naiveCsvLine(head);
  return lines.map((l) => {
    const f = naiveCsvLine(l);
    expect(f).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, f[i] ?? '']));
  });
}

const wiredRows = naiveTable(readFileSync(WIRED, 'utf8'));

/** Distinct expenditures and their total by the rule, computed from plain rows. */
function expectedFigures(rows: Record<string, string>[]): {
  keys: number;
  cents: bigint;
  byCycle: Record<string, number>;
} {
  const rank = (r: Record<string, string>): number =>
    r.filing_form === 'F24' ? 1 : r.amendment_indicator === 'A' ? 3 : 2;
  const best = new Map<string, Record<string, string>>();
  for (const r of rows) {
    const key = `${r.committee_id}:${r.cycle}:${r.transaction_id}`;
    const b = best.get(key);
    if (!b || rank(r) > rank(b)) best.set(key, r);
  }
  const byCycle: Record<string, number> = {};
  for (const r of best.values()) byCycle[r.cycle ?? ''] = (byCycle[r.cycle ?? ''] ?? 0) + 1;
  return {
    keys: best.size,
    cents: [...best.values()].reduce((s, r) => s + toCents(r.amount ?? ''), 0n),
    byCycle,
  };
}

function payloads(events: { payload: unknown }[]): Payout[] {
  return events.map((e) => PayoutPayloadV1.parse(e.payload));
}

function figures(ps: Payout[]): { keys: number; cents: bigint; byCycle: Record<string, number> } {
  const latest = latestPayouts(ps.map((payload) => ({ payload }))).map((e) => e.payload);
  const byCycle: Record<string, number> = {};
  for (const p of latest) byCycle[String(p.cycle)] = (byCycle[String(p.cycle)] ?? 0) + 1;
  return { keys: latest.length, cents: latest.reduce((s, p) => s + toCents(p.amount), 0n), byCycle };
}

describe('fec-schedule-e golden: WIRED America PAC export', () => {
  it('the file itself, counted without the parser: 1,234 expenditures, $174,637,011.09', () => {
    expect(wiredRows).toHaveLength(1234);
    expect(wiredRows.reduce((s, r) => s + toCents(r.amount ?? ''), 0n)).toBe(WIRED_TOTAL_CENTS);
    expect(expectedFigures(wiredRows)).toEqual({
      keys: 1234,
      cents: WIRED_TOTAL_CENTS,
      byCycle: { '2024': 1187, '2026': 47 },
    });
  });

  it('yields 1,234 payouts (1,187 in 2024, 47 in 2026) totalling $174,637,011.09', async () => {
    const d = await drive(fecScheduleESource, WIRED);
    expect(d.read).toBe(wiredRows.length);
    expect(d.read).toBe(d.events.length + d.rejections.length + d.faults.length);
    expect(d.rejections).toEqual([]);
    expect(d.faults).toEqual([]);
    const ps = payloads(d.events);
    expect(figures(ps)).toEqual({
      keys: 1234,
      cents: WIRED_TOTAL_CENTS,
      byCycle: { '2024': 1187, '2026': 47 },
    });
    expect(new Set(d.events.map((e) => e.source_record_id)).size).toBe(1234);
    expect(d.events.map((e) => e.source_record_id)).toEqual(wiredRows.map((r) => r.sub_id));
  });

  it('keeps SE24.644 and SE24.645 as two payouts (same day, amount and payee)', async () => {
    const ps = payloads((await drive(fecScheduleESource, WIRED)).events);
    const twins = latestPayouts(ps.map((payload) => ({ payload })))
      .map((e) => e.payload)
      .filter((p) => p.transaction_id === 'SE24.644' || p.transaction_id === 'SE24.645');
    expect(twins).toHaveLength(2);
    expect(new Set(twins.map((p) => `${p.paid_on}|${p.amount}|${p.payee_name}`)).size).toBe(1);
    expect(twins.map((p) => p.payout_key).sort()).toEqual([
      'C00879510:2024:SE24.644',
      'C00879510:2024:SE24.645',
    ]);
  });

  it('maps the renamed columns, offices, states and ranks', async () => {
    const ps = payloads((await drive(fecScheduleESource, WIRED)).events);
    const first = ps[0] as Payout;
    expect(first).toMatchObject({
      payer_committee_id: 'C00879510',
      payer_name: 'America PAC',
      cycle: 2024,
      transaction_id: 'SE24.1',
      payout_key: 'C00879510:2024:SE24.1',
      payee_name: 'RACONTEUR MEDIA',
      purpose: 'PRINTING',
      category: 'printing',
      amount: '200000.00',
      currency: 'USD',
      paid_on: '2024-06-12',
      disseminated_on: '2024-06-10',
      support_oppose: 'support',
      candidate_id: 'P80001571',
      candidate_office: 'P',
      candidate_state: 'US',
      state: null,
      filing: { form: 'F3X', report_type: 'Q2', amendment_indicator: 'A', sub_id: '4103020241012034611' },
      restatement_rank: 3,
      source_kind: 'fec_schedule_e',
    });
    expect(ps.filter((p) => p.filing.form === 'F24').every((p) => p.restatement_rank === 1)).toBe(true);
    expect(ps.filter((p) => p.candidate_office === 'H').every((p) => p.state === p.candidate_state)).toBe(
      true,
    );
    expect(ps.filter((p) => p.candidate_office === 'P').every((p) => p.state === null)).toBe(true);
    // the one row without a candidate id (HARRIS, KAMALA, filed by name only) is kept
    expect(ps.filter((p) => p.candidate_id === null)).toHaveLength(1);
    const byCategory = new Map<string, number>();
    for (const p of ps) byCategory.set(p.category, (byCategory.get(p.category) ?? 0) + 1);
    expect(Object.fromEntries(byCategory)).toEqual({
      printing: 188,
      canvassing: 502,
      digital_ads: 207,
      mail: 335,
      media: 2,
    });
  });

  it('runs end to end through runImport and re-imports as duplicates', async () => {
    const sink = new MemorySink();
    const summary = await runImport({
      source: fecScheduleESource,
      inputs: [WIRED],
      sink,
      pseudonymize,
      log: silentLogger,
    });
    expect(summary.read).toBe(1234);
    expect(summary.published + summary.dead_lettered + summary.duplicates).toBe(summary.read);
    expect(summary.published).toBe(1234);
    const events = sink.events.map((m) => PayoutV1.parse(JSON.parse(m.value)));
    expect(sink.events.every((m) => m.key === 'C00879510')).toBe(true);
    expect(figures(events.map((e) => e.payload)).cents).toBe(WIRED_TOTAL_CENTS);
    const again = await runImport({
      source: fecScheduleESource,
      inputs: [WIRED, WIRED],
      sink: new MemorySink(),
      pseudonymize,
      log: silentLogger,
    });
    expect(again.duplicates).toBe(1234);
  });
});

describe('fec-schedule-e golden: raw filings derived from the WIRED export (F24 notices + F3X)', () => {
  const rawRows = naiveTable(gunzipSync(readFileSync(RAW_CSV)).toString('utf8'));
  const rawPages = RAW_PAGES.map(
    (p) => JSON.parse(gunzipSync(readFileSync(p)).toString('utf8')) as { results: unknown[] },
  );

  it('the fixture, counted without the parser: 2,423 filed lines, still 1,234 expenditures', () => {
    expect(rawRows).toHaveLength(2423);
    expect(rawRows.filter((r) => r.filing_form === 'F24')).toHaveLength(45 + 1189);
    expect(expectedFigures(rawRows)).toEqual({
      keys: 1234,
      cents: WIRED_TOTAL_CENTS,
      byCycle: { '2024': 1187, '2026': 47 },
    });
    // summing every filed line, as a naive reader would, roughly doubles the figure
    const naive = rawRows.reduce((s, r) => s + toCents(r.amount ?? ''), 0n);
    expect(naive).toBeGreaterThan((WIRED_TOTAL_CENTS * 19n) / 10n);
    expect(rawPages.reduce((n, p) => n + p.results.length, 0)).toBe(2423);
  });

  it('CSV form: 2,423 events → 1,234 payouts, $174,637,011.09, F3X beats its notice', async () => {
    const d = await drive(fecScheduleESource, RAW_CSV);
    expect(d.read).toBe(2423);
    expect(d.events).toHaveLength(2423);
    const ps = payloads(d.events);
    expect(figures(ps)).toEqual({
      keys: 1234,
      cents: WIRED_TOTAL_CENTS,
      byCycle: { '2024': 1187, '2026': 47 },
    });
    const latest = latestPayouts(ps.map((payload) => ({ payload }))).map((e) => e.payload);
    expect(latest.filter((p) => p.filing.form === 'F24')).toHaveLength(45);
    const one = ps.filter((p) => p.payout_key === 'C00879510:2024:SE24.1');
    expect(one.map((p) => [p.filing.form, p.restatement_rank]).sort()).toEqual([
      ['F24', 1],
      ['F3X', 3],
    ]);
    const twins = latest.filter((p) => p.transaction_id === 'SE24.644' || p.transaction_id === 'SE24.645');
    expect(twins).toHaveLength(2);
  });

  it('OpenFEC JSON-page form: the same 1,234 payouts and total', async () => {
    expect(RAW_PAGES).toHaveLength(25);
    const all: Payout[] = [];
    for (const page of RAW_PAGES) {
      const d = await drive(fecScheduleESource, page);
      expect(d.read).toBe(d.events.length);
      all.push(...payloads(d.events));
    }
    expect(all).toHaveLength(2423);
    expect(figures(all)).toEqual({
      keys: 1234,
      cents: WIRED_TOTAL_CENTS,
      byCycle: { '2024': 1187, '2026': 47 },
    });
    expect(all.filter((p) => p.support_oppose === null)).toHaveLength(0);
  });

  it('the CSV and JSON forms give the same event for each sub_id', async () => {
    const csv = await drive(fecScheduleESource, RAW_CSV);
    const json = (await Promise.all(RAW_PAGES.map((p) => drive(fecScheduleESource, p)))).flatMap(
      (d) => d.events,
    );
    const bySub = new Map(json.map((e) => [e.source_record_id, e.payload]));
    for (const e of csv.events) {
      const j = bySub.get(e.source_record_id) as Payout;
      const c = e.payload as Payout;
      expect({ ...j, filing: { ...j.filing, filed_on: null } }).toEqual(c);
    }
  });

  it('runs all 25 pages through runImport', async () => {
    const sink = new MemorySink();
    const summary = await runImport({
      source: fecScheduleESource,
      inputs: RAW_PAGES,
      sink,
      pseudonymize,
      log: silentLogger,
    });
    expect(summary.read).toBe(2423);
    expect(summary.published).toBe(2423);
    const ps = sink.events.map((m) => PayoutV1.parse(JSON.parse(m.value)).payload);
    expect(figures(ps).cents).toBe(WIRED_TOTAL_CENTS);
  });
});

const HEADER =
  'committee_id,committee_name,cycle,transaction_id,sub_id,expenditure_amount,expenditure_date,dissemination_date,support_oppose_indicator,expenditure_description,payee_name,candidate_id,candidate_name,candidate_office,candidate_office_state,candidate_office_district,filing_form,report_type,amendment_indicator,file_number,image_number,pdf_url';
const ROW =
  'C00879510,America PAC,2024,SE24.9,4103020241012034999,1000.5,2024-10-01,2024-10-02,O,DIGITAL ADS,ACME LLC,H4PA07106,"DOE, JANE",H,PA,7,F3X,Q3,N,1841918,202410159700000001,https://docquery.fec.gov/cgi-bin/fecimg/?202410159700000001';

describe('fec-schedule-e broken input', () => {
  it('reads an OpenFEC-named CSV: pads the district, states the H race, normalises the amount', async () => {
    const d = await drive(fecScheduleESource, memoryInput(`${HEADER}\n${ROW}\n`));
    expect(d.events).toHaveLength(1);
    expect(d.events[0]?.payload).toMatchObject({
      amount: '1000.50',
      candidate_district: '07',
      state: 'PA',
      support_oppose: 'oppose',
      category: 'digital_ads',
      restatement_rank: 2,
    });
  });

  it('keeps formula- and SQL-looking text verbatim', async () => {
    const row = ROW.replace('ACME LLC', `"=cmd|' /C calc'!A0"`).replace(
      'DIGITAL ADS',
      `"'; DROP TABLE x; --"`,
    );
    const d = await drive(fecScheduleESource, memoryInput(`${HEADER}\n${row}\n`));
    expect(d.events[0]?.payload).toMatchObject({
      payee_name: "=cmd|' /C calc'!A0",
      purpose: "'; DROP TABLE x; --",
      category: 'other',
    });
  });

  it('rejects wrong types and counts each row once', async () => {
    const bad = [
      ROW.replace('1000.5', 'lots'),
      ROW.replace('2024-10-01,2024-10-02', '2024-13-01,2024-10-02'),
      ROW.replace(',O,', ',X,'),
      ROW.replace('4103020241012034999', ''),
      ROW.replace(',2024,SE24.9', ',20x4,SE24.9'),
      ROW.replace(',H,PA', ',Z,PA'),
      ROW.replace('C00879510,', 'C123,'),
      `${ROW},extra`,
      ROW.split(',').slice(0, 10).join(','),
    ];
    const d = await drive(fecScheduleESource, memoryInput(`${HEADER}\n${bad.join('\n')}\n`));
    expect(d.read).toBe(bad.length);
    expect(d.events).toHaveLength(0);
    expect(d.rejections.map((r) => r.reason)).toEqual([
      'parse_error',
      'parse_error',
      'parse_error',
      'parse_error',
      'parse_error',
      'parse_error',
      'schema_invalid',
      'parse_error',
      'parse_error',
    ]);
    expect(d.rejections[0]?.detail).toMatch(/amount/);
    expect(d.rejections[7]?.detail).toMatch(/expected 22 fields/);
  });

  it('a header without the key columns (wrong delimiter, the bulk file) faults every record', async () => {
    const semicolons = `${HEADER.replaceAll(',', ';')}\n${ROW.replaceAll(',', ';')}\n${ROW.replaceAll(',', ';')}\n`;
    const d = await drive(fecScheduleESource, memoryInput(semicolons));
    expect(d.read).toBe(3);
    expect(d.faults.map((f) => f.reason)).toEqual(['parse_error', 'parse_error', 'parse_error']);
    expect(d.faults[0]?.detail).toMatch(/header lacks committee_id, transaction_id, sub_id, amount/);
  });

  it('a truncated CSV (open quote at the end), a huge field and latin-1 bytes', async () => {
    const latin1 = Buffer.from(
      `${ROW.replace('ACME LLC', 'PEÑA MEDIA').replace('4999', '5000')}\n`,
      'latin1',
    );
    const data = Buffer.concat([
      Buffer.from(`${HEADER}\n${ROW}\n`),
      latin1,
      Buffer.from(`${ROW.replace('ACME LLC', `"${'A'.repeat(300 * 1024)}"`).replace('4999', '5001')}\n`),
      Buffer.from(ROW.replace('ACME LLC', '"ACME\nLL').replace('4999', '5002')),
    ]);
    const d = await drive(fecScheduleESource, memoryInput(data, 1000));
    expect(d.read).toBe(d.events.length + d.rejections.length + d.faults.length);
    expect(d.events.map((e) => (e.payload as Payout).payee_name)).toEqual(['ACME LLC', 'PEÑA MEDIA']);
    expect(d.faults.map((f) => f.reason)).toEqual(['too_large', 'parse_error']);
    expect(d.faults[1]?.detail).toMatch(/ends inside a quoted field/);
  });

  it('JSON pages: exact 19-digit numeric sub_ids, tokens stripped, report_year → cycle, wrong types', async () => {
    const page = `{"api_version":"1.0","pagination":{"count":3,"last_indexes":{"last_index":4121220241076070199}},"results":[
      {"committee_id":"C00879510","committee":{"name":"America PAC"},"report_year":2025,"transaction_id":"SE24.1196","sub_id":4121220241076070199,
       "expenditure_amount":111111.0,"expenditure_date":"2025-03-25T00:00:00","dissemination_date":null,"support_oppose_indicator":"S",
       "expenditure_description":"TEXTING","payee_name":"IMGE LLC","candidate_id":"S6NC00001","candidate_name":"DOE, JOHN","candidate_office":"S",
       "candidate_office_state":"NC","candidate_office_district":null,"filing_form":"F24","is_notice":true,"report_type":"48","amendment_indicator":"N",
       "file_number":2010598,"image_number":"202503259700000001","pdf_url":"https://docquery.fec.gov/cgi-bin/fecimg/?202503259700000001&api_key=SECRET&access_token=T",
       "filing_date":"2025-03-26"},
      {"committee_id":"C00879510","transaction_id":"SE24.2","sub_id":"1","expenditure_amount":{"value":1},"expenditure_date":"2025-03-25"},
      "not an object"
    ]}`;
    const d = await drive(fecScheduleESource, memoryInput(page, 50));
    expect(d.read).toBe(3);
    expect(d.events).toHaveLength(1);
    const p = PayoutPayloadV1.parse(d.events[0]?.payload);
    expect(d.events[0]?.source_record_id).toBe('4121220241076070199');
    expect(p).toMatchObject({
      cycle: 2026,
      payout_key: 'C00879510:2026:SE24.1196',
      amount: '111111.00',
      paid_on: '2025-03-25',
      disseminated_on: null,
      state: 'NC',
      category: 'canvassing',
      restatement_rank: 1,
      filing: { form: 'F24', sub_id: '4121220241076070199', filed_on: '2025-03-26', file_number: '2010598' },
    });
    expect(p.filing.pdf_url).toBe('https://docquery.fec.gov/cgi-bin/fecimg/?202503259700000001');
    expect(d.rejections.map((r) => r.detail)).toEqual([
      'expenditure_amount is an object, expected a scalar',
      'the result is not an object',
    ]);
    expect(d.rejections[0]?.raw.toString()).toContain('"sub_id":"1"');
  });

  it('JSON pages: truncated, not a page, not UTF-8', async () => {
    const truncated = await drive(
      fecScheduleESource,
      memoryInput('{"results":[{"committee_id":"C00879510",'),
    );
    expect(truncated.faults).toMatchObject([{ reason: 'parse_error', position: 'page' }]);
    expect(truncated.faults[0]?.detail).toMatch(/truncated/);
    const noResults = await drive(
      fecScheduleESource,
      memoryInput('{"api_version":"1.0","message":"rate limited"}'),
    );
    expect(noResults.faults).toMatchObject([
      { reason: 'parse_error', detail: expect.stringMatching(/no `results`/) as unknown },
    ]);
    const bytes = await drive(
      fecScheduleESource,
      memoryInput(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    );
    expect(bytes.faults).toMatchObject([{ reason: 'encoding_error' }]);
    const bare = await drive(fecScheduleESource, memoryInput('  [ ]'));
    expect(bare.read).toBe(0);
  });
});

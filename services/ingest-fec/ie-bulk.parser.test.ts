import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PayoutPayloadV1, type PayoutPayloadV1 as Payout } from '../../schemas/events/payout.ts';
import { runImport } from '../shared/ingest/importer.ts';
import { silentLogger } from '../shared/logger.ts';
import { MemorySink, drive, memoryInput, pseudonymize } from './drive.test-support.ts';
import { fecIeBulkSource, IE_BULK_COLUMNS } from './ie-bulk.parser.ts';
import { latestPayouts } from './payout.ts';
import { fecScheduleESource } from './schedule-e.parser.ts';

/** The bulk file's header as FEC publishes it (independent_expenditure_<year>.csv). */
const HEADER = IE_BULK_COLUMNS.join(',');

function row(o: Partial<Record<(typeof IE_BULK_COLUMNS)[number], string>>): string {
  const base: Record<string, string> = {
    cand_id: 'H4PA07106',
    cand_name: 'DOE, JANE',
    spe_id: 'C00879510',
    spe_nam: 'AMERICA PAC',
    ele_type: 'G',
    can_office_state: 'PA',
    can_office_dis: '7',
    can_office: 'H',
    cand_pty_aff: 'REP',
    exp_amo: '111111',
    exp_date: '15-OCT-24',
    agg_amo: '222222',
    sup_opp: 'S',
    pur: 'DIGITAL MEDIA',
    pay: 'IMGE LLC',
    file_num: '1850001',
    amndt_ind: 'N',
    tran_id: 'SE24.644',
    image_num: '202410159700000001',
    receipt_dat: '16-OCT-24',
    fec_election_yr: '2024',
    prev_file_num: '',
    dissem_dt: '14-OCT-24',
    ...o,
  };
  return IE_BULK_COLUMNS.map((c) => `"${(base[c] ?? '').replace(/"/g, '""')}"`).join(',');
}

const dir = mkdtempSync(path.join(tmpdir(), 'ie-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fec-ie-bulk', () => {
  const file = [
    HEADER,
    row({}),
    row({ tran_id: 'SE24.645', dissem_dt: '15-OCT-24' }),
    row({ amndt_ind: 'A1', file_num: '1850100', exp_amo: '111112.50', prev_file_num: '1850001' }),
    row({
      cand_id: 'P80001571',
      cand_name: 'TRUMP, DONALD J.',
      can_office: 'P',
      can_office_state: 'US',
      can_office_dis: '',
      tran_id: 'SE24.7',
    }),
  ].join('\n');

  it('reads the bulk layout: DD-MON-YY dates, F24 notices, record ids without a sub_id', async () => {
    const d = await drive(fecIeBulkSource, memoryInput(file, 33));
    expect(d.read).toBe(4);
    expect(d.rejections).toEqual([]);
    const ps = d.events.map((e) => PayoutPayloadV1.parse(e.payload));
    expect(d.events.map((e) => e.source_record_id)).toEqual([
      'C00879510:1850001:SE24.644',
      'C00879510:1850001:SE24.645',
      'C00879510:1850100:SE24.644',
      'C00879510:1850001:SE24.7',
    ]);
    expect(ps[0]).toMatchObject({
      payout_key: 'C00879510:2024:SE24.644',
      payer_name: 'AMERICA PAC',
      amount: '111111.00',
      paid_on: '2024-10-15',
      disseminated_on: '2024-10-14',
      candidate_district: '07',
      state: 'PA',
      category: 'digital_ads',
      restatement_rank: 1,
      source_kind: 'fec_ie_bulk',
      filing: {
        form: 'F24',
        amendment_indicator: 'N',
        sub_id: null,
        file_number: '1850001',
        filed_on: '2024-10-16',
      },
    });
    expect(ps[2]?.filing.amendment_indicator).toBe('A');
    expect(ps[3]).toMatchObject({
      candidate_office: 'P',
      candidate_state: 'US',
      state: null,
      candidate_district: null,
    });
  });

  it('the amended notice supersedes the original (file_number tie-break); 644 and 645 stay two', async () => {
    const d = await drive(fecIeBulkSource, memoryInput(file));
    const latest = latestPayouts(d.events.map((e) => ({ payload: PayoutPayloadV1.parse(e.payload) })));
    expect(latest.map((e) => [e.payload.transaction_id, e.payload.amount])).toEqual([
      ['SE24.644', '111112.50'],
      ['SE24.645', '111111.00'],
      ['SE24.7', '111111.00'],
    ]);
  });

  it('an F3X line from fec-schedule-e supersedes the bulk notice under the same payout_key', async () => {
    const bulk = await drive(fecIeBulkSource, memoryInput(file));
    const csv =
      'committee_id,committee_name,cycle,transaction_id,sub_id,amount,expenditure_date,filing_form,report_type,amendment_indicator,payee_name,purpose\n' +
      'C00879510,America PAC,2024,SE24.644,4121220241076070198,111111.00,2024-10-15,F3X,30G,N,IMGE LLC,DIGITAL MEDIA\n';
    const f3x = await drive(fecScheduleESource, memoryInput(csv));
    const all: { payload: Payout }[] = [...bulk.events, ...f3x.events].map((e) => ({
      payload: PayoutPayloadV1.parse(e.payload),
    }));
    const latest = latestPayouts(all);
    expect(latest).toHaveLength(3);
    expect(latest.find((e) => e.payload.transaction_id === 'SE24.644')?.payload).toMatchObject({
      amount: '111111.00',
      source_kind: 'fec_schedule_e',
      restatement_rank: 2,
    });
  });

  it('broken rows: wrong types, missing ids, wrong column count, missing columns, truncated', async () => {
    const bad = [
      HEADER,
      row({ exp_amo: 'N/A' }),
      row({ exp_date: '31-FEB-24', dissem_dt: '' }),
      row({ tran_id: '' }),
      row({ file_num: 'x' }),
      row({ sup_opp: 'maybe' }),
      `${row({})},"extra"`,
      row({ pay: "=cmd|' /C calc'!A0", pur: "'; DROP TABLE x; --", tran_id: 'SE24.9' }),
      '"H4PA07106","DOE, JANE","C0087', // truncated inside a quoted field
    ].join('\n');
    const d = await drive(fecIeBulkSource, memoryInput(bad));
    expect(d.read).toBe(8);
    expect(d.read).toBe(d.events.length + d.rejections.length + d.faults.length);
    expect(d.rejections.map((r) => r.reason)).toEqual(Array(6).fill('parse_error'));
    expect(d.events).toHaveLength(1);
    expect(d.events[0]?.payload).toMatchObject({
      payee_name: "=cmd|' /C calc'!A0",
      purpose: "'; DROP TABLE x; --",
    });
    expect(d.faults.map((f) => f.reason)).toEqual(['parse_error']);

    const noColumns = await drive(fecIeBulkSource, memoryInput('a;b;c\n1;2;3\n'));
    expect(noColumns.read).toBe(2);
    expect(noColumns.faults[0]?.detail).toMatch(/header lacks spe_id, exp_amo, tran_id, file_num/);
  });

  it('runs end to end through runImport', async () => {
    const p = path.join(dir, 'independent_expenditure_2024.csv');
    writeFileSync(p, file);
    const sink = new MemorySink();
    const summary = await runImport({
      source: fecIeBulkSource,
      inputs: [p],
      sink,
      pseudonymize,
      log: silentLogger,
    });
    expect(summary).toMatchObject({ read: 4, published: 4, dead_lettered: 0, duplicates: 0 });
  });
});

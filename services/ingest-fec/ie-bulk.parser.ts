/**
 * `fec-ie-bulk`: the FEC bulk independent-expenditure file (independent_expenditure_<year>.csv)
 * → payout events. Quoted CSV with a header of short column names:
 * cand_id, cand_name, spe_id, spe_nam, ele_type, can_office_state, can_office_dis, can_office,
 * cand_pty_aff, exp_amo, exp_date, agg_amo, sup_opp, pur, pay, file_num, amndt_ind, tran_id,
 * image_num, receipt_dat, fec_election_yr, prev_file_num, dissem_dt. Dates are `DD-MON-YY`.
 *
 * The file carries the 24- and 48-hour notices, so every row is an F24 line (restatement rank 1):
 * the F3X restatement, when it comes through `fec-schedule-e`, supersedes it under the same
 * payout_key. The file has no sub_id, so a row's source_record_id is
 * `<spe_id>:<file_num>:<tran_id>` (one line of one filing), and an amended notice (amndt_ind A1,
 * A2…, a later file_num) supersedes the original through latestPayouts' file_number tie-break.
 */
import { splitCsvRecord } from '../shared/ingest/readers.ts';
import {
  outcome,
  type ImportSource,
  type Item,
  type ParseOutcome,
  type ReadResult,
} from '../shared/ingest/source.ts';
import { digits, text } from './fec-values.ts';
import { readCsvBounded } from './input.ts';
import { buildPayout, type ScheduleERow } from './payout.ts';
import { MAX_CSV_RECORD_BYTES, type ScheduleEItem } from './schedule-e.parser.ts';

/** The bulk file's columns, as FEC's header spells them. */
export const IE_BULK_COLUMNS = [
  'cand_id',
  'cand_name',
  'spe_id',
  'spe_nam',
  'ele_type',
  'can_office_state',
  'can_office_dis',
  'can_office',
  'cand_pty_aff',
  'exp_amo',
  'exp_date',
  'agg_amo',
  'sup_opp',
  'pur',
  'pay',
  'file_num',
  'amndt_ind',
  'tran_id',
  'image_num',
  'receipt_dat',
  'fec_election_yr',
  'prev_file_num',
  'dissem_dt',
] as const;
type IeColumn = (typeof IE_BULK_COLUMNS)[number];

const REQUIRED: readonly IeColumn[] = ['spe_id', 'exp_amo', 'tran_id', 'file_num'];

/** A bulk row (by column name) → a Schedule E row in OpenFEC's terms. */
export function rowFromIeBulk(f: Partial<Record<IeColumn, string>>): ScheduleERow {
  return {
    committee_id: f.spe_id,
    committee_name: f.spe_nam,
    cycle: f.fec_election_yr,
    transaction_id: f.tran_id,
    amount: f.exp_amo,
    expenditure_date: f.exp_date,
    dissemination_date: f.dissem_dt,
    filing_date: f.receipt_dat,
    support_oppose: f.sup_opp,
    purpose: f.pur,
    payee_name: f.pay,
    candidate_id: f.cand_id,
    candidate_name: f.cand_name,
    candidate_office: f.can_office,
    candidate_state: f.can_office_state,
    candidate_district: f.can_office_dis,
    filing_form: 'F24',
    is_notice: 'true',
    amendment_indicator: f.amndt_ind,
    file_number: f.file_num,
    image_number: f.image_num,
  };
}

async function* readIeBulk(
  stream: AsyncIterable<Buffer>,
): AsyncGenerator<ReadResult<ScheduleEItem & { recordId?: string }>> {
  let header: string[] | undefined;
  let index: Partial<Record<IeColumn, number>> = {};
  let missing: IeColumn[] = [];
  for await (const rec of readCsvBounded(stream, {
    maxRecordBytes: MAX_CSV_RECORD_BYTES,
    splitRecord: (t) => splitCsvRecord(t),
  })) {
    const position = `record at line ${rec.lineNo}`;
    if (!rec.ok) {
      yield { ok: false, fault: { position, raw: rec.raw, reason: rec.reason, detail: rec.detail } };
      continue;
    }
    if (!header) {
      header = rec.fields;
      const names = header.map((h) => h.trim().toLowerCase());
      index = {};
      for (const c of IE_BULK_COLUMNS) {
        const i = names.indexOf(c);
        if (i >= 0) index[c] = i;
      }
      missing = REQUIRED.filter((c) => index[c] === undefined);
      if (missing.length > 0)
        yield {
          ok: false,
          fault: {
            position: `header (line ${rec.lineNo})`,
            raw: rec.raw,
            reason: 'parse_error',
            detail: `the header lacks ${missing.join(', ')}: not the FEC bulk independent-expenditure file`,
          },
        };
      continue;
    }
    if (missing.length > 0) {
      yield {
        ok: false,
        fault: {
          position,
          raw: rec.raw,
          reason: 'parse_error',
          detail: `cannot bind the row: the header lacks ${missing.join(', ')}`,
        },
      };
      continue;
    }
    const f: Partial<Record<IeColumn, string>> = {};
    for (const [c, i] of Object.entries(index) as [IeColumn, number][]) f[c] = rec.fields[i];
    const value: ScheduleEItem & { recordId?: string } = { row: rowFromIeBulk(f) };
    const spe = text(f.spe_id);
    const fileNum = digits(f.file_num);
    const tran = text(f.tran_id);
    if (spe && fileNum && tran) value.recordId = `${spe}:${fileNum}:${tran}`;
    else value.problem = `spe_id, file_num (digits) and tran_id are needed to identify the row`;
    if (rec.fields.length !== header.length)
      value.problem = `expected ${header.length} fields as in the header, found ${rec.fields.length}`;
    yield { ok: true, item: { position, raw: rec.raw, value } };
  }
}

export const fecIeBulkSource: ImportSource<ScheduleEItem & { recordId?: string }> = {
  name: 'fec-ie-bulk',
  eventType: 'payout',
  description:
    'FEC bulk independent expenditures (independent_expenditure_<year>.csv, 24/48-hour notices) → payout',
  read({ input }) {
    return readIeBulk(input.stream);
  },
  parse(item: Item<ScheduleEItem & { recordId?: string }>): ParseOutcome {
    if (item.value.problem) return outcome.reject('parse_error', item.value.problem);
    return buildPayout(item.value.row, 'fec_ie_bulk', item.value.recordId);
  },
};

/**
 * `fec-schedule-e`: FEC Schedule E independent expenditures → payout events. The shape is
 * detected per input from its first byte:
 * - `{` or `[`: an OpenFEC `/schedules/schedule_e/` response page (`{api_version, pagination,
 *   results: [...]}`) or a bare array of its results; one item per result. Pages are small (at
 *   most 100 results), so a page is read whole (up to {@link MAX_JSON_PAGE_BYTES}).
 * - anything else: a CSV export of OpenFEC data with a header row, bound by column name — OpenFEC's
 *   own names or the renamed ones of WIRED's America PAC export (`amount`, `support_oppose`,
 *   `purpose`, `spend_date`, `office`, `state`, `district`). Streamed record by record.
 * See payout.ts for the identity rule (payout_key) and the restatement ranks.
 */
import { splitCsvRecord } from '../shared/ingest/readers.ts';
import {
  outcome,
  type ImportSource,
  type Item,
  type ParseOutcome,
  type ReadResult,
} from '../shared/ingest/source.ts';
import { peekFirstByte, readCsvBounded, readWhole } from './input.ts';
import { buildPayout, type ScheduleERow } from './payout.ts';

/** A JSON page larger than this is not an OpenFEC page (they hold at most 100 results). */
export const MAX_JSON_PAGE_BYTES = 32 * 1024 * 1024;
/** A CSV record longer than this is a fault, not a row. */
export const MAX_CSV_RECORD_BYTES = 256 * 1024;

/** A Schedule E row as read, or what made it unreadable (reported by the parser as parse_error). */
export interface ScheduleEItem {
  row: ScheduleERow;
  problem?: string;
}

type RowKey = keyof ScheduleERow;

/**
 * CSV header names for each row field, first present wins: OpenFEC's names, then the renamed
 * columns of WIRED's export (`spend_date` is its dissemination date), then bulk-style short names.
 */
export const CSV_COLUMNS: Record<RowKey, readonly string[]> = {
  committee_id: ['committee_id', 'cmte_id', 'filer_committee_id'],
  committee_name: ['committee_name', 'spender_name', 'committee.name'],
  cycle: ['cycle', 'committee.cycle', 'two_year_transaction_period'],
  report_year: ['report_year'],
  transaction_id: ['transaction_id', 'tran_id'],
  sub_id: ['sub_id'],
  amount: ['expenditure_amount', 'amount'],
  expenditure_date: ['expenditure_date', 'exp_date'],
  disbursement_date: ['disbursement_date', 'disbursement_dt'],
  dissemination_date: ['dissemination_date', 'spend_date', 'dissem_dt'],
  support_oppose: ['support_oppose_indicator', 'support_oppose'],
  purpose: ['expenditure_description', 'purpose'],
  payee_name: ['payee_name'],
  candidate_id: ['candidate_id'],
  candidate_name: ['fec_candidate_name', 'candidate_name'],
  candidate_office: ['candidate_office', 'office'],
  candidate_state: ['candidate_office_state', 'state'],
  candidate_district: ['candidate_office_district', 'district'],
  filing_form: ['filing_form'],
  is_notice: ['is_notice'],
  report_type: ['report_type'],
  amendment_indicator: ['amendment_indicator'],
  file_number: ['file_number'],
  image_number: ['image_number'],
  pdf_url: ['pdf_url'],
  filing_date: ['filing_date'],
};

const REQUIRED: readonly RowKey[] = ['committee_id', 'transaction_id', 'sub_id', 'amount'];

/** Column index per row field for a header, and the required fields it lacks. */
export function bindHeader(header: readonly string[]): {
  index: Partial<Record<RowKey, number>>;
  missing: RowKey[];
} {
  const names = header.map((h) => h.trim().toLowerCase());
  const index: Partial<Record<RowKey, number>> = {};
  for (const key of Object.keys(CSV_COLUMNS) as RowKey[]) {
    for (const name of CSV_COLUMNS[key]) {
      const i = names.indexOf(name);
      if (i >= 0) {
        index[key] = i;
        break;
      }
    }
  }
  return { index, missing: REQUIRED.filter((k) => index[k] === undefined) };
}

async function* readCsvRows(stream: AsyncIterable<Buffer>): AsyncGenerator<ReadResult<ScheduleEItem>> {
  let header: string[] | undefined;
  let bound: ReturnType<typeof bindHeader> | undefined;
  let columns: [RowKey, number][] = [];
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
      bound = bindHeader(header);
      columns = Object.entries(bound.index) as [RowKey, number][];
      if (bound.missing.length > 0) {
        yield {
          ok: false,
          fault: {
            position: `header (line ${rec.lineNo})`,
            raw: rec.raw,
            reason: 'parse_error',
            detail: `the header lacks ${bound.missing.join(', ')} (columns: ${header.slice(0, 40).join(',')}); the FEC bulk independent-expenditure file goes to fec-ie-bulk`,
          },
        };
      }
      continue;
    }
    const b = bound as ReturnType<typeof bindHeader>;
    if (b.missing.length > 0) {
      yield {
        ok: false,
        fault: {
          position,
          raw: rec.raw,
          reason: 'parse_error',
          detail: `cannot bind the row: the header lacks ${b.missing.join(', ')}`,
        },
      };
      continue;
    }
    const row: ScheduleERow = {};
    for (const [key, i] of columns) row[key] = rec.fields[i];
    const item: ScheduleEItem = { row };
    if (rec.fields.length !== header.length)
      item.problem = `expected ${header.length} fields as in the header, found ${rec.fields.length}`;
    yield { ok: true, item: { position, raw: rec.raw, value: item } };
  }
}

/** JSON.rawJSON / JSON.isRawJSON (Node 21+), not yet in TypeScript's ES2024 lib. */
interface RawJson {
  readonly rawJSON: string;
}
const JSON_RAW = JSON as unknown as {
  rawJSON(text: string): RawJson;
  isRawJSON(value: unknown): value is RawJson;
};

/**
 * JSON.parse that keeps every number as its source text (19-digit sub_ids exceed 2^53; amounts
 * keep their digits), as a raw-JSON value that JSON.stringify writes back unchanged.
 */
export function parseJsonKeepingNumbers(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? JSON_RAW.rawJSON(context.source) : value,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !JSON_RAW.isRawJSON(v);
}

/** An OpenFEC schedule_e result → a row; `problem` names the first field of the wrong type. */
export function rowFromOpenFec(r: Record<string, unknown>): ScheduleEItem {
  let problem: string | undefined;
  const scalar = (name: string, v: unknown): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean') return String(v);
    if (JSON_RAW.isRawJSON(v)) return v.rawJSON;
    problem ??= `${name} is ${Array.isArray(v) ? 'an array' : 'an object'}, expected a scalar`;
    return undefined;
  };
  const committee = isObject(r.committee) ? r.committee : {};
  const row: ScheduleERow = {
    committee_id:
      scalar('committee_id', r.committee_id) ?? scalar('committee.committee_id', committee.committee_id),
    committee_name: scalar('committee.name', committee.name) ?? scalar('committee_name', r.committee_name),
    cycle:
      scalar('cycle', r.cycle) ??
      scalar('committee.cycle', committee.cycle) ??
      scalar('two_year_transaction_period', r.two_year_transaction_period),
    report_year: scalar('report_year', r.report_year),
    transaction_id: scalar('transaction_id', r.transaction_id),
    sub_id: scalar('sub_id', r.sub_id),
    amount: scalar('expenditure_amount', r.expenditure_amount),
    expenditure_date: scalar('expenditure_date', r.expenditure_date),
    disbursement_date:
      scalar('disbursement_dt', r.disbursement_dt) ?? scalar('disbursement_date', r.disbursement_date),
    dissemination_date: scalar('dissemination_date', r.dissemination_date),
    support_oppose: scalar('support_oppose_indicator', r.support_oppose_indicator),
    purpose: scalar('expenditure_description', r.expenditure_description),
    payee_name: scalar('payee_name', r.payee_name),
    candidate_id: scalar('candidate_id', r.candidate_id),
    candidate_name: scalar('candidate_name', r.candidate_name),
    candidate_office: scalar('candidate_office', r.candidate_office),
    candidate_state: scalar('candidate_office_state', r.candidate_office_state),
    candidate_district: scalar('candidate_office_district', r.candidate_office_district),
    filing_form: scalar('filing_form', r.filing_form),
    is_notice: scalar('is_notice', r.is_notice),
    report_type: scalar('report_type', r.report_type),
    amendment_indicator: scalar('amendment_indicator', r.amendment_indicator),
    file_number: scalar('file_number', r.file_number),
    image_number: scalar('image_number', r.image_number),
    pdf_url: scalar('pdf_url', r.pdf_url),
    filing_date: scalar('filing_date', r.filing_date),
  };
  return problem === undefined ? { row } : { row, problem };
}

async function* readJsonPage(stream: AsyncIterable<Buffer>): AsyncGenerator<ReadResult<ScheduleEItem>> {
  const bytes = await readWhole(stream, MAX_JSON_PAGE_BYTES);
  if (!bytes) {
    yield {
      ok: false,
      fault: {
        position: 'page',
        raw: Buffer.alloc(0),
        reason: 'too_large',
        detail: `JSON page larger than ${MAX_JSON_PAGE_BYTES} bytes`,
      },
    };
    return;
  }
  let page: unknown;
  try {
    page = parseJsonKeepingNumbers(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    const encoding = err instanceof TypeError;
    yield {
      ok: false,
      fault: {
        position: 'page',
        raw: bytes,
        reason: encoding ? 'encoding_error' : 'parse_error',
        detail: encoding
          ? 'the page is not valid UTF-8'
          : `not valid JSON (truncated page?): ${(err as Error).message}`,
      },
    };
    return;
  }
  const results = Array.isArray(page) ? page : isObject(page) ? page.results : undefined;
  if (!Array.isArray(results)) {
    yield {
      ok: false,
      fault: {
        position: 'page',
        raw: bytes,
        reason: 'parse_error',
        detail: 'not an OpenFEC page: no `results` array',
      },
    };
    return;
  }
  for (let i = 0; i < results.length; i++) {
    const r: unknown = results[i];
    const position = `results[${i}]`;
    const raw = Buffer.from(JSON.stringify(r) ?? 'null');
    if (!isObject(r)) {
      yield { ok: true, item: { position, raw, value: { row: {}, problem: 'the result is not an object' } } };
      continue;
    }
    yield { ok: true, item: { position, raw, value: rowFromOpenFec(r) } };
  }
}

export const fecScheduleESource: ImportSource<ScheduleEItem> = {
  name: 'fec-schedule-e',
  eventType: 'payout',
  description:
    'FEC Schedule E independent expenditures: OpenFEC JSON pages or CSV exports (e.g. WIRED) → payout',
  async *read({ input }) {
    const { first, stream } = await peekFirstByte(input.stream);
    if (first === 0x7b || first === 0x5b) yield* readJsonPage(stream);
    else yield* readCsvRows(stream);
  },
  parse(item: Item<ScheduleEItem>): ParseOutcome {
    if (item.value.problem) return outcome.reject('parse_error', item.value.problem);
    return buildPayout(item.value.row, 'fec_schedule_e');
  },
};

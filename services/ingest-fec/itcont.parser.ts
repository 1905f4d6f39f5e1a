/**
 * `fec-itcont`: FEC bulk individual contributions (itcont.txt, Schedule A) → donation events.
 *
 * Format: one contribution per line, 21 fields split on `|`, no header, no quoting (a `"` is
 * data), dates MMDDYYYY, negative amounts for refunds, MEMO_CD = X for memo lines whose amount is
 * counted elsewhere, SUB_ID the unique key. Older files are latin-1: lines that are not valid UTF-8
 * are decoded as latin-1.
 */
import { DonationPayloadV1 } from '../../schemas/events/donation.ts';
import { outcome, type ImportSource, type Item, type ParseOutcome } from '../shared/ingest/source.ts';
import { describeIssues, digits, normaliseAmount, parseMmddyyyy, text } from './fec-values.ts';
import { readBoundedLines } from './input.ts';

/** The itcont columns in file order (FEC data dictionary, "Contributions by individuals"). */
export const ITCONT_COLUMNS = [
  'CMTE_ID',
  'AMNDT_IND',
  'RPT_TP',
  'TRANSACTION_PGI',
  'IMAGE_NUM',
  'TRANSACTION_TP',
  'ENTITY_TP',
  'NAME',
  'CITY',
  'STATE',
  'ZIP_CODE',
  'EMPLOYER',
  'OCCUPATION',
  'TRANSACTION_DT',
  'TRANSACTION_AMT',
  'OTHER_ID',
  'TRAN_ID',
  'FILE_NUM',
  'MEMO_CD',
  'MEMO_TEXT',
  'SUB_ID',
] as const;

/** A line longer than this is no itcont record (the FEC's own field limits add up to ~1,400 bytes). */
export const ITCONT_MAX_LINE_BYTES = 64 * 1024;

const ENTITY_TYPES = new Set(['IND', 'CAN', 'CCM', 'COM', 'ORG', 'PAC', 'PTY']);

export interface ItcontLine {
  fields: string[];
}

/**
 * One itcont line → one donation, or a rejection:
 * - `parse_error`: not 21 fields, bad TRANSACTION_DT, non-numeric TRANSACTION_AMT, missing SUB_ID;
 * - `schema_invalid`: the payload fails DonationPayloadV1 (bad CMTE_ID, empty NAME, a field over
 *   its length limit…), with the zod issues.
 * Descriptive fields that are present but malformed (ZIP not 5/9 digits, e.g. a foreign postcode;
 * unknown ENTITY_TP; STATE not two letters; OTHER_ID not 9 characters) are left out rather than
 * losing the contribution. occurred_at is the contribution date at 00:00Z.
 */
export function parseItcontLine(fields: readonly string[]): ParseOutcome {
  if (fields.length !== ITCONT_COLUMNS.length)
    return outcome.reject(
      'parse_error',
      `expected ${ITCONT_COLUMNS.length} '|'-separated fields, found ${fields.length} (wrong delimiter or truncated line?)`,
    );
  // Columns by position: ITCONT_COLUMNS order (no per-line name → value object).
  const col = (i: number): string => fields[i] ?? '';
  const subText = col(20);
  const subId = digits(subText);
  if (!subId)
    return outcome.reject('parse_error', `SUB_ID missing or not digits: ${JSON.stringify(subText)}`);
  const dateText = col(13);
  const date = parseMmddyyyy(dateText);
  if (!date)
    return outcome.reject(
      'parse_error',
      `TRANSACTION_DT is not a MMDDYYYY date: ${JSON.stringify(dateText)}`,
    );
  const amountText = col(14);
  const amount = normaliseAmount(amountText);
  if (amount === undefined)
    return outcome.reject('parse_error', `TRANSACTION_AMT is not a number: ${JSON.stringify(amountText)}`);

  const zip = text(col(10));
  const state = text(col(9));
  const entity = text(col(6));
  const otherId = text(col(15));
  const amendment = text(col(1));
  const reportType = text(col(2));
  const pgi = text(col(3));
  // Optional fields are added only when present: deleting undefined ones afterwards would turn
  // the object into a slow dictionary for zod and JSON.stringify. Same keys, same order as before.
  const payload: Record<string, unknown> = {
    committee_id: col(0).trim(),
    contributor_name: col(7).trim(),
  };
  const put = (key: string, value: unknown): void => {
    if (value !== undefined) payload[key] = value;
  };
  put('contributor_state', state && /^[A-Za-z]{2}$/.test(state) ? state.toUpperCase() : undefined);
  put('contributor_zip', zip && /^\d{5}(\d{4})?$/.test(zip) ? zip : undefined);
  put('contributor_city', text(col(8)));
  put('contributor_employer', text(col(11)));
  put('contributor_occupation', text(col(12)));
  put('entity_type', entity && ENTITY_TYPES.has(entity) ? entity : undefined);
  payload.amount = amount;
  payload.currency = 'USD';
  payload.contributed_on = date;
  payload.memo = col(18).trim().toUpperCase() === 'X';
  put('memo_text', text(col(19)));
  put('transaction_type', text(col(5)));
  put('report_type', reportType && /^[0-9A-Z]{1,4}$/.test(reportType) ? reportType : undefined);
  put('amendment_indicator', amendment && /^[NAT]$/.test(amendment) ? amendment : undefined);
  put('transaction_pgi', pgi && /^[A-Z0-9]{1,5}$/.test(pgi) ? pgi : undefined);
  put('image_number', digits(col(4)));
  put('file_number', digits(col(17)));
  payload.fec_sub_id = subId;
  put('transaction_id', text(col(16)));
  put('other_id', otherId && /^[A-Z0-9]{9}$/.test(otherId) ? otherId : undefined);
  const parsed = DonationPayloadV1.safeParse(payload);
  if (!parsed.success) return outcome.reject('schema_invalid', describeIssues(parsed.error.issues));
  return outcome.parsedEvent(subId, `${date}T00:00:00Z`, parsed.data, DonationPayloadV1);
}

export const fecItcontSource: ImportSource<ItcontLine> = {
  name: 'fec-itcont',
  eventType: 'donation',
  description: 'FEC bulk individual contributions (itcont.txt: pipe-delimited, no header) → donation',
  async *read({ input }) {
    for await (const bl of readBoundedLines(input.stream, ITCONT_MAX_LINE_BYTES)) {
      if (!bl.ok) {
        yield {
          ok: false,
          fault: {
            position: `line ${bl.lineNo}`,
            raw: bl.head,
            reason: 'too_large',
            detail: `line of ${bl.bytes} bytes exceeds ${ITCONT_MAX_LINE_BYTES} (not an itcont file?); its first bytes are kept`,
          },
        };
        continue;
      }
      const { line } = bl;
      if (line.text.trim().length === 0) continue; // a blank line is no record
      yield {
        ok: true,
        item: { position: `line ${line.lineNo}`, raw: line.raw, value: { fields: line.text.split('|') } },
      };
    }
  },
  parse(item: Item<ItcontLine>): ParseOutcome {
    return parseItcontLine(item.value.fields);
  },
};

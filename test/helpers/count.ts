/**
 * Counting records without the importers: deliberately simple, separate implementations that
 * the import summaries are checked against.
 */
import { readFileSync } from 'node:fs';

/** Non-empty lines (pipe-delimited FEC files have no header and no quoting). */
export function countLines(file: string): number {
  return readFileSync(file, 'latin1')
    .split('\n')
    .filter((l) => l.trim().length > 0).length;
}

/** CSV data records: line breaks outside double quotes, minus the header, blank lines ignored. */
export function countCsvRecords(file: string): number {
  const text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  let inQuotes = false;
  let records = 0;
  let content = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === '\n' && !inQuotes) {
      if (content) records++;
      content = false;
    } else if (ch !== '\r') content = true;
  }
  if (content) records++;
  return Math.max(0, records - 1);
}

/** Posts in an X API v2 response's `data` (objects with a `text`; user lookups hold none). */
export function countXPosts(file: string): number {
  const body = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
  const items = Array.isArray(body.data) ? body.data : body.data ? [body.data] : [];
  return items.filter((d) => typeof d === 'object' && d !== null && 'text' in d).length;
}

/** Items of a Graph API page (`data`). */
export function countGraphItems(file: string): number {
  const body = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
  return Array.isArray(body.data) ? body.data.length : 0;
}

/** Lines of an NDJSON file. */
export function countNdjson(file: string): number {
  return countLines(file);
}

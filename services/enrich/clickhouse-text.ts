/**
 * Times and dates as ClickHouse reads them in JSONEachRow, and back to ISO-8601 for the enriched
 * topics. A value the column cannot hold (an unparseable instant, a Date before 1970) is an
 * {@link EnrichmentFailure}, so the event is dead-lettered instead of failing the whole insert.
 */

/** Why an event could not be enriched; `enrich` turns it into `{ ok: false, reason }`. */
export class EnrichmentFailure extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'EnrichmentFailure';
    this.reason = reason;
  }
}

/** Range of ClickHouse DateTime64 (1900-01-01 .. 2299-12-31). */
const DATETIME64_YEARS = { min: 1900, max: 2299 };
/** Range of ClickHouse Date (1970-01-01 .. 2149-06-06). */
const DATE_RANGE = { min: '1970-01-01', max: '2149-06-06' };

/** A DateTime64(3) value as ClickHouse text: `YYYY-MM-DD hh:mm:ss.sss`, UTC. */
const CLICKHOUSE_DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?$/;

/**
 * An ISO-8601 instant with Z or an offset (`2024-10-19T15:04:05-04:00`) as DateTime64(3) text in
 * UTC (`2024-10-19 19:04:05.000`); sub-millisecond digits are cut, as ClickHouse would. `field`
 * names it in the failure.
 */
export function dateTimeText(iso: string, field: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms))
    throw new EnrichmentFailure(`bad_time: ${field} ${JSON.stringify(iso)} is not an instant`);
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < DATETIME64_YEARS.min || year > DATETIME64_YEARS.max)
    throw new EnrichmentFailure(`out_of_range: ${field} ${iso} is outside DateTime64 (1900..2299)`);
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Like {@link dateTimeText}; null stays null. */
export function nullableDateTimeText(iso: string | null, field: string): string | null {
  return iso === null ? null : dateTimeText(iso, field);
}

/**
 * A DateTime64 text of a raw row (`2024-10-19 14:00:00.000`, or with fewer fraction digits)
 * normalised to exactly three; a failure when it is not one.
 */
export function rowDateTimeText(text: string, field: string): string {
  const m = CLICKHOUSE_DATETIME.exec(text);
  if (!m || !Number.isFinite(Date.parse(`${m[1]}T${m[2]}Z`)))
    throw new EnrichmentFailure(`bad_time: ${field} ${JSON.stringify(text)} is not YYYY-MM-DD hh:mm:ss.sss`);
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/** DateTime64 text → ISO-8601 with milliseconds and Z: `2024-10-19T14:00:00.000Z`. */
export function isoOfDateTimeText(text: string): string {
  return `${text.replace(' ', 'T')}Z`;
}

/** A `YYYY-MM-DD` day a ClickHouse Date holds; a failure outside 1970-01-01 .. 2149-06-06. */
export function dateText(date: string, field: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms) || !new Date(ms).toISOString().startsWith(date))
    throw new EnrichmentFailure(`bad_date: ${field} ${JSON.stringify(date)} is not a calendar date`);
  if (date < DATE_RANGE.min || date > DATE_RANGE.max)
    throw new EnrichmentFailure(
      `out_of_range: ${field} ${date} is outside ClickHouse Date (1970-01-01..2149-06-06)`,
    );
  return date;
}

/** Like {@link dateText}; null stays null. */
export function nullableDateText(date: string | null, field: string): string | null {
  return date === null ? null : dateText(date, field);
}

/**
 * The ClickHouse tables the enrichment writes, column by column, exactly as
 * infra/clickhouse/migrations/0002_event_tables.sql declares them (a unit test parses the SQL and
 * fails on any difference). Rows are built in this column order, and the column types decide how
 * a value is written: DateTime64 as `YYYY-MM-DD hh:mm:ss.sss` in a row, as ISO-8601 in an
 * enriched event.
 */

export const ENRICHED_TABLES = [
  'donation_events',
  'payout_filings',
  'ad_snapshots',
  'ad_annotations',
  'post_observations',
  'signup_events',
  'contact_events',
] as const;
export type EnrichedTable = (typeof ENRICHED_TABLES)[number];

export const REFERENCE_TABLES = ['ref_entities', 'ref_stance_opposites', 'ref_petitions'] as const;
export type ReferenceTable = (typeof REFERENCE_TABLES)[number];

type Columns = readonly (readonly [name: string, type: string])[];

const DT = "DateTime64(3, 'UTC')";
const NDT = "Nullable(DateTime64(3, 'UTC'))";
const LC = 'LowCardinality(String)';
const LCN = 'LowCardinality(Nullable(String))';
const D2 = 'Decimal(18, 2)';
const D8 = 'Decimal(18, 8)';
const ARR_LC = 'Array(LowCardinality(String))';

const HEAD: Columns = [
  ['event_id', 'FixedString(32)'],
  ['source', LC],
  ['source_record_id', 'String'],
];
const TAIL: Columns = [
  ['occurred_at', DT],
  ['ingested_at', DT],
];

/** Columns of every table this library produces rows for, in declaration order. */
export const TABLE_COLUMNS: Readonly<Record<EnrichedTable | ReferenceTable, Columns>> = {
  donation_events: [
    ...HEAD,
    ['committee_id', LC],
    ['recipient_entity_id', LC],
    ['cycle', 'UInt16'],
    ['contributed_on', 'Date'],
    ['contributor_name', 'String'],
    ['donor_entity_id', 'String'],
    ['donor_name', 'String'],
    ['donor_confidence', 'Float32'],
    ['donor_match_method', LC],
    ['entity_type', LC],
    ['contributor_state', LCN],
    ['contributor_zip5', 'Nullable(FixedString(5))'],
    ['amount', D2],
    ['currency', LC],
    ['amount_usd', D2],
    ['fx_rate', D8],
    ['fx_rate_date', 'Nullable(Date)'],
    ['memo', 'Bool'],
    ['transaction_type', LC],
    ['transaction_id', 'String'],
    ['fec_sub_id', 'String'],
    ...TAIL,
  ],
  payout_filings: [
    ...HEAD,
    ['payer_committee_id', LC],
    ['payer_entity_id', LC],
    ['payer_name', 'String'],
    ['cycle', 'UInt16'],
    ['transaction_id', 'String'],
    ['payout_key', 'String'],
    ['restatement_rank', 'UInt16'],
    ['version', 'UInt64'],
    ['payee_name', 'Nullable(String)'],
    ['payee_pseudonym', 'Nullable(String)'],
    ['purpose', 'String'],
    ['category', LC],
    ['amount', D2],
    ['currency', LC],
    ['amount_usd', D2],
    ['fx_rate', D8],
    ['fx_rate_date', 'Nullable(Date)'],
    ['paid_on', 'Date'],
    ['disseminated_on', 'Nullable(Date)'],
    ['support_oppose', LCN],
    ['candidate_id', LCN],
    ['candidate_name', 'Nullable(String)'],
    ['state', LCN],
    ['state_method', LC],
    ['is_swing_state', 'Bool'],
    ['form', LC],
    ['report_type', LCN],
    ['amendment_indicator', LCN],
    ['fec_sub_id', 'Nullable(String)'],
    ['filed_on', 'Nullable(Date)'],
    ['pdf_url', 'Nullable(String)'],
    ['source_kind', LC],
    ...TAIL,
  ],
  ad_snapshots: [
    ...HEAD,
    ['platform', LC],
    ['ad_id', 'String'],
    ['granularity', LC],
    ['snapshot_at', DT],
    ['advertiser_name', 'String'],
    ['advertiser_id', 'Nullable(String)'],
    ['paying_advertiser', 'Nullable(String)'],
    ['sponsor_id', LC],
    ['sponsor_name', 'String'],
    ['sponsor_confidence', 'Float32'],
    ['sponsor_match_method', LC],
    ['currency', LC],
    ['spend_low', D2],
    ['spend_high', `Nullable(${D2})`],
    ['spend_point', D2],
    ['spend_point_method', LC],
    ['fx_rate', D8],
    ['fx_rate_date', 'Nullable(Date)'],
    ['spend_usd_low', D2],
    ['spend_usd_high', `Nullable(${D2})`],
    ['spend_usd_point', D2],
    ['impressions_low', 'Nullable(UInt64)'],
    ['impressions_high', 'Nullable(UInt64)'],
    ['impressions_point', 'Nullable(UInt64)'],
    ['impressions_point_method', LCN],
    ['delivery_start', NDT],
    ['delivery_end', NDT],
    ['target_states', ARR_LC],
    ['target_states_method', LC],
    ['swing_states', ARR_LC],
    ['delivery_states', ARR_LC],
    ['delivery_shares', 'Array(Float64)'],
    ['stance_subjects', ARR_LC],
    ['stance_values', ARR_LC],
    ['stance_origins', ARR_LC],
    ['topics', ARR_LC],
    ['creative_text', 'String'],
    ['link_urls', 'Array(String)'],
    ['snapshot_url', 'Nullable(String)'],
    ...TAIL,
  ],
  ad_annotations: [
    ...HEAD,
    ['platform', LC],
    ['ad_id', 'String'],
    ['ad_set', 'String'],
    ['subject', LC],
    ['stance', LC],
    ['message', 'String'],
    ['transcript', 'String'],
    ['coder', 'String'],
    ['coded_on', 'Date'],
    ...TAIL,
  ],
  post_observations: [
    ...HEAD,
    ['platform', LC],
    ['post_id', 'String'],
    ['account_id', 'String'],
    ['account_handle', 'Nullable(String)'],
    ['sponsor_id', LC],
    ['sponsor_confidence', 'Float32'],
    ['created_at', DT],
    ['observed_at', DT],
    ['text', 'String'],
    ['urls', 'Array(String)'],
    ['petition_ids', ARR_LC],
    ['likes', 'Nullable(UInt64)'],
    ['reposts', 'Nullable(UInt64)'],
    ['replies', 'Nullable(UInt64)'],
    ['quotes', 'Nullable(UInt64)'],
    ['impressions', 'Nullable(UInt64)'],
    ['stance_subjects', ARR_LC],
    ['stance_values', ARR_LC],
    ['topics', ARR_LC],
    ...TAIL,
  ],
  signup_events: [
    ...HEAD,
    ['petition_id', LC],
    ['sponsor_id', LC],
    ['signed_at', DT],
    ['signed_on', 'Date'],
    ['signer', 'String'],
    ['referrer', 'Nullable(String)'],
    ['referred', 'Bool'],
    ['state', LCN],
    ['state_method', LC],
    ['is_swing_state', 'Bool'],
    ['zip5', 'Nullable(FixedString(5))'],
    ['phone_provided', 'Bool'],
    ['phones_collected', 'UInt16'],
    ['email_provided', 'Bool'],
    ['channel', LC],
    ...TAIL,
  ],
  contact_events: [
    ...HEAD,
    ['campaign_id', LC],
    ['attempt_id', 'String'],
    ['sponsor_id', LC],
    ['attempted_at', DT],
    ['attempted_on', 'Date'],
    ['method', LC],
    ['outcome', LC],
    ['contacted', 'Bool'],
    ['canvasser', 'Nullable(String)'],
    ['voter', 'Nullable(String)'],
    ['state', LCN],
    ['state_method', LC],
    ['is_swing_state', 'Bool'],
    ['zip5', 'Nullable(FixedString(5))'],
    ['petition_signed', 'Nullable(Bool)'],
    ...TAIL,
  ],
  ref_entities: [
    ['entity_id', 'String'],
    ['kind', LC],
    ['name', 'String'],
    ['fec_committee_id', 'Nullable(String)'],
    ['aliases', 'Array(String)'],
    ['version', 'UInt64'],
  ],
  ref_stance_opposites: [
    ['stance_a', LC],
    ['stance_b', LC],
    ['version', 'UInt64'],
  ],
  ref_petitions: [
    ['petition_id', 'String'],
    ['sponsor_id', 'String'],
    ['url_prefixes', 'Array(String)'],
    ['version', 'UInt64'],
  ],
};

/** The DateTime64 columns of a table: ClickHouse text in a row, ISO-8601 in an enriched event. */
export function dateTimeColumns(table: EnrichedTable): string[] {
  return TABLE_COLUMNS[table].filter(([, type]) => type.includes('DateTime64')).map(([name]) => name);
}

/**
 * `fields` as a row of `table`: exactly its columns, in declaration order. Throws when a column is
 * missing or an unknown one is present — a bug in a row builder, never a property of the data.
 */
export function orderRow(table: EnrichedTable, fields: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name] of TABLE_COLUMNS[table]) {
    if (!(name in fields)) throw new Error(`${table} row lacks column ${name}`);
    row[name] = fields[name];
  }
  const extra = Object.keys(fields).filter((k) => !(k in row));
  if (extra.length > 0) throw new Error(`${table} row has unknown columns: ${extra.join(', ')}`);
  return row;
}

/**
 * Query latency of the analysts' cookbook (docs/sql) on a large generated dataset: a scratch
 * database migrated like the pipeline's (infra/clickhouse/migrate.ts), its typed tables filled
 * with INSERT … SELECT FROM numbers() (no Kafka, no Temporal: only the row count matters here),
 * the reference tables loaded as the worker loads them, and every cookbook query run with its
 * default parameters as the read-only analyst. The rows are spread over 200 sponsors (a quarter
 * America PAC, the cookbook's default), 12 states, 128 days and every payout channel, with the
 * sample's shapes (Schedule E restatements, first-party bounties, a majority donor, Meta ads
 * with advertiser alignments, posts linking the petition), so each query has real work to do.
 * The rows skip the pipeline, so the sponsor workflows' rollup recomputation
 * (services/worker/activities/rollup.activities.ts) runs here afterwards, for every sponsor, with
 * the worker's own function; its time is reported apart from the generation's.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { loadReferenceData, referenceRows, TABLE_COLUMNS } from '../../services/enrich/index.ts';
import { createClickHouse } from '../../services/shared/clickhouse.ts';
import type { Logger } from '../../services/shared/logger.ts';
import { loadCookbook } from '../../test/helpers/cookbook.ts';
import { recomputeSponsorRollups } from '../../services/worker/activities/rollup.activities.ts';

/** Share of the generated rows per table (the pipeline mix, donations first). */
export const ROW_SHARES = {
  donation_events: 0.4,
  payout_filings: 0.15,
  signup_events: 0.2,
  contact_events: 0.15,
  ad_snapshots: 0.06,
  post_observations: 0.03,
  ad_annotations: 0.01,
} as const;
type GeneratedTable = keyof typeof ROW_SHARES;

const STATES = `['PA','MI','GA','AZ','WI','NV','NC','TX','CA','NY','FL','OH']`;
const SP = `if(h1 % 4 = 0, 'C00879510', concat('C', leftPad(toString(990101 + h1 % 199), 8, '0')))`;
const NAME = `if(h1 % 4 = 0, 'America PAC', concat('Bench Committee ', toString(h1 % 199)))`;
const ST = `${STATES}[1 + h2 % 12]`;
const SWING = `(${ST} IN ('PA','MI','GA','AZ','WI','NV','NC'))`;
const DAY = `(toDate('2024-07-01') + toIntervalDay(h3 % 128))`;
const TIME = `(toDateTime64('2024-07-01 00:00:00', 3, 'UTC') + toIntervalSecond(h3 % 11059200))`;
const hex32 = (x: string) => `lower(hex(MD5(${x})))`;
const pseudo = (x: string) => `concat('hmac-sha256:', ${hex32(x)}, ${hex32(`concat(${x}, '.')`)})`;
const NONE = 'CAST([] AS Array(String))';
const tail = (occurred: string) => ({ occurred_at: occurred, ingested_at: `now64(3, 'UTC')` });
const head = (table: string) => ({
  event_id: hex32(`concat('${table}', toString(n))`),
  source: `'bench'`,
  source_record_id: 'toString(n)',
});

/**
 * For each table: the key the row's hashes h1…h8 derive from (rows of one payment, ad or post
 * share it) and an expression per column. Columns not listed here make the bench fail at once,
 * so a migration that adds a column cannot be measured with half-empty rows.
 */
const GENERATORS: Record<GeneratedTable, { key: string; columns: Record<string, string> }> = {
  donation_events: (() => {
    const big = '(h4 % 25 = 0)';
    const musk = `(${big} AND (h1 % 4 = 0 OR h1 % 10 = 0))`;
    const name = `multiIf(${musk}, 'MUSK, ELON', ${big}, concat('MAJOR, DONOR ', toString(h1 % 199)), concat('DONOR', toString(h5 % 200000), ', PERSON'))`;
    const amount = `if(${big}, toDecimal64(100000 + h7 % 900000, 2), if(h7 % 50 = 0, toDecimal64(-toInt64(5 + h7 % 3000), 2), toDecimal64(5 + h7 % 3300, 2)))`;
    return {
      key: 'n',
      columns: {
        ...head('donation'),
        committee_id: SP,
        recipient_entity_id: SP,
        cycle: 'toUInt16(2024)',
        contributed_on: DAY,
        contributor_name: name,
        donor_entity_id: `multiIf(${musk}, 'person:musk-elon', ${big}, concat('person:major-donor-', toString(h1 % 199)), concat('person:donor', toString(h5 % 200000), '-person'))`,
        donor_name: `if(${musk}, 'Elon Musk', ${name})`,
        donor_confidence: `toFloat32(if(${musk}, 1, 0.8))`,
        donor_match_method: `if(${musk}, 'alias', 'normalised_name')`,
        entity_type: `'IND'`,
        contributor_state: ST,
        contributor_zip5: `leftPad(toString(h6 % 100000), 5, '0')`,
        amount,
        currency: `'USD'`,
        amount_usd: amount,
        fx_rate: 'toDecimal64(1, 8)',
        fx_rate_date: 'NULL',
        memo: `(NOT ${big} AND h8 % 20 = 0)`,
        transaction_type: `'15'`,
        transaction_id: `concat('SA', toString(n))`,
        fec_sub_id: 'toString(n)',
        ...tail(`toDateTime64(${DAY}, 3, 'UTC')`),
      },
    };
  })(),
  payout_filings: (() => {
    // One row in five restates the payment of the row before it on the F3X (rank 2).
    const rank = 'if(n % 5 = 1, 2, 1)';
    const cat = `['media','digital_ads','printing','mail','canvassing','field_staff','referral_bounty','lottery_award','canvasser_pay','consulting','referral_bounty','canvasser_pay'][1 + h4 % 12]`;
    const fp = `(${cat} IN ('referral_bounty', 'lottery_award', 'canvasser_pay'))`;
    const amount = `multiIf(${cat} = 'referral_bounty', toDecimal64(47, 2), ${cat} = 'lottery_award', toDecimal64(1000000, 2), ${cat} = 'canvasser_pay', toDecimal64(200 + h6 % 1000, 2), toDecimal64(500 + h6 % 250000, 2))`;
    const state = `if(h8 % 10 < 8, ${ST}, NULL)`;
    return {
      key: 'if(n % 5 = 1, n - 1, n)',
      columns: {
        ...head('payout'),
        payer_committee_id: SP,
        payer_entity_id: SP,
        payer_name: NAME,
        cycle: 'toUInt16(2024)',
        transaction_id: `concat('T', toString(k))`,
        payout_key: `concat(${SP}, ':2024:T', toString(k))`,
        restatement_rank: `toUInt16(${rank})`,
        version: `toUInt64(${rank}) * 4294967296 + cityHash64(n) % 4294967296`,
        payee_name: `if(${fp}, NULL, 'RACONTEUR MEDIA')`,
        payee_pseudonym: `if(${fp}, ${pseudo('toString(h5 % 100000)')}, NULL)`,
        purpose: `upper(${cat})`,
        category: cat,
        amount,
        currency: `'USD'`,
        amount_usd: amount,
        fx_rate: 'toDecimal64(1, 8)',
        fx_rate_date: 'NULL',
        paid_on: DAY,
        disseminated_on: `if(${fp}, NULL, ${DAY})`,
        support_oppose: `if(${fp}, NULL, if(h7 % 2 = 0, 'support', 'oppose'))`,
        candidate_id: `if(${fp}, NULL, if(h7 % 2 = 0, 'P80001571', 'P00009423'))`,
        candidate_name: `if(${fp}, NULL, if(h7 % 2 = 0, 'TRUMP, DONALD J.', 'HARRIS, KAMALA'))`,
        state,
        state_method: `if(h8 % 10 < 8, 'filed', 'unknown')`,
        is_swing_state: `(h8 % 10 < 8 AND ${SWING})`,
        form: `if(${fp}, 'first_party', if(${rank} = 2, 'F3X', 'F24'))`,
        report_type: `if(${fp}, NULL, if(${rank} = 2, 'Q3', '48'))`,
        amendment_indicator: `if(${fp}, NULL, 'N')`,
        fec_sub_id: `if(${fp}, NULL, toString(n))`,
        filed_on: `if(${fp}, NULL, ${DAY} + toIntervalDay(2))`,
        pdf_url: 'NULL',
        source_kind: `if(${fp}, 'first_party', 'fec_schedule_e')`,
        ...tail(`toDateTime64(${DAY}, 3, 'UTC')`),
      },
    };
  })(),
  signup_events: (() => {
    const known = '(h4 % 10 < 6)';
    const referred = '(h5 % 10 < 4)';
    return {
      key: 'n',
      columns: {
        ...head('signup'),
        petition_id: `if(${known}, 'america-pac-1a2a-petition-2024', concat(lower(${SP}), '-petition-2024'))`,
        sponsor_id: `if(${known}, 'C00879510', '')`,
        signed_at: TIME,
        signed_on: `toDate(${TIME})`,
        signer: pseudo(`concat('s', toString(n))`),
        referrer: `if(${referred}, ${pseudo(`concat('s', toString(h6 % 1000000))`)}, NULL)`,
        referred,
        state: ST,
        state_method: `'filed'`,
        is_swing_state: SWING,
        zip5: `leftPad(toString(h7 % 100000), 5, '0')`,
        phone_provided: '(h8 % 3 > 0)',
        phones_collected: `toUInt16(if(${referred}, 1 + h8 % 2, h8 % 2))`,
        email_provided: 'true',
        channel: `['snapchat','x','meta','email','sms',''][1 + h8 % 6]`,
        ...tail(TIME),
      },
    };
  })(),
  contact_events: (() => {
    const outcome = `['contacted','not_home','not_home','refused','wrong_number','moved','callback','contacted'][1 + h5 % 8]`;
    return {
      key: 'n',
      columns: {
        ...head('contact'),
        campaign_id: `concat(if(h1 % 4 = 0, 'america-pac', lower(${SP})), '-canvass-', lower(${ST}), '-2024')`,
        attempt_id: `concat('A', toString(n))`,
        sponsor_id: SP,
        attempted_at: TIME,
        attempted_on: `toDate(${TIME})`,
        method: `['door','door','phone','text'][1 + h4 % 4]`,
        outcome,
        contacted: `(${outcome} = 'contacted')`,
        canvasser: pseudo(`concat('c', toString(h6 % 5000))`),
        voter: pseudo(`concat('v', toString(h7 % 3000000))`),
        state: ST,
        state_method: `'filed'`,
        is_swing_state: SWING,
        zip5: `leftPad(toString(h7 % 100000), 5, '0')`,
        petition_signed: 'if(h8 % 10 < 3, h8 % 2 = 0, NULL)',
        ...tail(TIME),
      },
    };
  })(),
  ad_snapshots: (() => {
    // Three snapshots per ad; three ads in five on Meta (ranges), the rest on Snap (exact).
    const meta = '(h4 % 5 < 3)';
    const stanced = '(h8 % 50 = 0)';
    const low = `if(${meta}, toDecimal64(h5 % 10 * 5000, 2), toDecimal64(100 + h5 % 20000, 2))`;
    const high = `if(${meta}, if(h5 % 50 = 0, NULL, toDecimal64(h5 % 10 * 5000 + 4999, 2)), toNullable(${low}))`;
    const point = `if(${meta}, toDecimal64(h5 % 10 * 5000 + 2500, 2), ${low})`;
    const ilow = `if(${meta}, h6 % 10 * 500000, 10000 + h6 % 2000000)`;
    const adId = `if(${meta}, toString(9000000000000000 + k), concat(${hex32('toString(k)')}, ${hex32(`concat(toString(k), 's')`)}))`;
    const start = `(toDateTime64('2024-07-01 00:00:00', 3, 'UTC') + toIntervalDay(h7 % 108))`;
    const snapshot = `(toDateTime64('2024-11-06 00:00:00', 3, 'UTC') + toIntervalDay(n % 3))`;
    return {
      key: 'intDiv(n, 3)',
      columns: {
        ...head('ad'),
        platform: `if(${meta}, 'meta', 'snap')`,
        ad_id: adId,
        granularity: `'ad'`,
        snapshot_at: snapshot,
        advertiser_name: NAME,
        advertiser_id: `if(${meta}, concat('61', leftPad(toString(h1 % 199), 13, '0')), NULL)`,
        paying_advertiser: `upper(${NAME})`,
        sponsor_id: SP,
        sponsor_name: NAME,
        sponsor_confidence: 'toFloat32(1)',
        sponsor_match_method: `'fec_id'`,
        currency: `'USD'`,
        spend_low: low,
        spend_high: high,
        spend_point: point,
        spend_point_method: `if(${meta}, if(h5 % 50 = 0, 'low_bound_for_open_range', 'midpoint'), 'exact')`,
        fx_rate: 'toDecimal64(1, 8)',
        fx_rate_date: 'NULL',
        spend_usd_low: low,
        spend_usd_high: high,
        spend_usd_point: point,
        impressions_low: `toNullable(toUInt64(${ilow}))`,
        impressions_high: `toNullable(toUInt64(if(${meta}, ${ilow} + 499999, ${ilow})))`,
        impressions_point: `toNullable(toUInt64(if(${meta}, ${ilow} + 250000, ${ilow})))`,
        impressions_point_method: `if(${meta}, 'midpoint', 'exact')`,
        delivery_start: `toNullable(${start})`,
        delivery_end: `if(h7 % 10 = 0, NULL, ${start} + toIntervalDay(3 + h8 % 17))`,
        target_states: `[${ST}]`,
        target_states_method: `'regions'`,
        swing_states: `if(${SWING}, [${ST}], ${NONE})`,
        delivery_states: NONE,
        delivery_shares: 'CAST([] AS Array(Float64))',
        stance_subjects: `arrayConcat(if(${meta}, [if(h1 % 2 = 0, 'Harris', 'Trump')], ${NONE}), if(${stanced}, ['Harris'], ${NONE}))`,
        stance_values: `arrayConcat(if(${meta}, ['support'], ${NONE}), if(${stanced}, [if(${ST} = 'MI', 'pro-Israel', 'pro-Palestine')], ${NONE}))`,
        stance_origins: `arrayConcat(if(${meta}, ['advertiser'], ${NONE}), if(${stanced}, ['text'], ${NONE}))`,
        topics: `['petition']`,
        creative_text: `'Sign the petition in support of free speech and the right to bear arms.'`,
        link_urls: `['petition.america-pac.example']`,
        snapshot_url: `if(${meta}, concat('https://www.facebook.com/ads/archive/render_ad/?id=', ${adId}), NULL)`,
        ...tail(snapshot),
      },
    };
  })(),
  post_observations: (() => {
    const petition = '(h4 % 10 < 4)';
    return {
      key: 'intDiv(n, 2)',
      columns: {
        ...head('post'),
        platform: `'x'`,
        post_id: 'toString(1850000000000000000 + k)',
        account_id: `if(h1 % 4 = 0, '1800000000000000042', concat('18', leftPad(toString(h1 % 199), 17, '0')))`,
        account_handle: `if(h1 % 4 = 0, 'America', concat('BenchCommittee', toString(h1 % 199)))`,
        sponsor_id: SP,
        sponsor_confidence: 'toFloat32(1)',
        created_at: TIME,
        observed_at: `toDateTime64('2024-11-06 00:00:00', 3, 'UTC') + toIntervalDay(n % 2)`,
        text: `if(${petition}, 'Sign the petition! https://t.co/58b11b0ef5', 'Make a plan to vote.')`,
        urls: `if(${petition}, ['https://petition.america-pac.example/sign'], ${NONE})`,
        petition_ids: `if(${petition}, ['america-pac-1a2a-petition-2024'], ${NONE})`,
        likes: 'toNullable(h5 % 50000)',
        reposts: 'toNullable(h6 % 10000)',
        replies: 'toNullable(h7 % 5000)',
        quotes: 'toNullable(h8 % 1000)',
        impressions: 'toNullable(h5 % 20000000)',
        stance_subjects: NONE,
        stance_values: NONE,
        topics: `if(${petition}, ['petition'], ${NONE})`,
        ...tail(TIME),
      },
    };
  })(),
  ad_annotations: {
    key: 'n',
    columns: {
      ...head('annotation'),
      platform: `'snap'`,
      ad_id: `concat(${hex32('toString(h1 % 100000)')}, ${hex32(`concat(toString(h1 % 100000), 's')`)})`,
      ad_set: `concat('set-', toString(h2 % 100))`,
      subject: `if(h3 % 2 = 0, 'Harris', 'Trump')`,
      stance: `if(h3 % 2 = 0, if(h4 % 2 = 0, 'pro-Israel', 'pro-Palestine'), 'support')`,
      message: `'Kamala Harris: friend of Israel'`,
      transcript: `'Kamala Harris: friend of Israel. Paid for by America PAC.'`,
      coder: `concat('bench-research/coder-', toString(n))`,
      coded_on: `toDate('2024-11-07') + toIntervalDay(h4 % 10)`,
      ...tail(`toDateTime64(toDate('2024-11-07') + toIntervalDay(h4 % 10), 3, 'UTC')`),
    },
  },
};

/** Contradiction records (the correlations table), read by contradictory-ad-pairs. */
function correlationsInsert(db: string, count: number): string {
  const side = (stance: string, state: string, ad: string) =>
    `'{"platform":"snap","ad_id":"', ${ad}, '","sponsor_id":"', ${SP}, '","stances":["${stance}"],"target_states":["${state}"],` +
    `"spend_usd_low":"100.00","spend_usd_high":"100.00","spend_usd_point":"100.00","impressions_low":"1000",` +
    `"impressions_high":"1000","impressions_point":"1000","delivery_start":"2024-10-01T00:00:00Z","delivery_end":"2024-10-20T00:00:00Z"}'`;
  const a = hex32(`concat('a', toString(n))`);
  const b = hex32(`concat('b', toString(n))`);
  return `INSERT INTO ${db}.correlations
    (correlation_id, kind, sponsor_id, subject, detail, source_event_ids, computed_at, version, is_deleted)
    SELECT ${hex32(`concat('corr', toString(n))`)}, 'contradiction', ${SP}, 'Harris',
      concat('{"sponsor_ids":["', ${SP}, '"],"relation":"same_sponsor","funder_entity_id":"","a":', ${side('pro-Israel', 'MI', a)},
        ',"b":', ${side('pro-Palestine', 'PA', b)}, ',"overlap_start":"2024-10-01T00:00:00Z","overlap_end":"2024-10-20T00:00:00Z"}'),
      [${a}, ${b}], now64(3, 'UTC'), toUInt64(1), toUInt8(0)
    FROM (SELECT number AS n, cityHash64(number, 1) AS h1 FROM numbers(${count}))`;
}

/** Dead letters (dlq_events), read by dlq-by-source-and-reason. */
function dlqInsert(db: string, count: number): string {
  return `INSERT INTO ${db}.dlq_events
    (dlq_partition, dlq_offset, reason, detail, step, service, source, position, source_partition, record_key,
     raw_sealed, raw_bytes, dead_lettered_at)
    SELECT toUInt32(0), n, ['schema_invalid','parse_error','enrichment_failed'][1 + h1 % 3], 'bench',
      ['import:snap','import:fec-itcont','worker:enrichAndStore'][1 + h2 % 3], ['import','import','worker'][1 + h2 % 3],
      ['snap','fec-itcont','signups'][1 + h2 % 3], concat('line ', toString(n)), NULL, NULL, h3 % 2 = 0,
      toUInt32(h3 % 2000), ${TIME}
    FROM (SELECT number AS n, cityHash64(number, 1) AS h1, cityHash64(number, 2) AS h2, cityHash64(number, 3) AS h3
          FROM numbers(${count}))`;
}

/** The INSERT … SELECT of rows [start, start + count) of a table. */
export function generatorInsert(db: string, table: GeneratedTable, start: number, count: number): string {
  const g = GENERATORS[table];
  const columns = TABLE_COLUMNS[table].map(([name]) => name);
  const missing = columns.filter((c) => !(c in g.columns));
  if (missing.length > 0)
    throw new Error(`bench/lib/queries.ts generates no value for ${table}.${missing.join(', ')}: add it`);
  const hashes = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `cityHash64(k, ${i}) AS h${i}`).join(', ');
  return `INSERT INTO ${db}.${table} (${columns.join(', ')})
    SELECT ${columns.map((c) => g.columns[c]).join(',\n      ')}
    FROM (SELECT n, k, ${hashes} FROM (SELECT number AS n, ${g.key} AS k FROM numbers(${start}, ${count})))`;
}

export interface QueryLatency {
  name: string;
  runs: number;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
  rows: number | null;
  error: string | null;
}

export interface QueriesMeasure {
  database: string;
  rows: number;
  rows_by_table: Record<string, number>;
  generate_seconds: number;
  as_user: string;
  queries: QueryLatency[];
}

/** The nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

/** Every sponsor a batch of these rows would wake (the pipeline skips the empty sponsor). */
const SPONSORS_QUERY = `SELECT DISTINCT s FROM (
    SELECT CAST(if(recipient_entity_id != '', recipient_entity_id, committee_id) AS String) AS s FROM donation_events
    UNION ALL SELECT CAST(if(payer_entity_id != '', payer_entity_id, payer_committee_id) AS String) FROM payout_filings
    UNION ALL SELECT CAST(sponsor_id AS String) FROM signup_events
    UNION ALL SELECT CAST(sponsor_id AS String) FROM contact_events
    UNION ALL SELECT CAST(sponsor_id AS String) FROM ad_snapshots
    UNION ALL SELECT CAST(sponsor_id AS String) FROM post_observations)
  WHERE s != '' ORDER BY s`;

/**
 * Recomputes every sponsor's rollups, one sponsor at a time as the sponsor workflows would.
 * Returns how many sponsors, the total seconds and the slowest sponsor's.
 */
export async function recomputeAllRollups(
  ch: ClickHouseClient,
): Promise<{ sponsors: number; seconds: number; slowest_ms: number; slowest: string }> {
  const t0 = performance.now();
  const rs = await ch.query({ query: SPONSORS_QUERY, format: 'JSONEachRow' });
  const sponsors = (await rs.json<{ s: string }>()).map((r) => r.s);
  let slowest = { ms: 0, sponsor: '' };
  for (const sponsor of sponsors) {
    const { ms } = await recomputeSponsorRollups(ch, sponsor);
    if (ms > slowest.ms) slowest = { ms, sponsor };
  }
  return {
    sponsors: sponsors.length,
    seconds: (performance.now() - t0) / 1000,
    slowest_ms: Math.round(slowest.ms),
    slowest: slowest.sponsor,
  };
}

/**
 * Creates and fills the scratch database: migrations, reference rows and `rows` generated rows,
 * then the sponsors' rollups. `seconds` is the generation's time, `rollupSeconds` the rollups'.
 */
export async function prepareQueryData(opts: {
  writerUrl: string;
  database: string;
  rows: number;
  log: Logger;
  say: (line: string) => void;
}): Promise<{ rowsByTable: Record<string, number>; seconds: number; rollupSeconds: number }> {
  const t0 = performance.now();
  await migrate({ url: opts.writerUrl, database: opts.database, log: opts.log });
  const ch = createClickHouse({ url: opts.writerUrl, database: opts.database, log: opts.log });
  const rowsByTable: Record<string, number> = {};
  try {
    const version = String(Date.now());
    for (const [table, values] of Object.entries(referenceRows(loadReferenceData())))
      await ch.insert({ table, values: values.map((v) => ({ ...v, version })), format: 'JSONEachRow' });
    // Inserts of at most 1M rows keep the engine's memory bounded and leave a few parts per table.
    const chunk = 1_000_000;
    for (const [table, share] of Object.entries(ROW_SHARES) as [GeneratedTable, number][]) {
      const count = Math.max(1, Math.round(opts.rows * share));
      rowsByTable[table] = count;
      for (let start = 0; start < count; start += chunk) {
        await ch.command({
          query: generatorInsert(opts.database, table, start, Math.min(chunk, count - start)),
        });
      }
      opts.say(
        `  ${table}: ${count.toLocaleString('en-US')} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
    }
    rowsByTable.correlations = Math.max(100, Math.min(50_000, Math.round(opts.rows / 200)));
    await ch.command({ query: correlationsInsert(opts.database, rowsByTable.correlations) });
    rowsByTable.dlq_events = Math.max(100, Math.min(100_000, Math.round(opts.rows / 100)));
    await ch.command({ query: dlqInsert(opts.database, rowsByTable.dlq_events) });
    const seconds = (performance.now() - t0) / 1000;
    opts.say("  recomputing every sponsor's rollups (the sponsor workflows' activity)…");
    const r = await recomputeAllRollups(ch);
    opts.say(
      `  rollups: ${r.sponsors} sponsors in ${r.seconds.toFixed(1)} s ` +
        `(slowest ${r.slowest} ${r.slowest_ms.toLocaleString('en-US')} ms)`,
    );
    return { rowsByTable, seconds, rollupSeconds: r.seconds };
  } finally {
    await ch.close();
  }
}

/**
 * Runs every cookbook query: one warm-up run, then up to `runs` timed runs (fewer when a query is
 * slow, so that one query takes about `budgetMs` at most). A failing query is reported with its
 * error; the others go on.
 */
export async function measureCookbook(opts: {
  client: ClickHouseClient;
  runs: number;
  budgetMs: number;
  say: (line: string) => void;
}): Promise<QueryLatency[]> {
  const out: QueryLatency[] = [];
  for (const q of loadCookbook()) {
    const once = async (): Promise<{ ms: number; rows: number }> => {
      const t = performance.now();
      const rs = await opts.client.query({ query: q.sql, query_params: q.params, format: 'JSONEachRow' });
      const rows = await rs.json();
      return { ms: performance.now() - t, rows: rows.length };
    };
    try {
      const warm = await once();
      const runs = Math.max(1, Math.min(opts.runs, Math.floor(opts.budgetMs / Math.max(1, warm.ms))));
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push((await once()).ms);
      const r: QueryLatency = {
        name: q.name,
        runs,
        p50_ms: Math.round(percentile(times, 0.5)),
        p95_ms: Math.round(percentile(times, 0.95)),
        max_ms: Math.round(Math.max(...times)),
        rows: warm.rows,
        error: null,
      };
      out.push(r);
      opts.say(`  ${q.name}: p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms (${runs} runs, ${warm.rows} rows)`);
    } catch (err) {
      out.push({
        name: q.name,
        runs: 0,
        p50_ms: null,
        p95_ms: null,
        max_ms: null,
        rows: null,
        error: (err as Error).message.slice(0, 500),
      });
      opts.say(`  ${q.name}: failed: ${(err as Error).message.slice(0, 200)}`);
    }
  }
  return out;
}

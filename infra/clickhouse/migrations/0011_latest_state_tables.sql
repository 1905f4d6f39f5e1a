-- Latest-state tables for the three cookbook queries that the sponsor rollups of 0007 did not
-- bring under 100 ms (docs/performance.md, "Cookbook queries"). Each view keeps its columns,
-- types and rows; only where its rows come from changes. This is the withdrawn 0009 (0009 stays
-- unused: stacks that applied it have its checksum) with its latest-row rule fixed.
--
-- What 0009 got wrong: it kept each ad's latest snapshot as
-- SimpleAggregateFunction(max, Tuple(version, ...)) in an AggregatingMergeTree, and ads_current
-- read latest.<field>. Under FINAL, ClickHouse reads such a field as a subcolumn and merges it
-- like a plain column: the row of the first part wins, not the max of the whole tuple
-- (ClickHouse issue 61161). Rows already merged in the background were right, so the result
-- depended on the insert order and on which parts had merged: the real Snap files, imported
-- oldest first, showed older snapshots' spend for the ads whose parts had not merged yet.
-- Reading the whole tuple instead is correct but slower than the old view.
--
-- The rule now uses only what FINAL does right for any subset of columns:
-- - the latest row is a ReplacingMergeTree(version) row with the typed table's own columns, where
--   version encodes (snapshot_at, event_id): the highest version is the latest snapshot_at, ties
--   by the larger event_id, as ads_current always ordered snapshots; a snapshot stored twice
--   (equal versions) keeps its last insert, as ad_snapshots FINAL does;
-- - first_seen and the snapshot count are top-level SimpleAggregateFunction columns (min, and a
--   set union of versions) of a second table with the same key, joined by the view.
-- Neither depends on the order of the inserts, their batches, replays, merges or ties.
--
-- ads_current sorted every snapshot with its arrays (a window over ad_snapshots FINAL): 1.3 s on
-- 10M rows. Ads without a sponsor have no sponsor workflow, so a per-sponsor rollup cannot hold
-- them; materialized views on the typed tables keep these tables instead. posts and post_handles
-- read every post observation (a window, a DISTINCT): the same scheme gives one row per post, and
-- an index of the handles keyed by the handle.
--
-- contradictions parsed the detail JSON of every contradiction record on every query (264 ms for
-- 12,460 rows on 10M rows). A materialized view now parses each record once, when it is written,
-- into contradiction_records: the same rows as correlations (kind contradiction), with the same
-- version and tombstones and the same key (plain columns of a ReplacingMergeTree), ordered by
-- correlation_id so that the view's LIMIT 1 BY correlation_id reads in order.
--
-- Each table is created, then its materialized view, then filled from what is already there: a
-- row written between the two is inserted twice, which the tables' merge rules collapse.
-- Statements are idempotent (IF NOT EXISTS, OR REPLACE) except the backfills, which insert rows
-- that are already there again, harmlessly, if the migration runs a second time.
--
-- Read the views, not the tables: the tables may hold several rows per ad or post until FINAL.

-- One row per platform ad (granularity 'ad'): its latest library snapshot, with the columns of
-- ad_snapshots.
CREATE TABLE IF NOT EXISTS ad_latest_snapshots
(
    platform                 LowCardinality(String),
    ad_id                    String,
    version                  UInt256 COMMENT '(snapshot_at, event_id) as one number: the highest is the latest snapshot',
    event_id                 FixedString(32),
    source                   LowCardinality(String),
    source_record_id         String,
    snapshot_at              DateTime64(3, 'UTC'),
    advertiser_name          String,
    advertiser_id            Nullable(String),
    paying_advertiser        Nullable(String),
    sponsor_id               LowCardinality(String),
    sponsor_name             String,
    sponsor_confidence       Float32,
    sponsor_match_method     LowCardinality(String),
    currency                 LowCardinality(String),
    spend_low                Decimal(18, 2),
    spend_high               Nullable(Decimal(18, 2)),
    spend_point              Decimal(18, 2),
    spend_point_method       LowCardinality(String),
    fx_rate                  Decimal(18, 8),
    fx_rate_date             Nullable(Date),
    spend_usd_low            Decimal(18, 2),
    spend_usd_high           Nullable(Decimal(18, 2)),
    spend_usd_point          Decimal(18, 2),
    impressions_low          Nullable(UInt64),
    impressions_high         Nullable(UInt64),
    impressions_point        Nullable(UInt64),
    impressions_point_method LowCardinality(Nullable(String)),
    delivery_start           Nullable(DateTime64(3, 'UTC')),
    delivery_end             Nullable(DateTime64(3, 'UTC')),
    target_states            Array(LowCardinality(String)),
    target_states_method     LowCardinality(String),
    swing_states             Array(LowCardinality(String)),
    delivery_states          Array(LowCardinality(String)),
    delivery_shares          Array(Float64),
    stance_subjects          Array(LowCardinality(String)),
    stance_values            Array(LowCardinality(String)),
    stance_origins           Array(LowCardinality(String)),
    topics                   Array(LowCardinality(String)),
    creative_text            String,
    link_urls                Array(String),
    snapshot_url             Nullable(String),
    occurred_at              DateTime64(3, 'UTC'),
    ingested_at              DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (platform, ad_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS ad_latest_snapshots_mv TO ad_latest_snapshots
AS
SELECT
    platform,
    ad_id,
    -- (snapshot_at, event_id) as one number: milliseconds (biased to stay positive) << 128 |
    -- the 32 hex digits of event_id, so it orders as ads_current always ordered snapshots.
    bitOr(bitShiftLeft(toUInt256(toUnixTimestamp64Milli(snapshot_at) + 10000000000000), 128),
        reinterpretAsUInt128(reverse(unhex(event_id)))) AS version,
    event_id,
    source,
    source_record_id,
    snapshot_at,
    advertiser_name,
    advertiser_id,
    paying_advertiser,
    sponsor_id,
    sponsor_name,
    sponsor_confidence,
    sponsor_match_method,
    currency,
    spend_low,
    spend_high,
    spend_point,
    spend_point_method,
    fx_rate,
    fx_rate_date,
    spend_usd_low,
    spend_usd_high,
    spend_usd_point,
    impressions_low,
    impressions_high,
    impressions_point,
    impressions_point_method,
    delivery_start,
    delivery_end,
    target_states,
    target_states_method,
    swing_states,
    delivery_states,
    delivery_shares,
    stance_subjects,
    stance_values,
    stance_origins,
    topics,
    creative_text,
    link_urls,
    snapshot_url,
    occurred_at,
    ingested_at
FROM ad_snapshots
WHERE granularity = 'ad';

INSERT INTO ad_latest_snapshots
SELECT
    platform,
    ad_id,
    bitOr(bitShiftLeft(toUInt256(toUnixTimestamp64Milli(snapshot_at) + 10000000000000), 128),
        reinterpretAsUInt128(reverse(unhex(event_id)))) AS version,
    event_id,
    source,
    source_record_id,
    snapshot_at,
    advertiser_name,
    advertiser_id,
    paying_advertiser,
    sponsor_id,
    sponsor_name,
    sponsor_confidence,
    sponsor_match_method,
    currency,
    spend_low,
    spend_high,
    spend_point,
    spend_point_method,
    fx_rate,
    fx_rate_date,
    spend_usd_low,
    spend_usd_high,
    spend_usd_point,
    impressions_low,
    impressions_high,
    impressions_point,
    impressions_point_method,
    delivery_start,
    delivery_end,
    target_states,
    target_states_method,
    swing_states,
    delivery_states,
    delivery_shares,
    stance_subjects,
    stance_values,
    stance_origins,
    topics,
    creative_text,
    link_urls,
    snapshot_url,
    occurred_at,
    ingested_at
FROM ad_snapshots FINAL
WHERE granularity = 'ad';

-- When each ad was first seen and how many distinct snapshots it has (one version per distinct
-- (snapshot_at, event_id)): min and set union merge the same in any order and any number of times.
CREATE TABLE IF NOT EXISTS ad_snapshot_stats
(
    platform          LowCardinality(String),
    ad_id             String,
    first_seen        SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    snapshot_versions SimpleAggregateFunction(groupUniqArrayArray, Array(UInt256))
)
ENGINE = AggregatingMergeTree
ORDER BY (platform, ad_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS ad_snapshot_stats_mv TO ad_snapshot_stats
AS
SELECT
    platform,
    ad_id,
    snapshot_at AS first_seen,
    [bitOr(bitShiftLeft(toUInt256(toUnixTimestamp64Milli(snapshot_at) + 10000000000000), 128),
        reinterpretAsUInt128(reverse(unhex(event_id))))] AS snapshot_versions
FROM ad_snapshots
WHERE granularity = 'ad';

INSERT INTO ad_snapshot_stats
SELECT
    platform,
    ad_id,
    snapshot_at AS first_seen,
    [bitOr(bitShiftLeft(toUInt256(toUnixTimestamp64Milli(snapshot_at) + 10000000000000), 128),
        reinterpretAsUInt128(reverse(unhex(event_id))))] AS snapshot_versions
FROM ad_snapshots FINAL
WHERE granularity = 'ad';

-- The ads_current of 0003, same columns and rows, from the latest snapshot of each ad and its
-- first_seen and snapshot count.
CREATE OR REPLACE VIEW ads_current
AS
SELECT
    s.platform AS platform,
    s.ad_id AS ad_id,
    s.advertiser_name AS advertiser_name,
    s.advertiser_id AS advertiser_id,
    s.paying_advertiser AS paying_advertiser,
    s.sponsor_id AS sponsor_id,
    s.sponsor_name AS sponsor_name,
    s.sponsor_confidence AS sponsor_confidence,
    s.sponsor_match_method AS sponsor_match_method,
    s.currency AS currency,
    s.spend_low AS spend_low,
    s.spend_high AS spend_high,
    s.spend_point AS spend_point,
    s.spend_point_method AS spend_point_method,
    CAST(s.spend_high IS NULL AS Bool) AS spend_open_range,
    s.fx_rate AS fx_rate,
    s.fx_rate_date AS fx_rate_date,
    s.spend_usd_low AS spend_usd_low,
    s.spend_usd_high AS spend_usd_high,
    s.spend_usd_point AS spend_usd_point,
    s.impressions_low AS impressions_low,
    s.impressions_high AS impressions_high,
    s.impressions_point AS impressions_point,
    s.impressions_point_method AS impressions_point_method,
    s.delivery_start AS delivery_start,
    s.delivery_end AS delivery_end,
    s.target_states AS target_states,
    s.target_states_method AS target_states_method,
    s.swing_states AS swing_states,
    s.delivery_states AS delivery_states,
    s.delivery_shares AS delivery_shares,
    arrayConcat(CAST(s.stance_subjects AS Array(String)), a.subjects) AS stance_subjects,
    arrayConcat(CAST(s.stance_values AS Array(String)), a.stances) AS stance_values,
    arrayConcat(CAST(s.stance_origins AS Array(String)), arrayMap(x -> 'coder', a.coders)) AS stance_origins,
    arrayConcat(arrayMap(x -> '', s.stance_origins), a.coders) AS stance_coders,
    s.topics AS topics,
    a.ad_sets AS coded_ad_sets,
    a.messages AS coded_messages,
    s.creative_text AS creative_text,
    s.link_urls AS link_urls,
    s.snapshot_url AS snapshot_url,
    s.snapshot_at AS snapshot_at,
    s.first_seen AS first_seen,
    s.snapshot_at AS last_seen,
    s.snapshots AS snapshots,
    s.event_id AS event_id,
    s.source AS source,
    s.source_record_id AS source_record_id,
    a.event_ids AS annotation_event_ids
FROM
(
    -- Whole columns of both tables under FINAL (no tuple subcolumns: see the top of this file).
    SELECT
        l.*,
        CAST(st.first_seen AS DateTime64(3, 'UTC')) AS first_seen,
        length(st.snapshot_versions) AS snapshots
    FROM ad_latest_snapshots AS l FINAL
    LEFT JOIN
    (
        SELECT platform, ad_id, first_seen, snapshot_versions
        FROM ad_snapshot_stats FINAL
    ) AS st ON l.platform = st.platform AND l.ad_id = st.ad_id
) AS s
LEFT JOIN
(
    SELECT
        platform,
        ad_id,
        arrayMap(c -> c.2, codings) AS subjects,
        arrayMap(c -> c.3, codings) AS stances,
        arrayMap(c -> c.1, codings) AS coders,
        arraySort(arrayDistinct(arrayFilter(x -> x != '', arrayMap(c -> c.5, codings)))) AS ad_sets,
        arraySort(arrayDistinct(arrayFilter(x -> x != '', arrayMap(c -> c.6, codings)))) AS messages,
        arrayMap(c -> c.4, codings) AS event_ids
    FROM
    (
        SELECT
            platform,
            ad_id,
            arraySort(groupArray((coder, CAST(subject AS String), CAST(stance AS String), toString(event_id), ad_set, message))) AS codings
        FROM ad_annotations FINAL
        GROUP BY platform, ad_id
    )
) AS a ON s.platform = a.platform AND s.ad_id = a.ad_id;

-- Contradiction records (correlations of kind contradiction), each detail parsed once.
CREATE TABLE IF NOT EXISTS contradiction_records
(
    correlation_id      String,
    sponsor_id          LowCardinality(String),
    sponsor_ids         Array(String),
    subject             String,
    relation            String,
    funder_entity_id    String,
    a_platform          String,
    a_ad_id             String,
    a_sponsor_id        String,
    a_stances           Array(String),
    a_stance            String,
    a_target_states     Array(String),
    a_spend_usd_low     Nullable(Decimal(18, 2)),
    a_spend_usd_high    Nullable(Decimal(18, 2)),
    a_spend_usd_point   Nullable(Decimal(18, 2)),
    a_impressions_low   Nullable(UInt64),
    a_impressions_high  Nullable(UInt64),
    a_impressions_point Nullable(UInt64),
    a_delivery_start    Nullable(DateTime64(3, 'UTC')),
    a_delivery_end      Nullable(DateTime64(3, 'UTC')),
    b_platform          String,
    b_ad_id             String,
    b_sponsor_id        String,
    b_stances           Array(String),
    b_stance            String,
    b_target_states     Array(String),
    b_spend_usd_low     Nullable(Decimal(18, 2)),
    b_spend_usd_high    Nullable(Decimal(18, 2)),
    b_spend_usd_point   Nullable(Decimal(18, 2)),
    b_impressions_low   Nullable(UInt64),
    b_impressions_high  Nullable(UInt64),
    b_impressions_point Nullable(UInt64),
    b_delivery_start    Nullable(DateTime64(3, 'UTC')),
    b_delivery_end      Nullable(DateTime64(3, 'UTC')),
    overlap_start       Nullable(DateTime64(3, 'UTC')),
    overlap_end         Nullable(DateTime64(3, 'UTC')),
    detail              String,
    source_event_ids    Array(String),
    computed_at         DateTime64(3, 'UTC'),
    version             UInt64,
    is_deleted          UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (correlation_id, sponsor_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS contradiction_records_mv TO contradiction_records
AS
SELECT
    correlation_id,
    sponsor_id,
    sponsor_ids,
    subject,
    d.relation AS relation,
    d.funder_entity_id AS funder_entity_id,
    d.a.platform AS a_platform,
    d.a.ad_id AS a_ad_id,
    d.a.sponsor_id AS a_sponsor_id,
    d.a.stances AS a_stances,
    arrayStringConcat(a_stances, ', ') AS a_stance,
    d.a.target_states AS a_target_states,
    toDecimal64OrNull(d.a.spend_usd_low, 2) AS a_spend_usd_low,
    toDecimal64OrNull(d.a.spend_usd_high, 2) AS a_spend_usd_high,
    toDecimal64OrNull(d.a.spend_usd_point, 2) AS a_spend_usd_point,
    toUInt64OrNull(d.a.impressions_low) AS a_impressions_low,
    toUInt64OrNull(d.a.impressions_high) AS a_impressions_high,
    toUInt64OrNull(d.a.impressions_point) AS a_impressions_point,
    parseDateTime64BestEffortOrNull(d.a.delivery_start, 3, 'UTC') AS a_delivery_start,
    parseDateTime64BestEffortOrNull(d.a.delivery_end, 3, 'UTC') AS a_delivery_end,
    d.b.platform AS b_platform,
    d.b.ad_id AS b_ad_id,
    d.b.sponsor_id AS b_sponsor_id,
    d.b.stances AS b_stances,
    arrayStringConcat(b_stances, ', ') AS b_stance,
    d.b.target_states AS b_target_states,
    toDecimal64OrNull(d.b.spend_usd_low, 2) AS b_spend_usd_low,
    toDecimal64OrNull(d.b.spend_usd_high, 2) AS b_spend_usd_high,
    toDecimal64OrNull(d.b.spend_usd_point, 2) AS b_spend_usd_point,
    toUInt64OrNull(d.b.impressions_low) AS b_impressions_low,
    toUInt64OrNull(d.b.impressions_high) AS b_impressions_high,
    toUInt64OrNull(d.b.impressions_point) AS b_impressions_point,
    parseDateTime64BestEffortOrNull(d.b.delivery_start, 3, 'UTC') AS b_delivery_start,
    parseDateTime64BestEffortOrNull(d.b.delivery_end, 3, 'UTC') AS b_delivery_end,
    parseDateTime64BestEffortOrNull(d.overlap_start, 3, 'UTC') AS overlap_start,
    parseDateTime64BestEffortOrNull(d.overlap_end, 3, 'UTC') AS overlap_end,
    detail,
    source_event_ids,
    computed_at,
    version,
    is_deleted
FROM
(
    SELECT
        toString(correlation_id) AS correlation_id,
        sponsor_id,
        subject,
        detail,
        JSONExtract(detail, 'sponsor_ids', 'Array(String)') AS sponsor_ids,
        JSONExtract(detail, 'Tuple(relation String, funder_entity_id String,
            a Tuple(platform String, ad_id String, sponsor_id String, stances Array(String), target_states Array(String),
                spend_usd_low Nullable(String), spend_usd_high Nullable(String), spend_usd_point Nullable(String),
                impressions_low Nullable(String), impressions_high Nullable(String), impressions_point Nullable(String),
                delivery_start Nullable(String), delivery_end Nullable(String)),
            b Tuple(platform String, ad_id String, sponsor_id String, stances Array(String), target_states Array(String),
                spend_usd_low Nullable(String), spend_usd_high Nullable(String), spend_usd_point Nullable(String),
                impressions_low Nullable(String), impressions_high Nullable(String), impressions_point Nullable(String),
                delivery_start Nullable(String), delivery_end Nullable(String)),
            overlap_start Nullable(String), overlap_end Nullable(String))') AS d,
        source_event_ids,
        computed_at,
        version,
        is_deleted
    FROM correlations
    WHERE kind = 'contradiction'
);

INSERT INTO contradiction_records
SELECT
    correlation_id,
    sponsor_id,
    sponsor_ids,
    subject,
    d.relation AS relation,
    d.funder_entity_id AS funder_entity_id,
    d.a.platform AS a_platform,
    d.a.ad_id AS a_ad_id,
    d.a.sponsor_id AS a_sponsor_id,
    d.a.stances AS a_stances,
    arrayStringConcat(a_stances, ', ') AS a_stance,
    d.a.target_states AS a_target_states,
    toDecimal64OrNull(d.a.spend_usd_low, 2) AS a_spend_usd_low,
    toDecimal64OrNull(d.a.spend_usd_high, 2) AS a_spend_usd_high,
    toDecimal64OrNull(d.a.spend_usd_point, 2) AS a_spend_usd_point,
    toUInt64OrNull(d.a.impressions_low) AS a_impressions_low,
    toUInt64OrNull(d.a.impressions_high) AS a_impressions_high,
    toUInt64OrNull(d.a.impressions_point) AS a_impressions_point,
    parseDateTime64BestEffortOrNull(d.a.delivery_start, 3, 'UTC') AS a_delivery_start,
    parseDateTime64BestEffortOrNull(d.a.delivery_end, 3, 'UTC') AS a_delivery_end,
    d.b.platform AS b_platform,
    d.b.ad_id AS b_ad_id,
    d.b.sponsor_id AS b_sponsor_id,
    d.b.stances AS b_stances,
    arrayStringConcat(b_stances, ', ') AS b_stance,
    d.b.target_states AS b_target_states,
    toDecimal64OrNull(d.b.spend_usd_low, 2) AS b_spend_usd_low,
    toDecimal64OrNull(d.b.spend_usd_high, 2) AS b_spend_usd_high,
    toDecimal64OrNull(d.b.spend_usd_point, 2) AS b_spend_usd_point,
    toUInt64OrNull(d.b.impressions_low) AS b_impressions_low,
    toUInt64OrNull(d.b.impressions_high) AS b_impressions_high,
    toUInt64OrNull(d.b.impressions_point) AS b_impressions_point,
    parseDateTime64BestEffortOrNull(d.b.delivery_start, 3, 'UTC') AS b_delivery_start,
    parseDateTime64BestEffortOrNull(d.b.delivery_end, 3, 'UTC') AS b_delivery_end,
    parseDateTime64BestEffortOrNull(d.overlap_start, 3, 'UTC') AS overlap_start,
    parseDateTime64BestEffortOrNull(d.overlap_end, 3, 'UTC') AS overlap_end,
    detail,
    source_event_ids,
    computed_at,
    version,
    is_deleted
FROM
(
    SELECT
        toString(correlation_id) AS correlation_id,
        sponsor_id,
        subject,
        detail,
        JSONExtract(detail, 'sponsor_ids', 'Array(String)') AS sponsor_ids,
        JSONExtract(detail, 'Tuple(relation String, funder_entity_id String,
            a Tuple(platform String, ad_id String, sponsor_id String, stances Array(String), target_states Array(String),
                spend_usd_low Nullable(String), spend_usd_high Nullable(String), spend_usd_point Nullable(String),
                impressions_low Nullable(String), impressions_high Nullable(String), impressions_point Nullable(String),
                delivery_start Nullable(String), delivery_end Nullable(String)),
            b Tuple(platform String, ad_id String, sponsor_id String, stances Array(String), target_states Array(String),
                spend_usd_low Nullable(String), spend_usd_high Nullable(String), spend_usd_point Nullable(String),
                impressions_low Nullable(String), impressions_high Nullable(String), impressions_point Nullable(String),
                delivery_start Nullable(String), delivery_end Nullable(String)),
            overlap_start Nullable(String), overlap_end Nullable(String))') AS d,
        source_event_ids,
        computed_at,
        version,
        is_deleted
    FROM correlations FINAL
    WHERE kind = 'contradiction'
);

-- The contradictions view of 0003, same columns and rows, from the parsed records.
CREATE OR REPLACE VIEW contradictions
AS
SELECT
    correlation_id,
    sponsor_id,
    sponsor_ids,
    subject,
    relation,
    funder_entity_id,
    a_platform,
    a_ad_id,
    a_sponsor_id,
    a_stances,
    a_stance,
    a_target_states,
    a_spend_usd_low,
    a_spend_usd_high,
    a_spend_usd_point,
    a_impressions_low,
    a_impressions_high,
    a_impressions_point,
    a_delivery_start,
    a_delivery_end,
    b_platform,
    b_ad_id,
    b_sponsor_id,
    b_stances,
    b_stance,
    b_target_states,
    b_spend_usd_low,
    b_spend_usd_high,
    b_spend_usd_point,
    b_impressions_low,
    b_impressions_high,
    b_impressions_point,
    b_delivery_start,
    b_delivery_end,
    overlap_start,
    overlap_end,
    detail,
    source_event_ids,
    computed_at,
    version
FROM contradiction_records FINAL
WHERE is_deleted = 0
ORDER BY correlation_id, sponsor_id
LIMIT 1 BY correlation_id;

-- posts (one row per post at its latest observation) was a window over post_observations FINAL,
-- and post_handles a DISTINCT over all of it: posts-linking-petitions read every observation
-- twice (238 ms on 10M rows). The same scheme as for ads: post_latest_observations keeps the
-- latest observation of each post by an (observed_at, event_id) version, post_observation_stats
-- the first observed_at and the observation versions, and post_handle_index the handles each post
-- was observed under, keyed by the handle.
CREATE TABLE IF NOT EXISTS post_latest_observations
(
    platform           LowCardinality(String),
    post_id            String,
    version            UInt256 COMMENT '(observed_at, event_id) as one number: the highest is the latest observation',
    event_id           FixedString(32),
    source             LowCardinality(String),
    source_record_id   String,
    account_id         String,
    account_handle     Nullable(String),
    sponsor_id         LowCardinality(String),
    sponsor_confidence Float32,
    created_at         DateTime64(3, 'UTC'),
    observed_at        DateTime64(3, 'UTC'),
    text               String,
    urls               Array(String),
    petition_ids       Array(LowCardinality(String)),
    likes              Nullable(UInt64),
    reposts            Nullable(UInt64),
    replies            Nullable(UInt64),
    quotes             Nullable(UInt64),
    impressions        Nullable(UInt64),
    stance_subjects    Array(LowCardinality(String)),
    stance_values      Array(LowCardinality(String)),
    topics             Array(LowCardinality(String)),
    occurred_at        DateTime64(3, 'UTC'),
    ingested_at        DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (platform, post_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS post_latest_observations_mv TO post_latest_observations
AS
SELECT
    platform,
    post_id,
    -- (observed_at, event_id) as one number, as for ads.
    bitOr(bitShiftLeft(toUInt256(toUnixTimestamp64Milli(observed_at) + 10000000000000), 128),
        reinterpretAsUInt128(reverse(unhex(event_id)))) AS version,
    event_id,
    source,
    source_record_id,
    account_id,
    account_handle,
    sponsor_id,
    sponsor_confidence,
    created_at,
    observed_at,
    text,
    urls,
    petition_ids,
    likes,
    reposts,
    replies,
    quotes,
    impressions,
    stance_subjects,
    stance_values,
    topics,
    occurred_at,
    ingested_at
FROM post_observations;

INSERT INTO post_latest_observations
SELECT
    platform,
    post_id,
    bitOr(bitShiftLeft(toUInt256(toUnixTimestamp64Milli(observed_at) + 10000000000000), 128),
        reinterpretAsUInt128(reverse(unhex(event_id)))) AS version,
    event_id,
    source,
    source_record_id,
    account_id,
    account_handle,
    sponsor_id,
    sponsor_confidence,
    created_at,
    observed_at,
    text,
    urls,
    petition_ids,
    likes,
    reposts,
    replies,
    quotes,
    impressions,
    stance_subjects,
    stance_values,
    topics,
    occurred_at,
    ingested_at
FROM post_observations FINAL;

CREATE TABLE IF NOT EXISTS post_observation_stats
(
    platform             LowCardinality(String),
    post_id              String,
    first_observed_at    SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    observation_versions SimpleAggregateFunction(groupUniqArrayArray, Array(UInt256))
)
ENGINE = AggregatingMergeTree
ORDER BY (platform, post_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS post_observation_stats_mv TO post_observation_stats
AS
SELECT
    platform,
    post_id,
    observed_at AS first_observed_at,
    [bitOr(bitShiftLeft(toUInt256(toUnixTimestamp64Milli(observed_at) + 10000000000000), 128),
        reinterpretAsUInt128(reverse(unhex(event_id))))] AS observation_versions
FROM post_observations;

INSERT INTO post_observation_stats
SELECT
    platform,
    post_id,
    observed_at AS first_observed_at,
    [bitOr(bitShiftLeft(toUInt256(toUnixTimestamp64Milli(observed_at) + 10000000000000), 128),
        reinterpretAsUInt128(reverse(unhex(event_id))))] AS observation_versions
FROM post_observations FINAL;

CREATE TABLE IF NOT EXISTS post_handle_index
(
    account_handle Nullable(String),
    platform       LowCardinality(String),
    post_id        String,
    account_id     String
)
ENGINE = ReplacingMergeTree
ORDER BY (account_handle, platform, post_id, account_id)
SETTINGS allow_nullable_key = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS post_handle_index_mv TO post_handle_index
AS
SELECT account_handle, platform, post_id, account_id
FROM post_observations;

INSERT INTO post_handle_index
SELECT DISTINCT account_handle, platform, post_id, account_id
FROM post_observations;

-- The posts view of 0003, same columns and rows, from the latest observation of each post.
CREATE OR REPLACE VIEW posts
AS
SELECT
    l.platform AS platform,
    l.post_id AS post_id,
    l.account_id AS account_id,
    l.account_handle AS account_handle,
    l.sponsor_id AS sponsor_id,
    l.sponsor_confidence AS sponsor_confidence,
    l.created_at AS created_at,
    l.observed_at AS observed_at,
    CAST(st.first_observed_at AS DateTime64(3, 'UTC')) AS first_observed_at,
    length(st.observation_versions) AS observations,
    l.text AS text,
    l.urls AS urls,
    l.petition_ids AS petition_ids,
    l.likes AS likes,
    l.reposts AS reposts,
    l.replies AS replies,
    l.quotes AS quotes,
    l.impressions AS impressions,
    l.stance_subjects AS stance_subjects,
    l.stance_values AS stance_values,
    l.topics AS topics,
    l.event_id AS event_id,
    l.source AS source,
    l.source_record_id AS source_record_id
FROM post_latest_observations AS l FINAL
LEFT JOIN
(
    SELECT platform, post_id, first_observed_at, observation_versions
    FROM post_observation_stats FINAL
) AS st ON l.platform = st.platform AND l.post_id = st.post_id;

-- The post_handles view of 0007, same columns and rows, from the index by handle.
CREATE OR REPLACE VIEW post_handles
AS
SELECT DISTINCT platform, post_id, account_handle, account_id
FROM post_handle_index;

-- Sponsor rollups: the views that aggregate a sponsor's whole history (efficiency_daily,
-- spend_daily, funding_flows) and a new payouts_daily read small tables kept at the analysts'
-- grain, instead of rebuilding from the typed tables on every query (FINAL, windows, ARRAY JOIN
-- over delivery days: seconds on 10M rows).
--
-- Who fills them: the sponsor correlation workflow, before it correlates, recomputes the rollup
-- rows of its sponsor from the deduplicated base views (services/worker/activities/rollup.sql,
-- run by rollup.activities.ts): every row of the sponsor gets a new `version`, then the rows of
-- the sponsor that the recomputation did not produce again get a tombstone (is_deleted = 1) of
-- that version. The same input gives the same rows whatever the batches and replays were, so
-- it is idempotent where a sum-style materialized view is not (a replay re-inserts rows with other
-- batch boundaries). A rollup is current once its sponsor's workflow is idle
-- (`influence wait --idle`); `influence rebuild` truncates the rollups with the other derived
-- tables and notifies every sponsor again.
--
-- Every rollup is a ReplacingMergeTree(version, is_deleted) ordered by sponsor first: the views
-- read it with FINAL, so a filter on sponsor_id reads one key range and merges only its rows.
-- The keys hold Nullable columns (state), as the views group by them: allow_nullable_key.
-- Statements are idempotent (IF NOT EXISTS, OR REPLACE): a migration that failed half-way runs
-- again cleanly.

-- The sponsor's payouts (the payouts view: the counted filing of each payment) per paid day,
-- state, channel (payout category), source kind and committee.
CREATE TABLE IF NOT EXISTS rollup_payouts_daily
(
    sponsor_id        String,
    cycle             UInt16,
    day               Date COMMENT 'paid_on',
    state             LowCardinality(Nullable(String)),
    is_swing_state    Bool,
    channel           LowCardinality(String) COMMENT 'payout category',
    source_kind       LowCardinality(String),
    committee_id      LowCardinality(String),
    payouts           UInt64 COMMENT 'payments (one per committee, cycle and transaction id)',
    filed_lines       UInt64 COMMENT 'filings that reported them (restatements included)',
    restated_payouts  UInt64 COMMENT 'payments reported by more than one filing',
    spend_usd         Decimal(38, 2),
    payout_event_ids  Array(String),
    version           UInt64,
    is_deleted        UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (sponsor_id, cycle, day, state, channel, source_kind, committee_id, is_swing_state)
SETTINGS allow_nullable_key = 1;

CREATE TABLE IF NOT EXISTS rollup_funding_flows
(
    donor_entity_id       String,
    donor_name            String,
    donor_names_filed     Array(String),
    donor_confidence      Float32,
    donor_match_methods   Array(String),
    sponsor_id            String,
    committee_id          String,
    cycle                 UInt16,
    donor_receipts        UInt64,
    donor_refunds         UInt64,
    donor_gross_usd       Decimal(38, 2),
    donor_refunds_usd     Decimal(38, 2),
    donor_net_usd         Decimal(38, 2),
    committee_net_usd     Decimal(38, 2),
    share                 Nullable(Float64),
    committee_spend_usd   Decimal(38, 2),
    committee_payouts     UInt64,
    attributed_spend_usd  Nullable(Decimal(38, 4)),
    method                String,
    first_contributed_on  Date,
    last_contributed_on   Date,
    donation_event_ids    Array(String),
    version               UInt64,
    is_deleted            UInt8,
    -- The cookbook looks a donor up by name over every sponsor (musk-funded-spend).
    INDEX donor_lookup (donor_entity_id, donor_name) TYPE bloom_filter GRANULARITY 4,
    INDEX donor_names_lookup donor_names_filed TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (sponsor_id, cycle, donor_entity_id);

CREATE TABLE IF NOT EXISTS rollup_spend_daily
(
    day                    Date,
    state                  LowCardinality(Nullable(String)),
    is_swing_state         Bool,
    channel                LowCardinality(String),
    sponsor_id             String,
    cycle                  UInt16,
    funder_entity_id       String,
    funder_name            String,
    funder_share           Nullable(Float64),
    funder_is_majority     Nullable(Bool),
    funder_rank            UInt64,
    attribution_method     String,
    spend_usd              Decimal(38, 2),
    attributed_spend_usd   Nullable(Decimal(38, 4)),
    payouts                UInt64,
    payout_event_ids       Array(String),
    version                UInt64,
    is_deleted             UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (sponsor_id, cycle, funder_entity_id, day, state, is_swing_state, channel)
SETTINGS allow_nullable_key = 1;

CREATE TABLE IF NOT EXISTS rollup_efficiency_daily
(
    sponsor_id                 String,
    state                      Nullable(String),
    day                        Date,
    is_swing_state             Bool,
    spend_usd_total            Decimal(38, 2),
    spend_by_channel           Map(String, Decimal(38, 2)),
    spend_referral_bounty      Decimal(38, 2),
    spend_lottery_award        Decimal(38, 2),
    spend_canvasser_pay        Decimal(38, 2),
    spend_canvassing           Decimal(38, 2),
    spend_digital_ads          Decimal(38, 2),
    petition_spend_usd         Decimal(38, 2),
    canvass_spend_usd          Decimal(38, 2),
    signups                    UInt64,
    referred_signups           UInt64,
    phones_collected           UInt64,
    phones_collected_referred  UInt64,
    contact_attempts           UInt64,
    contacted                  UInt64,
    cost_per_signup            Nullable(Decimal(38, 6)),
    lottery_cost_per_signup    Nullable(Decimal(38, 6)),
    cost_per_phone             Nullable(Decimal(38, 6)),
    bounty_cost_per_phone      Nullable(Decimal(38, 6)),
    cost_per_contact           Nullable(Decimal(38, 6)),
    ads_live                   UInt64,
    ads_live_spend_usd_low     Decimal(38, 2),
    ads_live_spend_usd_high    Nullable(Decimal(38, 2)),
    ads_live_impressions_low   Nullable(UInt64),
    ads_live_impressions_high  Nullable(UInt64),
    ads_live_cpm_low           Nullable(Decimal(38, 6)),
    ads_live_cpm_high          Nullable(Decimal(38, 6)),
    payout_event_ids           Array(String),
    signup_event_ids           Array(String),
    contact_event_ids          Array(String),
    ad_event_ids               Array(String),
    version                    UInt64,
    is_deleted                 UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (sponsor_id, state, day)
SETTINGS allow_nullable_key = 1;

-- The sponsor's donations (the donations view) per committee, cycle, day, memo flag and sign.
CREATE TABLE IF NOT EXISTS rollup_donations_daily
(
    sponsor_id          String,
    committee_id        LowCardinality(String),
    cycle               UInt16,
    day                 Date COMMENT 'contributed_on',
    memo                Bool,
    is_refund           Bool,
    lines               UInt64 COMMENT 'itemised lines (memo lines included when memo)',
    amount_usd          Decimal(38, 2),
    counted_amount_usd  Decimal(38, 2) COMMENT '0 for memo lines',
    version             UInt64,
    is_deleted          UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (sponsor_id, committee_id, cycle, day, memo, is_refund);

-- The sponsor's signatures (the signups view) per petition, state, day and channel.
CREATE TABLE IF NOT EXISTS rollup_sponsor_signups_daily
(
    sponsor_id                 String,
    petition_id                LowCardinality(String),
    state                      LowCardinality(Nullable(String)),
    day                        Date COMMENT 'signed_on',
    channel                    LowCardinality(String),
    signups                    UInt64,
    referred_signups           UInt64,
    phones_collected           UInt64,
    phones_collected_referred  UInt64,
    version                    UInt64,
    is_deleted                 UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (sponsor_id, petition_id, state, day, channel)
SETTINGS allow_nullable_key = 1;

-- The funders of spend_daily: per sponsor and cycle, each donor with at least 1% of the net
-- receipts, and one '(other donors)' row for the rest.
CREATE TABLE IF NOT EXISTS rollup_funders
(
    sponsor_id           String,
    cycle                UInt16,
    funder_entity_id     String,
    funder_name          String,
    funder_names_filed   Array(String),
    funder_net_usd       Decimal(38, 2),
    cycle_net_usd        Decimal(38, 2),
    funder_share         Nullable(Float64),
    funder_rank          UInt64,
    version              UInt64,
    is_deleted           UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (sponsor_id, cycle, funder_entity_id);

-- Money out per day: the payouts view summed per sponsor, committee, cycle, paid day, state,
-- channel (payout category) and source kind. payouts counts payments, filed_lines the filings
-- that reported them, restated_payouts the payments reported more than once; payout_event_ids
-- are the counted filings' event_ids.
CREATE OR REPLACE VIEW payouts_daily
AS
SELECT
    sponsor_id,
    committee_id,
    cycle,
    day,
    state,
    is_swing_state,
    channel,
    source_kind,
    payouts,
    filed_lines,
    restated_payouts,
    spend_usd,
    payout_event_ids
FROM rollup_payouts_daily FINAL
WHERE is_deleted = 0;

-- Money in per day: the donations view summed per sponsor, committee, cycle, day, memo flag and
-- sign. lines counts itemised lines; counted lines are those with memo false.
CREATE OR REPLACE VIEW donations_daily
AS
SELECT
    sponsor_id,
    committee_id,
    cycle,
    day,
    memo,
    CAST(NOT memo AS Bool) AS counted,
    is_refund,
    lines,
    amount_usd,
    counted_amount_usd
FROM rollup_donations_daily FINAL
WHERE is_deleted = 0;

-- Signatures of a sponsor's petitions per day, state and channel, as plain counts (the signups
-- view summed; signups_daily has the same figures from a rollup that also covers signatures of
-- petitions without a known sponsor, but reads slower).
CREATE OR REPLACE VIEW sponsor_signups_daily
AS
SELECT
    sponsor_id,
    petition_id,
    state,
    day,
    channel,
    signups,
    referred_signups,
    phones_collected,
    phones_collected_referred
FROM rollup_sponsor_signups_daily FINAL
WHERE is_deleted = 0;

-- The funders that spend_daily attributes spend to, per sponsor and cycle (funder_rank 1 = the
-- largest); funder_names_filed are the names the donor filed with this sponsor.
CREATE OR REPLACE VIEW funders
AS
SELECT
    sponsor_id,
    cycle,
    funder_entity_id,
    funder_name,
    funder_names_filed,
    funder_net_usd,
    cycle_net_usd,
    funder_share,
    CAST(funder_share >= 0.5 AS Nullable(Bool)) AS funder_is_majority,
    funder_rank
FROM rollup_funders FINAL
WHERE is_deleted = 0;

-- Every handle each post was observed under (an account can rename itself): which posts to read
-- when asking for an account's posts by handle. The latest handle of each is in posts.
CREATE OR REPLACE VIEW post_handles
AS
SELECT DISTINCT platform, post_id, account_handle, account_id
FROM post_observations;

-- The views of 0003 keep their columns and meaning; their rows now come from the rollups.
CREATE OR REPLACE VIEW funding_flows
AS
SELECT
    donor_entity_id,
    donor_name,
    donor_names_filed,
    donor_confidence,
    donor_match_methods,
    sponsor_id,
    committee_id,
    cycle,
    donor_receipts,
    donor_refunds,
    donor_gross_usd,
    donor_refunds_usd,
    donor_net_usd,
    committee_net_usd,
    share,
    committee_spend_usd,
    committee_payouts,
    attributed_spend_usd,
    method,
    first_contributed_on,
    last_contributed_on,
    donation_event_ids
FROM rollup_funding_flows FINAL
WHERE is_deleted = 0;

CREATE OR REPLACE VIEW spend_daily
AS
SELECT
    day,
    state,
    is_swing_state,
    channel,
    sponsor_id,
    cycle,
    funder_entity_id,
    funder_name,
    funder_share,
    funder_is_majority,
    funder_rank,
    attribution_method,
    spend_usd,
    attributed_spend_usd,
    payouts,
    payout_event_ids
FROM rollup_spend_daily FINAL
WHERE is_deleted = 0;

CREATE OR REPLACE VIEW efficiency_daily
AS
SELECT
    sponsor_id,
    state,
    day,
    is_swing_state,
    spend_usd_total,
    spend_by_channel,
    spend_referral_bounty,
    spend_lottery_award,
    spend_canvasser_pay,
    spend_canvassing,
    spend_digital_ads,
    petition_spend_usd,
    canvass_spend_usd,
    signups,
    referred_signups,
    phones_collected,
    phones_collected_referred,
    contact_attempts,
    contacted,
    cost_per_signup,
    lottery_cost_per_signup,
    cost_per_phone,
    bounty_cost_per_phone,
    cost_per_contact,
    ads_live,
    ads_live_spend_usd_low,
    ads_live_spend_usd_high,
    ads_live_impressions_low,
    ads_live_impressions_high,
    ads_live_cpm_low,
    ads_live_cpm_high,
    payout_event_ids,
    signup_event_ids,
    contact_event_ids,
    ad_event_ids
FROM rollup_efficiency_daily FINAL
WHERE is_deleted = 0;

-- The contradictions view of 0003, same columns and rows: it parses each record's detail once
-- (into a named tuple) instead of once per column, after LIMIT 1 BY instead of before, and apart
-- from sponsor_ids, so a filter on sponsor_ids runs before the rest is parsed (50,000 records
-- took seconds).
CREATE OR REPLACE VIEW contradictions
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
    version
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
        version
    FROM
    (
        SELECT correlation_id, sponsor_id, subject, detail, source_event_ids, computed_at, version
        FROM correlations FINAL
        WHERE kind = 'contradiction' AND is_deleted = 0
        ORDER BY correlation_id, sponsor_id
        LIMIT 1 BY correlation_id
    )
);

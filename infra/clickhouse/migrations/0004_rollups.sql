-- Rollups for dashboards: AggregatingMergeTree tables filled by materialized views as rows land
-- in the typed tables, read through the views signups_daily, contacts_daily and ads_seen.
--
-- A materialized view sees every insert, replays included (the typed tables collapse a replayed
-- row, the MV does not). So a rollup holds only aggregates that a repeated row cannot change:
-- uniqExact of event_id (counts), uniqExact of (event_id, n) pairs (sums of small counts), min,
-- max and argMax. Never sum or count states here.
--
-- Each rollup is backfilled from its table after its MV exists: a row inserted in between is
-- aggregated twice, which these aggregates absorb, and re-running the migration is harmless.
-- `influence rebuild` truncates the rollups with the other derived tables and the replay fills
-- them again through the MVs.

CREATE TABLE IF NOT EXISTS rollup_signups_daily
(
    sponsor_id                 LowCardinality(String),
    petition_id                LowCardinality(String),
    state                      LowCardinality(String) COMMENT 'USPS code; empty when unknown',
    day                        Date COMMENT 'signed_on (UTC)',
    channel                    LowCardinality(String),
    signups                    AggregateFunction(uniqExact, FixedString(32)),
    referred_signups           AggregateFunction(uniqExactIf, FixedString(32), UInt8),
    phones_collected           AggregateFunction(uniqExactArray, Array(String)),
    phones_collected_referred  AggregateFunction(uniqExactArray, Array(String)),
    first_signed_at            SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_signed_at             SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (sponsor_id, petition_id, state, day, channel);

-- phones_collected counts distinct (event_id, n) for n < phones_collected: the sum of phones over
-- distinct signatures, unchanged by a replayed row.
CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_signups_daily_mv TO rollup_signups_daily
AS
SELECT
    sponsor_id,
    petition_id,
    state_code AS state,
    signed_on AS day,
    channel,
    uniqExactState(event_id) AS signups,
    uniqExactIfState(event_id, toUInt8(referred)) AS referred_signups,
    uniqExactArrayState(phone_keys) AS phones_collected,
    uniqExactArrayState(if(referred, phone_keys, [])) AS phones_collected_referred,
    min(signed_at) AS first_signed_at,
    max(signed_at) AS last_signed_at
FROM
(
    SELECT
        *,
        CAST(coalesce(state, '') AS String) AS state_code,
        arrayMap(n -> concat(toString(event_id), ':', toString(n)), range(phones_collected)) AS phone_keys
    FROM signup_events
)
GROUP BY sponsor_id, petition_id, state_code, signed_on, channel;

INSERT INTO rollup_signups_daily
SELECT
    sponsor_id,
    petition_id,
    state_code AS state,
    signed_on AS day,
    channel,
    uniqExactState(event_id) AS signups,
    uniqExactIfState(event_id, toUInt8(referred)) AS referred_signups,
    uniqExactArrayState(phone_keys) AS phones_collected,
    uniqExactArrayState(if(referred, phone_keys, [])) AS phones_collected_referred,
    min(signed_at) AS first_signed_at,
    max(signed_at) AS last_signed_at
FROM
(
    SELECT
        *,
        CAST(coalesce(state, '') AS String) AS state_code,
        arrayMap(n -> concat(toString(event_id), ':', toString(n)), range(phones_collected)) AS phone_keys
    FROM signup_events
)
GROUP BY sponsor_id, petition_id, state_code, signed_on, channel;

CREATE OR REPLACE VIEW signups_daily
AS
SELECT
    sponsor_id,
    petition_id,
    nullIf(state, '') AS state,
    day,
    channel,
    uniqExactMerge(signups) AS signups,
    uniqExactIfMerge(referred_signups) AS referred_signups,
    uniqExactArrayMerge(phones_collected) AS phones_collected,
    uniqExactArrayMerge(phones_collected_referred) AS phones_collected_referred,
    min(first_signed_at) AS first_signed_at,
    max(last_signed_at) AS last_signed_at
FROM rollup_signups_daily
GROUP BY sponsor_id, petition_id, state, day, channel;

CREATE TABLE IF NOT EXISTS rollup_contacts_daily
(
    sponsor_id     LowCardinality(String),
    campaign_id    LowCardinality(String),
    state          LowCardinality(String) COMMENT 'USPS code; empty when unknown',
    day            Date COMMENT 'attempted_on (UTC)',
    method         LowCardinality(String),
    outcome        LowCardinality(String),
    attempts       AggregateFunction(uniqExact, FixedString(32)),
    voters         AggregateFunction(uniqExact, Nullable(String)),
    canvassers     AggregateFunction(uniqExact, Nullable(String)),
    first_attempt_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_attempt_at  SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (sponsor_id, campaign_id, state, day, method, outcome);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_contacts_daily_mv TO rollup_contacts_daily
AS
SELECT
    sponsor_id,
    campaign_id,
    state_code AS state,
    attempted_on AS day,
    method,
    outcome,
    uniqExactState(event_id) AS attempts,
    uniqExactState(voter) AS voters,
    uniqExactState(canvasser) AS canvassers,
    min(attempted_at) AS first_attempt_at,
    max(attempted_at) AS last_attempt_at
FROM (SELECT *, CAST(coalesce(state, '') AS String) AS state_code FROM contact_events)
GROUP BY sponsor_id, campaign_id, state_code, attempted_on, method, outcome;

INSERT INTO rollup_contacts_daily
SELECT
    sponsor_id,
    campaign_id,
    state_code AS state,
    attempted_on AS day,
    method,
    outcome,
    uniqExactState(event_id) AS attempts,
    uniqExactState(voter) AS voters,
    uniqExactState(canvasser) AS canvassers,
    min(attempted_at) AS first_attempt_at,
    max(attempted_at) AS last_attempt_at
FROM (SELECT *, CAST(coalesce(state, '') AS String) AS state_code FROM contact_events)
GROUP BY sponsor_id, campaign_id, state_code, attempted_on, method, outcome;

-- voters and canvassers are distinct pseudonyms within one row's key; they do not add up over
-- rows (a voter reached twice on two days is one voter each day).
CREATE OR REPLACE VIEW contacts_daily
AS
SELECT
    sponsor_id,
    campaign_id,
    nullIf(state, '') AS state,
    day,
    method,
    outcome,
    CAST(CAST(outcome AS String) = 'contacted' AS Bool) AS contacted,
    uniqExactMerge(attempts) AS attempts,
    uniqExactMerge(voters) AS voters,
    uniqExactMerge(canvassers) AS canvassers,
    min(first_attempt_at) AS first_attempt_at,
    max(last_attempt_at) AS last_attempt_at
FROM rollup_contacts_daily
GROUP BY sponsor_id, campaign_id, state, day, method, outcome;

CREATE TABLE IF NOT EXISTS rollup_ads_seen
(
    platform          LowCardinality(String),
    ad_id             String,
    first_seen        SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen         SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    snapshots         AggregateFunction(uniqExact, FixedString(32)),
    latest_event_id   AggregateFunction(argMax, FixedString(32), Tuple(DateTime64(3, 'UTC'), FixedString(32))),
    sponsor_id        AggregateFunction(argMax, String, Tuple(DateTime64(3, 'UTC'), FixedString(32))),
    spend_usd_low     AggregateFunction(argMax, Decimal(18, 2), Tuple(DateTime64(3, 'UTC'), FixedString(32))),
    spend_usd_point   AggregateFunction(argMax, Decimal(18, 2), Tuple(DateTime64(3, 'UTC'), FixedString(32)))
)
ENGINE = AggregatingMergeTree
ORDER BY (platform, ad_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_ads_seen_mv TO rollup_ads_seen
AS
SELECT
    platform,
    ad_id,
    min(snapshot_at) AS first_seen,
    max(snapshot_at) AS last_seen,
    uniqExactState(event_id) AS snapshots,
    argMaxState(event_id, (snapshot_at, event_id)) AS latest_event_id,
    argMaxState(sponsor_code, (snapshot_at, event_id)) AS sponsor_id,
    argMaxState(spend_usd_low, (snapshot_at, event_id)) AS spend_usd_low,
    argMaxState(spend_usd_point, (snapshot_at, event_id)) AS spend_usd_point
FROM (SELECT *, CAST(sponsor_id AS String) AS sponsor_code FROM ad_snapshots WHERE granularity = 'ad')
GROUP BY platform, ad_id;

INSERT INTO rollup_ads_seen
SELECT
    platform,
    ad_id,
    min(snapshot_at) AS first_seen,
    max(snapshot_at) AS last_seen,
    uniqExactState(event_id) AS snapshots,
    argMaxState(event_id, (snapshot_at, event_id)) AS latest_event_id,
    argMaxState(sponsor_code, (snapshot_at, event_id)) AS sponsor_id,
    argMaxState(spend_usd_low, (snapshot_at, event_id)) AS spend_usd_low,
    argMaxState(spend_usd_point, (snapshot_at, event_id)) AS spend_usd_point
FROM (SELECT *, CAST(sponsor_id AS String) AS sponsor_code FROM ad_snapshots WHERE granularity = 'ad')
GROUP BY platform, ad_id;

CREATE OR REPLACE VIEW ads_seen
AS
SELECT
    platform,
    ad_id,
    argMaxMerge(sponsor_id) AS sponsor_id,
    min(first_seen) AS first_seen,
    max(last_seen) AS last_seen,
    uniqExactMerge(snapshots) AS snapshots,
    toString(argMaxMerge(latest_event_id)) AS latest_event_id,
    argMaxMerge(spend_usd_low) AS latest_spend_usd_low,
    argMaxMerge(spend_usd_point) AS latest_spend_usd_point
FROM rollup_ads_seen
GROUP BY platform, ad_id;

-- Per-sponsor correlation candidates for the sponsor correlation workflow
-- (services/worker/activities/correlate.activities.ts): parameterized views
-- `sponsor_<kind>_candidates(sponsor = '<committee id>')` for the kinds whose plain view reads every
-- sponsor (contradiction, post_lift). Each returns exactly the rows of the plain view
-- `<kind>_candidates` (0005) WHERE sponsor_id = the sponsor, with the same columns, ids, details
-- and source_event_ids. funding_flow_candidates and funnel_candidates need none: they read the
-- sponsor rollups of 0007, whose sort keys start with sponsor_id, so the caller's filter already
-- reads one sponsor (and a parameterized view over them measured slower, not faster).
--
-- Why: the plain views aggregate over every sponsor before the caller's filter (the contradiction
-- view pairs every ad with every other and arrayJoins sponsor_id at the very end; the post lift
-- view joins every post with every petition's signups), so each sponsor's recomputation paid for
-- all sponsors' data, and the pipeline went idle minutes after the last row. These views find
-- the sponsor's keys first (its funder network's ads, its petitions) and filter the typed tables
-- and the analysts' views on them (the ORDER BY prefixes of the tables, the PARTITION BY of the
-- views' windows), then compute as before.
--
-- The plain views stay as they are, for analysts who ask about all sponsors; the
-- correlation-candidates integration test checks that both give the same rows for every kind.
-- The correlation activity reads sponsor_post_lift_candidates. sponsor_contradiction_candidates
-- answers an analyst's question about one sponsor and its funder network; the activity keeps the
-- plain view until that measures slower (at 3,000 ads both were bound by planning, this one
-- ~80 ms slower).
-- The names end in _candidates, like the plain views: what lists the analysts' views (the
-- aggregate fingerprint of the tests) leaves those out, and a parameterized view cannot be
-- described or read without its parameter.
-- Statements are CREATE OR REPLACE VIEW: a migration that failed half-way runs again cleanly.

-- Contradictory messaging (0005). A pair of the sponsor's is either two of its own ads
-- (network sponsor:<id>) or one of its ads and one of a sponsor that shares one of its majority
-- funders (network funder:<donor>, in any cycle). So only the ads of the sponsor and of those
-- network sponsors are read, and their majority funders; every network of such an ad is kept,
-- so a pair's networks, stances and figures are the same as in the plain view.
CREATE OR REPLACE VIEW sponsor_contradiction_candidates
AS
WITH
    -- Scalars, computed once per query (a CTE subquery would run again at each use).
    (
        SELECT groupUniqArray(CAST(sponsor_id AS String))
        FROM funding_flows
        WHERE share >= 0.5 AND donor_entity_id IN (
            SELECT donor_entity_id
            FROM funding_flows
            WHERE sponsor_id = {sponsor:String} AND share >= 0.5 AND donor_entity_id != '')
    ) AS funded_alike,
    arrayPushBack(funded_alike, {sponsor:String}) AS network_sponsors,
    majority AS
    (
        SELECT sponsor_id, cycle, donor_entity_id
        FROM funding_flows
        WHERE share >= 0.5 AND has(network_sponsors, sponsor_id)
    ),
    stanced AS
    (
        SELECT
            CAST(platform AS String) AS ad_platform,
            ad_id AS ad_key,
            CAST(sponsor_id AS String) AS ad_sponsor,
            CAST(target_states AS Array(String)) AS ad_states,
            assumeNotNull(delivery_start) AS ad_start,
            delivery_end AS ad_end,
            coalesce(delivery_end, toDateTime64('2299-12-31 23:59:59.999', 3, 'UTC')) AS ad_until,
            spend_usd_low AS ad_spend_usd_low,
            spend_usd_high AS ad_spend_usd_high,
            spend_usd_point AS ad_spend_usd_point,
            impressions_low AS ad_impressions_low,
            impressions_high AS ad_impressions_high,
            impressions_point AS ad_impressions_point,
            toString(event_id) AS ad_event_id,
            annotation_event_ids AS ad_annotation_event_ids,
            toUInt16(toYear(ad_start) + toYear(ad_start) % 2) AS ad_cycle,
            stance_pair.1 AS ad_subject,
            stance_pair.2 AS ad_stance
        FROM
        (
            SELECT *
            FROM ads_current
            WHERE (platform, ad_id) IN (
                    SELECT platform, ad_id FROM ad_snapshots
                    WHERE granularity = 'ad' AND has(network_sponsors, sponsor_id))
                AND has(network_sponsors, sponsor_id)
        )
        ARRAY JOIN arrayDistinct(arrayFilter((p, o) -> o != 'advertiser',
            arrayZip(stance_subjects, stance_values), stance_origins)) AS stance_pair
        WHERE sponsor_id != '' AND notEmpty(target_states) AND delivery_start IS NOT NULL
    ),
    networked AS
    (
        SELECT
            s.*,
            arrayJoin(if(m.donor_entity_id != '',
                [concat('sponsor:', s.ad_sponsor), concat('funder:', m.donor_entity_id)],
                [concat('sponsor:', s.ad_sponsor)])) AS ad_network
        FROM stanced AS s
        LEFT JOIN majority AS m ON s.ad_sponsor = m.sponsor_id AND s.ad_cycle = m.cycle
    ),
    wanting AS
    (
        SELECT n.*, CAST(o.stance_b AS String) AS wanted_stance
        FROM networked AS n
        INNER JOIN (SELECT stance_a, stance_b FROM ref_stance_opposites FINAL) AS o
            ON n.ad_stance = o.stance_a
    ),
    pairs AS
    (
        SELECT
            a.ad_subject AS subject,
            a.ad_platform AS a_platform,
            a.ad_key AS a_ad_id,
            b.ad_platform AS b_platform,
            b.ad_key AS b_ad_id,
            any(a.ad_sponsor) AS a_sponsor_id,
            any(b.ad_sponsor) AS b_sponsor_id,
            arraySort(groupUniqArray(a.ad_stance)) AS a_stances,
            arraySort(groupUniqArray(b.ad_stance)) AS b_stances,
            arraySort(groupUniqArray(a.ad_network)) AS networks,
            any(a.ad_states) AS a_states,
            any(b.ad_states) AS b_states,
            any(a.ad_start) AS a_start,
            any(b.ad_start) AS b_start,
            any(a.ad_end) AS a_end,
            any(b.ad_end) AS b_end,
            any(a.ad_until) AS a_until,
            any(b.ad_until) AS b_until,
            any(a.ad_spend_usd_low) AS a_spend_usd_low,
            any(b.ad_spend_usd_low) AS b_spend_usd_low,
            any(a.ad_spend_usd_high) AS a_spend_usd_high,
            any(b.ad_spend_usd_high) AS b_spend_usd_high,
            any(a.ad_spend_usd_point) AS a_spend_usd_point,
            any(b.ad_spend_usd_point) AS b_spend_usd_point,
            any(a.ad_impressions_low) AS a_impressions_low,
            any(b.ad_impressions_low) AS b_impressions_low,
            any(a.ad_impressions_high) AS a_impressions_high,
            any(b.ad_impressions_high) AS b_impressions_high,
            any(a.ad_impressions_point) AS a_impressions_point,
            any(b.ad_impressions_point) AS b_impressions_point,
            any(a.ad_event_id) AS a_event_id,
            any(b.ad_event_id) AS b_event_id,
            any(a.ad_annotation_event_ids) AS a_annotation_event_ids,
            any(b.ad_annotation_event_ids) AS b_annotation_event_ids
        FROM wanting AS a
        INNER JOIN networked AS b
            ON a.ad_subject = b.ad_subject AND a.ad_network = b.ad_network AND a.wanted_stance = b.ad_stance
        WHERE (a.ad_platform, a.ad_key) < (b.ad_platform, b.ad_key)
            AND NOT hasAny(a.ad_states, b.ad_states)
            AND a.ad_start <= b.ad_until
            AND b.ad_start <= a.ad_until
        GROUP BY subject, a_platform, a_ad_id, b_platform, b_ad_id
    )
SELECT *
FROM
(
SELECT
    lower(hex(MD5(concat('contradiction|', subject, '|', a_platform, ':', a_ad_id, '|', b_platform, ':', b_ad_id)))) AS correlation_id,
    arrayJoin(arrayDistinct([a_sponsor_id, b_sponsor_id])) AS sponsor_id,
    subject,
    toJSONString(CAST(tuple(
        subject,
        if(a_sponsor_id = b_sponsor_id, 'same_sponsor', 'shared_majority_funder'),
        replaceOne(arrayFirst(n -> startsWith(n, 'funder:'), networks), 'funder:', ''),
        arraySort(arrayDistinct([a_sponsor_id, b_sponsor_id])),
        tuple(a_platform, a_ad_id, a_sponsor_id, a_stances, a_states,
            toDecimalString(a_spend_usd_low, 2), toDecimalString(a_spend_usd_high, 2), toDecimalString(a_spend_usd_point, 2),
            toString(a_impressions_low), toString(a_impressions_high), toString(a_impressions_point),
            concat(replaceOne(toString(a_start), ' ', 'T'), 'Z'), concat(replaceOne(toString(a_end), ' ', 'T'), 'Z'),
            a_event_id, a_annotation_event_ids),
        tuple(b_platform, b_ad_id, b_sponsor_id, b_stances, b_states,
            toDecimalString(b_spend_usd_low, 2), toDecimalString(b_spend_usd_high, 2), toDecimalString(b_spend_usd_point, 2),
            toString(b_impressions_low), toString(b_impressions_high), toString(b_impressions_point),
            concat(replaceOne(toString(b_start), ' ', 'T'), 'Z'), concat(replaceOne(toString(b_end), ' ', 'T'), 'Z'),
            b_event_id, b_annotation_event_ids),
        concat(replaceOne(toString(greatest(a_start, b_start)), ' ', 'T'), 'Z'),
        if(a_end IS NULL AND b_end IS NULL, NULL,
            concat(replaceOne(toString(least(a_until, b_until)), ' ', 'T'), 'Z')),
        'opposite stances on one subject, disjoint target states, overlapping delivery, same sponsor or one donor with at least 50 percent of the net receipts of both sponsors'
    ) AS Tuple(
        subject String,
        relation String,
        funder_entity_id String,
        sponsor_ids Array(String),
        a Tuple(platform String, ad_id String, sponsor_id String, stances Array(String), target_states Array(String),
            spend_usd_low String, spend_usd_high Nullable(String), spend_usd_point String,
            impressions_low Nullable(String), impressions_high Nullable(String), impressions_point Nullable(String),
            delivery_start String, delivery_end Nullable(String), event_id String, annotation_event_ids Array(String)),
        b Tuple(platform String, ad_id String, sponsor_id String, stances Array(String), target_states Array(String),
            spend_usd_low String, spend_usd_high Nullable(String), spend_usd_point String,
            impressions_low Nullable(String), impressions_high Nullable(String), impressions_point Nullable(String),
            delivery_start String, delivery_end Nullable(String), event_id String, annotation_event_ids Array(String)),
        overlap_start String,
        overlap_end Nullable(String),
        method String
    ))) AS detail,
    arraySort(arrayDistinct(arrayConcat([a_event_id, b_event_id], a_annotation_event_ids, b_annotation_event_ids))) AS source_event_ids
FROM pairs
WHERE a_sponsor_id = {sponsor:String} OR b_sponsor_id = {sponsor:String}
)
WHERE sponsor_id = {sponsor:String};

-- Post -> signup lift (0005): only the sponsor's petitions, the posts that ever linked one of
-- them (the latest observation's links decide, as in the plain view), and those petitions'
-- signups (signup_events is sorted by petition_id); posts meet signup minutes day by day.
CREATE OR REPLACE VIEW sponsor_post_lift_candidates
AS
WITH
    sponsor_petitions AS
    (
        SELECT petition_id FROM ref_petitions FINAL WHERE sponsor_id = {sponsor:String} AND sponsor_id != ''
    ),
    linked AS
    (
        SELECT
            CAST(p.platform AS String) AS post_platform,
            p.post_id AS post_key,
            p.account_id AS post_account_id,
            p.account_handle AS post_account_handle,
            p.created_at AS post_created_at,
            toStartOfMinute(p.created_at) AS window_start,
            toString(p.event_id) AS post_event_id,
            CAST(r.petition_id AS String) AS linked_petition_id,
            CAST(r.sponsor_id AS String) AS petition_sponsor_id,
            f.first_signed_at AS petition_first_signed_at,
            if(f.petition_id = '', 0,
                toUInt32(greatest(0, least(7, intDiv(dateDiff('second', f.first_signed_at, window_start), 86400)))))
                AS baseline_days
        FROM
        (
            SELECT *, arrayJoin(petition_ids) AS linked_petition
            FROM posts
            WHERE (platform, post_id) IN (
                SELECT platform, post_id FROM post_observations
                WHERE hasAny(petition_ids, (SELECT groupArray(petition_id) FROM sponsor_petitions)))
        ) AS p
        INNER JOIN (SELECT petition_id, sponsor_id FROM ref_petitions FINAL WHERE sponsor_id = {sponsor:String} AND sponsor_id != '') AS r
            ON p.linked_petition = r.petition_id
        LEFT JOIN (SELECT CAST(petition_id AS String) AS petition_id, min(signed_at) AS first_signed_at FROM signups
            WHERE petition_id IN (SELECT petition_id FROM sponsor_petitions) GROUP BY petition_id) AS f
            ON r.petition_id = f.petition_id
    ),
    minutes AS
    (
        SELECT
            CAST(petition_id AS String) AS minute_petition_id,
            toStartOfMinute(signed_at) AS minute,
            count() AS signups_in_minute,
            groupArray(toString(event_id)) AS minute_event_ids
        FROM signups
        WHERE petition_id IN (SELECT petition_id FROM sponsor_petitions)
        GROUP BY minute_petition_id, minute
    ),
    counted AS
    (
        SELECT
            post_platform,
            post_key,
            linked_petition_id,
            sumIf(signups_in_minute, seconds_before <= 0) AS signups_after,
            arrayFlatten(groupArrayIf(minute_event_ids, seconds_before <= 0)) AS after_event_ids,
            sumIf(signups_in_minute, seconds_before > 0 AND day_before <= baseline_days
                AND seconds_before > day_before * 86400 - 6 * 3600) AS baseline_signups
        FROM
        (
            SELECT
                l.post_platform AS post_platform,
                l.post_key AS post_key,
                l.linked_petition_id AS linked_petition_id,
                l.baseline_days AS baseline_days,
                m.signups_in_minute AS signups_in_minute,
                m.minute_event_ids AS minute_event_ids,
                dateDiff('second', m.minute, l.window_start) AS seconds_before,
                intDiv(seconds_before + 86399, 86400) AS day_before
            -- Joined by petition and UTC day (the days the post's window and baseline touch), not
            -- by petition alone: a petition's posts times its signup minutes was millions of rows
            -- for the one big petition. The WHERE below keeps exactly the rows it kept before.
            FROM
            (
                SELECT *, arrayJoin(arrayMap(i -> toDate(window_start - INTERVAL 7 DAY) + i,
                    range(toUInt64(dateDiff('day', toDate(window_start - INTERVAL 7 DAY), toDate(window_start + INTERVAL 6 HOUR)) + 1)))) AS window_day
                FROM linked
            ) AS l
            INNER JOIN (SELECT *, toDate(minute) AS minute_day FROM minutes) AS m
                ON l.linked_petition_id = m.minute_petition_id AND l.window_day = m.minute_day
            WHERE m.minute >= l.window_start - INTERVAL 7 DAY AND m.minute < l.window_start + INTERVAL 6 HOUR
        )
        GROUP BY post_platform, post_key, linked_petition_id
    )
SELECT
    lower(hex(MD5(concat('post_lift|', l.post_platform, ':', l.post_key, '|', l.linked_petition_id)))) AS correlation_id,
    l.petition_sponsor_id AS sponsor_id,
    concat(l.post_platform, ':', l.post_key) AS subject,
    toJSONString(CAST(tuple(
        l.post_platform,
        l.post_key,
        l.post_account_id,
        l.post_account_handle,
        concat(replaceOne(toString(l.post_created_at), ' ', 'T'), 'Z'),
        l.linked_petition_id,
        toUInt32(6),
        toUInt32(c.signups_after),
        toUInt32(l.baseline_days),
        toUInt32(c.baseline_signups),
        if(l.baseline_days = 0, NULL, round(c.baseline_signups / l.baseline_days, 4)),
        if(l.baseline_days = 0, NULL, round(c.signups_after - c.baseline_signups / l.baseline_days, 4)),
        if(c.baseline_signups = 0, NULL, round(c.signups_after / (c.baseline_signups / l.baseline_days), 4)),
        'same_window_previous_days'
    ) AS Tuple(
        platform String,
        post_id String,
        account_id String,
        account_handle Nullable(String),
        created_at String,
        petition_id String,
        window_hours UInt32,
        signups_after UInt32,
        baseline_days UInt32,
        baseline_signups UInt32,
        baseline_avg Nullable(Float64),
        lift Nullable(Float64),
        ratio Nullable(Float64),
        method String
    ))) AS detail,
    arraySort(arrayConcat([l.post_event_id], c.after_event_ids)) AS source_event_ids
FROM linked AS l
LEFT JOIN counted AS c
    ON l.post_platform = c.post_platform AND l.post_key = c.post_key AND l.linked_petition_id = c.linked_petition_id;

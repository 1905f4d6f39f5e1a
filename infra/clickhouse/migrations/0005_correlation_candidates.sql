-- What the sponsor correlation workflow records (services/worker/activities/correlate): one view
-- per kind, `<kind>_candidates`, read by the caller with `WHERE sponsor_id = {sponsor:String}`.
-- Plain views filtered by the caller rather than parameterized views, so the same view answers
-- an analyst's "all sponsors" question too.
--
-- Every view returns exactly:
--   correlation_id    String, 32 lower-case hex: MD5 of what was correlated, so recomputing
--                     gives the same id
--   sponsor_id        the sponsor the record belongs to (a record about two sponsors appears once
--                     for each)
--   subject           what it is about (the stance subject, the donor, "<state> <day>", the post)
--   detail            a JSON object; identical input data gives a byte-identical detail (arrays
--                     sorted, money as decimal strings, counts as 32-bit numbers), because the
--                     caller compares details to find what changed
--   source_event_ids  Array(String), sorted: the event_ids the record was computed from
-- and the caller inserts them into `correlations` with its kind and version.

-- Contradictory messaging: two current ads, of one sponsor or of one funder network, that take
-- opposite stances (ref_stance_opposites) on one subject in disjoint places at overlapping times.
--   - stances: an ad's text and coder stances (ads_current: snapshot stances ∪ annotations);
--     advertiser alignments (origin 'advertiser') say who pays, not what the ad says, and are
--     left out.
--   - funder network: both sponsors have the same majority funder, a donor with at least 50% of
--     each one's net receipts in the cycle of the ad's delivery_start (funding_flows.share).
--   - places: both target_states non-empty and without a state in common.
--   - times: delivery_start .. delivery_end overlap; a null delivery_end is still running. An ad
--     without delivery_start cannot be placed in time and is left out.
-- One row per ad pair (ordered by platform, ad_id) and subject.
CREATE OR REPLACE VIEW contradiction_candidates
AS
WITH
    majority AS
    (
        SELECT sponsor_id, cycle, donor_entity_id
        FROM funding_flows
        WHERE share >= 0.5
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
        FROM ads_current
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
FROM pairs;

-- Funding flows: one record per donor × committee × cycle (funding_flows), sponsor = the
-- committee. Source events: the donor's counted donations.
CREATE OR REPLACE VIEW funding_flow_candidates
AS
SELECT
    lower(hex(MD5(concat('funding_flow|', sponsor_id, '|', toString(cycle), '|', donor_entity_id)))) AS correlation_id,
    sponsor_id,
    if(donor_name != '', donor_name, donor_entity_id) AS subject,
    toJSONString(CAST(tuple(
        donor_entity_id,
        donor_name,
        donor_names_filed,
        round(toFloat64(donor_confidence), 3),
        donor_match_methods,
        committee_id,
        toUInt32(cycle),
        toUInt32(donor_receipts),
        toUInt32(donor_refunds),
        toDecimalString(donor_gross_usd, 2),
        toDecimalString(donor_refunds_usd, 2),
        toDecimalString(donor_net_usd, 2),
        toDecimalString(committee_net_usd, 2),
        round(share, 6),
        toDecimalString(committee_spend_usd, 2),
        toDecimalString(attributed_spend_usd, 2),
        method
    ) AS Tuple(
        donor_entity_id String,
        donor_name String,
        donor_names_filed Array(String),
        donor_confidence Float64,
        donor_match_methods Array(String),
        committee_id String,
        cycle UInt32,
        donor_receipts UInt32,
        donor_refunds UInt32,
        donor_gross_usd String,
        donor_refunds_usd String,
        donor_net_usd String,
        committee_net_usd String,
        share Nullable(Float64),
        committee_spend_usd String,
        attributed_spend_usd Nullable(String),
        method String
    ))) AS detail,
    donation_event_ids AS source_event_ids
FROM funding_flows;

-- The petition funnel per sponsor × state × day (efficiency_daily): referral bounties, lottery
-- awards and canvasser pay against signups, phone numbers and contacts, with their costs. Days
-- with none of them are left out. Source events: the day's payouts, signups and contacts.
CREATE OR REPLACE VIEW funnel_candidates
AS
SELECT
    lower(hex(MD5(concat('funnel|', sponsor_id, '|', coalesce(state, ''), '|', toString(day))))) AS correlation_id,
    sponsor_id,
    concat(coalesce(state, '(unknown state)'), ' ', toString(day)) AS subject,
    toJSONString(CAST(tuple(
        state,
        toString(day),
        toDecimalString(spend_referral_bounty, 2),
        toDecimalString(spend_lottery_award, 2),
        toDecimalString(spend_canvasser_pay, 2),
        toDecimalString(spend_canvassing, 2),
        toUInt32(signups),
        toUInt32(referred_signups),
        toUInt32(phones_collected),
        toUInt32(phones_collected_referred),
        toUInt32(contact_attempts),
        toUInt32(contacted),
        toDecimalString(round(cost_per_signup, 2), 2),
        toDecimalString(round(lottery_cost_per_signup, 2), 2),
        toDecimalString(round(cost_per_phone, 2), 2),
        toDecimalString(round(bounty_cost_per_phone, 2), 2),
        toDecimalString(round(cost_per_contact, 2), 2),
        'one UTC day; cost_per_signup = (referral_bounty + lottery_award) per signup, cost_per_phone = (referral_bounty + lottery_award) per phone collected, bounty_cost_per_phone = referral_bounty per phone of referred signups, cost_per_contact = (canvassing + canvasser_pay) per contacted attempt'
    ) AS Tuple(
        state Nullable(String),
        day String,
        referral_bounty_usd String,
        lottery_award_usd String,
        canvasser_pay_usd String,
        canvassing_usd String,
        signups UInt32,
        referred_signups UInt32,
        phones_collected UInt32,
        phones_collected_referred UInt32,
        contact_attempts UInt32,
        contacted UInt32,
        cost_per_signup Nullable(String),
        lottery_cost_per_signup Nullable(String),
        cost_per_phone Nullable(String),
        bounty_cost_per_phone Nullable(String),
        cost_per_contact Nullable(String),
        method String
    ))) AS detail,
    arraySort(arrayConcat(payout_event_ids, signup_event_ids, contact_event_ids)) AS source_event_ids
FROM efficiency_daily
WHERE sponsor_id != ''
    AND (spend_referral_bounty != 0 OR spend_lottery_award != 0 OR spend_canvasser_pay != 0
        OR signups > 0 OR contact_attempts > 0);

-- Post → signup lift: for each post that links one of the sponsor's petitions (posts.petition_ids,
-- ref_petitions), the petition's signups in the 6 hours from the post's minute against a
-- baseline, the average of the same 6-hour window on each of the 7 preceding days on which the
-- petition already existed (window start at or after its first signature). Minute precision.
-- lift = signups_after - baseline_avg; ratio = signups_after / baseline_avg (null when the
-- baseline is 0 or no day qualifies). Source events: the post and the signups after it.
CREATE OR REPLACE VIEW post_lift_candidates
AS
WITH
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
        FROM (SELECT *, arrayJoin(petition_ids) AS linked_petition FROM posts) AS p
        INNER JOIN (SELECT petition_id, sponsor_id FROM ref_petitions FINAL WHERE sponsor_id != '') AS r
            ON p.linked_petition = r.petition_id
        LEFT JOIN (SELECT CAST(petition_id AS String) AS petition_id, min(signed_at) AS first_signed_at FROM signups GROUP BY petition_id) AS f
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
            FROM linked AS l
            INNER JOIN minutes AS m ON l.linked_petition_id = m.minute_petition_id
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

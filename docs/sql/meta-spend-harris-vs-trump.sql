-- Question: How much did Meta sell to each side in the last three months before the election
--   (2024-08-05 – 2024-11-05), pro-Harris against pro-Trump?
-- Method: current Meta ads (ads_current) whose delivery overlaps the window, counted whole; the
--   side from the advertiser alignment of the lexicon (stances with origin 'advertiser': subject
--   Harris or Trump, stance support). Meta publishes spend as buckets: low and point add up, and
--   high is NULL as soon as one bucket is open (">1M", point = its low bound); open_ranges counts
--   them. point_ratio_to_other_side = this side's point / the other side's point.
-- Views: ads_current
-- param: platform=meta
-- param: subject_a=Harris
-- param: subject_b=Trump
-- param: stance=support
-- param: from=2024-08-05
-- param: to=2024-11-05
-- Run: npx influence sql --file docs/sql/meta-spend-harris-vs-trump.sql --param platform=meta --param subject_a=Harris --param subject_b=Trump --param stance=support --param from=2024-08-05 --param to=2024-11-05
-- On the bundled sample (expected.json, meta; the design's figures scaled down by 10):
--   side        ads  spend_usd_low  spend_usd_point  spend_usd_high  open_ranges  point_ratio_to_other_side
--   pro-Harris  31   8,300,000.00   9,049,985.00     NULL (open)     1            9.97
--   pro-Trump   33   825,000.00     907,483.50       989,967.00      0            0.10
SELECT
    side,
    ads,
    spend_usd_low,
    spend_usd_point,
    spend_usd_high,
    open_ranges,
    round(toDecimal128(spend_usd_point, 6) / nullIf(sum(spend_usd_point) OVER () - spend_usd_point, 0), 2) AS point_ratio_to_other_side,
    ads_partly_outside_window
FROM
(
    SELECT
        side,
        count() AS ads,
        sum(spend_usd_low) AS spend_usd_low,
        sum(spend_usd_point) AS spend_usd_point,
        if(countIf(spend_open_range) > 0, NULL, sum(spend_usd_high)) AS spend_usd_high,
        countIf(spend_open_range) AS open_ranges,
        countIf(toDate(coalesce(delivery_start, first_seen)) < {from:Date}
            OR toDate(coalesce(delivery_end, last_seen)) > {to:Date}) AS ads_partly_outside_window
    FROM
    (
        SELECT
            *,
            arrayJoin(arrayFilter(x -> x != '', [
                if(arrayExists((s, v, o) -> s = {subject_a:String} AND v = {stance:String} AND o = 'advertiser',
                    stance_subjects, stance_values, stance_origins), concat('pro-', {subject_a:String}), ''),
                if(arrayExists((s, v, o) -> s = {subject_b:String} AND v = {stance:String} AND o = 'advertiser',
                    stance_subjects, stance_values, stance_origins), concat('pro-', {subject_b:String}), '')
            ])) AS side
        FROM ads_current
        WHERE platform = {platform:String}
            AND toDate(coalesce(delivery_start, first_seen)) <= {to:Date}
            AND toDate(coalesce(delivery_end, last_seen)) >= {from:Date}
    )
    GROUP BY side
)
ORDER BY side;

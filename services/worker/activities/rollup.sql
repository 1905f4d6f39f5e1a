-- The recomputation of one sponsor's rollups (migration 0007), run in order by
-- rollup.activities.ts with the parameters {sponsor:String} and {version:UInt64} (a fresh,
-- increasing version per run). Each rollup: insert every row the sponsor has now, with the new
-- version; then a tombstone of that version for each of its rows the first insert did not write
-- again. Reading the deduplicated views (payouts, donations, signups, contacts, ads_current)
-- makes it idempotent: the same input gives the same rows, however batches were replayed.
--
-- The views answer one sponsor without reading the others: the sponsor's committees, petitions,
-- canvass campaigns and ads are found first, and a filter on those keys (the ORDER BY prefixes of
-- the typed tables, and the PARTITION BY of the views' windows) reaches the tables; the filter
-- on sponsor_id then keeps the rows whose latest filing or snapshot is the sponsor's. A payment
-- or ad that moved to another sponsor leaves this one at its next recomputation.

-- 1. payouts_daily
INSERT INTO rollup_payouts_daily
    (sponsor_id, cycle, day, state, is_swing_state, channel, source_kind, committee_id,
     payouts, filed_lines, restated_payouts, spend_usd, payout_event_ids, version, is_deleted)
SELECT
    sponsor_id,
    cycle,
    paid_on,
    state,
    is_swing_state,
    category,
    source_kind,
    committee_id,
    count(),
    sum(filings),
    countIf(filings > 1),
    sum(amount_usd),
    arraySort(groupArray(toString(event_id))),
    {version:UInt64},
    0
FROM payouts
WHERE committee_id IN (
        SELECT payer_committee_id FROM payout_filings
        WHERE if(payer_entity_id != '', payer_entity_id, payer_committee_id) = {sponsor:String})
    AND sponsor_id = {sponsor:String}
GROUP BY sponsor_id, cycle, paid_on, state, is_swing_state, category, source_kind, committee_id;

INSERT INTO rollup_payouts_daily
    (sponsor_id, cycle, day, state, is_swing_state, channel, source_kind, committee_id, version, is_deleted)
SELECT sponsor_id, cycle, day, state, is_swing_state, channel, source_kind, committee_id, {version:UInt64}, 1
FROM rollup_payouts_daily FINAL
WHERE sponsor_id = {sponsor:String} AND version < {version:UInt64} AND is_deleted = 0;

-- 2. donations_daily
INSERT INTO rollup_donations_daily
    (sponsor_id, committee_id, cycle, day, memo, is_refund, lines, amount_usd, counted_amount_usd, version, is_deleted)
SELECT
    sponsor_id,
    committee_id,
    cycle,
    contributed_on,
    memo,
    is_refund,
    count(),
    sum(amount_usd),
    sum(counted_amount_usd),
    {version:UInt64},
    0
FROM donations
WHERE committee_id IN (
        SELECT committee_id FROM donation_events
        WHERE if(recipient_entity_id != '', recipient_entity_id, committee_id) = {sponsor:String})
    AND sponsor_id = {sponsor:String}
GROUP BY sponsor_id, committee_id, cycle, contributed_on, memo, is_refund;

INSERT INTO rollup_donations_daily (sponsor_id, committee_id, cycle, day, memo, is_refund, version, is_deleted)
SELECT sponsor_id, committee_id, cycle, day, memo, is_refund, {version:UInt64}, 1
FROM rollup_donations_daily FINAL
WHERE sponsor_id = {sponsor:String} AND version < {version:UInt64} AND is_deleted = 0;

-- 3. sponsor_signups_daily
INSERT INTO rollup_sponsor_signups_daily
    (sponsor_id, petition_id, state, day, channel, signups, referred_signups, phones_collected,
     phones_collected_referred, version, is_deleted)
SELECT
    sponsor_id,
    petition_id,
    state,
    signed_on,
    channel,
    count(),
    countIf(referred),
    sum(phones_collected),
    sumIf(phones_collected, referred),
    {version:UInt64},
    0
FROM signups
WHERE petition_id IN (SELECT petition_id FROM signup_events WHERE sponsor_id = {sponsor:String})
    AND sponsor_id = {sponsor:String}
GROUP BY sponsor_id, petition_id, state, signed_on, channel;

INSERT INTO rollup_sponsor_signups_daily (sponsor_id, petition_id, state, day, channel, version, is_deleted)
SELECT sponsor_id, petition_id, state, day, channel, {version:UInt64}, 1
FROM rollup_sponsor_signups_daily FINAL
WHERE sponsor_id = {sponsor:String} AND version < {version:UInt64} AND is_deleted = 0;

-- 4. funding_flows: donor → committee → spend, per cycle (the definition of 0003, over the
-- sponsor's donations, and its donations_daily and payouts_daily from the steps above).
INSERT INTO rollup_funding_flows
SELECT
    d.donor_entity_id AS donor_entity_id,
    d.donor_name AS donor_name,
    d.donor_names_filed AS donor_names_filed,
    d.donor_confidence AS donor_confidence,
    d.donor_match_methods AS donor_match_methods,
    d.sponsor_id AS sponsor_id,
    d.committee_id AS committee_id,
    d.cycle AS cycle,
    d.receipts AS donor_receipts,
    d.refunds AS donor_refunds,
    d.gross_usd AS donor_gross_usd,
    d.refunds_usd AS donor_refunds_usd,
    d.net_usd AS donor_net_usd,
    c.net_usd AS committee_net_usd,
    if(c.net_usd > 0, toFloat64(d.net_usd) / toFloat64(c.net_usd), NULL) AS share,
    s.spend_usd AS committee_spend_usd,
    s.payouts AS committee_payouts,
    if(c.net_usd > 0, round(toDecimal128(s.spend_usd, 2) * d.net_usd / c.net_usd, 2), NULL) AS attributed_spend_usd,
    'share_of_net_receipts' AS method,
    d.first_contributed_on AS first_contributed_on,
    d.last_contributed_on AS last_contributed_on,
    d.donation_event_ids AS donation_event_ids,
    {version:UInt64} AS version,
    0 AS is_deleted
FROM
(
    SELECT
        sponsor_id,
        cycle,
        donor_entity_id,
        min(committee_id) AS committee_id,
        argMax(donor_name, (contributed_on, event_id)) AS donor_name,
        arraySort(groupUniqArray(contributor_name)) AS donor_names_filed,
        min(donor_confidence) AS donor_confidence,
        arraySort(groupUniqArray(CAST(donor_match_method AS String))) AS donor_match_methods,
        countIf(amount_usd >= 0) AS receipts,
        countIf(amount_usd < 0) AS refunds,
        sumIf(amount_usd, amount_usd >= 0) AS gross_usd,
        sumIf(amount_usd, amount_usd < 0) AS refunds_usd,
        sum(amount_usd) AS net_usd,
        min(contributed_on) AS first_contributed_on,
        max(contributed_on) AS last_contributed_on,
        arraySort(groupArray(toString(event_id))) AS donation_event_ids
    FROM
    (
        SELECT *
        FROM donations
        WHERE committee_id IN (
                SELECT committee_id FROM donation_events
                WHERE if(recipient_entity_id != '', recipient_entity_id, committee_id) = {sponsor:String})
            AND sponsor_id = {sponsor:String} AND counted
    )
    GROUP BY sponsor_id, cycle, donor_entity_id
) AS d
INNER JOIN
(
    SELECT sponsor_id, cycle, sum(amount_usd) AS net_usd
    FROM donations_daily
    WHERE sponsor_id = {sponsor:String} AND counted
    GROUP BY sponsor_id, cycle
) AS c ON d.sponsor_id = c.sponsor_id AND d.cycle = c.cycle
LEFT JOIN
(
    SELECT sponsor_id, cycle, sum(spend_usd) AS spend_usd, sum(payouts) AS payouts
    FROM payouts_daily
    WHERE sponsor_id = {sponsor:String}
    GROUP BY sponsor_id, cycle
) AS s ON d.sponsor_id = s.sponsor_id AND d.cycle = s.cycle;

INSERT INTO rollup_funding_flows (sponsor_id, cycle, donor_entity_id, version, is_deleted)
SELECT sponsor_id, cycle, donor_entity_id, {version:UInt64}, 1
FROM rollup_funding_flows FINAL
WHERE sponsor_id = {sponsor:String} AND version < {version:UInt64} AND is_deleted = 0;

-- 5. funders: the donors spend_daily attributes to (the funder rows of 0003's spend_daily).
INSERT INTO rollup_funders
SELECT
    sponsor_id,
    cycle,
    funder_entity_id,
    funder_name,
    funder_names_filed,
    funder_net_usd,
    cycle_net_usd,
    funder_share,
    row_number() OVER (PARTITION BY sponsor_id, cycle ORDER BY funder_net_usd DESC, funder_entity_id) AS funder_rank,
    {version:UInt64} AS version,
    0 AS is_deleted
FROM
(
    SELECT
        sponsor_id,
        cycle,
        if(share >= 0.01, donor_entity_id, '(other donors)') AS funder_entity_id,
        if(funder_entity_id = '(other donors)', '(other donors)', any(donor_name)) AS funder_name,
        if(funder_entity_id = '(other donors)', CAST([] AS Array(String)),
            arraySort(arrayDistinct(arrayFlatten(groupArray(donor_names_filed))))) AS funder_names_filed,
        sum(donor_net_usd) AS funder_net_usd,
        any(committee_net_usd) AS cycle_net_usd,
        if(cycle_net_usd > 0, toFloat64(funder_net_usd) / toFloat64(cycle_net_usd), NULL) AS funder_share
    FROM funding_flows
    WHERE sponsor_id = {sponsor:String}
    GROUP BY sponsor_id, cycle, funder_entity_id
);

INSERT INTO rollup_funders (sponsor_id, cycle, funder_entity_id, version, is_deleted)
SELECT sponsor_id, cycle, funder_entity_id, {version:UInt64}, 1
FROM rollup_funders FINAL
WHERE sponsor_id = {sponsor:String} AND version < {version:UInt64} AND is_deleted = 0;

-- 6. spend_daily: spend per day × state × channel × funder (the definition of 0003, over the
-- sponsor's payouts_daily and funders, both current from the steps above).
INSERT INTO rollup_spend_daily
SELECT
    p.day AS day,
    p.state AS state,
    p.is_swing_state AS is_swing_state,
    p.channel AS channel,
    p.sponsor_id AS sponsor_id,
    p.cycle AS cycle,
    if(f.matched = 1, f.funder_entity_id, '') AS funder_entity_id,
    if(f.matched = 1, f.funder_name, '') AS funder_name,
    f.funder_share AS funder_share,
    CAST(f.funder_share >= 0.5 AS Nullable(Bool)) AS funder_is_majority,
    if(f.matched = 1, f.funder_rank, 1) AS funder_rank,
    if(f.matched = 1, 'share_of_net_receipts', 'no_itemized_receipts') AS attribution_method,
    p.spend_usd AS spend_usd,
    if(f.matched = 1 AND f.cycle_net_usd > 0,
        round(toDecimal128(p.spend_usd, 2) * f.funder_net_usd / f.cycle_net_usd, 2),
        NULL) AS attributed_spend_usd,
    p.payouts AS payouts,
    p.payout_event_ids AS payout_event_ids,
    {version:UInt64} AS version,
    0 AS is_deleted
FROM
(
    SELECT
        day,
        state,
        is_swing_state,
        channel,
        sponsor_id,
        cycle,
        sum(spend_usd) AS spend_usd,
        sum(payouts) AS payouts,
        arraySort(arrayFlatten(groupArray(payout_event_ids))) AS payout_event_ids
    FROM payouts_daily
    WHERE sponsor_id = {sponsor:String}
    GROUP BY day, state, is_swing_state, channel, sponsor_id, cycle
) AS p
LEFT JOIN
(
    SELECT *, 1 AS matched
    FROM funders
    WHERE sponsor_id = {sponsor:String}
) AS f ON p.sponsor_id = f.sponsor_id AND p.cycle = f.cycle;

INSERT INTO rollup_spend_daily (sponsor_id, cycle, funder_entity_id, day, state, is_swing_state, channel, version, is_deleted)
SELECT sponsor_id, cycle, funder_entity_id, day, state, is_swing_state, channel, {version:UInt64}, 1
FROM rollup_spend_daily FINAL
WHERE sponsor_id = {sponsor:String} AND version < {version:UInt64} AND is_deleted = 0;

-- 7. efficiency_daily: per state × day, what was spent, what it bought and what it cost (the
-- definition of 0003, over the sponsor's payouts, signups, contacts and current ads).
INSERT INTO rollup_efficiency_daily
SELECT
    sponsor_id,
    state,
    day,
    CAST(max(swing) AS Bool) AS is_swing_state,
    sumIf(amount_usd, kind = 'payout') AS spend_usd_total,
    sumMapIf(map(channel, amount_usd), kind = 'payout') AS spend_by_channel,
    sumIf(amount_usd, kind = 'payout' AND channel = 'referral_bounty') AS spend_referral_bounty,
    sumIf(amount_usd, kind = 'payout' AND channel = 'lottery_award') AS spend_lottery_award,
    sumIf(amount_usd, kind = 'payout' AND channel = 'canvasser_pay') AS spend_canvasser_pay,
    sumIf(amount_usd, kind = 'payout' AND channel = 'canvassing') AS spend_canvassing,
    sumIf(amount_usd, kind = 'payout' AND channel = 'digital_ads') AS spend_digital_ads,
    spend_referral_bounty + spend_lottery_award AS petition_spend_usd,
    spend_canvassing + spend_canvasser_pay AS canvass_spend_usd,
    countIf(kind = 'signup') AS signups,
    countIf(kind = 'signup' AND referred) AS referred_signups,
    sumIf(phones, kind = 'signup') AS phones_collected,
    sumIf(phones, kind = 'signup' AND referred) AS phones_collected_referred,
    countIf(kind = 'contact') AS contact_attempts,
    countIf(kind = 'contact' AND is_contacted) AS contacted,
    toDecimal128(petition_spend_usd, 6) / nullIf(signups, 0) AS cost_per_signup,
    toDecimal128(spend_lottery_award, 6) / nullIf(signups, 0) AS lottery_cost_per_signup,
    toDecimal128(petition_spend_usd, 6) / nullIf(phones_collected, 0) AS cost_per_phone,
    toDecimal128(spend_referral_bounty, 6) / nullIf(phones_collected_referred, 0) AS bounty_cost_per_phone,
    toDecimal128(canvass_spend_usd, 6) / nullIf(contacted, 0) AS cost_per_contact,
    countIf(kind = 'ad') AS ads_live,
    sumIf(ad_spend_usd_low, kind = 'ad') AS ads_live_spend_usd_low,
    if(countIf(kind = 'ad' AND ad_spend_usd_high IS NULL) > 0, NULL,
        sumIf(ad_spend_usd_high, kind = 'ad')) AS ads_live_spend_usd_high,
    if(countIf(kind = 'ad' AND ad_impressions_low IS NULL) > 0, NULL,
        sumIf(ad_impressions_low, kind = 'ad')) AS ads_live_impressions_low,
    if(countIf(kind = 'ad' AND ad_impressions_high IS NULL) > 0, NULL,
        sumIf(ad_impressions_high, kind = 'ad')) AS ads_live_impressions_high,
    toDecimal128(ads_live_spend_usd_low, 6) * 1000 / nullIf(ads_live_impressions_high, 0) AS ads_live_cpm_low,
    toDecimal128(ads_live_spend_usd_high, 6) * 1000 / nullIf(ads_live_impressions_low, 0) AS ads_live_cpm_high,
    arraySort(groupArrayIf(event_id, kind = 'payout')) AS payout_event_ids,
    arraySort(groupArrayIf(event_id, kind = 'signup')) AS signup_event_ids,
    arraySort(groupArrayIf(event_id, kind = 'contact')) AS contact_event_ids,
    arraySort(groupArrayIf(event_id, kind = 'ad')) AS ad_event_ids,
    {version:UInt64} AS version,
    0 AS is_deleted
FROM
(
    SELECT
        'payout' AS kind,
        CAST(sponsor_id AS String) AS sponsor_id,
        CAST(state AS Nullable(String)) AS state,
        paid_on AS day,
        toUInt8(is_swing_state) AS swing,
        CAST(category AS String) AS channel,
        CAST(amount_usd AS Decimal(18, 2)) AS amount_usd,
        false AS referred,
        toUInt32(0) AS phones,
        false AS is_contacted,
        CAST(0 AS Decimal(18, 2)) AS ad_spend_usd_low,
        CAST(NULL AS Nullable(Decimal(18, 2))) AS ad_spend_usd_high,
        CAST(NULL AS Nullable(UInt64)) AS ad_impressions_low,
        CAST(NULL AS Nullable(UInt64)) AS ad_impressions_high,
        toString(event_id) AS event_id
    FROM payouts
    WHERE committee_id IN (
            SELECT payer_committee_id FROM payout_filings
            WHERE if(payer_entity_id != '', payer_entity_id, payer_committee_id) = {sponsor:String})
        AND sponsor_id = {sponsor:String}
    UNION ALL
    SELECT
        'signup', CAST(sponsor_id AS String), CAST(state AS Nullable(String)), signed_on, toUInt8(is_swing_state), CAST(channel AS String),
        CAST(0 AS Decimal(18, 2)), referred, toUInt32(phones_collected), false,
        CAST(0 AS Decimal(18, 2)), CAST(NULL AS Nullable(Decimal(18, 2))), CAST(NULL AS Nullable(UInt64)), CAST(NULL AS Nullable(UInt64)),
        toString(event_id)
    FROM signups
    WHERE petition_id IN (SELECT petition_id FROM signup_events WHERE sponsor_id = {sponsor:String})
        AND sponsor_id = {sponsor:String}
    UNION ALL
    SELECT
        'contact', CAST(sponsor_id AS String), CAST(state AS Nullable(String)), attempted_on, toUInt8(is_swing_state), CAST(method AS String),
        CAST(0 AS Decimal(18, 2)), false, toUInt32(0), contacted,
        CAST(0 AS Decimal(18, 2)), CAST(NULL AS Nullable(Decimal(18, 2))), CAST(NULL AS Nullable(UInt64)), CAST(NULL AS Nullable(UInt64)),
        toString(event_id)
    FROM contacts
    WHERE campaign_id IN (SELECT campaign_id FROM contact_events WHERE sponsor_id = {sponsor:String})
        AND sponsor_id = {sponsor:String}
    UNION ALL
    SELECT
        'ad', CAST(sponsor_id AS String), CAST(nullIf(ad_state, '') AS Nullable(String)), ad_day, toUInt8(has(swing_states, ad_state)), CAST(platform AS String),
        CAST(0 AS Decimal(18, 2)), false, toUInt32(0), false,
        CAST(spend_usd_low AS Decimal(18, 2)), CAST(spend_usd_high AS Nullable(Decimal(18, 2))),
        CAST(impressions_low AS Nullable(UInt64)), CAST(impressions_high AS Nullable(UInt64)),
        toString(event_id)
    FROM
    (
        SELECT *
        FROM ads_current
        WHERE ad_id IN (SELECT ad_id FROM ad_snapshots WHERE sponsor_id = {sponsor:String} AND granularity = 'ad')
            AND sponsor_id = {sponsor:String}
    )
    ARRAY JOIN if(empty(target_states), [''], CAST(target_states AS Array(String))) AS ad_state
    ARRAY JOIN arrayMap(i -> toDate(assumeNotNull(delivery_start)) + i,
        range(toUInt64(greatest(0, least(366, dateDiff('day', toDate(assumeNotNull(delivery_start)),
            toDate(coalesce(delivery_end, last_seen))))) + 1))) AS ad_day
    WHERE delivery_start IS NOT NULL
)
GROUP BY sponsor_id, state, day;

INSERT INTO rollup_efficiency_daily (sponsor_id, state, day, version, is_deleted)
SELECT sponsor_id, state, day, {version:UInt64}, 1
FROM rollup_efficiency_daily FINAL
WHERE sponsor_id = {sponsor:String} AND version < {version:UInt64} AND is_deleted = 0;

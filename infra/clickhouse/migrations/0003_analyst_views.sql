-- The analysts' contract: one view per question shape over the typed tables of 0002. Analysts,
-- dashboards and the correlation workflows read these views, never the tables, so the rules of
-- the sources (restatements, cumulative snapshots, memo lines, replays) are applied once, here.
-- docs/analysts.md documents every column; keep the views backward compatible: add columns,
-- never rename or drop one (make a new view instead).
--
-- Conventions of every view:
-- - sponsor_id is the canonical entity (services/enrich entity resolution; the FEC id for a
--   committee): donations' recipient, payouts' payer, ads' sponsor, petitions' and canvasses'
--   sponsor. It is the key the sponsor correlation workflow runs on.
-- - Money keeps its original currency next to the USD figure (amount / amount_usd, spend_low /
--   spend_usd_low, …), converted by enrich with the dated rate named in fx_rate / fx_rate_date.
-- - Every figure can be traced: a row keeps the event_id (and source_record_id) it shows, or an
--   array of the event_ids it sums.
-- - Replays insert the same rows again; the views read the typed tables with FINAL or pick one
--   row per fact, so a replay changes nothing.
-- - Statements are CREATE OR REPLACE VIEW: a migration that failed half-way runs again cleanly.
-- Single node; see docs/analysts.md, "Running on a cluster".

-- Money in: every itemised contribution, memo lines included but flagged. A memo line (MEMO_CD X)
-- repeats money reported elsewhere: `counted` is false for it and counted_amount_usd is 0, so
-- sum(counted_amount_usd) (or sumIf(amount_usd, counted)) is the committee's receipts, refunds
-- (negative amounts) netted.
CREATE OR REPLACE VIEW donations
AS
SELECT
    if(recipient_entity_id != '', recipient_entity_id, committee_id) AS sponsor_id,
    committee_id,
    recipient_entity_id,
    cycle,
    contributed_on,
    contributor_name,
    donor_entity_id,
    donor_name,
    donor_confidence,
    donor_match_method,
    entity_type,
    contributor_state,
    contributor_zip5,
    amount,
    currency,
    amount_usd,
    fx_rate,
    fx_rate_date,
    memo,
    CAST(NOT memo AS Bool) AS counted,
    if(memo, toDecimal64(0, 2), amount_usd) AS counted_amount_usd,
    CAST(amount < 0 AS Bool) AS is_refund,
    transaction_type,
    transaction_id,
    fec_sub_id,
    event_id,
    source,
    source_record_id,
    occurred_at,
    ingested_at
FROM donation_events FINAL;

-- Money out: one row per real payment (payer_committee_id, cycle, transaction_id). Of its
-- filings (F24 notice, F3X restatement, amendments; one filing for a first-party payment) the one
-- with the highest `version` counts: restatement rank first, then a tie-break from the event_id.
-- Two same-day equal payments to one vendor have two transaction ids and stay two rows.
CREATE OR REPLACE VIEW payouts
AS
SELECT
    if(payer_entity_id != '', payer_entity_id, payer_committee_id) AS sponsor_id,
    payer_committee_id AS committee_id,
    payer_entity_id,
    payer_name,
    cycle,
    transaction_id,
    payout_key,
    payee_name,
    payee_pseudonym,
    purpose,
    category,
    amount,
    currency,
    amount_usd,
    fx_rate,
    fx_rate_date,
    paid_on,
    disseminated_on,
    support_oppose,
    candidate_id,
    candidate_name,
    state,
    state_method,
    is_swing_state,
    form,
    report_type,
    amendment_indicator,
    restatement_rank,
    version,
    source_kind,
    fec_sub_id,
    filed_on,
    pdf_url,
    event_id,
    source,
    source_record_id,
    filings,
    arraySort(filing_ids) AS filing_event_ids
FROM
(
    SELECT
        *,
        row_number() OVER latest AS filing_rank,
        count() OVER one_payment AS filings,
        groupArray(toString(event_id)) OVER one_payment AS filing_ids
    FROM payout_filings FINAL
    WINDOW
        one_payment AS (PARTITION BY payer_committee_id, cycle, transaction_id),
        latest AS (PARTITION BY payer_committee_id, cycle, transaction_id ORDER BY version DESC, event_id DESC)
)
WHERE filing_rank = 1;

-- Ads: one row per platform ad at its latest library snapshot (snapshot_at, ties by event_id).
-- Library figures are cumulative, so the latest snapshot replaces the earlier ones; first_seen /
-- last_seen and snapshots describe them all. Stances are the snapshot's (origin text, coder or
-- advertiser) followed by the current coder annotations of the ad (origin coder), as parallel
-- arrays. Meta Ad Library Report rows (granularity advertiser_period) are per-advertiser totals,
-- not ads: they are left out (see advertiser_report_current).
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
    s.last_seen AS last_seen,
    s.snapshots AS snapshots,
    s.event_id AS event_id,
    s.source AS source,
    s.source_record_id AS source_record_id,
    a.event_ids AS annotation_event_ids
FROM
(
    SELECT
        *,
        row_number() OVER latest AS snapshot_rank,
        min(snapshot_at) OVER one_ad AS first_seen,
        max(snapshot_at) OVER one_ad AS last_seen,
        count() OVER one_ad AS snapshots
    FROM ad_snapshots FINAL
    WHERE granularity = 'ad'
    WINDOW
        one_ad AS (PARTITION BY platform, ad_id),
        latest AS (PARTITION BY platform, ad_id ORDER BY snapshot_at DESC, event_id DESC)
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
) AS a ON s.platform = a.platform AND s.ad_id = a.ad_id
WHERE s.snapshot_rank = 1;

-- Meta Ad Library Report rows (per advertiser and period, no ad ids), latest snapshot of each.
-- Kept apart from ads_current: summing them with ads would count the same money twice.
CREATE OR REPLACE VIEW advertiser_report_current
AS
SELECT
    platform,
    ad_id AS report_row_id,
    advertiser_name,
    advertiser_id,
    paying_advertiser,
    sponsor_id,
    sponsor_name,
    sponsor_confidence,
    currency,
    spend_low,
    spend_high,
    spend_point,
    spend_point_method,
    spend_usd_low,
    spend_usd_high,
    spend_usd_point,
    delivery_start,
    delivery_end,
    target_states,
    snapshot_at,
    event_id,
    source,
    source_record_id
FROM
(
    SELECT *, row_number() OVER (PARTITION BY platform, ad_id ORDER BY snapshot_at DESC, event_id DESC) AS snapshot_rank
    FROM ad_snapshots FINAL
    WHERE granularity = 'advertiser_period'
)
WHERE snapshot_rank = 1;

-- Posts: one row per post at its latest observation (metrics are cumulative).
CREATE OR REPLACE VIEW posts
AS
SELECT
    platform,
    post_id,
    account_id,
    account_handle,
    sponsor_id,
    sponsor_confidence,
    created_at,
    observed_at,
    first_observed_at,
    observations,
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
    event_id,
    source,
    source_record_id
FROM
(
    SELECT
        *,
        row_number() OVER latest AS observation_rank,
        min(observed_at) OVER one_post AS first_observed_at,
        count() OVER one_post AS observations
    FROM post_observations FINAL
    WINDOW
        one_post AS (PARTITION BY platform, post_id),
        latest AS (PARTITION BY platform, post_id ORDER BY observed_at DESC, event_id DESC)
)
WHERE observation_rank = 1;

-- Petition signatures, one row per event (replays collapsed).
CREATE OR REPLACE VIEW signups
AS
SELECT
    sponsor_id,
    petition_id,
    signed_at,
    signed_on,
    signer,
    referrer,
    referred,
    state,
    state_method,
    is_swing_state,
    zip5,
    phone_provided,
    phones_collected,
    email_provided,
    channel,
    event_id,
    source,
    source_record_id
FROM signup_events FINAL;

-- Canvass and phone attempts, one row per event (replays collapsed).
CREATE OR REPLACE VIEW contacts
AS
SELECT
    sponsor_id,
    campaign_id,
    attempt_id,
    attempted_at,
    attempted_on,
    method,
    outcome,
    contacted,
    canvasser,
    voter,
    state,
    state_method,
    is_swing_state,
    zip5,
    petition_signed,
    event_id,
    source,
    source_record_id
FROM contact_events FINAL;

-- Donor → committee → spend, per cycle. A donor's share is its net receipts (counted donations,
-- refunds netted) over the committee's net receipts in the cycle; the committee's spend in that
-- cycle (payouts) times the share is the spend attributed to the donor. Shares of one committee
-- add up to 1, so attributed spend adds up to the committee's spend.
CREATE OR REPLACE VIEW funding_flows
AS
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
    d.donation_event_ids AS donation_event_ids
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
    FROM donations
    WHERE counted
    GROUP BY sponsor_id, cycle, donor_entity_id
) AS d
INNER JOIN
(
    SELECT sponsor_id, cycle, sum(amount_usd) AS net_usd
    FROM donations
    WHERE counted
    GROUP BY sponsor_id, cycle
) AS c ON d.sponsor_id = c.sponsor_id AND d.cycle = c.cycle
LEFT JOIN
(
    SELECT sponsor_id, cycle, sum(amount_usd) AS spend_usd, count() AS payouts
    FROM payouts
    GROUP BY sponsor_id, cycle
) AS s ON d.sponsor_id = s.sponsor_id AND d.cycle = s.cycle;

-- Spend per day × state × channel (payout category) × sponsor × funder. Each spend cell appears
-- once per funder of the sponsor (donors with at least 1% of its net receipts in the cycle, the
-- rest as one '(other donors)' row): spend_usd is the sponsor's whole spend in the cell, repeated
-- on every funder row; attributed_spend_usd is the funder's share of it. To total the sponsors'
-- spend, keep funder_rank = 1 (one row per cell); to total a funder's, filter on the funder and
-- sum attributed_spend_usd (or spend_usd for "money of committees it mostly funds").
-- Spend of a sponsor without itemised receipts has one row with attribution_method
-- 'no_itemized_receipts' and no funder.
CREATE OR REPLACE VIEW spend_daily
AS
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
    p.payout_event_ids AS payout_event_ids
FROM
(
    SELECT
        paid_on AS day,
        state,
        is_swing_state,
        category AS channel,
        sponsor_id,
        cycle,
        sum(amount_usd) AS spend_usd,
        count() AS payouts,
        arraySort(groupArray(toString(event_id))) AS payout_event_ids
    FROM payouts
    GROUP BY day, state, is_swing_state, channel, sponsor_id, cycle
) AS p
LEFT JOIN
(
    SELECT
        *,
        1 AS matched,
        row_number() OVER (PARTITION BY sponsor_id, cycle ORDER BY funder_net_usd DESC, funder_entity_id) AS funder_rank
    FROM
    (
        SELECT
            sponsor_id,
            cycle,
            if(share >= 0.01, donor_entity_id, '(other donors)') AS funder_entity_id,
            if(funder_entity_id = '(other donors)', '(other donors)', any(donor_name)) AS funder_name,
            sum(donor_net_usd) AS funder_net_usd,
            any(committee_net_usd) AS cycle_net_usd,
            if(cycle_net_usd > 0, toFloat64(funder_net_usd) / toFloat64(cycle_net_usd), NULL) AS funder_share
        FROM funding_flows
        GROUP BY sponsor_id, cycle, funder_entity_id
    )
) AS f ON p.sponsor_id = f.sponsor_id AND p.cycle = f.cycle;

-- Per ad and state: the ad's spend and impressions split over the states it reached (by the
-- library's delivery shares when it publishes them, else evenly over target_states), and its
-- cost per thousand impressions as an interval. Library figures cover the whole delivery, so
-- they are not split over days. CPM: low = spend_usd_low / impressions_high × 1000, high =
-- spend_usd_high / impressions_low × 1000, NULL when a needed bound is open or unknown; the
-- CPM does not depend on the split.
CREATE OR REPLACE VIEW ad_efficiency
AS
SELECT
    platform,
    ad_id,
    sponsor_id,
    sponsor_name,
    advertiser_name,
    nullIf(state_code, '') AS state,
    state_share,
    multiIf(notEmpty(delivery_states), 'delivery_shares', length(target_states) = 1, 'single_state',
        notEmpty(target_states), 'even_split', 'unknown') AS state_share_method,
    currency,
    spend_usd_low,
    spend_usd_high,
    spend_usd_point,
    spend_open_range,
    impressions_low,
    impressions_high,
    impressions_point,
    round(toDecimal128(spend_usd_low, 2) * toDecimal128(state_share, 6), 2) AS state_spend_usd_low,
    round(toDecimal128(spend_usd_high, 2) * toDecimal128(state_share, 6), 2) AS state_spend_usd_high,
    round(toDecimal128(spend_usd_point, 2) * toDecimal128(state_share, 6), 2) AS state_spend_usd_point,
    toUInt64(round(impressions_low * state_share)) AS state_impressions_low,
    toUInt64(round(impressions_high * state_share)) AS state_impressions_high,
    toUInt64(round(impressions_point * state_share)) AS state_impressions_point,
    toDecimal128(spend_usd_low, 6) * 1000 / nullIf(impressions_high, 0) AS cpm_low,
    toDecimal128(spend_usd_point, 6) * 1000 / nullIf(impressions_point, 0) AS cpm_point,
    toDecimal128(spend_usd_high, 6) * 1000 / nullIf(impressions_low, 0) AS cpm_high,
    delivery_start,
    delivery_end,
    stance_subjects,
    stance_values,
    stance_origins,
    event_id
FROM ads_current
ARRAY JOIN
    multiIf(notEmpty(delivery_states), CAST(delivery_states AS Array(String)),
        notEmpty(target_states), CAST(target_states AS Array(String)), ['']) AS state_code,
    multiIf(notEmpty(delivery_states), delivery_shares,
        notEmpty(target_states), arrayMap(x -> 1 / length(target_states), target_states), [1.0]) AS state_share;

-- Per sponsor × state × day: what was spent (payouts by channel), what it bought (signups,
-- phones, contacts) and what it cost. Costs are ratios of the day's figures; over a period, sum
-- the numerators and denominators (the columns are there) rather than averaging daily ratios —
-- a bounty is paid the day after the signature it rewards.
--   cost_per_signup        = (referral_bounty + lottery_award) / signups
--   lottery_cost_per_signup = lottery_award / signups
--   cost_per_phone         = (referral_bounty + lottery_award) / phones_collected
--   bounty_cost_per_phone  = referral_bounty / phones_collected_referred
--   cost_per_contact       = (canvassing + canvasser_pay) / contacted
-- Ads are cumulative over their delivery, so they are not split into days: ads_live counts the
-- sponsor's current ads whose delivery (delivery_start .. delivery_end, or the last snapshot
-- while still running) covers the day and that target the state, and ads_live_* give their
-- whole-delivery spend, impressions and CPM interval. Do not sum ads_live_* over days or states
-- (use ad_efficiency for per-ad figures).
CREATE OR REPLACE VIEW efficiency_daily
AS
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
    arraySort(groupArrayIf(event_id, kind = 'ad')) AS ad_event_ids
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
    UNION ALL
    SELECT
        'signup', CAST(sponsor_id AS String), CAST(state AS Nullable(String)), signed_on, toUInt8(is_swing_state), CAST(channel AS String),
        CAST(0 AS Decimal(18, 2)), referred, toUInt32(phones_collected), false,
        CAST(0 AS Decimal(18, 2)), CAST(NULL AS Nullable(Decimal(18, 2))), CAST(NULL AS Nullable(UInt64)), CAST(NULL AS Nullable(UInt64)),
        toString(event_id)
    FROM signups
    UNION ALL
    SELECT
        'contact', CAST(sponsor_id AS String), CAST(state AS Nullable(String)), attempted_on, toUInt8(is_swing_state), CAST(method AS String),
        CAST(0 AS Decimal(18, 2)), false, toUInt32(0), contacted,
        CAST(0 AS Decimal(18, 2)), CAST(NULL AS Nullable(Decimal(18, 2))), CAST(NULL AS Nullable(UInt64)), CAST(NULL AS Nullable(UInt64)),
        toString(event_id)
    FROM contacts
    UNION ALL
    SELECT
        'ad', CAST(sponsor_id AS String), CAST(nullIf(ad_state, '') AS Nullable(String)), ad_day, toUInt8(has(swing_states, ad_state)), CAST(platform AS String),
        CAST(0 AS Decimal(18, 2)), false, toUInt32(0), false,
        CAST(spend_usd_low AS Decimal(18, 2)), CAST(spend_usd_high AS Nullable(Decimal(18, 2))),
        CAST(impressions_low AS Nullable(UInt64)), CAST(impressions_high AS Nullable(UInt64)),
        toString(event_id)
    FROM ads_current
    ARRAY JOIN if(empty(target_states), [''], CAST(target_states AS Array(String))) AS ad_state
    ARRAY JOIN arrayMap(i -> toDate(assumeNotNull(delivery_start)) + i,
        range(toUInt64(greatest(0, least(366, dateDiff('day', toDate(assumeNotNull(delivery_start)),
            toDate(coalesce(delivery_end, last_seen))))) + 1))) AS ad_day
    WHERE delivery_start IS NOT NULL
)
GROUP BY sponsor_id, state, day;

-- The contradictory ad pairs the sponsor correlation workflow recorded (kind contradiction), one
-- row per ad pair and subject, read from the record's detail. A pair of two sponsors of one
-- funder network is recorded under both sponsors; it shows once here (sponsor_ids lists both).
CREATE OR REPLACE VIEW contradictions
AS
SELECT
    toString(correlation_id) AS correlation_id,
    sponsor_id,
    JSONExtract(detail, 'sponsor_ids', 'Array(String)') AS sponsor_ids,
    subject,
    JSONExtractString(detail, 'relation') AS relation,
    JSONExtractString(detail, 'funder_entity_id') AS funder_entity_id,
    JSONExtractString(detail, 'a', 'platform') AS a_platform,
    JSONExtractString(detail, 'a', 'ad_id') AS a_ad_id,
    JSONExtractString(detail, 'a', 'sponsor_id') AS a_sponsor_id,
    JSONExtract(detail, 'a', 'stances', 'Array(String)') AS a_stances,
    arrayStringConcat(a_stances, ', ') AS a_stance,
    JSONExtract(detail, 'a', 'target_states', 'Array(String)') AS a_target_states,
    toDecimal64OrNull(JSONExtractString(detail, 'a', 'spend_usd_low'), 2) AS a_spend_usd_low,
    toDecimal64OrNull(JSONExtractString(detail, 'a', 'spend_usd_high'), 2) AS a_spend_usd_high,
    toDecimal64OrNull(JSONExtractString(detail, 'a', 'spend_usd_point'), 2) AS a_spend_usd_point,
    toUInt64OrNull(JSONExtractString(detail, 'a', 'impressions_low')) AS a_impressions_low,
    toUInt64OrNull(JSONExtractString(detail, 'a', 'impressions_high')) AS a_impressions_high,
    toUInt64OrNull(JSONExtractString(detail, 'a', 'impressions_point')) AS a_impressions_point,
    parseDateTime64BestEffortOrNull(JSONExtractString(detail, 'a', 'delivery_start'), 3, 'UTC') AS a_delivery_start,
    parseDateTime64BestEffortOrNull(JSONExtractString(detail, 'a', 'delivery_end'), 3, 'UTC') AS a_delivery_end,
    JSONExtractString(detail, 'b', 'platform') AS b_platform,
    JSONExtractString(detail, 'b', 'ad_id') AS b_ad_id,
    JSONExtractString(detail, 'b', 'sponsor_id') AS b_sponsor_id,
    JSONExtract(detail, 'b', 'stances', 'Array(String)') AS b_stances,
    arrayStringConcat(b_stances, ', ') AS b_stance,
    JSONExtract(detail, 'b', 'target_states', 'Array(String)') AS b_target_states,
    toDecimal64OrNull(JSONExtractString(detail, 'b', 'spend_usd_low'), 2) AS b_spend_usd_low,
    toDecimal64OrNull(JSONExtractString(detail, 'b', 'spend_usd_high'), 2) AS b_spend_usd_high,
    toDecimal64OrNull(JSONExtractString(detail, 'b', 'spend_usd_point'), 2) AS b_spend_usd_point,
    toUInt64OrNull(JSONExtractString(detail, 'b', 'impressions_low')) AS b_impressions_low,
    toUInt64OrNull(JSONExtractString(detail, 'b', 'impressions_high')) AS b_impressions_high,
    toUInt64OrNull(JSONExtractString(detail, 'b', 'impressions_point')) AS b_impressions_point,
    parseDateTime64BestEffortOrNull(JSONExtractString(detail, 'b', 'delivery_start'), 3, 'UTC') AS b_delivery_start,
    parseDateTime64BestEffortOrNull(JSONExtractString(detail, 'b', 'delivery_end'), 3, 'UTC') AS b_delivery_end,
    parseDateTime64BestEffortOrNull(JSONExtractString(detail, 'overlap_start'), 3, 'UTC') AS overlap_start,
    parseDateTime64BestEffortOrNull(JSONExtractString(detail, 'overlap_end'), 3, 'UTC') AS overlap_end,
    detail,
    source_event_ids,
    computed_at,
    version
FROM correlations FINAL
WHERE kind = 'contradiction' AND is_deleted = 0
ORDER BY correlation_id, sponsor_id
LIMIT 1 BY correlation_id;

-- Dead letters by source and reason.
CREATE OR REPLACE VIEW dlq_counts
AS
SELECT
    source,
    reason,
    count() AS dead_letters,
    countIf(raw_sealed) AS sealed,
    sum(raw_bytes) AS raw_bytes,
    min(dead_lettered_at) AS first_dead_lettered_at,
    max(dead_lettered_at) AS last_dead_lettered_at,
    arraySort(groupUniqArray(CAST(step AS String))) AS steps,
    arraySort(groupUniqArray(CAST(service AS String))) AS services,
    arraySort(groupArray(concat(toString(dlq_partition), ':', toString(dlq_offset)))) AS dlq_messages
FROM dlq_events FINAL
GROUP BY source, reason;

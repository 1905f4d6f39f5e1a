-- Question: Who funds a committee, with what share of its money, and how much of its spending
--   does each donor's share stand for?
-- Method: funding_flows: each donor's net receipts (counted donations, memo lines excluded,
--   refunds netted) over the committee's net receipts in the cycle; attributed spend = the
--   committee's spend in the cycle (payouts, counted filings) × that share. Donors with at least
--   min_share of the committee's net receipts, largest first (min_share=0 lists every donor).
-- Views: funding_flows
-- param: committee=C00879510
-- param: min_share=0.01
-- Run: npx influence sql --file docs/sql/funding-flows-by-committee.sql --param committee=C00879510 --param min_share=0.01
-- On the bundled sample (expected.json, donations and spend_total), one row:
--   donor MUSK, ELON: 6 receipts, donor_net_usd 75,000,000.00 of committee_net_usd 75,641,963.48
--   (share_pct 99.151), committee_spend_usd 45,282,475.61, attributed_spend_usd 44,898,169.14
SELECT
    donor_name,
    donor_entity_id,
    cycle,
    donor_receipts,
    donor_refunds,
    donor_net_usd,
    committee_net_usd,
    round(100 * share, 3) AS share_pct,
    committee_spend_usd,
    attributed_spend_usd,
    method
FROM funding_flows
WHERE sponsor_id = {committee:String} AND share >= {min_share:Float64}
ORDER BY cycle DESC, donor_net_usd DESC, donor_entity_id;

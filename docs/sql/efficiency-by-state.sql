-- Question: For one sponsor, what did it spend in each state and what did that buy?
-- Method: efficiency_daily summed over the days: all payouts (spend_usd), signatures of its
--   petitions, phone numbers, canvass attempts and voters contacted; costs as ratios of the sums
--   (petition spend = referral bounties + lottery awards; canvass spend = canvassing +
--   canvasser pay).
-- Views: efficiency_daily
-- param: sponsor=C00879510
-- Run: npx influence sql --file docs/sql/efficiency-by-state.sql --param sponsor=C00879510
-- On the bundled sample (expected.json: spend_by_state, signups.by_state, contacts.by_state):
--   state  spend_usd      signups  contact_attempts  contacted
--   AZ     5,182,694.24   95       73                17
--   GA     5,515,707.56   115      98                32
--   MI     6,972,025.62   130      95                26
--   NV     4,325,140.04   72       61                15
--   NC     5,276,679.68   114      115               39
--   PA     11,472,262.32  231      199               73
--   WI     6,537,966.15   115      92                30
SELECT
    toString(state) AS state,
    sum(spend_usd_total) AS spend_usd,
    sum(petition_spend_usd) AS petition_spend,
    sum(canvass_spend_usd) AS canvass_spend,
    sum(signups) AS signups,
    sum(referred_signups) AS referred,
    sum(phones_collected) AS phones,
    sum(contact_attempts) AS contact_attempts,
    sum(contacted) AS contacted,
    round(toDecimal128(petition_spend, 6) / nullIf(signups, 0), 2) AS petition_cost_per_signup_usd,
    round(toDecimal128(petition_spend, 6) / nullIf(phones, 0), 2) AS petition_cost_per_phone_usd,
    round(toDecimal128(canvass_spend, 6) / nullIf(contacted, 0), 2) AS canvass_cost_per_contact_usd
FROM efficiency_daily
WHERE sponsor_id = {sponsor:String}
GROUP BY state
HAVING spend_usd != 0 OR signups > 0 OR contact_attempts > 0
ORDER BY state;

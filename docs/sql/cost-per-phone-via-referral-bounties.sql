-- Question: What did each phone number cost when bought through referral bounties ($47 per
--   referred signer)?
-- Method: the committee's referral_bounty payouts (payouts_daily) against the phone numbers that
--   the referred signatures of its petitions brought in (sponsor_signups_daily: referred_signups,
--   phones_collected_referred). A referred signature brings two numbers for one bounty.
-- Views: payouts_daily, sponsor_signups_daily
-- param: committee=C00879510
-- Run: npx influence sql --file docs/sql/cost-per-phone-via-referral-bounties.sql --param committee=C00879510
-- On the bundled sample (expected.json, first_party_payouts.referral_bounty, signups, cost_per_phone_via_bounties):
--   bounties 331, bounty_usd 15,557.00, referred_signups 331, phones_collected 662,
--   cost_per_phone_usd 23.50, cost_per_referred_signup_usd 47.00
WITH
    bounties AS
    (
        SELECT sum(payouts) AS bounties, sum(spend_usd) AS bounty_usd
        FROM payouts_daily
        WHERE sponsor_id = {committee:String} AND channel = 'referral_bounty'
    ),
    referred AS
    (
        SELECT sum(referred_signups) AS referred_signups, sum(phones_collected_referred) AS phones_collected
        FROM sponsor_signups_daily
        WHERE sponsor_id = {committee:String}
    )
SELECT
    bounties,
    bounty_usd,
    referred_signups,
    phones_collected,
    round(toDecimal128(bounty_usd, 6) / nullIf(phones_collected, 0), 2) AS cost_per_phone_usd,
    round(toDecimal128(bounty_usd, 6) / nullIf(referred_signups, 0), 2) AS cost_per_referred_signup_usd
FROM bounties
CROSS JOIN referred;

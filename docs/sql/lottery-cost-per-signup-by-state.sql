-- Question: What did the daily $1M lottery cost per petition signature, state by state?
-- Method: the committee's lottery_award payouts by state (payouts_daily) against the signatures
--   of its petitions in that state (sponsor_signups_daily): all of them, and those from the first
--   award's day on. lottery_usd_per_signup divides by all signatures, as the sample's convention
--   does.
-- Views: payouts_daily, sponsor_signups_daily
-- param: committee=C00879510
-- Run: npx influence sql --file docs/sql/lottery-cost-per-signup-by-state.sql --param committee=C00879510
-- On the bundled sample (expected.json, first_party_payouts.lottery_award, signups, lottery_cost_per_signup_by_state):
--   state  awards  lottery_usd    signups  signups_during_lottery  lottery_usd_per_signup
--   AZ     2       2,000,000.00   95       72                      21,052.63
--   GA     2       2,000,000.00   115      86                      17,391.30
--   MI     3       3,000,000.00   130      98                      23,076.92
--   NV     2       2,000,000.00   72       55                      27,777.78
--   NC     2       2,000,000.00   114      79                      17,543.86
--   PA     4       4,000,000.00   231      156                     17,316.02
--   WI     3       3,000,000.00   115      87                      26,086.96
--   (18 awards, $18,000,000.00; 872 signups in all; the lottery ran Oct 19 – Nov 5, 2024)
WITH
    awards AS
    (
        SELECT toString(state) AS state_code, sum(payouts) AS awards, sum(spend_usd) AS lottery_usd
        FROM payouts_daily
        WHERE sponsor_id = {committee:String} AND channel = 'lottery_award'
        GROUP BY state_code
    ),
    signatures AS
    (
        SELECT
            toString(state) AS state_code,
            sum(n) AS signups,
            sumIf(n, day >= (
                SELECT min(day) FROM payouts_daily
                WHERE sponsor_id = {committee:String} AND channel = 'lottery_award'
            )) AS signups_during_lottery
        FROM (SELECT state, day, signups AS n FROM sponsor_signups_daily WHERE sponsor_id = {committee:String})
        GROUP BY state_code
    )
SELECT
    s.state_code AS state,
    a.awards AS awards,
    a.lottery_usd AS lottery_usd,
    s.signups AS signups,
    s.signups_during_lottery AS signups_during_lottery,
    round(toDecimal128(a.lottery_usd, 6) / nullIf(s.signups, 0), 2) AS lottery_usd_per_signup,
    round(toDecimal128(a.lottery_usd, 6) / nullIf(s.signups_during_lottery, 0), 2) AS lottery_usd_per_signup_during_lottery
FROM signatures AS s
LEFT JOIN awards AS a ON s.state_code = a.state_code
ORDER BY state;

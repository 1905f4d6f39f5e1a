-- Question: How much did the committees that one donor mostly funds spend in each swing state,
--   by channel? (Default: Elon Musk, who gave America PAC 99.151% of its net receipts.)
-- Method: spend_daily (payouts: the counted filing of each expenditure, first-party payments
--   included) of the sponsors where the donor's share of net receipts in the cycle is at least
--   min_share (funders: the donor is found by its entity id, or a name it filed with a committee it
--   funds with at least 1%); the row of that donor, so each spend cell counts once. spend_usd is the
--   committees' whole spend ("Musk-funded": every dollar of a committee he mostly funds);
--   attributed_spend_usd is his share of it. Rows per state and channel, a total per state
--   (channel '(all channels)') and a grand total (state '(all states)'). Swing states only.
-- Views: spend_daily, funders
-- param: donor=MUSK, ELON
-- param: min_share=0.5
-- Run: npx influence sql --file docs/sql/musk-funded-spend-by-swing-state-and-channel.sql --param 'donor=MUSK, ELON' --param min_share=0.5
-- On the bundled sample (infra/sample/campaign/expected.json, spend_by_state_category), spend_usd:
--   state  canvassing     canvasser_pay  digital_ads  printing     mail         referral_bounty  lottery_award  total
--   AZ     2,374,021.67   18,451.95      401,298.71   167,310.46   219,637.45   1,974.00         2,000,000.00   5,182,694.24
--   GA     2,647,338.68   17,777.14      443,261.30   204,659.58   200,461.86   2,209.00         2,000,000.00   5,515,707.56
--   MI     3,022,285.22   28,437.75      452,943.35   198,751.59   267,398.71   2,209.00         3,000,000.00   6,972,025.62
--   NV     1,748,433.31   19,460.24      284,047.01   116,023.01   155,860.47   1,316.00         2,000,000.00   4,325,140.04
--   NC     2,490,856.04   16,612.78      416,460.66   132,267.73   218,743.47   1,739.00         2,000,000.00   5,276,679.68
--   PA     5,580,527.68   37,916.81      819,089.87   580,715.71   450,064.25   3,948.00         4,000,000.00   11,472,262.32
--   WI     2,625,321.83   18,098.63      407,688.60   236,816.03   247,879.06   2,162.00         3,000,000.00   6,537,966.15
--   all states: 45,282,475.61 (Schedule E 27,110,163.31 in 179 expenditures + first-party payouts)
SELECT
    if(all_states, '(all states)', state_code) AS state,
    if(all_channels, '(all channels)', channel_name) AS channel,
    spend_usd,
    attributed_spend_usd,
    funder_share_pct
FROM
(
    SELECT
        toString(state) AS state_code,
        toString(channel) AS channel_name,
        grouping(state) = 1 AS all_states,
        grouping(channel) = 1 AS all_channels,
        sum(spend_usd) AS spend_usd,
        sum(attributed_spend_usd) AS attributed_spend_usd,
        round(100 * max(funder_share), 3) AS funder_share_pct
    FROM spend_daily
    WHERE is_swing_state
        AND funder_share >= {min_share:Float64}
        -- (sponsor, cycle, funder) is spend_daily's key prefix: only those cells are read.
        AND (sponsor_id, cycle, funder_entity_id) IN
        (
            SELECT sponsor_id, cycle, funder_entity_id
            FROM funders
            WHERE funder_share >= {min_share:Float64}
                AND funder_entity_id IN
                (
                    SELECT funder_entity_id
                    FROM funders
                    WHERE funder_entity_id != '(other donors)'
                        AND ({donor:String} IN (funder_entity_id, funder_name) OR has(funder_names_filed, {donor:String}))
                )
        )
    GROUP BY GROUPING SETS ((state, channel), (state), ())
)
ORDER BY all_states, state, all_channels, channel;

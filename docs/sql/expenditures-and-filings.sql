-- Question: How many real expenditures does a committee have, from how many filed lines, and
--   what do they add up to?
-- Method: payouts (one row per committee + cycle + transaction_id, the filing with the highest
--   restatement rank counts) by source kind, summed per day in payouts_daily; filed_lines = every
--   line that reported them (an F24 notice is restated on the F3X, some Q3 lines again on an
--   amended F3X).
-- Views: payouts_daily
-- param: committee=C00879510
-- Run: npx influence sql --file docs/sql/expenditures-and-filings.sql --param committee=C00879510
-- On the bundled sample (expected.json, schedule_e and first_party_payouts):
--   source_kind     expenditures  filed_lines  amount_usd
--   fec_schedule_e  179           255          27,110,163.31   (summing all 255 lines would give 40,234,020.80)
--   first_party     519           519          18,172,312.30   (331 bounties, 18 lottery awards, 170 canvasser pay)
SELECT
    toString(source_kind) AS source_kind,
    sum(payouts) AS expenditures,
    sum(filed_lines) AS filed_lines,
    sum(spend_usd) AS amount_usd,
    sum(restated_payouts) AS restated_expenditures
FROM payouts_daily
WHERE sponsor_id = {committee:String}
GROUP BY source_kind
ORDER BY source_kind;

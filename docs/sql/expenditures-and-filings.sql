-- Question: How many real expenditures does a committee have, from how many filed lines, and
--   what do they add up to?
-- Method: payouts (one row per committee + cycle + transaction_id, the filing with the highest
--   restatement rank counts) by source kind; filed_lines = every line that reported them (an F24
--   notice is restated on the F3X, some Q3 lines again on an amended F3X).
-- Views: payouts
-- param: committee=C00879510
-- Run: npx influence sql --file docs/sql/expenditures-and-filings.sql --param committee=C00879510
-- On the bundled sample (expected.json, schedule_e and first_party_payouts):
--   source_kind     expenditures  filed_lines  amount_usd
--   fec_schedule_e  179           255          27,110,163.31   (summing all 255 lines would give 40,234,020.80)
--   first_party     519           519          18,172,312.30   (331 bounties, 18 lottery awards, 170 canvasser pay)
SELECT
    toString(source_kind) AS source_kind,
    count() AS expenditures,
    sum(filings) AS filed_lines,
    sum(amount_usd) AS amount_usd,
    countIf(filings > 1) AS restated_expenditures
FROM payouts
WHERE sponsor_id = {committee:String}
GROUP BY source_kind
ORDER BY source_kind;

-- Question: What did a committee really receive, and what would a naive sum have added twice?
-- Method: donations (summed per day in donations_daily): counted rows (memo lines excluded) net
--   of refunds; memo lines (MEMO_CD X: money already reported on another line) shown apart and
--   never added.
-- Views: donations_daily
-- param: committee=C00879510
-- Run: npx influence sql --file docs/sql/receipts-and-memo-lines.sql --param committee=C00879510
-- On the bundled sample (expected.json, donations):
--   receipts_net_usd 75,641,963.48, refunds 6 = -25,351.49,
--   memo_lines 30 worth memo_usd_not_counted 20,062,526.12
SELECT
    sumIf(lines, counted) AS counted_lines,
    sum(counted_amount_usd) AS receipts_net_usd,
    sumIf(lines, counted AND is_refund) AS refunds,
    sumIf(amount_usd, counted AND is_refund) AS refunds_usd,
    sumIf(lines, memo) AS memo_lines,
    sumIf(amount_usd, memo) AS memo_usd_not_counted
FROM donations_daily
WHERE sponsor_id = {committee:String};

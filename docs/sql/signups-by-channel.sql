-- Question: Through which channels did a sponsor's petitions get their signatures?
-- Method: sponsor_signups_daily (the signups of the sponsor's petitions, counted per day, state
--   and channel by the sponsor workflow; signups_daily has the same figures, more slowly) summed
--   over days and states.
-- Views: sponsor_signups_daily
-- param: sponsor=C00879510
-- Run: npx influence sql --file docs/sql/signups-by-channel.sql --param sponsor=C00879510
-- On the bundled sample (expected.json, signups.by_channel): canvass 58, direct 84, meta 138,
--   referral 331, snapchat 52, text 55, x 154 (872 in all)
SELECT
    toString(channel) AS channel,
    sum(signups) AS signups,
    sum(referred_signups) AS referred,
    sum(phones_collected) AS phones
FROM sponsor_signups_daily
WHERE sponsor_id = {sponsor:String}
GROUP BY channel
ORDER BY channel;

-- Question: Which of a sponsor's ads said opposite things about the same subject to different
--   places at the same time?
-- Method: the contradictions the sponsor correlation workflow recorded (contradictions, from
--   correlations kind 'contradiction'): current ads of the sponsor or of its funder network (a
--   donor with at least 50% of both sponsors' net receipts), opposite stances on one subject
--   (ref_stance_opposites; stances from the ad text and from coders' annotations), disjoint
--   target states, overlapping delivery. One row per ad pair (a before b by platform, ad id).
--   Before the workflow has run, the same rows come from
--   `SELECT * FROM contradiction_candidates WHERE sponsor_id = {sponsor:String}`.
-- Views: contradictions
-- param: sponsor=C00879510
-- Run: npx influence sql --file docs/sql/contradictory-ad-pairs.sql --param sponsor=C00879510
-- On the bundled sample (expected.json, snap): 9 pairs, every ad of
--   mi-harris-friend-of-israel (MI, pro-Israel, 3 ads, $10,145.00, 1,271,357 impressions) with every ad of
--   pa-harris-ally-of-palestine (PA, pro-Palestine, 3 ads, $11,985.00, 1,480,445 impressions);
--   subject Harris, same sponsor C00879510.
SELECT
    subject,
    relation,
    a_platform,
    a_ad_id,
    a_stance,
    a_target_states,
    a_spend_usd_point,
    a_impressions_point,
    b_platform,
    b_ad_id,
    b_stance,
    b_target_states,
    b_spend_usd_point,
    b_impressions_point,
    overlap_start,
    overlap_end,
    correlation_id
FROM contradictions
WHERE has(sponsor_ids, {sponsor:String})
ORDER BY subject, a_platform, a_ad_id, b_platform, b_ad_id;

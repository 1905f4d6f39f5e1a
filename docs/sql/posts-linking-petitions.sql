-- Question: How many posts did an account publish, and how many of them link one of the
--   petitions we know?
-- Method: posts (latest observation of each post) of the account (by its handle at that
--   observation); petition_ids are the
--   petitions its links lead to (ref_petitions url prefixes). The post → signup lift of each is
--   in post_lift_candidates / correlations kind 'post_lift'.
-- Views: posts
-- param: handle=America
-- Run: npx influence sql --file docs/sql/posts-linking-petitions.sql --param handle=America
-- On the bundled sample (expected.json, posts): 24 posts by @America (author_id
--   1800000000000000042), 24 of them linking to the petition
SELECT
    account_id,
    any(account_handle) AS handle,
    count() AS posts,
    countIf(notEmpty(petition_ids)) AS with_petition_link,
    min(created_at) AS first_post_at,
    max(created_at) AS last_post_at
FROM posts
-- posts holds one row per post (post_latest_observations, migration 0009): filtering it on the
-- latest handle is cheaper than narrowing it first by the handles ever observed (post_handles).
WHERE account_handle = {handle:String}
GROUP BY account_id
ORDER BY account_id;

-- Question: How many posts did an account publish, and how many of them link one of the
--   petitions we know?
-- Method: posts_latest (the latest observation of each post: posts without its observation
--   statistics, which cost a join) of the account, by its handle at that observation;
--   petition_ids are the petitions its links lead to (ref_petitions url prefixes). The post →
--   signup lift of each is in post_lift_candidates / correlations kind 'post_lift'.
-- Views: posts_latest, post_handles
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
FROM posts_latest
-- The posts ever observed under the handle (post_handles) first: a filter on post_id reaches
-- the observations' sort key, where a filter on the latest handle alone reads every post.
WHERE post_id IN (SELECT post_id FROM post_handles WHERE account_handle = {handle:String})
    AND account_handle = {handle:String}
GROUP BY account_id
ORDER BY account_id;

-- posts_latest: posts (0011) without its two observation statistics, first_observed_at and
-- observations. posts joins post_observation_stats for them, and ClickHouse runs that join even
-- for a query that reads neither: on 10M rows it was 35–40 % of posts-linking-petitions
-- (docs/performance.md, "Cookbook queries"). Same rows as posts, one per post at its latest
-- observation, read from post_latest_observations alone.
CREATE OR REPLACE VIEW posts_latest
AS
SELECT
    platform,
    post_id,
    account_id,
    account_handle,
    sponsor_id,
    sponsor_confidence,
    created_at,
    observed_at,
    text,
    urls,
    petition_ids,
    likes,
    reposts,
    replies,
    quotes,
    impressions,
    stance_subjects,
    stance_values,
    topics,
    event_id,
    source,
    source_record_id
FROM post_latest_observations FINAL;

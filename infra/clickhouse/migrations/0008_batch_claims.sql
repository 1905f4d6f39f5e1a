-- Claim checks of the bridge's batches. The bridge writes a batch's validated rows here, one row
-- per batch keyed by its ingestBatch workflow id, and starts the workflow with only that id:
-- Temporal's history then carries a few hundred bytes per batch instead of the rows (about 1 KB
-- per event), which lets batches grow from hundreds to thousands of events (docs/performance.md).
--
-- A batch written twice (the bridge restarted before it committed the offsets) carries the same
-- id and the same rows: the insert's deduplication token is the id, and readers take one row.
-- Claims are only needed until their workflow has run; they expire after 7 days. A workflow
-- that finds its claim gone fails with ClaimMissing and names the offsets to replay.
CREATE TABLE IF NOT EXISTS batch_claims
(
    batch_id    String COMMENT 'The ingestBatch workflow id',
    row_count   UInt32,
    rows_json   String COMMENT 'The batch as a JSON array of raw_events rows' CODEC(ZSTD(1)),
    created_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY batch_id
TTL toDateTime(created_at) + INTERVAL 7 DAY
SETTINGS non_replicated_deduplication_window = 10000;

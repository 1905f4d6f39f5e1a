-- Every validated event exactly as it was consumed from its raw topic: the audit trail that
-- every derived table can be traced back to. Replaying a topic re-inserts the same event_id;
-- ReplacingMergeTree keeps one row per (type, event_id), and SELECT … FINAL shows that row.
CREATE TABLE IF NOT EXISTS raw_events
(
    event_id         FixedString(32) COMMENT 'Deterministic id: sha256(source, source_record_id, version)',
    type             LowCardinality(String) COMMENT 'donation | payout | ad | post | signup | contact',
    schema_version   UInt16,
    source           LowCardinality(String) COMMENT 'Where the record came from (file, API, webhook)',
    source_record_id String COMMENT 'The id the source gives the record',
    occurred_at      DateTime64(3, 'UTC'),
    ingested_at      DateTime64(3, 'UTC'),
    payload          String COMMENT 'The validated payload as JSON',
    kafka_topic      LowCardinality(String),
    kafka_partition  UInt32,
    kafka_offset     UInt64,
    workflow_id      String COMMENT 'The Temporal workflow that inserted the row',
    inserted_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (type, event_id)
SETTINGS non_replicated_deduplication_window = 100000;

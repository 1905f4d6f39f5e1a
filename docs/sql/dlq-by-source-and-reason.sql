-- Question: Which records did the pipeline set aside, from which source and why?
-- Method: dlq_counts (dead letters copied from influence.dlq.v1): per source and reason, how
--   many, when, at which step (dlq_counts.dlq_messages lists the partition:offset of each on
--   influence.dlq.v1). Most first.
-- Views: dlq_counts
-- param: since=2000-01-01 00:00:00
-- Run: npx influence sql --file docs/sql/dlq-by-source-and-reason.sql --param 'since=2000-01-01 00:00:00'
-- On the bundled sample: no rows (every sample file imports without a dead letter).
SELECT
    source,
    reason,
    dead_letters,
    sealed,
    first_dead_lettered_at,
    last_dead_lettered_at,
    steps,
    services
FROM dlq_counts
WHERE last_dead_lettered_at >= {since:DateTime64(3, 'UTC')}
ORDER BY dead_letters DESC, source, reason;

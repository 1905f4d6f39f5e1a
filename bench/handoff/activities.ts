/**
 * The hand-off benchmark's activities and the scratch tables they write. Each design resolves
 * its reference to rows in its own way (they came inline, they are read back from the
 * ClickHouse claim table, they are re-read from Kafka), then every design does the same work:
 * the audit insert and the typed insert, each with an insert_deduplication_token as the
 * pipeline's activities do (services/worker/activities/ingest.activities.ts).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { Context } from '@temporalio/activity';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';
import { decodeRawMessage } from '../../services/bridge/raw.consumer.ts';
import { insertIdempotent } from '../../services/worker/activities/clickhouse-insert.ts';
import type { BatchRef, HandoffActivities, StepInput, StepResult } from './contracts.ts';

/** The scratch database's tables: `raw_events` as migration 0001, a slim `donation_events`, the claims. */
export const SCRATCH_TABLES = [
  `CREATE TABLE raw_events
   (
       event_id FixedString(32), type LowCardinality(String), schema_version UInt16,
       source LowCardinality(String), source_record_id String,
       occurred_at DateTime64(3, 'UTC'), ingested_at DateTime64(3, 'UTC'), payload String,
       kafka_topic LowCardinality(String), kafka_partition UInt32, kafka_offset UInt64,
       workflow_id String, inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
   )
   ENGINE = ReplacingMergeTree(ingested_at) ORDER BY (type, event_id)
   SETTINGS non_replicated_deduplication_window = 100000`,
  `CREATE TABLE donation_events
   (
       event_id FixedString(32), source LowCardinality(String), source_record_id String,
       committee_id LowCardinality(String), contributed_on Date, contributor_name String,
       contributor_state LowCardinality(Nullable(String)), contributor_zip5 Nullable(FixedString(5)),
       amount Decimal(18, 2), currency LowCardinality(String), memo Bool,
       transaction_type LowCardinality(String), transaction_id String, fec_sub_id String,
       occurred_at DateTime64(3, 'UTC'), ingested_at DateTime64(3, 'UTC')
   )
   ENGINE = ReplacingMergeTree ORDER BY (committee_id, event_id)
   SETTINGS non_replicated_deduplication_window = 100000`,
  // The claim-check: a batch's rows under its id. A pipeline would add a TTL of a few days
  // (longer than a batch can wait for retries); the bench drops the whole database.
  `CREATE TABLE batch_claims
   (
       batch_id String, event_id FixedString(32), type LowCardinality(String), schema_version UInt16,
       source LowCardinality(String), source_record_id String,
       occurred_at DateTime64(3, 'UTC'), ingested_at DateTime64(3, 'UTC'), payload String,
       kafka_topic LowCardinality(String), kafka_partition UInt32, kafka_offset UInt64,
       workflow_id String
   )
   ENGINE = MergeTree ORDER BY (batch_id, kafka_offset)
   SETTINGS non_replicated_deduplication_window = 100000`,
];

/**
 * Stages a batch's rows under `batchId` (the starter's side of the claim-check). Idempotent:
 * a starter that retries after a lost acknowledgement writes nothing twice.
 */
export async function writeClaim(
  clickhouse: ClickHouseClient,
  batchId: string,
  rows: RawEventRow[],
): Promise<void> {
  await clickhouse.insert({
    table: 'batch_claims',
    values: rows.map((r) => ({ batch_id: batchId, ...r })),
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: `claim:${batchId}`, insert_deduplicate: 1 },
  });
}

async function readClaim(clickhouse: ClickHouseClient, batchId: string): Promise<RawEventRow[]> {
  const rs = await clickhouse.query({
    query: `SELECT * EXCEPT batch_id FROM batch_claims WHERE batch_id = {batchId:String} ORDER BY kafka_offset`,
    query_params: { batchId },
    format: 'JSONEachRow',
  });
  return rs.json<RawEventRow>();
}

/** Reads offset ranges of one topic back from Kafka. */
export interface RangeReader {
  /** The messages from `first` to `last` inclusive, in offset order. */
  read(partition: number, first: string, last: string): Promise<KafkaMessage[]>;
  /** The consumer groups of the pool (they commit nothing; delete them after `close`). */
  groups: string[];
  close(): Promise<void>;
}

/**
 * A pool of `size` kafkajs consumers kept paused on `topic`, each in its own group (kafkajs has
 * no assign-and-fetch API, and a group join per read costs seconds). A read takes an idle
 * consumer, seeks it to the range's first offset, resumes it until the range is in, and pauses
 * it again.
 */
export async function createRangeReader(
  kafka: Kafka,
  topic: string,
  size: number,
  groupPrefix: string,
): Promise<RangeReader> {
  interface Pending {
    partition: number;
    first: bigint;
    last: bigint;
    got: Map<bigint, KafkaMessage>;
    resolve: (messages: KafkaMessage[]) => void;
  }
  interface Slot {
    consumer: Consumer;
    pending: Pending | undefined;
  }
  const idle: Slot[] = [];
  const waiting: ((s: Slot) => void)[] = [];
  const all: Slot[] = [];

  async function open(k: number): Promise<Slot> {
    const consumer = kafka.consumer({
      groupId: `${groupPrefix}.${k}`,
      allowAutoTopicCreation: false,
      // A paused consumer sleeps this long between looks: the added latency of a read.
      maxWaitTimeInMs: 20,
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
    });
    const slot: Slot = { consumer, pending: undefined };
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      // Offsets are resolved (the next fetch goes on from the batch's end) but never committed:
      // every read seeks to its range.
      autoCommit: false,
      eachBatch: ({ batch }) => {
        const p = slot.pending;
        if (p && batch.partition === p.partition) {
          for (const m of batch.messages) {
            const o = BigInt(m.offset);
            if (o >= p.first && o <= p.last) p.got.set(o, m);
          }
          if (BigInt(p.got.size) === p.last - p.first + 1n) {
            slot.pending = undefined;
            consumer.pause([{ topic }]);
            p.resolve([...p.got.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, r]) => r));
          }
        } else if (!p) {
          consumer.pause([{ topic }]);
        }
        return Promise.resolve();
      },
    });
    await joined;
    consumer.pause([{ topic }]);
    return slot;
  }

  for (const slot of await Promise.all(Array.from({ length: size }, (_, k) => open(k)))) {
    all.push(slot);
    idle.push(slot);
  }

  const take = (): Promise<Slot> => {
    const s = idle.pop();
    return s ? Promise.resolve(s) : new Promise((resolve) => waiting.push(resolve));
  };
  const give = (s: Slot): void => {
    const next = waiting.shift();
    if (next) next(s);
    else idle.push(s);
  };

  return {
    groups: Array.from({ length: size }, (_, k) => `${groupPrefix}.${k}`),
    async read(partition, first, last) {
      const slot = await take();
      try {
        return await new Promise<KafkaMessage[]>((resolve) => {
          slot.pending = { partition, first: BigInt(first), last: BigInt(last), got: new Map(), resolve };
          slot.consumer.seek({ topic, partition, offset: first });
          slot.consumer.resume([{ topic }]);
        });
      } finally {
        give(slot);
      }
    },
    async close() {
      await Promise.all(all.map((s) => s.consumer.disconnect()));
    },
  };
}

/** A donation payload's typed row (the enrichment's geography, FX and entities are left out). */
function donationRow(r: RawEventRow): Record<string, unknown> {
  const p = JSON.parse(r.payload) as Record<string, unknown>;
  const zip = typeof p.contributor_zip === 'string' ? p.contributor_zip.slice(0, 5) : null;
  return {
    event_id: r.event_id,
    source: r.source,
    source_record_id: r.source_record_id,
    committee_id: p.committee_id,
    contributed_on: p.contributed_on,
    contributor_name: p.contributor_name,
    contributor_state: p.contributor_state ?? null,
    contributor_zip5: zip,
    amount: p.amount,
    currency: p.currency ?? 'USD',
    memo: p.memo === true,
    transaction_type: p.transaction_type ?? '',
    transaction_id: p.transaction_id ?? '',
    fec_sub_id: p.fec_sub_id ?? '',
    occurred_at: r.occurred_at,
    ingested_at: r.ingested_at,
  };
}

export function createHandoffActivities(deps: {
  clickhouse: ClickHouseClient;
  /** For the offset-range design; absent when it is not measured. */
  reader?: RangeReader;
}): HandoffActivities {
  async function resolve(ref: BatchRef): Promise<RawEventRow[]> {
    switch (ref.kind) {
      case 'inline':
        return ref.rows;
      case 'claim':
        return readClaim(deps.clickhouse, ref.batchId);
      case 'offsets': {
        if (!deps.reader) throw new Error('no Kafka range reader: the offset-range design is off');
        // The raw topic holds envelopes, not rows: each activity validates and converts them
        // again, as the bridge does before it hands rows over inline.
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
        const rows: RawEventRow[] = [];
        for (const m of await deps.reader.read(ref.partition, ref.firstOffset, ref.lastOffset)) {
          const d = decodeRawMessage(ref.topic, ref.partition, m);
          if (d.ok) rows.push({ ...d.row, workflow_id: workflowId });
        }
        return rows;
      }
    }
  }
  async function step(
    { ref, dedupToken }: StepInput,
    table: string,
    toRow: (r: RawEventRow) => Record<string, unknown>,
  ): Promise<StepResult> {
    const rows = await resolve(ref);
    const rejected = await insertIdempotent(deps.clickhouse, table, rows.map(toRow), dedupToken, (r) =>
      String(r.event_id),
    );
    return { rows: rows.length, inserted: rows.length - rejected.length };
  }
  return {
    storeRaw: (input) => step(input, 'raw_events', (r) => ({ ...r })),
    storeTyped: (input) => step(input, 'donation_events', donationRow),
  };
}

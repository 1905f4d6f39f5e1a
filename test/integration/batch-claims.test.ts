/**
 * Claim checks on the real ClickHouse engine: what the bridge writes, the worker reads back
 * unchanged; a second write of a batch is dropped; a missing or inconsistent claim is an error
 * that says what to do. The copy of a claim into raw_events inside ClickHouse stores exactly what
 * a client insert of its rows stores, and shares that insert's deduplication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import {
  ClaimMissingError,
  insertRawFromClaim,
  readClaim,
  writeClaim,
} from '../../services/shared/batch-claims.ts';
import { insertIdempotent, isDataError } from '../../services/worker/activities/clickhouse-insert.ts';
import type { RawEventRow } from '../../workflows/ingest-batch/activity-contracts.ts';
import { freshDatabase } from '../helpers/stack.ts';

let ch: ClickHouseClient;
let database: string;

beforeAll(async () => {
  ({ database, client: ch } = await freshDatabase('claims'));
});

afterAll(async () => {
  await ch.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await ch.close();
});

function row(i: number, workflowId: string): RawEventRow {
  return {
    event_id: i.toString(16).padStart(32, '0'),
    type: 'donation',
    schema_version: 1,
    source: 'test:claims',
    source_record_id: `r${i}`,
    occurred_at: '2024-10-19 12:00:00.000',
    ingested_at: '2024-10-19 12:00:01.000',
    // Quotes, backslashes, a tab and non-ASCII text survive the round trip.
    payload: JSON.stringify({ name: `Doe, "J" \\ ${i}\tÉlodie 🗳`, amount: '47.00' }),
    kafka_topic: 'influence.raw.donation.v1',
    kafka_partition: 2,
    kafka_offset: String(1_000_000_000_000 + i),
    workflow_id: workflowId,
  };
}

describe('batch claims', () => {
  it('read back exactly the rows that were written', async () => {
    const id = 'ingest:test:influence.raw.donation.v1:2:0-2999';
    const rows = Array.from({ length: 3000 }, (_, i) => row(i, id));
    await writeClaim(ch, id, rows);
    expect(await readClaim(ch, id, rows.length)).toEqual(rows);
  });

  it('keep one claim when a batch is written twice', async () => {
    const id = 'ingest:test:influence.raw.donation.v1:1:0-9';
    const rows = Array.from({ length: 10 }, (_, i) => row(i, id));
    await writeClaim(ch, id, rows);
    await writeClaim(ch, id, rows);
    const rs = await ch.query({
      query: 'SELECT count() AS n FROM batch_claims WHERE batch_id = {id:String}',
      query_params: { id },
      format: 'JSONEachRow',
    });
    expect(await rs.json<{ n: string }>()).toEqual([{ n: '1' }]);
    expect(await readClaim(ch, id, 10)).toEqual(rows);
  });

  it('refuse a batch without a claim, or with another row count, naming the way out', async () => {
    await expect(readClaim(ch, 'ingest:test:never-written', 1)).rejects.toThrow(
      /no claim for batch ingest:test:never-written .*influence rebuild/,
    );
    const id = 'ingest:test:influence.raw.donation.v1:0:0-4';
    await writeClaim(
      ch,
      id,
      Array.from({ length: 5 }, (_, i) => row(i, id)),
    );
    const err = await readClaim(ch, id, 6).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimMissingError);
    expect((err as Error).message).toContain('holds 5 rows, but the workflow was started with 6');
  });
});

describe('copying a claim into raw_events', () => {
  /** raw_events rows of `workflowId` as text, without inserted_at (the time of the insert). */
  async function rawRows(workflowId: string): Promise<Record<string, unknown>[]> {
    const rs = await ch.query({
      query: `SELECT * EXCEPT inserted_at FROM raw_events WHERE workflow_id = {id:String}
              ORDER BY event_id, kafka_offset`,
      query_params: { id: workflowId },
      format: 'JSONEachRow',
    });
    return rs.json();
  }

  it('stores what a client insert of the same rows stores', async () => {
    const copied = 'ingest:test:influence.raw.donation.v1:3:0-499';
    const sent = 'ingest:test:influence.raw.donation.v1:4:0-499';
    const claimRows = Array.from({ length: 500 }, (_, i) => row(i, copied));
    await writeClaim(ch, copied, claimRows);
    await insertRawFromClaim(ch, copied, copied);
    await insertIdempotent(
      ch,
      'raw_events',
      claimRows.map((r) => ({ ...r, workflow_id: sent })),
      sent,
      (r) => r.event_id,
    );
    const a = await rawRows(copied);
    const b = await rawRows(sent);
    expect(a).toHaveLength(500);
    expect(a).toEqual(b.map((r) => ({ ...r, workflow_id: copied })));
    expect(a[7]).toMatchObject({ kafka_offset: '1000000000007', payload: claimRows[7]!.payload });
  });

  it('is a no-op when retried, or after a client insert under the same token', async () => {
    const id = 'ingest:test:influence.raw.donation.v1:5:0-99';
    const rows = Array.from({ length: 100 }, (_, i) => row(i, id));
    await writeClaim(ch, id, rows);
    await insertRawFromClaim(ch, id, id);
    await insertRawFromClaim(ch, id, id);
    expect(await rawRows(id)).toHaveLength(100);

    // A batch stored by a worker from before the copy, retried by one that copies.
    const older = 'ingest:test:influence.raw.donation.v1:6:0-99';
    const olderRows = rows.map((r) => ({ ...r, workflow_id: older }));
    await writeClaim(ch, older, olderRows);
    await insertIdempotent(ch, 'raw_events', olderRows, older, (r) => r.event_id);
    await insertRawFromClaim(ch, older, older);
    expect(await rawRows(older)).toHaveLength(100);
  });

  it('inserts nothing without a claim, and refuses a bad row as a data error', async () => {
    await insertRawFromClaim(ch, 'ingest:test:never-claimed', 'ingest:test:never-claimed');
    expect(await rawRows('ingest:test:never-claimed')).toEqual([]);
    const id = 'ingest:test:influence.raw.donation.v1:7:0-1';
    const rows = [row(1, id), { ...row(2, id), event_id: 'x'.repeat(40) }];
    await writeClaim(ch, id, rows);
    const err = await insertRawFromClaim(ch, id, id).catch((e: unknown) => e);
    expect(isDataError(err), String(err)).toBe(true);
    expect(await rawRows(id)).toEqual([]);
  });
});

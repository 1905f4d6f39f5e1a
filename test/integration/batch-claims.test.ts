/**
 * Claim checks on the real ClickHouse engine: what the bridge writes, the worker reads back
 * unchanged; a second write of a batch is dropped; a missing or inconsistent claim is an error
 * that says what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClaimMissingError, readClaim, writeClaim } from '../../services/shared/batch-claims.ts';
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

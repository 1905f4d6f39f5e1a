/**
 * Load and observation for the fault tests: valid donation events produced straight to the raw
 * topic with the project's envelope code (as an import would write them), messages produced
 * again as they are, and the few Temporal and Kafka readings the tests synchronise on.
 */
import type { Kafka, Message, Producer } from 'kafkajs';
import type { Client } from '@temporalio/client';
import { completeEvent } from '../../services/shared/ingest/envelope.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { prng } from '../helpers/random.ts';
import type { PrivatePipeline } from '../helpers/pipeline.ts';
import type { RawMessage } from './invariants.ts';

/** Committees the generated donations go to: America PAC (a known sponsor) and three unknown ones. */
export const LOAD_COMMITTEES = ['C00879510', 'C00990001', 'C00990002', 'C00990003'] as const;

const STATES = [
  ['PA', '19104'],
  ['MI', '48201'],
  ['GA', '30303'],
  ['AZ', '85004'],
  ['TX', '75201'],
] as const;

/**
 * `count` valid donation events of source `fault:<tag>` (distinct records, so distinct event
 * ids), one in ten a memo line, a few refunds, produced with acks from all replicas.
 * Deterministic for a tag and seed.
 */
export async function produceDonations(
  producer: Producer,
  tag: string,
  count: number,
  seed = 1,
): Promise<number> {
  const next = prng(seed);
  const source = `fault:${tag}`;
  const ingested = new Date();
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) {
    const [state, zip] = STATES[Math.floor(next() * STATES.length)] ?? STATES[0];
    const committee = LOAD_COMMITTEES[Math.floor(next() * LOAD_COMMITTEES.length)] ?? LOAD_COMMITTEES[0];
    const cents = 100 + Math.floor(next() * 500_000);
    const refund = next() < 0.03;
    const day = 1 + Math.floor(next() * 28);
    const contributedOn = `2024-10-${String(day).padStart(2, '0')}`;
    const c = completeEvent(
      source,
      'donation',
      {
        source_record_id: `${tag}-${i}`,
        occurred_at: `${contributedOn}T00:00:00Z`,
        payload: {
          committee_id: committee,
          contributor_name: `FAULT, DONOR ${i % 997}`,
          contributor_state: state,
          contributor_zip: zip,
          amount: `${refund ? '-' : ''}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
          currency: 'USD',
          contributed_on: contributedOn,
          memo: i % 10 === 0,
          transaction_type: '15',
          entity_type: 'IND',
          fec_sub_id: String(9_000_000_000_000 + seed * 1_000_000 + i),
          transaction_id: `${tag.toUpperCase()}${i}`,
        },
      },
      ingested,
    );
    if (!c.ok) throw new Error(`generated donation ${i} is invalid: ${c.detail}`);
    messages.push({ key: c.key, value: c.value });
  }
  for (let i = 0; i < messages.length; i += 1000) {
    await producer.send({
      topic: 'influence.raw.donation.v1',
      acks: -1,
      messages: messages.slice(i, i + 1000),
    });
  }
  return messages.length;
}

/** Produces messages again exactly as they were read (key and value), in the order given. */
export async function reproduce(producer: Producer, messages: readonly RawMessage[]): Promise<void> {
  for (const m of messages) {
    await producer.send({ topic: m.topic, acks: -1, messages: [{ key: m.key, value: m.value }] });
  }
}

/** ingestBatch workflows running now (Temporal's visibility trails starts by a moment). */
export async function runningBatches(temporal: Client): Promise<number> {
  return (await temporal.workflow.count(`WorkflowType = 'ingestBatch' AND ExecutionStatus = 'Running'`))
    .count;
}

/** Resolves once some ingestBatch workflow runs: the moment to inject a fault "mid-flight". */
export async function batchesInFlight(temporal: Client, timeoutMs = 120_000): Promise<number> {
  return waitFor(
    async () => {
      const n = await runningBatches(temporal);
      return n > 0 ? n : undefined;
    },
    { what: 'an ingestBatch workflow running', timeoutMs, intervalMs: 50 },
  );
}

/** `influence wait --idle` against the pipeline; @throws with the CLI's stderr when it fails. */
export async function waitIdle(p: PrivatePipeline, timeoutS = 600): Promise<void> {
  const r = await p.cli(['wait', '--idle', '--timeout', String(timeoutS), '--json']);
  if (r.code !== 0) throw new Error(`wait --idle failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
  if (!(JSON.parse(r.stdout) as { idle: boolean }).idle) throw new Error(`wait --idle returned ${r.stdout}`);
}

/** Committed offsets of a group on a topic, by partition (-1 when none). */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((t?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** Prints how long each phase of a test took (the suite has a time budget). */
export function stopwatch(test: string): (phase: string) => void {
  let last = Date.now();
  const first = last;
  return (phase) => {
    const now = Date.now();
    console.log(
      `[faults] ${test}: ${phase} in ${((now - last) / 1000).toFixed(1)} s (total ${((now - first) / 1000).toFixed(1)} s)`,
    );
    last = now;
  };
}

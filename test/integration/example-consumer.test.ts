/**
 * The example consumer of docs/topics.md (examples/consume-correlations.ts), run as a user runs
 * it, against the real Kafka of the test stack: it reads a private copy of the correlations
 * topic, prints the contradictions published there (also one with a field added later), says so
 * for an invalid record, and ignores other kinds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, nodeBinary } from '../../infra/local/config.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { RECORDED_EXAMPLES_FILE, type RecordedMessage } from '../../infra/json-schema/topic-examples.ts';
import { CorrelationRecordV1 } from '../../schemas/correlation.ts';
import { CORRELATIONS_TOPIC } from '../../schemas/topics.ts';
import { stackEndpoints, testKafka, uniqueSuffix } from '../helpers/stack.ts';

const topic = `${CORRELATIONS_TOPIC}.test-${uniqueSuffix()}`;
const recorded = JSON.parse(readFileSync(RECORDED_EXAMPLES_FILE, 'utf8')) as Record<string, RecordedMessage>;
const contradiction = CorrelationRecordV1.parse(recorded[CORRELATIONS_TOPIC]?.value);

let admin: Admin;
let producer: Producer;
let child: ChildProcess | undefined;
let stdout = '';
let stderr = '';

beforeAll(async () => {
  const kafka = testKafka('example-consumer-test');
  admin = kafka.admin();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
  });
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await Promise.all([admin.disconnect(), producer.disconnect()]);
});

describe('examples/consume-correlations.ts', () => {
  it('prints the contradictions published to the topic it reads, and nothing else', async () => {
    const funding = { ...contradiction, kind: 'funding_flow', correlation_id: 'f'.repeat(32) };
    // With a field v1 does not have yet: an additive change must not make the example drop it.
    const retracted = { ...contradiction, holds: false, computed_at: '2024-11-08T00:00:00.000Z', added: 1 };
    await producer.send({
      topic,
      acks: -1,
      messages: [contradiction, funding, { not: 'a correlation' }, retracted].map((v) => ({
        key: contradiction.sponsor_id,
        value: JSON.stringify(v),
      })),
    });

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_BROKERS: stackEndpoints().kafka.brokers,
      CORRELATIONS_TOPIC: topic,
    };
    child = spawn(nodeBinary(), [path.join(REPO_ROOT, 'examples', 'consume-correlations.ts')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));

    const running = child;
    await waitFor(
      () => Promise.resolve(stdout.includes('retracted') && stderr.includes('skipped') ? true : undefined),
      {
        timeoutMs: 90_000,
        what: "the example's output",
        abortIf: () =>
          running.exitCode === null ? undefined : `it exited with ${running.exitCode}: ${stdout} ${stderr}`,
      },
    );
    expect(child.exitCode).toBeNull();
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      `contradiction ${contradiction.sponsor_id} on Harris: snap pro-Palestine in PA vs snap pro-Israel in MI`,
      `retracted ${contradiction.sponsor_id} on Harris: snap pro-Palestine in PA vs snap pro-Israel in MI`,
    ]);
    expect(stderr).toMatch(/skipped an invalid record at offset \d+/);
  });
});

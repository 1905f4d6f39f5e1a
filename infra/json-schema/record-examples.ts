/**
 * `node infra/json-schema/record-examples.ts`: records the example messages of the topics whose
 * records only a running pipeline makes (correlations need the ClickHouse views, dead letters a
 * broken input) into recorded-examples.json, which docs/topics.md shows.
 *
 * Run it against a stack that has imported the sample campaign (infra/sample/campaign) and then
 * test/fixtures/first-party/payouts.csv (whose last six rows are broken), after
 * `npx influence wait --idle`. It keeps the first contradiction that holds and the first dead
 * letter, each with its key and headers. The unit test of topics-doc.ts checks that both still
 * parse with their zod schema.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackConfig } from '../local/config.ts';
import { readStackState } from '../local/stack.ts';
import { CorrelationRecordV1 } from '../../schemas/correlation.ts';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { CORRELATIONS_TOPIC, DLQ_TOPIC } from '../../schemas/topics.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import type { RecordedMessage } from './topic-examples.ts';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'recorded-examples.json');

const cfg = loadStackConfig();
const brokers = cfg.KAFKA_BROKERS ?? readStackState(cfg.stateDir)?.endpoints.kafka.brokers.split(',');
if (!brokers) throw new Error('no stack is running and KAFKA_BROKERS is not set');
const kafka = createKafka({ brokers, clientId: 'record-examples', log: silentLogger });
const admin = kafka.admin();
await admin.connect();

/** Every message of `topic` from offset 0 to the current end, partition by partition. */
async function readAll(topic: string): Promise<RecordedMessage[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const wanted = ends.filter((p) => Number(p.high) > 0);
  const out: RecordedMessage[] = [];
  if (wanted.length === 0) return out;
  const consumer = kafka.consumer({ groupId: `record-examples.${topic}.${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const remaining = new Map(wanted.map((p) => [p.partition, Number(p.high)]));
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {}))
            if (v !== undefined) headers[k] = String(v);
          out.push({
            key: message.key?.toString('utf8') ?? null,
            headers,
            value: JSON.parse(message.value?.toString('utf8') ?? 'null') as unknown,
          });
          if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
          if (remaining.size === 0) resolve();
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return out;
}

const correlation = (await readAll(CORRELATIONS_TOPIC)).find((m) => {
  const r = CorrelationRecordV1.safeParse(m.value);
  return r.success && r.data.kind === 'contradiction' && r.data.holds;
});
const dlq = (await readAll(DLQ_TOPIC)).find((m) => DlqRecordV1.safeParse(m.value).success);
await admin.disconnect();
if (!correlation || !dlq)
  throw new Error('no contradiction or no dead letter on the topics yet: see the header');
const recorded: Record<string, RecordedMessage> = {
  [CORRELATIONS_TOPIC]: correlation,
  [DLQ_TOPIC]: dlq,
};
writeFileSync(OUT, `${JSON.stringify(recorded, null, 2)}\n`);
process.stdout.write(`wrote ${OUT}\n`);

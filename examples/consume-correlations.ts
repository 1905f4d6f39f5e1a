/**
 * Prints contradictory messaging from influence.correlations.v1 as it arrives: plain kafkajs and
 * the exported zod schema. `npx node examples/consume-correlations.ts` reads the brokers from
 * KAFKA_BROKERS or the running local stack; CORRELATIONS_TOPIC reads another topic instead.
 */
import { Kafka, logLevel } from 'kafkajs';
import { loadStackConfig } from '../infra/local/config.ts';
import { readStackState } from '../infra/local/stack.ts';
import { CorrelationRecordV1 } from '../schemas/correlation.ts';
import { CORRELATIONS_TOPIC } from '../schemas/topics.ts';

const cfg = loadStackConfig();
const brokers = cfg.KAFKA_BROKERS ?? readStackState(cfg.stateDir)?.endpoints.kafka.brokers.split(',');
if (!brokers) throw new Error('set KAFKA_BROKERS or start a stack: npx influence stack up --detach');
const topic = process.env['CORRELATIONS_TOPIC'] || CORRELATIONS_TOPIC;
const kafka = new Kafka({ clientId: 'example', brokers, logLevel: logLevel.ERROR });
const consumer = kafka.consumer({ groupId: `example.${topic}` });
process.once('SIGTERM', () => void consumer.disconnect().finally(() => process.exit(0)));
process.once('SIGINT', () => void consumer.disconnect().finally(() => process.exit(0)));

interface Ad {
  platform: string;
  stances: string[];
  target_states: string[];
}
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  eachMessage: ({ message }) => {
    // loose(): fields added to v1 later (an additive change) do not make a record invalid.
    const r = CorrelationRecordV1.loose().safeParse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
    if (!r.success) console.error(`skipped an invalid record at offset ${message.offset}`);
    else if (r.data.kind === 'contradiction') {
      const { a, b } = r.data.detail as { a: Ad; b: Ad };
      const side = (ad: Ad) => `${ad.platform} ${ad.stances.join('+')} in ${ad.target_states.join(',')}`;
      const what = r.data.holds ? 'contradiction' : 'retracted';
      console.log(`${what} ${r.data.sponsor_id} on ${r.data.subject}: ${side(a)} vs ${side(b)}`);
    }
    return Promise.resolve();
  },
});

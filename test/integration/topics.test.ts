/**
 * Topic configs on the real broker: the raw topics and the dead letters are a system of record
 * (rebuild and replay read them from offset 0), so the stack keeps them forever; derived topics
 * keep the broker's default. ensureTopics also brings topics created before that rule in step,
 * without dropping an operator's other overrides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkajs, { type Admin } from 'kafkajs';
import {
  CORRELATIONS_TOPIC,
  DLQ_TOPIC,
  enrichedTopic,
  rawTopic,
  TOPICS,
  type TopicSpec,
} from '../../schemas/topics.ts';
import { ensureTopics } from '../../services/shared/kafka.ts';
import { testKafka, uniqueSuffix } from '../helpers/stack.ts';

// As in services/shared/kafka.ts: Node's ESM import of kafkajs does not see these names.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

const suffix = uniqueSuffix();
const kafka = testKafka(`topics-${suffix}`);
let admin: Admin;
const created: string[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  if (created.length > 0) await admin.deleteTopics({ topics: created });
  await admin.disconnect();
});

/** A topic of this run's own, as schemas/topics.ts would specify it. */
function testTopic(name: string, partitions: number, retention: TopicSpec['retention']): TopicSpec {
  return { name: `test.topics.${name}-${suffix}`, key: 'test', description: 'test', partitions, retention };
}

/** The topic-level overrides of a topic (what `kafka-configs.sh --describe` lists). */
async function overrides(topic: string): Promise<Record<string, string>> {
  const { resources } = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    includeSynonyms: false,
  });
  return Object.fromEntries(
    (resources[0]?.configEntries ?? [])
      .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
      .map((e) => [e.configName, e.configValue]),
  );
}

describe('topic retention', () => {
  it('keeps the raw topics and the dead letters forever, the derived topics at the broker default', async () => {
    for (const t of ['donation', 'ad'] as const) {
      expect((await overrides(rawTopic(t)))['retention.ms'], rawTopic(t)).toBe('-1');
      expect((await overrides(enrichedTopic(t)))['retention.ms'], enrichedTopic(t)).toBeUndefined();
    }
    expect((await overrides(DLQ_TOPIC))['retention.ms']).toBe('-1');
    expect((await overrides(CORRELATIONS_TOPIC))['retention.ms']).toBeUndefined();
    // Every raw topic of the contracts says so.
    expect(TOPICS.filter((t) => t.retention === 'forever').map((t) => t.name)).toEqual(
      expect.arrayContaining([
        ...TOPICS.filter((t) => t.name.startsWith('influence.raw.')).map((t) => t.name),
        DLQ_TOPIC,
      ]),
    );
  });

  it('brings an existing topic in step and keeps its other overrides; a second run changes nothing', async () => {
    const kept = testTopic('kept', 1, 'forever');
    const derived = testTopic('derived', 1, 'broker default');
    // As an older stack created them: no retention override, one override of an operator's.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [kept, derived].map((t) => ({
        topic: t.name,
        numPartitions: 1,
        replicationFactor: 1,
        configEntries: [
          { name: 'max.message.bytes', value: '2000000' },
          ...(t === derived ? [{ name: 'retention.ms', value: '3600000' }] : []),
        ],
      })),
    });
    created.push(kept.name, derived.name);

    expect(await ensureTopics(admin, [kept, derived])).toEqual({ created: [], updated: [kept.name] });
    expect(await overrides(kept.name)).toEqual({ 'max.message.bytes': '2000000', 'retention.ms': '-1' });
    // The derived topic's own retention is the operator's to choose.
    expect(await overrides(derived.name)).toEqual({
      'max.message.bytes': '2000000',
      'retention.ms': '3600000',
    });
    expect(await ensureTopics(admin, [kept, derived])).toEqual({ created: [], updated: [] });
  });

  it('creates a missing topic with its retention', async () => {
    const fresh = testTopic('fresh', 2, 'forever');
    expect(await ensureTopics(admin, [fresh])).toEqual({ created: [fresh.name], updated: [] });
    created.push(fresh.name);
    expect(await overrides(fresh.name)).toEqual({ 'retention.ms': '-1' });
    const [meta] = (await admin.fetchTopicMetadata({ topics: [fresh.name] })).topics;
    expect(meta?.partitions).toHaveLength(2);
  });
});

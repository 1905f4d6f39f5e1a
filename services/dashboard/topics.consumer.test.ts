import { describe, expect, it } from 'vitest';
import { CORRELATIONS_TOPIC, DLQ_TOPIC, enrichedTopic } from '../../schemas/topics.ts';
import { DashboardAggregates } from './aggregates.ts';
import { instanceGroupId, topicHandlers } from './topics.consumer.ts';

describe('topic handlers', () => {
  it('reads the enriched topics the figures need, the correlations and the DLQ', () => {
    const topics = [...topicHandlers(new DashboardAggregates()).keys()];
    expect(topics).toEqual(
      expect.arrayContaining([
        enrichedTopic('payout'),
        enrichedTopic('signup'),
        CORRELATIONS_TOPIC,
        DLQ_TOPIC,
      ]),
    );
  });

  it('refuses a message that breaks its topic schema, but counts any dead letter', () => {
    const agg = new DashboardAggregates();
    const handlers = topicHandlers(agg);
    expect(handlers.get(enrichedTopic('payout'))?.({ type: 'payout' }, '0:0')).toBeNull();
    expect(handlers.get(DLQ_TOPIC)?.(null, '0:7')).toEqual(['health']);
    expect(agg.view(['health']).health?.dlq.by_reason).toEqual({ unreadable: 1 });
  });

  it('gives each dashboard process a consumer group of its own', () => {
    expect(instanceGroupId('dashboard')).toMatch(/^dashboard\.[0-9a-f]{12}$/);
    expect(instanceGroupId('dashboard')).not.toBe(instanceGroupId('dashboard'));
  });
});

/**
 * Every Kafka topic of the pipeline, its key and what it carries. Dashboards and services take
 * names from here only. Raw topics are keyed by the entity whose events must stay in order.
 */

/** The event types the pipeline ingests. */
export const EVENT_TYPES = ['donation', 'payout', 'ad', 'post', 'signup', 'contact', 'annotation'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface TopicSpec {
  name: string;
  /** What the Kafka key is, for consumers that rely on per-key order. */
  key: string;
  description: string;
  partitions: number;
  /**
   * How long the broker keeps messages: `forever` for the topics that are a system of record
   * (the raw topics, which rebuild and replay read from offset 0, and the dead letters, kept until
   * replayed), `broker default` (log.retention.hours) for derived topics a rebuild re-publishes.
   */
  retention: 'forever' | 'broker default';
}

/** Topic-level Kafka configs that carry a spec's retention (set at creation, kept in step after). */
export function topicConfig(t: TopicSpec): Record<string, string> {
  return t.retention === 'forever' ? { 'retention.ms': '-1' } : {};
}

/** The Kafka key of each type's events, as the key functions in events/<type>.ts compute it. */
const RAW_KEYS: Record<EventType, string> = {
  donation: 'payload.committee_id (the recipient FEC committee id)',
  payout: 'payload.payer_committee_id (FEC committee id or first-party sponsor id)',
  ad: '<payload.platform>:<payload.ad_id>',
  post: '<payload.platform>:<payload.account_id>',
  signup: 'payload.petition_id',
  contact: 'payload.campaign_id',
  annotation: '<payload.platform>:<payload.ad_id> (the annotated ad)',
};

/** The Kafka key of each type's enriched events: the canonical entity (services/enrich). */
const ENRICHED_KEYS: Record<EventType, string> = {
  donation: 'recipient_entity_id (the canonical recipient committee)',
  payout: 'payer_entity_id (the canonical payer)',
  ad: '<platform>:<ad_id>',
  post: '<platform>:<account_id>',
  signup: 'petition_id',
  contact: 'campaign_id',
  annotation: '<platform>:<ad_id> (the annotated ad)',
};

/** `influence.raw.<type>.v1`: validated events exactly as ingested. */
export function rawTopic(type: EventType): string {
  return `influence.raw.${type}.v1`;
}

/** `influence.enriched.<type>.v1`: events after enrichment, for dashboards. */
export function enrichedTopic(type: EventType): string {
  return `influence.enriched.${type}.v1`;
}

export const DLQ_TOPIC = 'influence.dlq.v1';
export const CORRELATIONS_TOPIC = 'influence.correlations.v1';

/** Every topic with its key; `stack up` and tests create these. */
export const TOPICS: readonly TopicSpec[] = [
  ...EVENT_TYPES.map((t) => ({
    name: rawTopic(t),
    key: RAW_KEYS[t],
    description: `Validated ${t} events as ingested (envelope + payload).`,
    partitions: 3,
    retention: 'forever' as const,
  })),
  ...EVENT_TYPES.map((t) => ({
    name: enrichedTopic(t),
    key: ENRICHED_KEYS[t],
    description: `Enriched ${t} events for dashboards: the typed row of the ${t} table as JSON (at least once; dedupe on event_id).`,
    partitions: 3,
    retention: 'broker default' as const,
  })),
  {
    name: CORRELATIONS_TOPIC,
    key: 'sponsor or committee id',
    description: 'Correlation records: contradictory messaging, funding flows, funnel and lift.',
    partitions: 3,
    retention: 'broker default',
  },
  {
    name: DLQ_TOPIC,
    key: 'the original record key, or the source name',
    description: 'Records that could not be processed, with reason, step, position and raw bytes.',
    partitions: 1,
    retention: 'forever',
  },
];

/** Consumer group of a service on a topic: `<service>.<topic>`. */
export function consumerGroup(service: string, topic: string): string {
  return `${service}.${topic}`;
}

/** The rebuild workflow's input, result, id and activities. */

export const REBUILD_WORKFLOW_TYPE = 'rebuild';

/** One rebuild at a time: a second start while one runs joins it. */
export const REBUILD_WORKFLOW_ID = 'rebuild:clickhouse';

export interface RebuildInput {
  /** Empty the derived tables first (default true); false re-derives over what is there. */
  truncate?: boolean;
  /** Raw topics to replay (default: every raw topic). */
  topics?: string[];
  /**
   * Replay only the messages appended at or after this time (epoch ms, Kafka's message
   * timestamp: when the event was published, not when it occurred). Default: offset 0.
   */
  fromMs?: number;
  /** Replay only the messages appended before this time (epoch ms). Default: the end of the topic. */
  toMs?: number;
}

/** The id of a replay of topics over a time range (`influence replay`): one per range. */
export function replayWorkflowId(topics: readonly string[], fromMs?: number, toMs?: number): string {
  const at = (ms: number | undefined, none: string): string =>
    ms === undefined ? none : new Date(ms).toISOString();
  return `replay:${[...topics].sort().join(',')}:${at(fromMs, 'start')}..${at(toMs, 'end')}`;
}

export interface TopicReplayResult {
  topic: string;
  /**
   * Messages read from offset 0 (or the first at `fromMs`) up to the end offsets found when the
   * replay began (or the first at `toMs`).
   */
  messages: number;
  inserted: number;
  stored: number;
  deadLettered: number;
  sponsors: string[];
}

export interface RebuildResult {
  truncated: string[];
  topics: TopicReplayResult[];
  sponsors: number;
}

export interface RebuildActivities {
  /** Truncates every table derived from the raw topics; returns their names. */
  truncateDerived(): Promise<string[]>;
  /**
   * Reads `topic` from offset 0 to the end offsets of the moment it starts and runs every
   * message through the same steps as ingestBatch (raw insert, enrichment, typed tables).
   * Heartbeats its progress; a retry starts over, which the idempotent inserts make harmless.
   */
  replayTopic(input: {
    topic: string;
    rebuildId: string;
    fromMs?: number;
    toMs?: number;
  }): Promise<TopicReplayResult>;
}

/**
 * A correlation record on influence.correlations.v1 (and a row of ClickHouse `correlations`),
 * written by a sponsor's entity workflow whenever a recomputation finds a correlation new or
 * changed, or finds that one no longer holds (`holds: false`, a retraction). Keyed by sponsor.
 * The same correlation_id may arrive more than once (at-least-once): keep the latest computed_at.
 */
import { z } from 'zod';
import { Instant } from './envelope.ts';

export const CorrelationKind = z
  .enum(['contradiction', 'funding_flow', 'funnel', 'post_lift'])
  .describe(
    'contradiction: one sponsor or funder network, opposite stances on one subject, different places, ' +
      'overlapping dates; funding_flow: donor → committee → spend; funnel: payouts ↔ signups ↔ contacts ' +
      'per state and day; post_lift: signups after a post that links a petition, against a baseline.',
  );
export type CorrelationKind = z.infer<typeof CorrelationKind>;

export const CorrelationRecordV1 = z
  .object({
    schema_version: z.literal(1),
    correlation_id: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .describe('Deterministic from what was correlated: recomputing gives the same id.'),
    kind: CorrelationKind,
    sponsor_id: z.string().min(1).describe('The canonical sponsor whose workflow found it (the Kafka key).'),
    subject: z
      .string()
      .describe('What it is about: the subject of the stances, the donor, the state, the post.'),
    holds: z.boolean().describe('False: a recomputation no longer finds it (a retraction).'),
    detail: z
      .record(z.string(), z.unknown())
      .describe('The figures, per kind, as documented in docs/analysts.md (the view of the same name).'),
    source_event_ids: z.array(z.string()).describe('event_ids of the rows it was computed from.'),
    computed_at: Instant,
  })
  .strict()
  .describe('A correlation found, changed or retracted by a sponsor correlation workflow.');
export type CorrelationRecordV1 = z.infer<typeof CorrelationRecordV1>;

/**
 * JSON Schema (draft 2020-12) of every Kafka topic, generated from the zod contracts in schemas/.
 * Pure: `main.ts` writes the result to schemas/json/, and `export.test.ts` checks that the
 * committed files equal it, so the published schemas cannot drift from the code.
 *
 * Direction: the documents describe the *output* of the zod schemas (`io: 'output'`), i.e. the
 * records as they sit on the topics: every producer writes `Schema.parse(input)`, so fields with
 * a default (donation `currency`, `memo`; ad `stance`) are always present and listed as
 * required. A producer that writes such a record is therefore valid for both directions.
 *
 * Cross-field rules (range bounds and point, payout_key, payee presence, platform id formats, no
 * access token in a URL) are zod refinements with no JSON Schema equivalent: the schemas state
 * them in their descriptions as "zod-only rules" and each document says so in `$comment`.
 */
import { z } from 'zod';
import { CorrelationRecordV1 } from '../../schemas/correlation.ts';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { ENRICHED_SCHEMAS } from '../../schemas/enriched.ts';
import { EVENT_SPECS } from '../../schemas/events/index.ts';
import {
  CORRELATIONS_TOPIC,
  DLQ_TOPIC,
  EVENT_TYPES,
  TOPICS,
  enrichedTopic,
  rawTopic,
  type TopicSpec,
} from '../../schemas/topics.ts';

export const SCHEMA_BASE_URL = 'https://influence-ledger.dev/schemas/';

/** `<topic>.schema.json` */
export function schemaFileName(topic: string): string {
  return `${topic}.schema.json`;
}

const REFINEMENTS_NOTE =
  'Rules a description calls "zod-only" (cross-field rules such as range bounds, payout_key, ' +
  'payee presence, platform id formats, no access token in a URL) are enforced by the zod ' +
  'schema in schemas/ and cannot be expressed here: a document-valid record can still be rejected.';

interface Source {
  /** null: no contract yet, a permissive object placeholder. */
  schema: z.ZodType | null;
  comment: string;
}

function sourceOf(topic: TopicSpec): Source {
  for (const type of EVENT_TYPES) {
    const spec = EVENT_SPECS[type];
    if (topic.name === rawTopic(type))
      return {
        schema: spec.envelope,
        comment: `Generated from schemas/events/${type}.ts (zod output). ${REFINEMENTS_NOTE}`,
      };
    if (topic.name === enrichedTopic(type)) {
      const { schema, table } = ENRICHED_SCHEMAS[type];
      return {
        schema,
        comment:
          `Generated from schemas/enriched.ts (zod output): the ${table} row that services/enrich ` +
          `builds from a raw ${type} event (geography, USD amounts, canonical entities, stances), ` +
          `with schema_version and type, times as ISO-8601 UTC instants.`,
      };
    }
  }
  if (topic.name === DLQ_TOPIC)
    return { schema: DlqRecordV1, comment: 'Generated from schemas/dlq.ts (zod output).' };
  if (topic.name === CORRELATIONS_TOPIC)
    return {
      schema: CorrelationRecordV1,
      comment:
        'Generated from schemas/correlation.ts (zod output). The fields of `detail` per kind are ' +
        'documented with the views of the same name in docs/analysts.md.',
    };
  throw new Error(`no schema is mapped to topic ${topic.name}: map it in infra/json-schema/export.ts`);
}

/** Head keys first, in this order; then the generated keys as zod emits them, `$defs` sorted. */
const HEAD = ['$schema', '$id', 'title', 'description', '$comment'] as const;

function document(topic: TopicSpec): Record<string, unknown> {
  const { schema, comment } = sourceOf(topic);
  const generated: Record<string, unknown> =
    schema === null
      ? { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }
      : z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'throw' });
  const head: Record<string, unknown> = {
    $schema: generated.$schema,
    $id: `${SCHEMA_BASE_URL}${schemaFileName(topic.name)}`,
    title: topic.name,
    description: `${topic.description} Kafka key: ${topic.key}.`,
    $comment: comment,
  };
  const out: Record<string, unknown> = {};
  for (const k of HEAD) out[k] = head[k];
  for (const [k, v] of Object.entries(generated)) {
    if ((HEAD as readonly string[]).includes(k)) continue;
    out[k] = k === '$defs' ? sortKeys(v as Record<string, unknown>) : v;
  }
  return out;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The JSON Schema document of every topic in TOPICS, by topic name. Throws for an unmapped topic. */
export function jsonSchemasByTopic(): Map<string, object> {
  return new Map(TOPICS.map((t) => [t.name, document(t)]));
}

/** The files of schemas/json/ by file name: pretty JSON with a trailing newline. */
export function renderSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [topic, doc] of jsonSchemasByTopic())
    files.set(schemaFileName(topic), `${JSON.stringify(doc, null, 2)}\n`);
  return files;
}

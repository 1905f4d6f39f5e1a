/**
 * docs/topics.md, generated: for every topic in schemas/topics.ts its name, partitions, key and
 * what the key guarantees, delivery semantics, the value's fields (from the JSON Schema that
 * export.ts derives from the zod contracts, descriptions included), headers, the link to the
 * JSON Schema file and a real example message (topic-examples.ts); then the versioning policy.
 *
 * Pure apart from the examples: `renderTopicsDoc(examples)` returns the document's text, which
 * `main.ts` writes and `topics-doc.test.ts` compares with the committed file.
 */
import { jsonSchemasByTopic, schemaFileName } from './export.ts';
import type { TopicExample } from './topic-examples.ts';
import {
  CORRELATIONS_TOPIC,
  DLQ_TOPIC,
  EVENT_TYPES,
  TOPICS,
  enrichedTopic,
  rawTopic,
  type TopicSpec,
} from '../../schemas/topics.ts';

type Json = Record<string, unknown>;

/** The document's path, relative to the repository root. */
export const TOPICS_DOC_PATH = 'docs/topics.md';

/** The example consumer shown in the document, relative to the repository root. */
export const EXAMPLE_CONSUMER_PATH = 'examples/consume-correlations.ts';

/**
 * Headers the pipeline sets, by topic (services/shared/dlq.ts sets them on every dead letter, so
 * a consumer can route on them without parsing the value). Topics not listed carry none.
 */
export const TOPIC_HEADERS: Readonly<Record<string, readonly { name: string; value: string }[]>> = {
  [DLQ_TOPIC]: [
    { name: 'dlq-reason', value: 'the `reason` of the value (e.g. `schema_invalid`)' },
    {
      name: 'dlq-step',
      value: 'the `step` of the value: the pipeline step that gave up (e.g. `import:payouts`)',
    },
  ],
};

/** Who writes the topic and what a consumer can rely on (services/, workflows/). */
function delivery(topic: string): string {
  if (EVENT_TYPES.some((t) => topic === rawTopic(t)))
    return (
      'Written by `influence import` and the ingest endpoint with idempotent producers ' +
      '(`idempotent: true`, one request in flight, acks from every in-sync replica), so a producer ' +
      'retry never duplicates or reorders a message. `event_id` is deterministic: a record imported ' +
      'again gets the same id, and ids already stored are skipped, but a re-run import can still ' +
      'publish an event whose first copy was not stored yet. Deduplicate on `event_id`.'
    );
  if (EVENT_TYPES.some((t) => topic === enrichedTopic(t)))
    return (
      'At least once. The ingest-batch workflow publishes the enriched events of a batch from an ' +
      'activity that Temporal retries, and a rebuild replays every raw topic, so the same event ' +
      'can arrive more than once, always with the same `event_id` and content. Deduplicate on `event_id`.'
    );
  if (topic === CORRELATIONS_TOPIC)
    return (
      'At least once. A sponsor workflow publishes what changed before it records it in ClickHouse, ' +
      'so a retried recomputation publishes the same change again. The same `correlation_id` can ' +
      'arrive several times: keep the one with the latest `computed_at`. `holds: false` retracts a ' +
      'correlation that a recomputation no longer finds.'
    );
  if (topic === DLQ_TOPIC)
    return (
      'At least once. A service commits its input (offset or file position) only after the dead ' +
      'letter is acknowledged by every in-sync replica, so nothing is lost and a retry may write ' +
      'the same letter twice.'
    );
  throw new Error(
    `no delivery semantics documented for ${topic}: add them in infra/json-schema/topics-doc.ts`,
  );
}

/** What the key guarantees: the default partitioner sends one key to one partition. */
function keyGuarantee(t: TopicSpec): string {
  if (t.partitions === 1)
    return 'One partition: every message is in the order it was written, whatever its key.';
  return (
    `${t.partitions} partitions. Messages with the same key go to the same partition (the ` +
    'default partitioner, murmur2 of the key as in the Java client), where Kafka keeps them in ' +
    'the order they were written. There is no order between different keys.'
  );
}

function anchor(topic: string): string {
  return topic.replace(/[^a-z0-9 -]/gi, '').toLowerCase();
}

/** Text for a line of Markdown: `<name>` outside code spans stays text, not an HTML tag. */
function prose(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '\\<') : part))
    .join('`');
}

/** Text for a table cell: one line, `|` escaped. */
function cell(text: string): string {
  return prose(text)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The schema a `$ref` points to, or the schema itself. */
function resolve(s: Json, defs: Record<string, Json>): Json {
  return typeof s.$ref === 'string' ? (defs[refName(s.$ref)] ?? {}) : s;
}

/** A short type for a table cell: `string`, `"donation"`, `Instant`, `string or null`, … */
function typeOf(s: Json, defs: Record<string, Json>): string {
  if (typeof s.$ref === 'string') {
    const name = refName(s.$ref);
    const target = defs[name] ?? {};
    return target.type === 'object' && target.properties
      ? `${name}: object`
      : `${name}: ${typeOf(target, defs)}`;
  }
  if ('const' in s) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`;
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map((x) => typeOf(x, defs)).join(' or ');
  if (s.type === 'array') return `array of ${typeOf((s.items as Json | undefined) ?? {}, defs)}`;
  if (s.type === 'object') return s.properties ? 'object' : 'object (string keys)';
  if (Array.isArray(s.type))
    return (s.type as string[]).map((t) => typeOf({ ...s, type: t }, defs)).join(' or ');
  if (typeof s.type !== 'string') return 'any';
  if (s.type === 'null') return 'null';
  const notes: string[] = [];
  if (typeof s.format === 'string') notes.push(s.format);
  if (typeof s.pattern === 'string' && s.pattern.length <= 48) notes.push(`\`${s.pattern}\``);
  return notes.length > 0 ? `${s.type} (${notes.join(', ')})` : s.type;
}

function descriptionOf(s: Json, defs: Record<string, Json>): string {
  if (typeof s.description === 'string') return s.description;
  const target = resolve(s, defs);
  if (target !== s && typeof target.description === 'string') return target.description;
  if (Array.isArray(s.anyOf))
    for (const x of s.anyOf as Json[]) {
      const d = descriptionOf(x, defs);
      if (d) return d;
    }
  return '';
}

interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/** The object's fields, nested objects and arrays of objects flattened as `a.b` and `a[].b`. */
function fields(s: Json, defs: Record<string, Json>, prefix = ''): FieldRow[] {
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required ?? []) as string[]);
  const rows: FieldRow[] = [];
  for (const [name, prop] of Object.entries(props)) {
    const full = `${prefix}${name}`;
    rows.push({
      name: full,
      type: typeOf(prop, defs),
      required: required.has(name),
      description: descriptionOf(prop, defs),
    });
    const target = resolve(prop, defs);
    if (target.type === 'object' && target.properties) rows.push(...fields(target, defs, `${full}.`));
    const items = target.type === 'array' ? resolve((target.items ?? {}) as Json, defs) : undefined;
    if (items?.type === 'object' && items.properties) rows.push(...fields(items, defs, `${full}[].`));
  }
  return rows;
}

function fieldTable(doc: Json): string {
  const defs = (doc.$defs ?? {}) as Record<string, Json>;
  const lines = ['| field | type | required | description |', '| --- | --- | --- | --- |'];
  for (const f of fields(doc, defs))
    lines.push(
      `| \`${f.name}\` | ${cell(f.type)} | ${f.required ? 'yes' : 'no'} | ${cell(f.description) || '—'} |`,
    );
  return lines.join('\n');
}

function exampleBlock(example: TopicExample): string {
  const { key, headers, value } = example.message;
  const head = [`key: ${JSON.stringify(key)}`];
  if (Object.keys(headers).length > 0) head.push(`headers: ${JSON.stringify(headers)}`);
  return [
    `Example, ${example.origin}:`,
    '',
    '```',
    ...head,
    '```',
    '',
    '```json',
    JSON.stringify(value, null, 2),
    '```',
  ].join('\n');
}

function topicSection(t: TopicSpec, doc: Json, example: TopicExample): string {
  const headers = TOPIC_HEADERS[t.name] ?? [];
  const closed = doc.additionalProperties === false;
  return [
    `### ${t.name}`,
    '',
    t.description,
    '',
    `- **Partitions:** ${t.partitions}.`,
    `- **Retention:** ${
      t.retention === 'forever'
        ? 'forever (`retention.ms=-1`): a system of record that rebuild and replay read from offset 0.'
        : "the broker's default (`log.retention.hours`); a rebuild publishes it again."
    }`,
    `- **Key:** ${prose(t.key)}.`,
    `- **Ordering:** ${keyGuarantee(t)}`,
    `- **Delivery:** ${delivery(t.name)}`,
    `- **Headers:** ${
      headers.length === 0 ? 'none.' : headers.map((h) => `\`${h.name}\`: ${h.value}`).join('; ') + '.'
    }`,
    `- **JSON Schema:** [schemas/json/${schemaFileName(t.name)}](../schemas/json/${schemaFileName(t.name)})` +
      (closed ? ' (closed: it rejects fields it does not list).' : '.'),
    '',
    typeof doc.$comment === 'string' ? `${doc.$comment}\n` : '',
    fieldTable(doc),
    '',
    exampleBlock(example),
    '',
  ].join('\n');
}

const INTRO = `# Kafka topics

<!-- Generated by \`npm run schemas:export\` (infra/json-schema/topics-doc.ts) from the zod
contracts in schemas/. Do not edit: a unit test fails when this file differs from the code. -->

Every topic the pipeline writes, for dashboards and downstream teams that consume them. The
names, keys and partitions come from [schemas/topics.ts](../schemas/topics.ts); the fields,
types and descriptions from the zod contracts in [schemas/](../schemas), through the JSON
Schemas in [schemas/json](../schemas/json); the examples are real messages of the bundled
sample campaign. Values are UTF-8 JSON, keys UTF-8 strings. Ids, money and 64-bit counts are
strings (X and Meta ids exceed 2^53).

Consumer groups are named \`<service>.<topic>\`. Read the topics of a local stack from the
brokers that \`npx influence stack status\` prints (or \`KAFKA_BROKERS\`).
`;

const CONSUMER = (source: string) => `## An example consumer

[${EXAMPLE_CONSUMER_PATH}](../${EXAMPLE_CONSUMER_PATH}) prints contradictory messaging as the
sponsor workflows find it: plain kafkajs and the exported zod schema. Run it against a local
stack with \`npx node ${EXAMPLE_CONSUMER_PATH}\` (it takes the brokers from \`KAFKA_BROKERS\` or
the running stack); an integration test runs it against the test stack.

\`\`\`ts
${source.trimEnd()}
\`\`\`
`;

const VERSIONING = `## Versioning policy

- **A topic name ends in its major version**, \`.v1\`, and every value carries the same number
  in \`schema_version\` (the zod contracts fix it with \`z.literal(1)\`). A raw event's
  \`event_id\` is derived from its source, its source record id and its \`schema_version\`, so the
  same record under another version is another event.
- **Compatible changes stay on the topic and keep \`schema_version\`.** They are additive: a new
  field (optional, or nullable and always present on enriched topics), a new value of an enum
  (a correlation \`kind\`, a DLQ \`reason\`, a platform) or a better description. The zod
  contract, its JSON Schema in schemas/json and this document change in the same commit.
  Consumers that must survive additive changes ignore fields they do not know (the example
  consumer parses with the zod schema's \`.loose()\`) and skip enum values they do not handle.
  The published documents are closed (\`additionalProperties: false\`, enums listed), so a
  consumer that validates with them verbatim must take the new document before it reads
  records that use the addition.
- **A breaking change makes a new topic**, \`.v2\` with \`schema_version: 2\`: removing or renaming
  a field, changing its type, format or unit (amounts from decimal strings to numbers), making
  an optional field required, or changing what the key is. The \`.v2\` topic runs side by side
  with \`.v1\`: the pipeline writes both, each with its own JSON Schema file and section here,
  until the consumers have moved; then \`.v1\` stops being written and is dropped after its
  retention. A \`.v1\` contract never changes incompatibly in place.
- **The partition count of a topic is not changed in place**: it would send existing keys to
  other partitions and break the per-key order. More partitions means a new version of the topic.
- **This document and schemas/json are generated**, and unit tests fail when either differs
  from the zod contracts, so every contract change shows up in review as a change of the
  published schemas.
`;

/** The text of docs/topics.md. `consumerSource` is the example consumer's code, shown verbatim. */
export function renderTopicsDoc(examples: ReadonlyMap<string, TopicExample>, consumerSource: string): string {
  const docs = jsonSchemasByTopic() as Map<string, Json>;
  const index = [
    '| topic | partitions | key | JSON Schema |',
    '| --- | --- | --- | --- |',
    ...TOPICS.map(
      (t) =>
        `| [${t.name}](#${anchor(t.name)}) | ${t.partitions} | ${cell(t.key)} | ` +
        `[${schemaFileName(t.name)}](../schemas/json/${schemaFileName(t.name)}) |`,
    ),
  ].join('\n');
  const sections = TOPICS.map((t) => {
    const doc = docs.get(t.name);
    const example = examples.get(t.name);
    if (!doc || !example) throw new Error(`no JSON Schema or no example for ${t.name}`);
    return topicSection(t, doc, example);
  });
  return [INTRO, index, '', '## Topics', '', ...sections, CONSUMER(consumerSource), VERSIONING].join('\n');
}

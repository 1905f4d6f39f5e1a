import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorrelationRecordV1 } from '../../schemas/correlation.ts';
import { EVENT_SPECS } from '../../schemas/events/index.ts';
import { DLQ_TOPIC, EVENT_TYPES, TOPICS, rawTopic } from '../../schemas/topics.ts';
import { jsonSchemasByTopic, schemaFileName } from './export.ts';
import { SCHEMAS_JSON_DIR, renderTopicsDocFile, topicsDocFile } from './files.ts';
import { topicExamples, type TopicExample } from './topic-examples.ts';
import { EXAMPLE_CONSUMER_PATH, TOPIC_HEADERS, renderTopicsDoc } from './topics-doc.ts';

const STALE = 'docs/topics.md is out of date with the schemas: run npm run schemas:export';

let generated: string;
let examples: Map<string, TopicExample>;

beforeAll(async () => {
  generated = await renderTopicsDocFile();
  examples = await topicExamples();
}, 60_000);

/** The section of one topic: from its heading to the next heading of the same level. */
function section(topic: string): string {
  const start = generated.indexOf(`\n### ${topic}\n`);
  expect(start, `no section for ${topic}`).toBeGreaterThan(0);
  const end = generated.indexOf('\n## ', start + 1);
  const next = generated.indexOf('\n### ', start + 1);
  return generated.slice(start, Math.min(...[end, next].filter((i) => i > 0)));
}

describe('docs/topics.md', () => {
  it('equals the document generated from the schemas', () => {
    let committed: string | null = null;
    try {
      committed = readFileSync(topicsDocFile(), 'utf8');
    } catch {
      committed = null;
    }
    expect(committed === generated, STALE).toBe(true);
  });

  it('has a section per topic with its partitions, key, schema link and every field', () => {
    const docs = jsonSchemasByTopic() as Map<string, { properties: Record<string, unknown> }>;
    for (const t of TOPICS) {
      const s = section(t.name);
      expect(s).toContain(`**Partitions:** ${t.partitions}.`);
      expect(s).toContain('**Ordering:**');
      expect(s).toContain('**Delivery:**');
      expect(s).toContain(`](../schemas/json/${schemaFileName(t.name)})`);
      expect(existsSync(path.join(SCHEMAS_JSON_DIR, schemaFileName(t.name)))).toBe(true);
      for (const field of Object.keys(docs.get(t.name)!.properties)) expect(s).toContain(`| \`${field}\``);
      expect(s).toContain('```json');
    }
    expect(section(rawTopic('donation'))).toContain('| `payload.committee_id`');
  });

  it('takes descriptions and types from the zod contracts', () => {
    const s = section('influence.correlations.v1');
    expect(s).toContain(CorrelationRecordV1.shape.holds.description);
    expect(s).toMatch(/\| `kind` +\| one of `"contradiction"`, `"funding_flow"`, `"funnel"`, `"post_lift"`/);
    expect(s).toMatch(/\| `computed_at` +\| Instant: string \(date-time\) +\| yes/);
  });

  it('shows the example consumer verbatim and the versioning policy', () => {
    const source = readFileSync(path.join(SCHEMAS_JSON_DIR, '../..', EXAMPLE_CONSUMER_PATH), 'utf8');
    expect(generated).toContain(source.trimEnd());
    expect(generated).toContain('## Versioning policy');
  });

  it('documents the headers the DLQ example carries', () => {
    const dlq = examples.get(DLQ_TOPIC)!.message;
    const value = dlq.value as { reason: string; step: string };
    expect(Object.keys(dlq.headers).sort()).toEqual(
      (TOPIC_HEADERS[DLQ_TOPIC] ?? []).map((h) => h.name).sort(),
    );
    expect(dlq.headers).toEqual({ 'dlq-reason': value.reason, 'dlq-step': value.step });
  });
});

describe('topicExamples', () => {
  it('has one example per topic, raw keys as the key functions compute them', () => {
    expect([...examples.keys()].sort()).toEqual(TOPICS.map((t) => t.name).sort());
    for (const type of EVENT_TYPES) {
      const m = examples.get(rawTopic(type))!.message;
      expect(m.key).toBe(EVENT_SPECS[type].key(m.value));
    }
  });

  it('makes renderTopicsDoc fail when a topic has none', () => {
    const partial = new Map(examples);
    partial.delete(DLQ_TOPIC);
    expect(() => renderTopicsDoc(partial, '')).toThrow(/no JSON Schema or no example for influence.dlq.v1/);
  });
});

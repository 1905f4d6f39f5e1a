import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENRICHED_SCHEMAS } from '../../schemas/enriched.ts';
import {
  CORRELATIONS_TOPIC,
  DLQ_TOPIC,
  enrichedTopic,
  EVENT_TYPES,
  rawTopic,
  TOPICS,
} from '../../schemas/topics.ts';
import { jsonSchemasByTopic, renderSchemaFiles, SCHEMA_BASE_URL, schemaFileName } from './export.ts';
import { SCHEMAS_JSON_DIR, writeSchemaFiles } from './files.ts';

const STALE = 'run npm run schemas:export';

type Doc = Record<string, unknown> & {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
};

describe('committed schemas/json', () => {
  const files = renderSchemaFiles();

  it.each([...files.keys()])('%s equals the generated schema', (name) => {
    let committed: string | null = null;
    try {
      committed = readFileSync(path.join(SCHEMAS_JSON_DIR, name), 'utf8');
    } catch {
      committed = null;
    }
    expect(committed, `schemas/json/${name} is missing or out of date: ${STALE}`).toBe(files.get(name));
  });

  it('holds no other file', () => {
    const extra = readdirSync(SCHEMAS_JSON_DIR).filter((n) => !files.has(n));
    expect(extra, `stale files in schemas/json: ${STALE}`).toEqual([]);
  });
});

describe('jsonSchemasByTopic', () => {
  const docs = jsonSchemasByTopic() as Map<string, Doc>;

  it('has one draft 2020-12 document per topic, with $id, title and the Kafka key', () => {
    expect([...docs.keys()]).toEqual(TOPICS.map((t) => t.name));
    for (const t of TOPICS) {
      const d = docs.get(t.name)!;
      expect(Object.keys(d).slice(0, 5)).toEqual(['$schema', '$id', 'title', 'description', '$comment']);
      expect(d.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(d.$id).toBe(`${SCHEMA_BASE_URL}${schemaFileName(t.name)}`);
      expect(d.title).toBe(t.name);
      expect(d.description).toContain(t.key);
    }
  });

  it('gives raw topics the envelope of their type, strict, with the defaults as required (output)', () => {
    const d = docs.get(rawTopic('donation'))!;
    expect(d.properties!.type).toMatchObject({ const: 'donation' });
    expect(d.additionalProperties).toBe(false);
    const payload = d.properties!.payload as Doc;
    expect(payload.additionalProperties).toBe(false);
    expect(payload.required).toEqual(expect.arrayContaining(['committee_id', 'amount', 'currency', 'memo']));
    expect(payload.required).not.toContain('fec_sub_id');
  });

  it('describes money and ids as strings and pseudonyms by pattern', () => {
    const d = docs.get(rawTopic('payout'))!;
    const defs = d.$defs as Record<string, Doc>;
    expect(defs.DecimalString).toMatchObject({ type: 'string' });
    expect(defs.Pseudonym).toMatchObject({ type: 'string', pattern: '^hmac-sha256:[0-9a-f]{64}$' });
    expect(Object.keys(defs)).toEqual([...Object.keys(defs)].sort());
  });

  it('gives enriched topics the enriched schema of their type, and correlations their record', () => {
    for (const type of EVENT_TYPES) {
      const d = docs.get(enrichedTopic(type))!;
      const { table } = ENRICHED_SCHEMAS[type];
      expect(d.$comment).toContain('schemas/enriched.ts');
      expect(d.$comment).toContain(table);
      expect(d.additionalProperties).toBe(false);
      expect(d.properties!.type).toMatchObject({ const: type });
      expect(d.properties).not.toHaveProperty('payload');
      // Every field is always present (null when absent), as the enrichment writes it.
      expect([...d.required!].sort()).toEqual(Object.keys(d.properties!).sort());
    }
    const ad = docs.get(enrichedTopic('ad'))!;
    expect(ad.properties).toHaveProperty('spend_usd_point');
    expect(ad.properties).toHaveProperty('stance_origins');
    const defs = ad.$defs as Record<string, Doc>;
    expect(defs.Cents).toMatchObject({ type: 'string' });
    expect(defs.UtcInstant).toMatchObject({ type: 'string', format: 'date-time' });
    const correlations = docs.get(CORRELATIONS_TOPIC)!;
    expect(correlations.$comment).toContain('schemas/correlation.ts');
    expect(correlations.properties).toHaveProperty('holds');
    expect(correlations.properties!.kind).toMatchObject({
      enum: ['contradiction', 'funding_flow', 'funnel', 'post_lift'],
    });
    expect(docs.get(DLQ_TOPIC)!.properties).toHaveProperty('raw_base64');
  });

  it('is deterministic', () => {
    expect(renderSchemaFiles()).toEqual(renderSchemaFiles());
  });
});

describe('writeSchemaFiles', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('writes every file, then only what changed, and deletes stale files', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'json-schema-'));
    const first = writeSchemaFiles(dir);
    expect(first.written).toHaveLength(TOPICS.length);
    writeFileSync(path.join(dir, 'influence.raw.bribe.v1.schema.json'), '{}\n');
    writeFileSync(path.join(dir, schemaFileName(DLQ_TOPIC)), '{}\n');
    const second = writeSchemaFiles(dir);
    expect(second).toEqual({
      written: [schemaFileName(DLQ_TOPIC)],
      unchanged: expect.any(Array) as string[],
      deleted: ['influence.raw.bribe.v1.schema.json'],
    });
    expect(second.unchanged).toHaveLength(TOPICS.length - 1);
    expect(readdirSync(dir).sort()).toEqual([...renderSchemaFiles().keys()].sort());
  });
});

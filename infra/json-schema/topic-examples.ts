/**
 * One real example message per topic, for docs/topics.md: never typed by hand.
 *
 * - Raw and enriched topics: the first record of the sample campaign (infra/sample/campaign)
 *   that yields each event type, through the real importer and the real enricher, as the
 *   pipeline publishes it. The ingestion time and the HMAC key are fixed so that the output is
 *   the same on every run (pseudonyms are therefore those of an example key, not a stack's).
 * - Correlations and dead letters need ClickHouse views or a broken input, so they were recorded
 *   from a stack that had imported the sample campaign and the broken rows of
 *   test/fixtures/first-party/payouts.csv (record-examples.ts); they are read from
 *   recorded-examples.json.
 *
 * Every example is checked against its topic's zod schema, so a contract change that the
 * examples no longer satisfy fails here instead of publishing a wrong example.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { CAMPAIGN_DIR, CAMPAIGN_IMPORTS } from '../sample/campaign/manifest.ts';
import { CorrelationRecordV1 } from '../../schemas/correlation.ts';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { ENRICHED_SCHEMAS } from '../../schemas/enriched.ts';
import { EVENT_SPECS } from '../../schemas/events/index.ts';
import {
  CORRELATIONS_TOPIC,
  DLQ_TOPIC,
  EVENT_TYPES,
  enrichedTopic,
  rawTopic,
  type EventType,
} from '../../schemas/topics.ts';
import { IMPORT_SOURCES } from '../../services/cli/sources.ts';
import { createEnricher } from '../../services/enrich/index.ts';
import { rawRowOf, repoReference, type PublishedEvent } from '../../services/enrich/testing.ts';
import { runImport } from '../../services/shared/ingest/importer.ts';
import { MemorySink } from '../../services/shared/ingest/memory-sink.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { createPseudonymizer } from '../../services/shared/pseudonym.ts';
import { createSealer } from '../../services/shared/seal.ts';

/** A Kafka message as a consumer receives it. */
export interface RecordedMessage {
  key: string | null;
  headers: Record<string, string>;
  value: unknown;
}

/** An example message and where it comes from (a sentence for the document). */
export interface TopicExample {
  message: RecordedMessage;
  origin: string;
}

/** The file of recorded messages, beside this one. */
export const RECORDED_EXAMPLES_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'recorded-examples.json',
);

/** Fixed, so that the examples do not change from run to run. */
const INGESTED_AT = new Date('2024-11-07T00:00:00.000Z');
const EXAMPLE_HMAC_KEY = Buffer.alloc(32, 7);

function checked(topic: string, schema: z.ZodType, message: RecordedMessage): RecordedMessage {
  const r = schema.safeParse(message.value);
  if (!r.success)
    throw new Error(`the example of ${topic} no longer fits its schema: ${r.error.message.slice(0, 2000)}`);
  return message;
}

async function sampleExamples(): Promise<Map<string, TopicExample>> {
  const out = new Map<string, TopicExample>();
  const enricher = createEnricher(repoReference());
  const pseudonymize = createPseudonymizer(EXAMPLE_HMAC_KEY);
  const sealer = createSealer(EXAMPLE_HMAC_KEY);
  for (const { source: name, file } of CAMPAIGN_IMPORTS) {
    const source = IMPORT_SOURCES.find((s) => s.name === name);
    if (!source) throw new Error(`infra/sample/campaign/manifest.ts names an unknown source ${name}`);
    const sink = new MemorySink();
    await runImport({
      source,
      inputs: [path.join(CAMPAIGN_DIR, file)],
      sink,
      pseudonymize,
      log: silentLogger,
      now: () => INGESTED_AT,
      seal: (raw) => sealer.seal(raw),
    });
    const first = sink.events[0];
    if (!first) continue;
    const event = JSON.parse(first.value) as PublishedEvent;
    const type = event.type as EventType;
    if (out.has(rawTopic(type))) continue;
    const origin = `the first record of infra/sample/campaign/${file} (\`influence import ${name}\`)`;
    out.set(rawTopic(type), {
      message: checked(rawTopic(type), EVENT_SPECS[type].envelope, {
        key: first.key,
        headers: {},
        value: event,
      }),
      origin,
    });
    const enriched = enricher.enrich(rawRowOf(event));
    if (!enriched.ok) throw new Error(`the example ${type} event does not enrich: ${enriched.reason}`);
    out.set(enrichedTopic(type), {
      message: checked(enrichedTopic(type), ENRICHED_SCHEMAS[type].schema, {
        key: enriched.enriched.key,
        headers: {},
        value: enriched.enriched.value,
      }),
      origin: `${origin}, enriched`,
    });
  }
  return out;
}

function recordedExamples(): Map<string, TopicExample> {
  const recorded = JSON.parse(readFileSync(RECORDED_EXAMPLES_FILE, 'utf8')) as Record<
    string,
    RecordedMessage | undefined
  >;
  const take = (topic: string, schema: z.ZodType, origin: string): [string, TopicExample] => {
    const m = recorded[topic];
    if (!m) throw new Error(`${RECORDED_EXAMPLES_FILE} has no message of ${topic}`);
    return [topic, { message: checked(topic, schema, m), origin }];
  };
  return new Map([
    take(
      CORRELATIONS_TOPIC,
      CorrelationRecordV1,
      'recorded from a local stack after importing the sample campaign (the Snapchat ad pair of America PAC)',
    ),
    take(
      DLQ_TOPIC,
      DlqRecordV1,
      'recorded from a local stack after `influence import payouts test/fixtures/first-party/payouts.csv` (a broken row; first-party raw bytes are sealed)',
    ),
  ]);
}

/** The example message of every topic, by topic name. @throws when one no longer fits its schema. */
export async function topicExamples(): Promise<Map<string, TopicExample>> {
  const examples = new Map([...(await sampleExamples()), ...recordedExamples()]);
  for (const type of EVENT_TYPES)
    for (const topic of [rawTopic(type), enrichedTopic(type)])
      if (!examples.has(topic)) throw new Error(`the sample campaign has no ${type} event for ${topic}`);
  return examples;
}

/**
 * Every file of the shared public data (and the project's own fixtures for the formats it has
 * none of) imports through `influence import` into the real Kafka broker: rows read = events
 * published + dead letters + duplicates, each checked against a count made without the
 * importer and against the messages actually on the topics. No raw phone number or email of
 * the first-party inputs reaches any topic.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Kafka } from 'kafkajs';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { DLQ_TOPIC, rawTopic, type EventType } from '../../schemas/topics.ts';
import { DlqRecordV1 } from '../../schemas/dlq.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { influence } from '../helpers/cli.ts';
import { countCsvRecords, countGraphItems, countLines, countXPosts } from '../helpers/count.ts';
import { stackEndpoints, testKafka, uniqueSuffix } from '../helpers/stack.ts';

const DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const HMAC_KEY = 'ab'.repeat(32);
const stateDir = mkdtempSync(path.join(tmpdir(), 'influence-import-'));
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = testKafka(`import-test-${uniqueSuffix()}`);
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  rmSync(stateDir, { recursive: true, force: true });
});

function files(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));
}

interface Case {
  source: string;
  /** The envelope's `source` when it is not the CLI name. */
  eventSource?: string;
  type: EventType;
  inputs: string[];
  count: (file: string) => number;
}

const metaReport = [
  ...files(path.join(DATA, 'meta', 'report_TH'), '.csv'),
  ...files(path.join(DATA, 'meta', 'report_TH', 'regions'), '.csv'),
];
const CASES: Case[] = [
  {
    source: 'fec-itcont',
    type: 'donation',
    inputs: [path.join(DATA, 'fec', 'itcont_2017_sample.txt')],
    count: countLines,
  },
  {
    source: 'fec-schedule-e',
    type: 'payout',
    inputs: [path.join(DATA, 'fec', 'america_pac_schedule_e_2024.csv')],
    count: countCsvRecords,
  },
  { source: 'snap', type: 'ad', inputs: files(path.join(DATA, 'snap'), '.csv'), count: countCsvRecords },
  { source: 'meta-report', type: 'ad', inputs: metaReport, count: countCsvRecords },
  { source: 'x-posts', type: 'post', inputs: files(path.join(DATA, 'x'), '.json'), count: countXPosts },
  {
    source: 'meta-ads',
    type: 'ad',
    inputs: files(path.join(FIXTURES, 'ads', 'meta'), '.json'),
    count: countGraphItems,
  },
  {
    source: 'google-ads',
    type: 'ad',
    inputs: files(path.join(FIXTURES, 'ads', 'google'), '.csv'),
    count: countCsvRecords,
  },
  {
    source: 'payouts',
    type: 'payout',
    inputs: [path.join(FIXTURES, 'first-party', 'payouts.csv')],
    count: countCsvRecords,
  },
  {
    source: 'signups',
    type: 'signup',
    inputs: [path.join(FIXTURES, 'first-party', 'signups.csv')],
    count: countCsvRecords,
  },
  {
    source: 'contacts',
    type: 'contact',
    inputs: [path.join(FIXTURES, 'first-party', 'contacts.csv')],
    count: countCsvRecords,
  },
  {
    source: 'annotations',
    eventSource: 'annotations:csv',
    type: 'annotation',
    inputs: [path.join(REPO_ROOT, 'infra', 'sample', 'campaign', 'ad-annotations.csv')],
    count: countCsvRecords,
  },
];

type Offsets = Map<number, bigint>;
async function ends(topic: string): Promise<Offsets> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)]));
}

interface Range {
  topic: string;
  from: Offsets;
  to: Offsets;
}

/** The values of the messages appended to each topic between two offset snapshots (one consumer). */
async function appended(ranges: readonly Range[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ranges.map((r) => [r.topic, []]));
  const count = (r: Range): number =>
    [...r.to].reduce((n, [p, end]) => n + Number(end - (r.from.get(p) ?? 0n)), 0);
  const live = ranges.filter((r) => count(r) > 0);
  if (live.length === 0) return out;
  const wanted = live.reduce((n, r) => n + count(r), 0);
  let got = 0;
  const consumer = kafka.consumer({ groupId: `import-check-${uniqueSuffix()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: live.map((r) => r.topic), fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, partition, message }) => {
      const r = live.find((x) => x.topic === topic);
      const at = BigInt(message.offset);
      if (r && at >= (r.from.get(partition) ?? 0n) && at < (r.to.get(partition) ?? 0n)) {
        out.get(topic)?.push(message.value?.toString('utf8') ?? '');
        got++;
      }
      return Promise.resolve();
    },
  });
  try {
    await waitFor(() => Promise.resolve(got >= wanted ? true : undefined), {
      what: `${wanted} messages on ${live.map((r) => r.topic).join(', ')}`,
      timeoutMs: 60_000,
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

interface Summary {
  read: number;
  published: number;
  dead_lettered: number;
  duplicates: number;
  unreadable: number;
  inputs: { input: string; read: number }[];
}

describe('influence import on every shared data file', () => {
  const onTopics: { source: string; raw: string[]; dlq: string[] }[] = [];

  for (const c of CASES) {
    it(`${c.source}: ${c.inputs.length} file(s), every row accounted for on the topics`, async () => {
      const rawBefore = await ends(rawTopic(c.type));
      const dlqBefore = await ends(DLQ_TOPIC);
      const r = await influence(['import', c.source, ...c.inputs, '--json', '--no-dedup'], {
        KAFKA_BROKERS: stackEndpoints().kafka.brokers,
        INGEST_HMAC_KEY: HMAC_KEY,
        INFLUENCE_STATE_DIR: stateDir,
      });
      expect(r.code, r.stderr.slice(-3000)).toBe(0);
      const s = JSON.parse(r.stdout) as Summary;
      // Rows counted without the importer, file by file.
      for (const input of s.inputs) expect(input.read, input.input).toBe(c.count(input.input));
      expect(s.read).toBe(c.inputs.reduce((n, f) => n + c.count(f), 0));
      expect(s.read).toBe(s.published + s.dead_lettered + s.duplicates);
      expect(s.unreadable).toBe(0);

      // What reached Kafka: this import's events, and its dead letters with their positions.
      const got = await appended([
        { topic: rawTopic(c.type), from: rawBefore, to: await ends(rawTopic(c.type)) },
        { topic: DLQ_TOPIC, from: dlqBefore, to: await ends(DLQ_TOPIC) },
      ]);
      const raw = (got.get(rawTopic(c.type)) ?? []).filter(
        (v) => (JSON.parse(v) as { source: string }).source === (c.eventSource ?? c.source),
      );
      const dlq = (got.get(DLQ_TOPIC) ?? []).filter(
        (v) => DlqRecordV1.parse(JSON.parse(v)).step === `import:${c.source}`,
      );
      expect(raw).toHaveLength(s.published);
      expect(dlq).toHaveLength(s.dead_lettered);
      for (const v of dlq) {
        const d = DlqRecordV1.parse(JSON.parse(v));
        expect(c.inputs).toContain(d.source);
        expect(d.position).toBeTruthy();
        expect(d.detail.length).toBeGreaterThan(0);
      }
      onTopics.push({ source: c.source, raw, dlq });
    });
  }

  it('a second import of a file publishes the same event ids (nothing new downstream)', async () => {
    const file = path.join(DATA, 'fec', 'itcont_2017_sample.txt');
    const before = await ends(rawTopic('donation'));
    const r = await influence(['import', 'fec-itcont', file, '--json', '--no-dedup'], {
      KAFKA_BROKERS: stackEndpoints().kafka.brokers,
      INGEST_HMAC_KEY: HMAC_KEY,
      INFLUENCE_STATE_DIR: stateDir,
    });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const again = (
      (
        await appended([{ topic: rawTopic('donation'), from: before, to: await ends(rawTopic('donation')) }])
      ).get(rawTopic('donation')) ?? []
    )
      .map((v) => JSON.parse(v) as { source: string; event_id: string })
      .filter((e) => e.source === 'fec-itcont')
      .map((e) => e.event_id);
    const first = onTopics.find((t) => t.source === 'fec-itcont');
    expect(first).toBeDefined();
    const firstIds = (first?.raw ?? []).map((v) => (JSON.parse(v) as { event_id: string }).event_id);
    expect(new Set(again)).toEqual(new Set(firstIds));
  });

  it('lets no raw phone number, email or private name of the first-party inputs into any topic', () => {
    const expected = JSON.parse(
      readFileSync(path.join(FIXTURES, 'first-party', 'expected.json'), 'utf8'),
    ) as {
      private_values: string[];
    };
    const firstParty = onTopics.filter((t) => ['payouts', 'signups', 'contacts'].includes(t.source));
    expect(firstParty).toHaveLength(3);
    const haystack = firstParty
      .flatMap((t) => [...t.raw, ...t.dlq])
      .join('\n')
      .toLowerCase();
    expect(haystack.length).toBeGreaterThan(1000);
    for (const v of expected.private_values) {
      const needles = /^[\d\s()+.-]+$/.test(v) ? [v, v.replace(/\D/g, '')] : [v.toLowerCase()];
      for (const n of needles) expect(haystack.includes(n), `leaked ${n}`).toBe(false);
    }
  });
});

/**
 * Reading what a topic holds, for tests that must prove something is (or is not) in Kafka: every
 * message up to the end offsets of the moment, from the start or from given offsets, with a
 * consumer group of its own that commits nothing the others see.
 */
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DlqPublisher, toDlqRecord, type DeadLetter } from '../../services/shared/dlq.ts';
import { waitFor } from '../../infra/local/wait.ts';
import { uniqueSuffix } from '../helpers/stack.ts';

/** Offsets per partition (the next offset to read), e.g. from {@link endOffsets}. */
export type Offsets = ReadonlyMap<number, bigint>;

export interface ScannedMessage {
  topic: string;
  partition: number;
  offset: bigint;
  message: KafkaMessage;
}

/** The end (high watermark) of each partition of `topic` now. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every message of `topic` from `from` (default: each partition's start) up to the end offsets at
 * the time of the call. @throws when they cannot all be read within `timeoutMs`.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  opts: { from?: Offsets; timeoutMs?: number } = {},
): Promise<ScannedMessage[]> {
  return readTopics(kafka, [topic], {
    ...(opts.from ? { from: new Map([[topic, opts.from]]) } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
}

/** Every message of every topic in `topics` (one consumer for all), as {@link readTopic}. */
export async function readTopics(
  kafka: Kafka,
  topics: readonly string[],
  opts: { from?: ReadonlyMap<string, Offsets>; timeoutMs?: number } = {},
): Promise<ScannedMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ranges: { topic: string; partition: number; start: bigint; high: bigint }[] = [];
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const low = BigInt(p.low);
        const from = opts.from?.get(topic)?.get(p.partition);
        const start = from !== undefined && from > low ? from : low;
        if (start < BigInt(p.high))
          ranges.push({ topic, partition: p.partition, start, high: BigInt(p.high) });
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (ranges.length === 0) return [];
  const range = (topic: string, partition: number) =>
    ranges.find((r) => r.topic === topic && r.partition === partition);

  const out: ScannedMessage[] = [];
  const last = new Map<string, bigint>();
  const consumer = kafka.consumer({ groupId: `scan-${uniqueSuffix()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set(ranges.map((r) => r.topic))], fromBeginning: true });
    // seek() throws until the group is joined, which run() does not wait for.
    const joined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    const seen = new Set<string>();
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ topic, partition, message }) => {
        const offset = BigInt(message.offset);
        const r = range(topic, partition);
        // A message read before the seek below comes again after it: keep it once.
        const id = `${topic}/${partition}/${message.offset}`;
        if (r && offset >= r.start && offset < r.high && !seen.has(id)) {
          seen.add(id);
          out.push({ topic, partition, offset, message });
        }
        last.set(`${topic}/${partition}`, offset);
        return Promise.resolve();
      },
    });
    await joined;
    for (const r of ranges)
      consumer.seek({ topic: r.topic, partition: r.partition, offset: r.start.toString() });
    await waitFor(
      () =>
        Promise.resolve(
          ranges.every((r) => (last.get(`${r.topic}/${r.partition}`) ?? -1n) >= r.high - 1n)
            ? true
            : undefined,
        ),
      {
        what: `the messages of ${topics.join(', ')} up to their end offsets`,
        timeoutMs: opts.timeoutMs ?? 120_000,
      },
    );
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** The text of a message: key, value and headers, for searching. */
export function messageText(m: KafkaMessage): string {
  const headers = Object.entries(m.headers ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.map(String).join(',') : String(v ?? '')}`)
    .join('\n');
  return `${m.key?.toString('utf8') ?? ''}\n${m.value?.toString('utf8') ?? ''}\n${headers}`;
}

/**
 * A DlqPublisher that writes the same records (toDlqRecord, key, headers, acks) to a topic of the
 * test's own: dead letters sealed with a test's key must not reach the shared DLQ, where another
 * test that opens every sealed letter of its step with its own key would meet them. Keep
 * `publish` in step with DlqPublisher.publish (services/shared/dlq.ts).
 */
export class OwnTopicDlq extends DlqPublisher {
  readonly topic: string;
  private readonly out: Producer;
  private readonly by: string;

  constructor(producer: Producer, service: string, topic: string) {
    super(producer, service);
    this.out = producer;
    this.by = service;
    this.topic = topic;
  }

  override async publish(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.out.send({
      topic: this.topic,
      acks: -1,
      messages: letters.map((l) => ({
        key: l.key ?? l.source,
        value: JSON.stringify(toDlqRecord(l, this.by)),
        headers: { 'dlq-reason': l.reason, 'dlq-step': l.step },
      })),
    });
  }
}

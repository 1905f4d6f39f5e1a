/**
 * `influence replay --topic T [--from T] [--to T]`: runs a raw topic's messages (or those of a
 * time range) through the ingest steps again, with the rebuild workflow and no truncation.
 *
 * Why not reset the bridge group's offsets: Kafka lets a group's offsets be set only while the
 * group has no member, so every bridge would have to stop (pausing is not enough), and live
 * ingestion would wait behind the replay. The rebuild workflow reads the range with a group of
 * its own, through the same idempotent steps, while the bridges go on.
 */
import { parseArgs } from 'node:util';
import { EVENT_TYPES, rawTopic } from '../../../schemas/topics.ts';
import type { Logger } from '../../shared/logger.ts';
import { replayWorkflowId } from '../../../workflows/rebuild/contracts.ts';
import { CliError, EXIT } from '../context.ts';
import { runRebuildWorkflow } from './rebuild.ts';
import { printJson } from '../output.ts';

const RAW_TOPICS: readonly string[] = EVENT_TYPES.map(rawTopic);

export const REPLAY_HELP = `Usage: influence replay --topic T [--topic T]… [--from TIME] [--to TIME] [--detach] [--json]

Runs the messages of raw topics through the ingest steps again (raw insert, enrichment, typed
tables, then every touched sponsor's correlations), with the rebuild workflow and no truncation.
Every step is idempotent, so ClickHouse ends as it was unless the code or the reference data
changed; the bridges keep consuming meanwhile. The workflow id is
replay:<topics>:<from|start>..<to|end>; starting the same replay while it runs joins it.

  --topic T      a raw topic (${RAW_TOPICS.join(', ')}), or "all"
  --from TIME    only messages published at or after TIME (ISO 8601; Kafka's message timestamp,
                 i.e. when the event was published, not when it occurred)
  --to TIME      only messages published before TIME
  --detach       start it and return
  --json         print the result as JSON`;

function instant(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new CliError(`--${name} ${text} is not an ISO 8601 time`, EXIT.usage);
  return ms;
}

export async function replayCommand(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      topic: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      detach: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${REPLAY_HELP}\n`);
    return EXIT.ok;
  }
  const given = values.topic ?? [];
  if (given.length === 0) throw new CliError(`--topic is required\n\n${REPLAY_HELP}`, EXIT.usage);
  const topics = given.includes('all') ? [...RAW_TOPICS] : [...new Set(given)];
  const unknown = topics.filter((t) => !RAW_TOPICS.includes(t));
  if (unknown.length > 0)
    throw new CliError(`not a raw topic: ${unknown.join(', ')}; one of ${RAW_TOPICS.join(', ')}`, EXIT.usage);
  const fromMs = instant('from', values.from);
  const toMs = instant('to', values.to);
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
    throw new CliError('--to must be later than --from', EXIT.usage);

  const { workflowId, result } = await runRebuildWorkflow({
    workflowId: replayWorkflowId(topics, fromMs, toMs),
    input: {
      truncate: false,
      topics,
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
    },
    detach: values.detach,
    what: 'replay',
    log,
  });
  if (!result) return EXIT.ok;
  if (values.json) printJson({ workflow_id: workflowId, ...result });
  else
    for (const t of result.topics)
      process.stdout.write(
        `${t.topic}: ${t.messages} messages replayed, ${t.stored} stored, ${t.deadLettered} dead-lettered\n`,
      );
  return EXIT.ok;
}

/**
 * `influence run`: the main job. Starts the local stack and the pipeline, imports the bundled
 * sample through the ingest endpoint, waits until every accepted event is in ClickHouse, prints
 * what landed and where to look, and keeps serving until Ctrl-C (or exits with --once).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { REPO_ROOT } from '../../../infra/local/config.ts';
import { waitFor } from '../../../infra/local/wait.ts';
import type { Logger } from '../../shared/logger.ts';
import { createClickHouse } from '../../shared/clickhouse.ts';
import { EXIT } from '../context.ts';
import { bold, printJson, table } from '../output.ts';
import { bringUp, statusObject, untilSignal } from './stack.ts';

export const RUN_HELP = `Usage: influence run [--once] [--json] [--sample FILE]

The main job: starts Kafka, Temporal and ClickHouse on this machine, the ingest endpoint, the
bridge and the worker; sends the bundled sample through the pipeline; waits until it has all
landed in ClickHouse; prints what landed and the addresses of the SQL endpoint and the Temporal
UI; then keeps everything running until Ctrl-C.

  --once         stop everything and exit after the report
  --json         print the report as JSON
  --sample FILE  NDJSON of {"type", "submission"} lines (default: infra/sample/walking-skeleton.ndjson)`;

interface SampleLine {
  type: string;
  submission: unknown;
}

export async function runCommand(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      once: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      sample: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return EXIT.ok;
  }
  const sampleFile = path.resolve(
    values.sample ?? path.join(REPO_ROOT, 'infra', 'sample', 'walking-skeleton.ndjson'),
  );
  const lines = readFileSync(sampleFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as SampleLine);

  const started = await bringUp({ log, ui: true, infraOnly: false, detached: false });
  try {
    const services = started.services;
    if (!services) throw new Error('the pipeline services did not start');
    const accepted: string[] = [];
    let deadLettered = 0;
    for (const line of lines) {
      const res = await fetch(`${services.ingestUrl}/v1/events/${line.type}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${services.ingestToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(line.submission),
      });
      const body = (await res.json()) as { event_id?: string };
      if (res.status === 202 && body.event_id) accepted.push(body.event_id);
      else if (res.status === 422) deadLettered++;
      else throw new Error(`the ingest endpoint answered ${res.status}: ${JSON.stringify(body)}`);
    }
    log.info({ accepted: accepted.length, deadLettered }, 'sample sent; waiting for the pipeline');

    const e = started.stack.endpoints;
    const ch = createClickHouse({ url: e.clickhouse.url, database: e.clickhouse.database, log });
    try {
      await waitFor(
        async () => {
          const rs = await ch.query({
            query: 'SELECT uniqExact(event_id) AS n FROM raw_events WHERE event_id IN {ids:Array(String)}',
            query_params: { ids: accepted },
            format: 'JSONEachRow',
          });
          const [row] = await rs.json<{ n: string }>();
          return Number(row?.n ?? 0) >= accepted.length ? true : undefined;
        },
        { what: 'the sample to land in ClickHouse', timeoutMs: 120_000, intervalMs: 250 },
      );
      const rs = await ch.query({
        query: `SELECT type, count() AS events,
                  toString(sum(toDecimal128(JSONExtractString(payload, 'amount'), 2))) AS amount_usd
                FROM raw_events FINAL GROUP BY type ORDER BY type`,
        format: 'JSONEachRow',
      });
      const landed = await rs.json<{ type: string; events: string; amount_usd: string }>();
      const status = statusObject(started.stack.stateDir) ?? {};
      if (values.json) {
        printJson({
          sample: sampleFile,
          sent: lines.length,
          accepted: accepted.length,
          dead_lettered: deadLettered,
          landed,
          endpoints: status,
        });
      } else {
        const out = process.stdout;
        out.write(
          `\n${bold('What landed in ClickHouse')} (database ${e.clickhouse.database}, table raw_events)\n\n`,
        );
        out.write(
          `${table(
            ['type', 'events', 'amount (USD)'],
            landed.map((r) => [r.type, r.events, r.amount_usd]),
          )}\n`,
        );
        out.write(
          `\nsent ${lines.length}, accepted ${accepted.length}, dead-lettered ${deadLettered} (topic influence.dlq.v1)\n`,
        );
        out.write(`\n${bold('Where to look')}\n\n`);
        out.write(
          `${table(
            ['what', 'address'],
            [
              ['SQL endpoint (read-only analyst)', e.clickhouse.analyst_url ?? e.clickhouse.endpoint],
              ['Temporal UI', e.temporal.ui ?? '(headless)'],
              ['Temporal frontend', e.temporal.address],
              ['Kafka brokers', e.kafka.brokers],
              ['Ingest endpoint', `${services.ingestUrl}/v1/events/<type>`],
            ],
          )}\n`,
        );
        out.write(
          `\nTry: curl '${e.clickhouse.analyst_url ?? e.clickhouse.endpoint}/?database=${e.clickhouse.database}' --data-binary 'SELECT type, count() FROM raw_events FINAL GROUP BY type'\n`,
        );
      }
    } finally {
      await ch.close();
    }
    if (!values.once) {
      process.stdout.write('\nThe stack keeps running; press Ctrl-C to stop it.\n');
      await untilSignal();
    }
  } finally {
    await started.stop();
  }
  return EXIT.ok;
}

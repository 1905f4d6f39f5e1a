/**
 * `influence import <source> <path-or-url>…`: parse public records into events, publish them to
 * the source's raw topic, dead-letter what cannot be used, and print a summary.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from '../../shared/logger.ts';
import { createKafka } from '../../shared/kafka.ts';
import { createClickHouse } from '../../shared/clickhouse.ts';
import { createPseudonymizer } from '../../shared/pseudonym.ts';
import { createSealer } from '../../shared/seal.ts';
import { runImport, type ImportSummary } from '../../shared/ingest/importer.ts';
import { kafkaSink } from '../../shared/ingest/kafka-sink.ts';
import { clickhouseStoredLookup } from '../../shared/ingest/stored-lookup.ts';
import { CliError, EXIT, currentEndpoints, stackConfig } from '../context.ts';
import { hmacKey } from '../hmac-key.ts';
import { printJson, table } from '../output.ts';
import { progressReporter } from '../progress.ts';
import { IMPORT_SOURCES } from '../sources.ts';

export function importHelp(): string {
  const rows = IMPORT_SOURCES.map(
    (s) => `  ${s.name.padEnd(16)} → ${s.eventType.padEnd(9)} ${s.description}`,
  );
  return `Usage: influence import <source> <path-or-url>... [--json] [--no-dedup]

Parses the inputs, publishes one event per record to influence.raw.<type>.v1 and writes every
record it cannot use to influence.dlq.v1 (with the file, position, reason and raw bytes). Event
ids are deterministic, so importing a file again publishes nothing new; events already stored
in ClickHouse are skipped as duplicates. Exits non-zero only when an input cannot be read.

Sources:
${rows.join('\n')}

  --json       print the summary as one JSON object (read, published, dead_lettered, duplicates, …)
  --no-dedup   do not ask ClickHouse which events it already holds

Private identifiers (emails, phones, private names) are pseudonymized with a keyed HMAC
(INGEST_HMAC_KEY; the local stack keeps a key of its own in the cache folder).`;
}

export async function importCommand(argv: string[], log: Logger): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'no-dedup': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${importHelp()}\n`);
    return EXIT.ok;
  }
  const [name, ...inputs] = positionals;
  const source = IMPORT_SOURCES.find((s) => s.name === name);
  if (!name || !source || inputs.length === 0) {
    throw new CliError(`${name && !source ? `unknown source "${name}"\n\n` : ''}${importHelp()}`, EXIT.usage);
  }
  const cfg = stackConfig();
  const endpoints = currentEndpoints(cfg);
  if (!endpoints.kafka.brokers)
    throw new CliError('no Kafka brokers: start a stack or set KAFKA_BROKERS', EXIT.notRunning);
  const key = hmacKey(cfg, !endpoints.kafka.external);
  const pseudonymize = createPseudonymizer(key);
  const sealer = createSealer(key);

  const kafka = createKafka({
    brokers: endpoints.kafka.brokers.split(','),
    clientId: `import-${source.name}`,
    log,
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const clickhouse =
    !values['no-dedup'] && endpoints.clickhouse.url
      ? createClickHouse({ url: endpoints.clickhouse.url, database: endpoints.clickhouse.database, log })
      : undefined;
  const progress = progressReporter(log);
  let summary: ImportSummary;
  await producer.connect();
  try {
    summary = await runImport({
      source,
      inputs,
      sink: kafkaSink(producer, `import:${source.name}`),
      pseudonymize,
      seal: (raw) => sealer.seal(raw),
      cursorDir: path.join(cfg.stateDir, 'cursors'),
      log,
      ...(clickhouse ? { stored: clickhouseStoredLookup(clickhouse) } : {}),
      onProgress: progress.update,
    });
  } finally {
    progress.done();
    await producer.disconnect();
    await clickhouse?.close();
  }

  if (values.json) printJson(summary);
  else {
    const rows = summary.inputs.map((i) => [
      i.input,
      i.read,
      i.published,
      i.dead_lettered,
      i.duplicates,
      i.error ?? '',
    ]);
    rows.push(['total', summary.read, summary.published, summary.dead_lettered, summary.duplicates, '']);
    process.stdout.write(
      `${table(['input', 'read', 'published', 'dead-lettered', 'duplicates', 'error'], rows)}\n`,
    );
    process.stdout.write(
      `${summary.source} → influence.raw.${source.eventType}.v1 in ${summary.seconds.toFixed(1)} s\n`,
    );
  }
  return summary.unreadable > 0 ? EXIT.failed : EXIT.ok;
}

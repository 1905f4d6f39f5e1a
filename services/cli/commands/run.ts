/**
 * `influence run`: the main job. Starts the local stack and the pipeline, imports the bundled
 * sample campaign (infra/sample/campaign) through the real importers, waits until the pipeline
 * is idle, prints what landed and where to look, and keeps serving
 * until Ctrl-C (or exits with --once).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CAMPAIGN_DIR, CAMPAIGN_IMPORTS } from '../../../infra/sample/campaign/manifest.ts';
import { localHmacKeyHex } from '../../../infra/local/hmac-key.ts';
import type { Logger } from '../../shared/logger.ts';
import { createClickHouse } from '../../shared/clickhouse.ts';
import { createKafka } from '../../shared/kafka.ts';
import { waitForPipelineIdle } from '../../shared/pipeline-status.ts';
import { createPseudonymizer, parseHmacKey } from '../../shared/pseudonym.ts';
import { createSealer } from '../../shared/seal.ts';
import { runImport, type ImportSummary } from '../../shared/ingest/importer.ts';
import { kafkaSink } from '../../shared/ingest/kafka-sink.ts';
import { EXIT, stackConfig } from '../context.ts';
import { cookbookQuery } from '../cookbook.ts';
import { bold, formatCents, money, printJson, table, toCents } from '../output.ts';
import { IMPORT_SOURCES } from '../sources.ts';
import { bringUp, statusObject, untilSignal } from './stack.ts';

export const RUN_HELP = `Usage: influence run [--once] [--json]

The main job: starts Kafka, Temporal and ClickHouse on this machine, the ingest endpoint, the
bridge and the worker; imports the bundled sample campaign (infra/sample/campaign: America PAC
donations and Schedule E payouts, the petition's bounties, lottery and signups, canvass
contacts, Snapchat and Meta ads with coders' annotations, @America posts); waits until the
pipeline is idle (enriched into ClickHouse, sponsors' correlations computed);
prints what landed, the spending-efficiency report (docs/sql/efficiency-by-state.sql: what the
sponsor spent in each swing state and what it bought) and the addresses of the SQL endpoint,
the Temporal UI and the dashboard; then keeps everything running until Ctrl-C.

  --once   stop everything and exit after the report
  --json   print the report as JSON`;

export async function runCommand(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      once: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return EXIT.ok;
  }
  const cfg = stackConfig();
  const started = await bringUp({ log, ui: true, infraOnly: false, detached: false });
  try {
    const e = started.stack.endpoints;
    const key = parseHmacKey(localHmacKeyHex(cfg));
    const sealer = createSealer(key);
    const producer = createKafka({
      brokers: e.kafka.brokers.split(','),
      clientId: 'influence-run',
      log,
    }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    const imports: ImportSummary[] = [];
    await producer.connect();
    try {
      for (const { source: name, file } of CAMPAIGN_IMPORTS) {
        const source = IMPORT_SOURCES.find((s) => s.name === name);
        if (!source) throw new Error(`the sample needs the ${name} source`);
        imports.push(
          await runImport({
            source,
            inputs: [path.join(CAMPAIGN_DIR, file)],
            sink: kafkaSink(producer, `import:${name}`),
            pseudonymize: createPseudonymizer(key),
            seal: (raw) => sealer.seal(raw),
            log,
          }),
        );
      }
    } finally {
      await producer.disconnect();
    }
    const published = imports.reduce((n, s) => n + s.published, 0);
    log.info({ published }, 'sample campaign imported; waiting for the pipeline');

    await waitForPipelineIdle({ brokers: e.kafka.brokers, temporal: e.temporal, log, timeoutMs: 300_000 });
    const ch = createClickHouse({ url: e.clickhouse.url, database: e.clickhouse.database, log });
    let landed: { type: string; source: string; events: string }[];
    let efficiency: EfficiencyRow[];
    let contradictions: number;
    const report = cookbookQuery('efficiency-by-state');
    const pairs = cookbookQuery('contradictory-ad-pairs');
    try {
      const rows = async <T>(query: string, params: Record<string, string> = {}): Promise<T[]> =>
        (await ch.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
      landed = await rows(
        'SELECT type, source, count() AS events FROM raw_events FINAL GROUP BY type, source ORDER BY type, source',
      );
      efficiency = await rows<EfficiencyRow>(report.sql, report.params);
      contradictions = (await rows(pairs.sql, pairs.params)).length;
    } finally {
      await ch.close();
    }

    const status = statusObject(started.stack.stateDir) ?? {};
    const totals = {
      read: imports.reduce((n, s) => n + s.read, 0),
      published,
      dead_lettered: imports.reduce((n, s) => n + s.dead_lettered, 0),
      duplicates: imports.reduce((n, s) => n + s.duplicates, 0),
    };
    if (values.json) {
      printJson({
        imports,
        totals,
        landed,
        efficiency: { sponsor: report.params['sponsor'], query: report.file, by_state: efficiency },
        contradictory_ad_pairs: contradictions,
        endpoints: status,
      });
    } else {
      const out = process.stdout;
      out.write(`\n${bold('Sample campaign imported')} (infra/sample/campaign)\n\n`);
      out.write(
        `${table(
          ['source', 'read', 'published', 'dead-lettered', 'duplicates'],
          imports.map((s) => [s.source, s.read, s.published, s.dead_lettered, s.duplicates]),
        )}\n`,
      );
      out.write(
        `\n${bold('What landed in ClickHouse')} (database ${e.clickhouse.database}, table raw_events)\n\n`,
      );
      out.write(
        `${table(
          ['type', 'source', 'events'],
          landed.map((r) => [r.type, r.source, r.events]),
        )}\n`,
      );
      out.write(
        `\n${bold('Spending efficiency')} of ${report.params['sponsor']} by swing state (docs/sql/efficiency-by-state.sql)\n\n`,
      );
      out.write(`${efficiencyTable(efficiency)}\n`);
      out.write('petition $ = referral bounties + lottery awards; canvass $ = canvassing + canvasser pay.\n');
      out.write(
        `\n${contradictions} pairs of its ads said opposite things to different states at the same time (docs/sql/contradictory-ad-pairs.sql).\n`,
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
            [
              'Ingest endpoint',
              started.services ? `${started.services.ingestUrl}/v1/events/<type>` : '(not running)',
            ],
            ['Dashboard', started.services ? started.services.dashboardUrl : '(not running)'],
          ],
        )}\n`,
      );
      out.write(`\nTry: npx influence sql "SELECT type, count() FROM raw_events FINAL GROUP BY type"\n`);
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

/** One row of docs/sql/efficiency-by-state.sql (amounts as ClickHouse's decimal strings). */
export interface EfficiencyRow {
  state: string;
  spend_usd: string | number;
  petition_spend: string | number;
  canvass_spend: string | number;
  signups: string | number;
  referred: string | number;
  phones: string | number;
  contact_attempts: string | number;
  contacted: string | number;
  petition_cost_per_signup_usd: string | number | null;
  petition_cost_per_phone_usd: string | number | null;
  canvass_cost_per_contact_usd: string | number | null;
}

/** The efficiency report as a terminal table: spend and what it bought, with a total row. */
export function efficiencyTable(rows: readonly EfficiencyRow[]): string {
  const cents = (pick: (r: EfficiencyRow) => string | number): bigint =>
    rows.reduce((t, r) => t + toCents(pick(r)), 0n);
  const count = (pick: (r: EfficiencyRow) => string | number): number =>
    rows.reduce((t, r) => t + Number(pick(r)), 0);
  /** spend / n, rounded half up to the cent, as the query's round() does. */
  const per = (spend: bigint, n: number): string =>
    n > 0 ? formatCents((spend * 2n + BigInt(n)) / (2n * BigInt(n))) : '-';
  const cost = (v: string | number | null): string => (v === null ? '-' : money(v));
  const petition = cents((r) => r.petition_spend);
  const canvass = cents((r) => r.canvass_spend);
  const signups = count((r) => r.signups);
  const phones = count((r) => r.phones);
  const contacted = count((r) => r.contacted);
  return table(
    [
      'state',
      'spend $',
      'signups',
      'petition $/signup',
      'phones',
      'petition $/phone',
      'contacted',
      'canvass $/contact',
    ],
    [
      ...rows.map((r) => [
        r.state,
        money(r.spend_usd),
        Number(r.signups),
        cost(r.petition_cost_per_signup_usd),
        Number(r.phones),
        cost(r.petition_cost_per_phone_usd),
        Number(r.contacted),
        cost(r.canvass_cost_per_contact_usd),
      ]),
      [
        'all',
        formatCents(cents((r) => r.spend_usd)),
        signups,
        per(petition, signups),
        phones,
        per(petition, phones),
        contacted,
        per(canvass, contacted),
      ],
    ],
  );
}

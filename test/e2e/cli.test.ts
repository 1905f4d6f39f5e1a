/**
 * The command line as a new user meets it, each in a state folder of its own: the main job
 * (`influence run --once`) and a detached stack (`stack up --detach` … `stack down`), checked
 * with the clients an analyst or operator would use.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { CAMPAIGN_DIR, CAMPAIGN_IMPORTS } from '../../infra/sample/campaign/manifest.ts';
import { isAlive } from '../../infra/local/process.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { rawTopic, DLQ_TOPIC } from '../../schemas/topics.ts';
import { IMPORT_SOURCES } from '../../services/cli/sources.ts';
import type { CampaignFigures } from '../../infra/sample/campaign/generate.ts';
import { influence as runCli, type CliResult } from '../helpers/cli.ts';
import { compareRows, expectedFor } from '../helpers/cookbook.ts';

const dirs: string[] = [];

/** Runs `influence …` as a user would, with a state folder of its own and no endpoints set. */
function influence(stateDir: string, args: string[]): Promise<CliResult> {
  return runCli(args, { INFLUENCE_STATE_DIR: stateDir });
}

function stateDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'influence-cli-'));
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Status {
  running: boolean;
  kafka: { brokers: string };
  temporal: { address: string; namespace: string };
  clickhouse: { endpoint: string; url: string; analyst_url: string; database: string };
  ui: { temporal: string | null };
  dashboard: { url: string } | null;
  processes: { name: string; pid: number; running: boolean }[];
}

describe('influence run --once (the main job)', () => {
  it('imports the bundled sample campaign through the pipeline and reports what landed', async () => {
    const dir = stateDir();
    const r = await influence(dir, ['run', '--once', '--json']);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const report = JSON.parse(r.stdout) as {
      imports: {
        source: string;
        read: number;
        published: number;
        dead_lettered: number;
        inputs: { input: string; read: number }[];
      }[];
      totals: { read: number; published: number; dead_lettered: number; duplicates: number };
      landed: { type: string; source: string; events: string }[];
      efficiency: { sponsor: string; by_state: Record<string, unknown>[] };
      contradictory_ad_pairs: number;
      endpoints: Status;
    };
    // Rows per file as the generator wrote them (infra/sample/campaign/expected.json).
    const expected = JSON.parse(
      readFileSync(path.join(CAMPAIGN_DIR, 'expected.json'), 'utf8'),
    ) as CampaignFigures;
    for (const { file } of CAMPAIGN_IMPORTS) {
      const input = report.imports.flatMap((i) => i.inputs).find((i) => path.basename(i.input) === file);
      expect(input?.read, file).toBe(expected.rows[file]);
    }
    expect(report.totals.dead_lettered).toBe(0);
    expect(report.totals.published).toBe(report.totals.read);
    // Every published event landed in ClickHouse, per source.
    // raw_events holds the envelope's source, which differs from the CLI name for some sources
    // (`annotations` writes `annotations:csv`).
    const envelopeSource = (name: string): string =>
      IMPORT_SOURCES.find((s) => s.name === name)?.eventSource ?? name;
    const publishedBySource = new Map<string, number>();
    for (const i of report.imports) {
      const source = envelopeSource(i.source);
      publishedBySource.set(source, (publishedBySource.get(source) ?? 0) + i.published);
    }
    const landedBySource = new Map(report.landed.map((l) => [l.source, Number(l.events)]));
    expect(landedBySource).toEqual(publishedBySource);
    // The spending-efficiency report is the cookbook's, with the figures the generator wrote.
    expect(report.efficiency.sponsor).toBe(expected.committee_id);
    expect(compareRows(report.efficiency.by_state, expectedFor('efficiency-by-state', expected))).toEqual([]);
    expect(report.contradictory_ad_pairs).toBe(expectedFor('contradictory-ad-pairs', expected).length);
    expect(report.endpoints.ui.temporal).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(report.endpoints.clickhouse.analyst_url).toMatch(/^http:\/\/analyst:/);
    expect(report.endpoints.dashboard?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // --once stops everything it started.
    for (const p of report.endpoints.processes) expect(isAlive(p.pid), p.name).toBe(false);
  });
});

describe('influence stack up --detach … stack down', () => {
  it('serves SQL, Kafka and Temporal to ordinary clients and stops without leaving a process', async () => {
    const dir = stateDir();
    const up = await influence(dir, ['stack', 'up', '--detach', '--json']);
    expect(up.code, up.stderr.slice(-2000)).toBe(0);
    let status: Status | undefined;
    try {
      const st = await influence(dir, ['stack', 'status', '--json']);
      expect(st.code).toBe(0);
      status = JSON.parse(st.stdout) as Status;
      expect(status.running).toBe(true);
      expect(status.processes.map((p) => p.name).sort()).toEqual(
        ['bridge', 'clickhouse', 'dashboard', 'ingest-http', 'kafka', 'temporal', 'worker'].sort(),
      );

      // The dashboard serves its page and Chart.js from the project's node_modules.
      const dashboard = status.dashboard?.url ?? '';
      expect(dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(dashboard);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/vendor/chart.umd.min.js');
      const chartJs = await fetch(`${dashboard}/vendor/chart.umd.min.js`);
      expect(chartJs.status).toBe(200);
      expect((await chartJs.text()).length).toBeGreaterThan(100_000);

      // curl-style SELECT 1 as the analyst.
      const analyst = new URL(status.clickhouse.analyst_url);
      const auth = `Basic ${Buffer.from(`${analyst.username}:${decodeURIComponent(analyst.password)}`).toString('base64')}`;
      const one = await fetch(`${status.clickhouse.endpoint}/`, {
        method: 'POST',
        headers: { Authorization: auth },
        body: 'SELECT 1',
      });
      expect(await one.text()).toBe('1\n');

      // The analyst reads but cannot write; the writer can.
      const quiet = { level: ClickHouseLogLevel.OFF };
      const reader = createClient({
        url: status.clickhouse.analyst_url,
        database: status.clickhouse.database,
        log: quiet,
      });
      const writer = createClient({
        url: status.clickhouse.url,
        database: status.clickhouse.database,
        log: quiet,
      });
      try {
        const rs = await reader.query({
          query: 'SELECT count() AS n FROM raw_events',
          format: 'JSONEachRow',
        });
        expect(await rs.json()).toEqual([{ n: '0' }]);
        await expect(
          reader.command({ query: 'CREATE TABLE nope (a UInt8) ENGINE = Memory' }),
        ).rejects.toMatchObject({ code: '164' });
        await expect(
          reader.insert({ table: 'raw_events', values: [{ event_id: 'x' }], format: 'JSONEachRow' }),
        ).rejects.toMatchObject({ code: '164' });
        await writer.command({ query: 'CREATE TABLE scratch_cli (a UInt8) ENGINE = MergeTree ORDER BY a' });
        await writer.insert({ table: 'scratch_cli', values: [{ a: 7 }], format: 'JSONEachRow' });
        const back = await reader.query({ query: 'SELECT a FROM scratch_cli', format: 'JSONEachRow' });
        expect(await back.json()).toEqual([{ a: 7 }]);
      } finally {
        await reader.close();
        await writer.close();
      }

      // A kafkajs client lists the project's topics.
      const admin = createKafka({
        brokers: status.kafka.brokers.split(','),
        clientId: 'cli-test',
        log: silentLogger,
      }).admin();
      await admin.connect();
      try {
        const topics = await admin.listTopics();
        expect(topics).toEqual(expect.arrayContaining([rawTopic('donation'), DLQ_TOPIC]));
      } finally {
        await admin.disconnect();
      }

      // The Temporal CLI and the Web UI answer.
      const wl = await influence(dir, ['temporal', 'workflow', 'list']);
      expect(wl.code, wl.stderr).toBe(0);
      expect(status.ui.temporal).toBeTruthy();
      expect((await fetch(status.ui.temporal ?? '')).status).toBe(200);

      // SQL from the CLI, read-only by default.
      const sql = await influence(dir, ['sql', 'SELECT a FROM scratch_cli', '--format', 'TSV']);
      expect(sql).toMatchObject({ code: 0, stdout: '7\n' });
      const denied = await influence(dir, ['sql', 'DROP TABLE scratch_cli']);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('readonly');
    } finally {
      const down = await influence(dir, ['stack', 'down', '--json']);
      expect(down.code).toBe(0);
    }
    for (const p of status?.processes ?? [])
      expect(isAlive(p.pid), `${p.name} (${p.pid}) still running`).toBe(false);
    const after = await influence(dir, ['stack', 'status', '--json']);
    expect(after.code).toBe(3);
  });
});

describe('help and exit codes', () => {
  it('every command answers --help on stdout, without colour when piped', async () => {
    const dir = stateDir();
    const top = await influence(dir, ['--help']);
    expect(top.code).toBe(0);
    const listed = top.stdout
      .slice(top.stdout.indexOf('Commands:'))
      .split('\n')
      .slice(1)
      .map((l) => /^ {2}([a-z]+)\b/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined);
    expect(listed).toEqual(expect.arrayContaining(['run', 'stack', 'import', 'sql', 'wait', 'rebuild']));
    const helps = await Promise.all(listed.map((name) => influence(dir, [name, '--help'])));
    for (const [i, name] of listed.entries()) {
      const h = helps[i];
      expect(h?.code, name).toBe(0);
      expect(h?.stdout, name).toMatch(new RegExp(`^Usage: influence ${name}\\b`));
      expect(h?.stdout, name).not.toContain('\x1b[');
    }
  });

  it('usage errors exit 2, a missing stack 3, each with what to do', async () => {
    const dir = stateDir();
    const [none, unknown, badFlag, noStack, status] = await Promise.all([
      influence(dir, []),
      influence(dir, ['nope']),
      influence(dir, ['sql', '--bogus']),
      influence(dir, ['sql', 'SELECT 1']),
      influence(dir, ['stack', 'status', '--json']),
    ]);
    expect(none.code).toBe(2);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "nope"');
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('influence sql --help');
    expect(noStack.code).toBe(3);
    expect(noStack.stderr).toContain('npx influence stack up');
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false });
  });
});

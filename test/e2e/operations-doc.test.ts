/**
 * docs/operations.md as a script: every command of its `sh` blocks runs, in order, against a
 * stack of its own (exit code 0 each), with the placeholders filled in; where a command's effect
 * matters, a check runs before or after it (paused consumers hold events back, a replay of dead
 * letters lands what now parses and nothing twice, replays and rebuilds leave the aggregates
 * as they were, scaling adds processes and partitions, a key rotation changes every pseudonym).
 * A check names its command exactly, and the test fails when the doc no longer has it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { readStackState } from '../../infra/local/stack.ts';
import { createClickHouse } from '../../services/shared/clickhouse.ts';
import { createKafka } from '../../services/shared/kafka.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { aggregateFingerprint } from '../helpers/aggregates.ts';
import { BIN, influence, type CliResult } from '../helpers/cli.ts';

const exec = promisify(execFile);

/** The commands of the doc's ```sh blocks, one per line, comments and blank lines left out. */
export function docCommands(markdown: string): string[] {
  const out: string[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    for (const line of (block[1] ?? '').split('\n')) {
      const t = line.trim();
      if (t !== '' && !t.startsWith('#')) out.push(t);
    }
  }
  return out;
}

const dir = mkdtempSync(path.join(tmpdir(), 'influence-ops-doc-'));
const env: Record<string, string> = {
  INFLUENCE_STATE_DIR: path.join(dir, 'state'),
  // Production sets the key; the rotation section replaces it.
  INGEST_HMAC_KEY: randomBytes(32).toString('hex'),
};
const payoutsFile = path.join(dir, 'payouts.csv');
const HEADER =
  'payment_id,paid_at,payer_committee_id,payer_name,payee_email,category,purpose,amount,currency,state';
writeFileSync(
  payoutsFile,
  [
    // The header misspells `amount`: every row is dead-lettered until it is corrected.
    HEADER.replace('amount', 'amout'),
    'OPS-1,2024-10-01,C00879510,America PAC,ops.one@example.com,referral_bounty,REFERRAL,47.00,USD,PA',
    'OPS-2,2024-10-02,C00879510,America PAC,ops.two@example.com,referral_bounty,REFERRAL,94.00,USD,MI',
    'OPS-3,2024-10-03,C00879510,America PAC,ops.three@example.com,referral_bounty,REFERRAL,forty,USD,WI',
  ].join('\n') + '\n',
);
const PLACEHOLDERS: Record<string, string> = { '<payouts.csv>': payoutsFile };

afterAll(async () => {
  await influence(['stack', 'down'], env);
  rmSync(dir, { recursive: true, force: true });
});

let clickhouse: ClickHouseClient | undefined;
function ch(): ClickHouseClient {
  if (!clickhouse) {
    const state = readStackState(env.INFLUENCE_STATE_DIR ?? '');
    if (!state) throw new Error('no stack recorded');
    clickhouse = createClickHouse({
      url: state.endpoints.clickhouse.url,
      database: state.endpoints.clickhouse.database,
      log: silentLogger,
    });
  }
  return clickhouse;
}

async function scalar(query: string): Promise<number> {
  const rs = await ch().query({ query, format: 'JSONEachRow' });
  const [row] = await rs.json<{ n: string | number }>();
  return Number(row?.n ?? NaN);
}

async function signers(): Promise<Set<string>> {
  const rs = await ch().query({
    query: 'SELECT DISTINCT signer FROM signup_events FINAL',
    format: 'JSONEachRow',
  });
  return new Set((await rs.json<{ signer: string }>()).map((r) => r.signer));
}

const events = (type: string): Promise<number> =>
  scalar(`SELECT count() AS n FROM raw_events FINAL WHERE type = '${type}'`);

async function dlqLetters(): Promise<number> {
  const r = await influence(['dlq', 'stats', '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { letters: number }).letters;
}

interface Check {
  before?: () => Promise<void>;
  after?: (r: CliResult) => Promise<void> | void;
  /** Runs after the next `npx influence wait --idle` of the doc. */
  afterIdle?: () => Promise<void>;
}

const state: { fingerprint?: Record<string, unknown>; signers?: Set<string> } = {};
const sameAggregates: Check = {
  before: async () => {
    state.fingerprint = await aggregateFingerprint(ch());
  },
  afterIdle: async () => {
    expect(await aggregateFingerprint(ch())).toEqual(state.fingerprint);
  },
};

const CHECKS: Record<string, Check> = {
  'npx influence stack status': {
    after: (r) => {
      expect(r.stdout).toMatch(/consumers paused: bridge since/);
    },
  },
  'npx influence consumers status --json': {
    after: (r) => {
      const states = JSON.parse(r.stdout) as { paused: boolean }[];
      expect(states.length).toBeGreaterThan(0);
      expect(states.every((s) => s.paused)).toBe(true);
    },
  },
  'npx influence import contacts infra/sample/campaign/contacts.csv': {
    after: async () => {
      // Published, but held back: not idle within 5 s (idle takes ~2 s when consuming).
      const waited = await influence(['wait', '--idle', '--timeout', '5'], env);
      expect(waited.code).not.toBe(0);
      expect(await events('contact')).toBe(0);
    },
    afterIdle: async () => {
      expect(await events('contact')).toBeGreaterThan(0);
    },
  },
  'npx influence dlq list --source payouts --reason schema_invalid': {
    after: (r) => {
      expect(r.stdout.match(/amount missing/g)).toHaveLength(3);
      // The fix: the header is corrected in the file.
      writeFileSync(payoutsFile, readFileSync(payoutsFile, 'utf8').replace('amout', 'amount'));
    },
  },
  'npx influence dlq replay --source payouts --dry-run': {
    after: (r) => {
      expect(r.stdout).toMatch(/3 dead letters: 2 would be replayed, 0 already stored, 1 still failing/);
    },
  },
  'npx influence dlq replay --source payouts': {
    before: async () => {
      expect(await events('payout')).toBe(0);
    },
    afterIdle: async () => {
      expect(await events('payout')).toBe(2);
      const letters = await dlqLetters();
      // Again: nothing is published or dead-lettered twice.
      const again = await influence(['dlq', 'replay', '--source', 'payouts', '--json'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ replayed: 0, already_stored: 2, still_failing: 1 });
      expect(await dlqLetters()).toBe(letters);
      expect(await events('payout')).toBe(2);
    },
  },
  'npx influence replay --topic influence.raw.signup.v1 --from 2024-10-01T00:00:00Z': sameAggregates,
  'npx influence rebuild': sameAggregates,
  'npx influence temporal workflow list --query \'EventType="signup"\' --limit 5': {
    after: (r) => {
      expect(r.stdout).toMatch(/ingest:/);
    },
  },
  'npx influence stack scale --topic influence.raw.contact.v1 --partitions 6': {
    after: async () => {
      const brokers = readStackState(env.INFLUENCE_STATE_DIR ?? '')?.endpoints.kafka.brokers ?? '';
      const admin = createKafka({
        brokers: brokers.split(','),
        clientId: 'ops-doc-test',
        log: silentLogger,
      }).admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: ['influence.raw.contact.v1'] });
        expect(topics[0]?.partitions).toHaveLength(6);
      } finally {
        await admin.disconnect();
      }
    },
  },
  'npx influence stack status --json': {
    after: (r) => {
      const status = JSON.parse(r.stdout) as { processes: { name: string; running: boolean }[] };
      const running = (prefix: string): number =>
        status.processes.filter((p) => p.running && p.name.startsWith(prefix)).length;
      expect(running('worker')).toBe(2);
      expect(running('bridge')).toBe(2);
    },
  },
  'export INGEST_HMAC_KEY_PREVIOUS="$INGEST_HMAC_KEY"': {
    before: async () => {
      state.signers = await signers();
    },
  },
  'npx influence import signups infra/sample/campaign/signups.csv --no-dedup': {
    afterIdle: async () => {
      const now = await signers();
      expect(now.size).toBe(state.signers?.size);
      expect([...now].filter((s) => state.signers?.has(s))).toEqual([]);
    },
  },
  'npx influence dlq replay --source payouts --json': {
    after: (r) => {
      // Letters sealed under the old key still open (INGEST_HMAC_KEY_PREVIOUS).
      expect(JSON.parse(r.stdout)).toMatchObject({ not_replayable: 0, still_failing: 1, already_stored: 2 });
    },
  },
};

async function run(command: string): Promise<CliResult> {
  // `npx influence` resolves to node_modules/.bin/influence, first on PATH here: calling it
  // directly runs the same program without npx's own start-up (seconds on a loaded machine).
  let line = command.replace(/^npx influence /, 'influence ');
  for (const [k, v] of Object.entries(PLACEHOLDERS)) line = line.replaceAll(k, v);
  const exported = /^export ([A-Z_][A-Z0-9_]*)=/.exec(line)?.[1];
  const script = exported ? `${line}\nprintf '%s' "$${exported}"` : line;
  const full: NodeJS.ProcessEnv = { ...process.env, PATH: `${BIN}:${process.env['PATH'] ?? ''}` };
  for (const k of ['KAFKA_BROKERS', 'TEMPORAL_ADDRESS', 'CLICKHOUSE_URL']) delete full[k];
  Object.assign(full, env);
  try {
    const r = await exec('bash', ['-c', script], { cwd: REPO_ROOT, env: full, maxBuffer: 64 * 1024 * 1024 });
    if (exported) env[exported] = r.stdout;
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('docs/operations.md', () => {
  const commands = docCommands(readFileSync(path.join(REPO_ROOT, 'docs', 'operations.md'), 'utf8'));

  it('has a check for every command it is meant to have, and placeholders the test fills', () => {
    for (const c of Object.keys(CHECKS)) expect(commands, c).toContain(c);
    const unfilled = commands.filter((c) =>
      /<[^>]+>/.test(Object.keys(PLACEHOLDERS).reduce((s, k) => s.replaceAll(k, ''), c)),
    );
    expect(unfilled).toEqual([]);
  });

  it('runs every command of the runbook, in order, with its effect', { timeout: 900_000 }, async () => {
    let pendingIdle: (() => Promise<void>)[] = [];
    for (const command of commands) {
      const check = CHECKS[command];
      await check?.before?.();
      const r = await run(command);
      expect(r.code, `${command}\n${r.stderr.slice(-3000)}`).toBe(0);
      await check?.after?.(r);
      if (command === 'npx influence wait --idle') {
        for (const p of pendingIdle) await p();
        pendingIdle = [];
      }
      if (check?.afterIdle) pendingIdle.push(check.afterIdle);
    }
    expect(pendingIdle).toHaveLength(0);
    await clickhouse?.close();
  });
});

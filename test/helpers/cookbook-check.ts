/**
 * Runs every cookbook query (docs/sql) through the `influence sql` command line, as the read-only
 * analyst with each file's default parameters, and checks its rows against the figures the sample
 * campaign was built to produce (derived from expected.json by test/helpers/cookbook.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import type { CliResult } from './cli.ts';
import { compareRows, expectedFor, loadCookbook } from './cookbook.ts';

export async function checkCookbookAgainstSample(cli: (args: string[]) => Promise<CliResult>): Promise<void> {
  const expected = JSON.parse(readFileSync(path.join(CAMPAIGN_DIR, 'expected.json'), 'utf8')) as Parameters<
    typeof expectedFor
  >[1];
  const cookbook = loadCookbook();
  expect(cookbook.length).toBeGreaterThanOrEqual(6);
  for (const q of cookbook) {
    const params = Object.entries(q.params).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
    const r = await cli(['sql', '--file', q.file, '--format', 'JSONEachRow', ...params]);
    expect(r.code, `${q.name}: ${r.stderr.slice(-2000)}`).toBe(0);
    const rows = r.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(compareRows(rows, expectedFor(q.name, expected)), q.name).toEqual([]);
  }
}

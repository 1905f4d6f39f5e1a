import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localBridges } from './consumers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stack(processes: { name: string; pid: number; health_url?: string }[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'influence-consumers-'));
  dirs.push(dir);
  const recorded = processes.map((p) => ({ ...p, log_file: path.join(dir, `${p.name}.log`) }));
  writeFileSync(
    path.join(dir, 'stack.json'),
    JSON.stringify({
      version: 1,
      started_at: '2024-11-01T00:00:00Z',
      supervisor_pid: process.pid,
      detached: true,
      endpoints: {
        kafka: { brokers: '127.0.0.1:1', external: false },
        temporal: { address: '127.0.0.1:2', namespace: 'default', ui: null, external: false },
        clickhouse: {
          endpoint: 'http://127.0.0.1:3',
          url: 'http://127.0.0.1:3',
          analyst_url: null,
          database: 'd',
          external: false,
        },
      },
      processes: recorded,
    }),
  );
  return dir;
}

describe('localBridges', () => {
  it('finds every running bridge of the stack by the health URL the stack recorded', () => {
    const dir = stack([
      { name: 'worker', pid: process.pid, health_url: 'http://127.0.0.1:4100' },
      { name: 'bridge', pid: process.pid, health_url: 'http://127.0.0.1:4101' },
      { name: 'bridge-2', pid: process.pid, health_url: 'http://127.0.0.1:4103' },
      // Gone, and one without a health URL (a stack recorded by an older version).
      { name: 'bridge-3', pid: 2 ** 22 + 1, health_url: 'http://127.0.0.1:4104' },
      { name: 'bridge-4', pid: process.pid },
    ]);
    expect(localBridges(dir)).toEqual([
      { name: 'bridge', url: 'http://127.0.0.1:4101' },
      { name: 'bridge-2', url: 'http://127.0.0.1:4103' },
    ]);
  });

  it('finds none without a recorded stack', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'influence-consumers-'));
    dirs.push(dir);
    expect(localBridges(dir)).toEqual([]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localBridges } from './consumers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stack(processes: { name: string; pid: number; log: string }[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'influence-consumers-'));
  dirs.push(dir);
  const recorded = processes.map((p) => {
    const logFile = path.join(dir, `${p.name}.log`);
    writeFileSync(logFile, p.log);
    return { name: p.name, pid: p.pid, log_file: logFile };
  });
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

const running = (port: number): string =>
  `{"level":30,"msg":"bridge consuming"}\n{"level":30,"ready":true,"health":${port},"msg":"bridge running"}\n`;

describe('localBridges', () => {
  it('finds every running bridge of the stack by the health port its log announces', () => {
    const dir = stack([
      { name: 'worker', pid: process.pid, log: '{"health":1,"msg":"worker running"}\n' },
      { name: 'bridge', pid: process.pid, log: running(4101) },
      // Restarted: the last announcement counts.
      { name: 'bridge-2', pid: process.pid, log: running(4102) + running(4103) },
      { name: 'bridge-3', pid: 2 ** 22 + 1, log: running(4104) },
      { name: 'bridge-4', pid: process.pid, log: '{"msg":"starting"}\n' },
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

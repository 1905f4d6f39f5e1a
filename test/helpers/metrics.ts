/** Reading the services' Prometheus endpoints and NDJSON logs from tests. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ManagedProcess } from '../../infra/local/process.ts';

/** The NDJSON lines of a log (a process's file, or the CLI's stderr). */
export function logLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The lines of a process's log whose message is `msg`. */
export const linesOf = (proc: ManagedProcess, msg: string): Record<string, unknown>[] =>
  logLines(readFileSync(proc.logFile, 'utf8')).filter((l) => l['msg'] === msg);

/** Where a service process answers /healthz and /metrics (recorded when it was started). */
export function healthUrl(proc: ManagedProcess): string {
  expect(proc.healthUrl, `${proc.name} was started without a health URL`).toBeDefined();
  return proc.healthUrl ?? '';
}

/**
 * The sum of the samples of `name` in a Prometheus text exposition whose labels contain every
 * `label="value"` given (undefined when there is no such sample).
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const set = m[2] ?? '';
    if (!Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) continue;
    sum = (sum ?? 0) + Number(m[3]);
  }
  return sum;
}

/** A service's /metrics text, after checking that /healthz (or `health`) answers. */
export async function scrape(base: string, health = '/healthz'): Promise<string> {
  expect((await fetch(`${base}${health}`)).status).toBe(200);
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

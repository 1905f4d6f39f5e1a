/**
 * Reads the `.cpuprofile` files Node writes with `--cpu-prof` and says where the samples fell:
 * the functions and the code areas (a package, or a folder of this repository) with the largest
 * self time. Leads for whoever optimises the pipeline, not a verdict: a profile of one process
 * on a shared machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileShare {
  name: string;
  /** Share of the samples, in percent. */
  pct: number;
}

export interface ProfileSummary {
  file: string;
  samples: number;
  seconds: number;
  /** Share of the samples in which the thread was not idle, in percent. */
  busy_pct: number;
  /** Shares of the busy samples (idle left out). */
  functions: ProfileShare[];
  areas: ProfileShare[];
}

/** The code area of a script URL: `zod`, `@temporalio/worker`, `services/enrich`, `(node)`, … */
export function areaOf(url: string): string {
  if (url === '') return '(native, gc, program)';
  if (url.startsWith('node:')) return '(node)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope = '', name = ''] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const m = /\/(schemas|services|workflows|infra|bench|test)\/([^/]+)/.exec(url);
  if (m?.[1] && m[2]) return m[2].endsWith('.ts') ? m[1] : `${m[1]}/${m[2]}`;
  return url;
}

function top(counts: Map<string, number>, total: number, n: number): ProfileShare[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, c]) => ({ name, pct: Number(((100 * c) / Math.max(1, total)).toFixed(1)) }));
}

/** What this module reads of a `.cpuprofile` (V8's Profile: nodes with hit counts, µs times). */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

/** Self-time shares of one profile file's busy samples. */
export function summarizeProfile(file: string, n = 15): ProfileSummary {
  return summarizeProfileData(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file, n);
}

/** Self-time shares of one profile's busy samples (functions by name and place, and areas). */
export function summarizeProfileData(profile: CpuProfile, file: string, n = 15): ProfileSummary {
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' && url === '') {
      idle += hits;
      continue;
    }
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    const fn = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + hits);
    const area = areaOf(url);
    areas.set(area, (areas.get(area) ?? 0) + hits);
  }
  return {
    file,
    samples: total,
    seconds: Number(((profile.endTime - profile.startTime) / 1e6).toFixed(1)),
    busy_pct: Number(((100 * (total - idle)) / Math.max(1, total)).toFixed(1)),
    functions: top(functions, total - idle, n),
    areas: top(areas, total - idle, n),
  };
}

/** Every profile in `dir`, largest (most samples) first. */
export function summarizeProfiles(dir: string, n = 15): ProfileSummary[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files.map((f) => summarizeProfile(path.join(dir, f), n)).sort((a, b) => b.samples - a.samples);
}

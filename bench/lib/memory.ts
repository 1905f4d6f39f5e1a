/**
 * Memory readings from /proc (Linux): the peak resident set (VmHWM) and the current one (VmRSS)
 * of a process and of everything in its process group. Stack processes run in groups of their
 * own (infra/local/process.ts), so a group is one part of the stack with whatever it forked.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  name: string;
  pid: number;
  /** Processes in the group that were read (the leader and its children). */
  processes: number;
  /** Peak RSS of the group's processes, summed (each process's own peak), in MB. */
  peak_rss_mb: number;
  /** RSS now, summed over the group, in MB. */
  rss_mb: number;
}

/** `VmHWM` and `VmRSS` of one process in kB, or undefined when it is gone or unreadable. */
export function procStatus(pid: number): { hwmKb: number; rssKb: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { hwmKb: field('VmHWM'), rssKb: field('VmRSS') };
}

/** The process group id of a process (field 5 of /proc/<pid>/stat), or undefined. */
export function processGroup(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: read after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[2]);
  } catch {
    return undefined;
  }
}

/** The memory of the group led by `pid` (just the process when it leads no group). */
export function groupMemory(name: string, pid: number): ProcessMemory {
  const members = new Set<number>([pid]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = Number(entry);
    if (processGroup(p) === pid) members.add(p);
  }
  let hwm = 0;
  let rss = 0;
  let read = 0;
  for (const p of members) {
    const s = procStatus(p);
    if (!s) continue;
    read++;
    hwm += s.hwmKb;
    rss += s.rssKb;
  }
  return { name, pid, processes: read, peak_rss_mb: Math.round(hwm / 1024), rss_mb: Math.round(rss / 1024) };
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, or undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 (utime, stime) are at 11 and 12 once pid and comm are cut off.
    return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by each named process group (children that exited are not counted). */
export function groupCpuSeconds(processes: readonly { name: string; pid: number }[]): Record<string, number> {
  const groups = new Map(processes.map((p) => [p.pid, p.name]));
  const out: Record<string, number> = Object.fromEntries(processes.map((p) => [p.name, 0]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const name = groups.get(pid) ?? groups.get(processGroup(pid) ?? -1);
    if (name === undefined) continue;
    out[name] = (out[name] ?? 0) + (cpuSeconds(pid) ?? 0);
  }
  return out;
}

/**
 * Child processes of the local stack: each in its own process group (so stopping it stops
 * everything it started), output appended to a log file in the state folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../services/shared/logger.ts';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Where it answers /healthz (and /metrics), for a service that has one. */
  readonly healthUrl?: string;
  /** Set once the process has exited. */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): string;
  /** Lets the parent exit while this process runs on (for `stack up --detach`). */
  detach(): void;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  log: Logger;
  /** The base URL of its /healthz, recorded with the process in the stack state. */
  healthUrl?: string;
}

/** Last `n` lines of a file, or '' when it does not exist. */
export function tailFile(file: string, n = 30): string {
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8').split('\n');
  return lines.slice(Math.max(0, lines.length - n - 1)).join('\n');
}

/** Starts `command` in a new process group with output going to `opts.logFile`. */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  opts: SpawnOptions,
): ManagedProcess {
  const fd = openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  let status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      opts.log.info({ process: name, code, signal }, 'process exited');
      resolve();
    });
    child.once('error', (err) => {
      status = { code: -1, signal: null };
      opts.log.error({ process: name, err }, 'process failed to start');
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  opts.log.info({ process: name, pid, command, logFile: opts.logFile }, 'process started');
  return {
    name,
    pid,
    logFile: opts.logFile,
    ...(opts.healthUrl ? { healthUrl: opts.healthUrl } : {}),
    exitStatus: () => status,
    exited,
    tail: (n) => tailFile(opts.logFile, n),
    detach: () => child.unref(),
    async stop(graceMs = 10_000) {
      if (status || pid < 0) return;
      await killGroup(pid, graceMs);
      await exited;
    },
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Stops the process group led by `pid`: SIGTERM, then SIGKILL once `graceMs` has passed.
 * Works for processes this process did not start (pids from the stack's state file).
 */
export async function killGroup(pid: number, graceMs = 10_000): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) || groupAlive(pid)) {
    if (Date.now() > deadline) {
      signalGroup(pid, 'SIGKILL');
      await delay(100);
      if (!isAlive(pid) && !groupAlive(pid)) return;
      if (Date.now() > deadline + 5_000) return;
    }
    await delay(50);
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

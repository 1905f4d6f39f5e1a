#!/usr/bin/env node
// Runs before `npm start` and `npm test` with whatever Node the machine has (it needs nothing
// installed): installs the npm packages with `npm ci` when node_modules is missing or was
// installed from another package-lock.json, so a fresh clone needs no separate install step
// and a second run skips it. The project itself then runs on the Node 24 that the `node`
// devDependency puts first on the PATH of npm scripts.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.influence-install-stamp');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
const nodeBin = path.join(root, 'node_modules', '.bin', 'node');

if (have !== want || !existsSync(nodeBin)) {
  process.stderr.write('installing npm packages (npm ci; the first run takes a few minutes)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Never --omit=optional: chdb's engine ships as an optional, platform-specific dependency.
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    process.stderr.write(
      `npm ci failed (exit ${r.status ?? r.signal}). Check that the npm registry is reachable and run it again.\n`,
    );
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, `${want}\n`);
}

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

// `--browser` (npm test): the dashboard's browser test drives Debian's Chromium through
// playwright-core, which never downloads a browser. Install the distribution's package once,
// when it is missing; CHROMIUM_PATH names another build instead.
if (process.argv.includes('--browser')) ensureChromium();

function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(wanted)) return;
  const howTo =
    `Install Debian's "chromium" package (apt-get install chromium) as root, ` +
    `or set CHROMIUM_PATH to a Chromium or Chrome binary, and run it again.\n`;
  if (process.env.CHROMIUM_PATH) {
    process.stderr.write(`CHROMIUM_PATH is ${wanted}, which does not exist. ${howTo}`);
    process.exit(1);
  }
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !asRoot && spawnSync('sudo', ['--version'], { stdio: 'ignore' }).status === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasApt || (!asRoot && !sudo)) {
    process.stderr.write(
      `The browser test needs Chromium at ${wanted}, and ` +
        (hasApt ? 'installing it needs root or sudo. ' : 'this system has no apt-get. ') +
        howTo,
    );
    process.exit(1);
  }
  process.stderr.write(`installing Debian's chromium package for the browser test (once)…\n`);
  const apt = (args) => {
    const cmd = asRoot ? 'apt-get' : 'sudo';
    const argv = asRoot ? args : ['apt-get', ...args];
    // Output is kept and shown only when apt-get fails; sudo may still ask for a password.
    return spawnSync(cmd, argv, {
      stdio: ['inherit', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  };
  const install = ['install', '-y', '-qq', '--no-install-recommends', 'chromium'];
  let r = apt(install);
  // A fresh machine (a CI image, a container) often has no package lists yet.
  if (r.status !== 0) r = apt(['update', '-qq']).status === 0 ? apt(install) : r;
  if (r.status !== 0 || !existsSync(wanted)) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-4000));
    process.stderr.write(`\napt-get could not install chromium (exit ${r.status ?? r.signal}). ${howTo}`);
    process.exit(1);
  }
}

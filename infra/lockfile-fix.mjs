#!/usr/bin/env node
// Runs after `npm install` (the root postinstall). chdb declares optional platform packages
// that were never published (only @chdb/lib-linux-x64-gnu exists on the registry); npm install
// skips them, but writes them into package-lock.json as wanted, and `npm ci` then refuses the
// lock file as out of sync. This drops optional dependencies that the lock file itself does not
// hold, so `npm ci` keeps working. It changes nothing when there is nothing to drop.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const lockPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
if (existsSync(lockPath)) {
  const text = readFileSync(lockPath, 'utf8');
  const lock = JSON.parse(text);
  const dropped = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (!lock.packages[`node_modules/${name}`] && !lock.packages[`${where}/node_modules/${name}`]) {
        delete entry.optionalDependencies[name];
        dropped.push(`${name} (of ${where || 'the root'})`);
      }
    }
  }
  if (dropped.length > 0) {
    writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
    process.stderr.write(
      `package-lock.json: dropped optional packages the registry does not have: ${dropped.join(', ')}\n`,
    );
  }
}

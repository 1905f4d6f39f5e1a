/**
 * The local stack's ingestion HMAC key: random, generated once per machine and kept in the
 * cache folder (mode 600), so pseudonyms stay stable across local stacks and imports on this
 * machine. Production sets INGEST_HMAC_KEY and never uses this.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StackConfig } from './config.ts';

/** The key as 64 hex characters. */
export function localHmacKeyHex(cfg: StackConfig): string {
  const file = path.join(cfg.cacheDir, 'local-hmac.key');
  if (!existsSync(file)) {
    mkdirSync(cfg.cacheDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process wrote it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

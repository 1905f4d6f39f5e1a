/**
 * The HMAC key for pseudonyms: INGEST_HMAC_KEY when set (production must set it: there is no
 * default); for the local stack only, a random key generated once and kept in the cache folder,
 * so pseudonyms stay stable across local stacks on this machine.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseConfig } from '../shared/config.ts';
import { parseHmacKey } from '../shared/pseudonym.ts';
import type { StackConfig } from '../../infra/local/config.ts';
import { CliError, EXIT } from './context.ts';

/** @throws CliError when no key is configured for an external stack. */
export function hmacKey(cfg: StackConfig, localStack: boolean): Buffer {
  const { INGEST_HMAC_KEY } = parseConfig({ INGEST_HMAC_KEY: z.string().optional() });
  if (INGEST_HMAC_KEY) return parseHmacKey(INGEST_HMAC_KEY);
  if (!localStack) {
    throw new CliError(
      'INGEST_HMAC_KEY is not set: pseudonyms of private identifiers need a secret key (64 hex characters, e.g. `openssl rand -hex 32`)',
      EXIT.config,
    );
  }
  const file = path.join(cfg.cacheDir, 'local-hmac.key');
  if (!existsSync(file)) {
    mkdirSync(cfg.cacheDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parseHmacKey(readFileSync(file, 'utf8'));
}

/**
 * The HMAC key for pseudonyms: INGEST_HMAC_KEY when set (production must set it: there is no
 * default); for the local stack only, the machine's local key (infra/local/hmac-key.ts).
 */
import { z } from 'zod';
import { parseConfig } from '../shared/config.ts';
import { parseHmacKey } from '../shared/pseudonym.ts';
import type { StackConfig } from '../../infra/local/config.ts';
import { localHmacKeyHex } from '../../infra/local/hmac-key.ts';
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
  return parseHmacKey(localHmacKeyHex(cfg));
}

/**
 * The key in use before a rotation (INGEST_HMAC_KEY_PREVIOUS), kept only to open dead letters
 * sealed under it; nothing is pseudonymized with it. Undefined when unset.
 */
export function previousHmacKey(): Buffer | undefined {
  const { INGEST_HMAC_KEY_PREVIOUS } = parseConfig({ INGEST_HMAC_KEY_PREVIOUS: z.string().optional() });
  return INGEST_HMAC_KEY_PREVIOUS ? parseHmacKey(INGEST_HMAC_KEY_PREVIOUS) : undefined;
}

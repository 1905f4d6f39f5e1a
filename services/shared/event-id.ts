import { hash } from 'node:crypto';

/**
 * The deterministic event id: the first 128 bits of SHA-256 over source, source record id and
 * schema version, as 32 hex characters. Re-importing a record gives the same id.
 */
export function eventId(source: string, sourceRecordId: string, schemaVersion: number): string {
  // The one-shot hash: half the cost of createHash().update().digest() for one short string.
  return hash('sha256', `${source}\u0000${sourceRecordId}\u0000v${schemaVersion}`, 'hex').slice(0, 32);
}

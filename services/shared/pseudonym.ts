/**
 * Keyed pseudonyms for private people's identifiers (a signer's email or phone, a lottery
 * winner's name): `hmac-sha256:<hex>` of a normalised value under a secret key. The same person
 * gets the same pseudonym across sources and imports (so signups, contacts and payouts can be
 * joined); the raw value never leaves ingestion. Rotating the key changes every pseudonym.
 */
import { createHmac, createSecretKey } from 'node:crypto';

export type IdentifierKind = 'email' | 'phone' | 'name' | 'id';

const ASCII = /^[\x00-\x7f]*$/;

/** The normal form hashed for each kind, so trivially different spellings meet. */
export function normaliseIdentifier(kind: IdentifierKind, value: string): string {
  // ASCII is its own NFKC form: only other text goes through ICU.
  const v = (ASCII.test(value) ? value : value.normalize('NFKC')).trim();
  switch (kind) {
    case 'email':
      return v.toLowerCase();
    case 'phone': {
      const digits = v.replace(/\D/g, '');
      // US numbers: drop the country code so 1-555-… and (555) … meet.
      return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    }
    case 'name':
      return v.toLowerCase().replace(/\s+/g, ' ');
    case 'id':
      return v;
  }
}

export type Pseudonymizer = (kind: IdentifierKind, value: string) => string;

/**
 * A pseudonymizer under `key` (at least 32 bytes). @throws when the key is too short.
 * Kind is part of the message, so an email and a name with the same text differ.
 */
export function createPseudonymizer(key: Buffer): Pseudonymizer {
  if (key.length < 32) throw new Error('the HMAC key must be at least 32 bytes (e.g. 64 hex characters)');
  // One KeyObject for every identifier: given a raw Buffer, createHmac makes (and checks) a new
  // key object on each call, which cost ~20x the HMAC itself and half of a first-party import.
  const secret = createSecretKey(key);
  return (kind, value) =>
    `hmac-sha256:${createHmac('sha256', secret)
      .update(`${kind}\u0000${normaliseIdentifier(kind, value)}`)
      .digest('hex')}`;
}

/** Parses INGEST_HMAC_KEY: 64+ hex characters or base64 of 32+ bytes. */
export function parseHmacKey(text: string): Buffer {
  const t = text.trim();
  const key =
    /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length < 32)
    throw new Error('INGEST_HMAC_KEY must hold at least 32 bytes: 64 hex characters or 44 base64');
  return key;
}

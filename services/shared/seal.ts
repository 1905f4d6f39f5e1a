/**
 * Sealing raw bytes that hold private identifiers (a first-party row that failed to parse still
 * carries a signer's email): AES-256-GCM under a key derived from the ingestion HMAC key, so a
 * dead letter keeps every byte for replay without exposing anyone in Kafka.
 * Format: `v1` (2 bytes) | iv (12) | tag (16) | ciphertext.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface Sealer {
  seal(plain: Buffer): Buffer;
  /** @throws when the data was not sealed under this key or was altered. */
  open(sealed: Buffer): Buffer;
}

export function createSealer(hmacKey: Buffer): Sealer {
  const key = Buffer.from(hkdfSync('sha256', hmacKey, Buffer.alloc(0), 'influence-ledger dlq seal v1', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from('v1'), iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (sealed.subarray(0, 2).toString() !== 'v1') throw new Error('not sealed data (no v1 header)');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(2, 14));
      decipher.setAuthTag(sealed.subarray(14, 30));
      return Buffer.concat([decipher.update(sealed.subarray(30)), decipher.final()]);
    },
  };
}

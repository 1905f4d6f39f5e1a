import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventId } from './event-id.ts';

describe('eventId', () => {
  it('is the first 128 bits of SHA-256 over source, record id and version', () => {
    const reference = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);
    expect(eventId('fec-itcont', '4123456789012345678', 1)).toBe(
      reference('fec-itcont\u00004123456789012345678\u0000v1'),
    );
    // Non-ASCII ids hash their UTF-8 bytes.
    expect(eventId('snap', 'é☃:2024-07-28', 1)).toBe(reference('snap\u0000é☃:2024-07-28\u0000v1'));
    expect(eventId('snap', 'a', 1)).toMatch(/^[0-9a-f]{32}$/);
    expect(eventId('snap', 'a', 1)).not.toBe(eventId('snap', 'a', 2));
  });
});

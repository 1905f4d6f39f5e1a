import { describe, expect, it } from 'vitest';
import { createPseudonymizer, normaliseIdentifier, parseHmacKey } from './pseudonym.ts';
import { stripTokens } from './urls.ts';

const key = Buffer.alloc(32, 7);

describe('pseudonyms', () => {
  it('are stable, keyed and never contain the value', () => {
    const p = createPseudonymizer(key);
    const a = p('email', 'Jane.Doe@Example.com ');
    expect(a).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(a).toBe(p('email', 'jane.doe@example.com'));
    expect(a).not.toContain('jane');
    expect(createPseudonymizer(Buffer.alloc(32, 8))('email', 'jane.doe@example.com')).not.toBe(a);
    expect(p('name', 'jane.doe@example.com')).not.toBe(a);
  });
  it('meet across phone spellings', () => {
    expect(normaliseIdentifier('phone', '+1 (555) 010-0199')).toBe(
      normaliseIdentifier('phone', '555.010.0199'),
    );
  });
  it('refuse short keys', () => {
    expect(() => createPseudonymizer(Buffer.alloc(16))).toThrow(/32 bytes/);
    expect(() => parseHmacKey('abcd')).toThrow(/32 bytes/);
    expect(parseHmacKey('ab'.repeat(32))).toHaveLength(32);
  });
});

describe('stripTokens', () => {
  it('removes access tokens and user info, keeps the rest', () => {
    expect(stripTokens('https://www.facebook.com/ads/archive/render_ad/?id=123&access_token=EAAB')).toBe(
      'https://www.facebook.com/ads/archive/render_ad/?id=123',
    );
    expect(stripTokens('https://u:p@example.com/x?a=1&signature=zz')).toBe('https://example.com/x?a=1');
    expect(stripTokens('not a url')).toBe('not a url');
  });
});

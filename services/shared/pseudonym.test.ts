import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPseudonymizer, normaliseIdentifier, parseHmacKey, type IdentifierKind } from './pseudonym.ts';
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
  it('are the HMAC-SHA256 of kind and normal form under the key', () => {
    const p = createPseudonymizer(key);
    const reference = (message: string): string =>
      `hmac-sha256:${createHmac('sha256', key).update(message).digest('hex')}`;
    expect(p('email', ' Jane.Doe@Example.com')).toBe(reference('email\u0000jane.doe@example.com'));
    expect(p('phone', '+1 (555) 010-0199')).toBe(reference('phone\u00005550100199'));
    expect(p('name', 'Ｊａｎｅ  Doe')).toBe(reference('name\u0000jane doe'));
  });
  it('normalise as NFKC whatever the text', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('Ｊａｎｅ', 'ﬁ', 'é', 'e\u0301', ' x ', '\u00a0a', '①', 'ǅ'),
    );
    // normaliseIdentifier as it was, NFKC on every value: the reference.
    const reference = (kind: IdentifierKind, value: string): string => {
      const v = value.normalize('NFKC').trim();
      if (kind === 'email') return v.toLowerCase();
      if (kind === 'name') return v.toLowerCase().replace(/\s+/g, ' ');
      if (kind === 'id') return v;
      const digits = v.replace(/\D/g, '');
      return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    };
    const kinds: IdentifierKind[] = ['email', 'phone', 'name', 'id'];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), text, (kind, v) => {
        expect(normaliseIdentifier(kind, v)).toBe(reference(kind, v));
      }),
      { numRuns: 5000 },
    );
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

/** stripTokens as it was before its shortcut for plain URLs: the reference it must agree with. */
function stripTokensByUrl(url: string): string {
  const secret =
    /^(access_token|accesstoken|token|api_key|apikey|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|client_secret|password|auth|oauth_token|session)$/i;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const hadUser = u.username !== '' || u.password !== '';
  u.username = '';
  u.password = '';
  const parts = u.search.replace(/^\?/, '').split('&');
  const kept = parts.filter((p) => {
    const name = p.split('=')[0] ?? '';
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      /* as written */
    }
    return !secret.test(decoded);
  });
  if (kept.length === parts.length && !hadUser) return url;
  u.search = kept.filter((p) => p !== '').join('&');
  return u.toString();
}

describe('stripTokens', () => {
  it('agrees with parsing every URL', () => {
    const piece = fc.constantFrom(
      'https://',
      'http://',
      'mailto:',
      'snapchat://',
      'x.test',
      'u:p@',
      '@',
      '/a',
      '?',
      '#',
      '&',
      '=',
      '+',
      'access_token',
      'Token',
      'id',
      'sig',
      '%61ccess_token',
      '%zz',
      ' ',
      '\t',
      '\\',
      "'",
      '"',
      'é',
      '1',
      'a b',
      'TOKEN ',
      'api%5Fkey',
      'key+',
      '?token=1',
      '&auth=',
      '#x?token=2',
      '{{campaign.id}}',
      '|',
      '[',
      ']',
      '^',
      '`',
      '<',
      '>',
      '%',
      '%2',
      'sig%6eature',
      'k%65y+',
      '\u007f',
      'ü',
    );
    const loose = fc
      .array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 10 })
      .map((a) => a.join(''));
    // Shaped like links: a query of parameters whose names are credentials, spelled in any way.
    const name = fc.oneof(
      fc.constantFrom('id', 'utm_source', 'token', 'Access_Token', 'sig', 'key', 'x-amz-signature', 'a'),
      fc.constantFrom('sig%6eature', 'k%65y', 'api%5Fkey', '%74oken', 'to+ken', 'key+', '%zz', '%', 'tok%'),
      fc.string({ maxLength: 4 }),
      fc.constantFrom('{{campaign.id}}', 'a b', 'é', '\t', 'token ', '<x>', '"q"', "'s'"),
    );
    const param = fc
      .tuple(name, fc.option(fc.constantFrom('1', '', '{{ad.id}}', 'a=b', '%41')))
      .map(([n, v]) => (v === null ? n : `${n}=${v}`));
    const shaped = fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'mailto:', 'snapchat://', ''),
        fc.constantFrom('x.test', 'u:p@x.test', 'x.test:8080', ''),
        fc.constantFrom('', '/', '/a/b', '/a?'),
        fc.array(param, { maxLength: 4 }),
        fc.constantFrom('', '#top', '#x?token=1'),
      )
      .map(([scheme, host, p, params, hash]) => `${scheme}${host}${p}?${params.join('&')}${hash}`);
    const url = fc.oneof(loose, shaped);
    fc.assert(
      fc.property(url, (u) => {
        expect(stripTokens(u)).toBe(stripTokensByUrl(u));
      }),
      { numRuns: 20000 },
    );
  });

  it('removes access tokens and user info, keeps the rest', () => {
    expect(stripTokens('https://www.facebook.com/ads/archive/render_ad/?id=123&access_token=EAAB')).toBe(
      'https://www.facebook.com/ads/archive/render_ad/?id=123',
    );
    expect(stripTokens('https://u:p@example.com/x?a=1&signature=zz')).toBe('https://example.com/x?a=1');
    expect(stripTokens('not a url')).toBe('not a url');
    // Parameters that are kept stay exactly as written.
    expect(stripTokens('https://docquery.fec.gov/cgi-bin/fecimg/?202410099684835318')).toBe(
      'https://docquery.fec.gov/cgi-bin/fecimg/?202410099684835318',
    );
    expect(stripTokens('https://x.test/a?202410&access_token=t&b=c%20d')).toBe(
      'https://x.test/a?202410&b=c%20d',
    );
  });
});

describe('sealed dead-letter bytes', () => {
  it('open only under the same key and hide the content', async () => {
    const { createSealer } = await import('./seal.ts');
    const a = createSealer(Buffer.alloc(32, 1));
    const sealed = a.seal(Buffer.from('jane@example.com,555-0100'));
    expect(sealed.toString('latin1')).not.toContain('jane');
    expect(a.open(sealed).toString()).toBe('jane@example.com,555-0100');
    expect(() => createSealer(Buffer.alloc(32, 2)).open(sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered.writeUInt8((tampered.at(-1) ?? 0) ^ 1, tampered.length - 1);
    expect(() => a.open(tampered)).toThrow();
  });
});

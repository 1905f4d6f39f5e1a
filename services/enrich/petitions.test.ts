import { describe, expect, it } from 'vitest';
import { parsePetitions, petitionsOfUrls, sponsorOfPetition } from './petitions.ts';
import { repoReference } from './testing.ts';

const table = parsePetitions({
  petitions: [
    {
      petition_id: 'p-sign',
      sponsor_id: 'C00879510',
      name: 'Sign',
      url_prefixes: ['petition.example.org/sign'],
    },
    {
      petition_id: 'p-root',
      sponsor_id: 'first-party-org',
      name: 'Root',
      url_prefixes: ['pledge.example.org/'],
    },
  ],
});

describe('petitionsOfUrls', () => {
  it('matches host and path at a segment boundary, whatever the scheme, case of host, www and query', () => {
    expect(petitionsOfUrls(table, ['https://petition.example.org/sign?utm_source=x'])).toEqual(['p-sign']);
    expect(petitionsOfUrls(table, ['http://WWW.Petition.Example.org/sign/'])).toEqual(['p-sign']);
    expect(petitionsOfUrls(table, ['https://petition.example.org/sign/step-2#top'])).toEqual(['p-sign']);
    expect(petitionsOfUrls(table, ['https://pledge.example.org/anything'])).toEqual(['p-root']);
  });

  it('does not match another path, another host or what is not a URL', () => {
    expect(petitionsOfUrls(table, ['https://petition.example.org/signature'])).toEqual([]);
    expect(petitionsOfUrls(table, ['https://petition.example.org.evil.example/sign'])).toEqual([]);
    expect(petitionsOfUrls(table, ['petition.example.org/sign', 'ftp://petition.example.org/sign'])).toEqual(
      [],
    );
  });

  it('lists each petition once, sorted', () => {
    expect(
      petitionsOfUrls(table, [
        'https://pledge.example.org/a',
        'https://petition.example.org/sign?a=1',
        'https://petition.example.org/sign?a=2',
      ]),
    ).toEqual(['p-root', 'p-sign']);
  });
});

describe('petitions of the reference data', () => {
  const ref = repoReference().petitions;

  it("credits the sample petition to America PAC and finds it behind @America's links", () => {
    expect(sponsorOfPetition(ref, 'america-pac-1a2a-petition-2024')).toBe('C00879510');
    expect(sponsorOfPetition(ref, 'unknown-petition')).toBe('');
    expect(
      petitionsOfUrls(ref, ['https://petition.america-pac.example/sign?utm_source=x&utm_campaign=petition']),
    ).toEqual(['america-pac-1a2a-petition-2024']);
  });

  it('rejects a repeated id and a prefix with a scheme', () => {
    const p = { petition_id: 'x', sponsor_id: 'C00879510', name: 'X', url_prefixes: ['a.example/x'] };
    expect(() => parsePetitions({ petitions: [p, p] })).toThrow(/twice/);
    expect(() => parsePetitions({ petitions: [{ ...p, url_prefixes: ['https://a.example/x'] }] })).toThrow(
      /url_prefixes/,
    );
  });
});

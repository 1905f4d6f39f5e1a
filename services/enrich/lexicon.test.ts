import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_DIR } from '../../infra/sample/campaign/manifest.ts';
import { splitCsvRecord } from '../shared/ingest/readers.ts';
import {
  alignmentsOf,
  canonicalStance,
  canonicalSubject,
  parseLexicon,
  stancesOfText,
  topicsOfText,
  type LexiconFile,
} from './lexicon.ts';
import { repoReference } from './testing.ts';

const lex = repoReference().lexicon;

/** The sample's ad-annotations.csv as records. */
function annotations(): Record<string, string>[] {
  const lines = readFileSync(path.join(CAMPAIGN_DIR, 'ad-annotations.csv'), 'utf8').trimEnd().split('\n');
  const header = splitCsvRecord(lines[0] ?? '') ?? [];
  return lines.slice(1).map((l) => {
    const cells = splitCsvRecord(l) ?? [];
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

describe('stancesOfText on the sample Meta creatives', () => {
  it('finds support for the candidate a vote call names', () => {
    expect(
      stancesOfText(
        lex,
        'A new way forward: Kamala Harris has a plan to build up the middle class.\nVote for Harris',
      ),
    ).toEqual([{ subject: 'Harris', stance: 'support' }]);
    expect(
      stancesOfText(lex, 'Our freedoms are on the ballot. Vote early for Kamala Harris and Tim Walz.'),
    ).toEqual([{ subject: 'Harris', stance: 'support' }]);
    expect(stancesOfText(lex, 'Early voting is open. Vote Trump and secure the border.')).toEqual([
      { subject: 'Trump', stance: 'support' },
    ]);
  });

  it('finds opposition and support in one text, sorted by subject', () => {
    expect(
      stancesOfText(
        lex,
        'Prices are up under Kamala. Vote Donald J. Trump to make America affordable again.',
      ),
    ).toEqual([
      { subject: 'Harris', stance: 'oppose' },
      { subject: 'Trump', stance: 'support' },
    ]);
  });

  it('finds nothing in a petition call', () => {
    expect(
      stancesOfText(lex, 'Sign the petition in support of free speech and the right to bear arms.'),
    ).toEqual([]);
  });

  it('respects word boundaries', () => {
    expect(stancesOfText(lex, 'Vote Trumpet for band captain')).toEqual([]);
    expect(stancesOfText(lex, 'Kamala Harris, friend of Israeli startups')).toEqual([]);
  });
});

describe('stancesOfText on the sample annotation transcripts', () => {
  const coded = annotations();

  it('reads each transcript as the stance its coder gave, curly apostrophes included', () => {
    expect(coded).toHaveLength(6);
    for (const c of coded) {
      const found = stancesOfText(lex, c.transcript ?? '');
      expect(found, c.transcript).toContainEqual({ subject: 'Harris', stance: c.stance });
      expect(
        found.filter((s) => s.subject === 'Harris' && s.stance !== c.stance),
        c.transcript,
      ).toEqual([]);
    }
  });

  it('needs the subject for phrases that do not name it', () => {
    expect(stancesOfText(lex, 'A friend of Israel. Paid for by America PAC.')).toEqual([]);
    expect(stancesOfText(lex, 'Harris: a friend of Israel.')).toEqual([
      { subject: 'Harris', stance: 'pro-Israel' },
    ]);
  });
});

describe('topicsOfText', () => {
  it('tags the sample texts', () => {
    expect(
      topicsOfText(lex, 'Sign the petition in support of free speech and the right to bear arms!'),
    ).toEqual(['free speech', 'gun rights', 'petition']);
    expect(topicsOfText(lex, 'Stand up for the First and Second Amendments. Sign now.')).toEqual([
      'petition',
    ]);
    expect(
      topicsOfText(lex, 'Congratulations to today’s $1M winner! Sign the petition and you could be next.'),
    ).toEqual(['lottery', 'petition']);
    expect(
      topicsOfText(
        lex,
        'Registered voters in PA, GA, NV, AZ, MI, WI & NC: refer a friend who signs the petition and earn $47.',
      ),
    ).toEqual(['petition', 'referral bounty', 'voting']);
    expect(topicsOfText(lex, 'She calls for a ceasefire and aid to Gaza.')).toEqual(['israel-gaza']);
    expect(topicsOfText(lex, '')).toEqual([]);
  });
});

describe('canonical subjects and stances', () => {
  it('maps coded values through the lexicon and passes unknown ones through trimmed', () => {
    expect(canonicalSubject(lex, 'Harris')).toBe('Harris');
    expect(canonicalSubject(lex, ' kamala  harris ')).toBe('Harris');
    expect(canonicalSubject(lex, 'Donald J. Trump')).toBe('Trump');
    expect(canonicalSubject(lex, '  Israel ')).toBe('Israel');
    expect(canonicalStance(lex, 'pro-Israel')).toBe('pro-Israel');
    expect(canonicalStance(lex, 'PRO-ISRAEL')).toBe('pro-Israel');
    expect(canonicalStance(lex, 'friend of Israel')).toBe('pro-Israel');
    expect(canonicalStance(lex, 'ally of Palestine')).toBe('pro-Palestine');
    expect(canonicalStance(lex, ' neutral ')).toBe('neutral');
  });

  it('aligns the sample pages with their side and lists opposites both ways', () => {
    expect(alignmentsOf(lex, 'C00703975')).toEqual([{ subject: 'Harris', stance: 'support' }]);
    expect(alignmentsOf(lex, 'C00669259')).toEqual([{ subject: 'Harris', stance: 'support' }]);
    expect(alignmentsOf(lex, 'C00828541')).toEqual([{ subject: 'Trump', stance: 'support' }]);
    expect(alignmentsOf(lex, 'C00879510')).toEqual([{ subject: 'Trump', stance: 'support' }]);
    expect(alignmentsOf(lex, 'name:someone')).toEqual([]);
    expect(lex.opposites).toEqual([
      ['oppose', 'support'],
      ['pro-Israel', 'pro-Palestine'],
      ['pro-Palestine', 'pro-Israel'],
      ['support', 'oppose'],
    ]);
  });
});

describe('parseLexicon', () => {
  const base = (): LexiconFile => ({
    subjects: { Harris: ['Kamala'] },
    stances: [{ subject: 'Harris', stance: 'support', requires_subject: false, patterns: ['go (Kamala)!'] }],
    stance_aliases: {},
    opposites: [],
    topics: { money: ['$47', 'U.S. dollars'] },
    alignments: [],
  });

  it('treats pattern text literally', () => {
    const l = parseLexicon(base());
    expect(stancesOfText(l, 'Everyone: GO (KAMALA)!')).toEqual([{ subject: 'Harris', stance: 'support' }]);
    expect(stancesOfText(l, 'go Kamala')).toEqual([]);
    expect(topicsOfText(l, 'paid $47 in U.S. dollars')).toEqual(['money']);
    expect(topicsOfText(l, 'paid $470')).toEqual([]);
  });

  it('rejects unknown subjects, self-opposites, colliding aliases and unknown keys', () => {
    expect(() =>
      parseLexicon({
        ...base(),
        alignments: [{ sponsor: 'C00000001', subject: 'Biden', stance: 'support' }],
      }),
    ).toThrow(/Biden/);
    expect(() => parseLexicon({ ...base(), opposites: [['support', 'support']] })).toThrow(/itself/);
    expect(() => parseLexicon({ ...base(), subjects: { Harris: ['Kamala'], Other: ['kamala'] } })).toThrow(
      /kamala/i,
    );
    expect(() => parseLexicon({ ...base(), stance_aliases: { support: 'oppose' } })).toThrow(/collides/);
    expect(() => parseLexicon({ ...base(), extra: 1 })).toThrow(/extra/);
  });
});

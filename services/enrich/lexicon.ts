/**
 * The lexicon (infra/reference/lexicon.json): what an ad or post is about and which stance it
 * takes, from its words, from a coder, or from who paid for it. Configurable data, not code: a
 * new phrase, topic or sponsor alignment is an edit of the JSON file (format in
 * infra/reference/README.md).
 *
 * Patterns are phrases matched case-insensitively on word boundaries (a letter or digit may not
 * touch either end): `friend of Israel` matches "a friend of Israel." but not "friend of
 * Israeli". Straight and curly apostrophes are the same, and so are the dash characters; a space
 * matches any run of white space. List plural and other forms as patterns of their own.
 */
import { z } from 'zod';
import { byCodeUnit } from './entities.ts';

const Phrase = z.string().trim().min(1).max(256);

const StanceRule = z
  .object({
    subject: Phrase,
    stance: Phrase,
    /** The subject must also be named in the same text (for phrases that do not name it). */
    requires_subject: z.boolean().default(false),
    patterns: z.array(Phrase).min(1),
    note: z.string().optional(),
  })
  .strict();

const Alignment = z
  .object({
    /** A canonical entity id (services/enrich/entities), e.g. "C00879510". */
    sponsor: Phrase,
    subject: Phrase,
    stance: Phrase,
    note: z.string().optional(),
  })
  .strict();

/** The shape of lexicon.json. */
export const LexiconFile = z
  .object({
    $comment: z.string().optional(),
    subjects: z.record(Phrase, z.array(Phrase)),
    stances: z.array(StanceRule),
    stance_aliases: z.record(Phrase, Phrase).default({}),
    opposites: z.array(z.tuple([Phrase, Phrase])),
    topics: z.record(Phrase, z.array(Phrase).min(1)),
    alignments: z.array(Alignment).default([]),
  })
  .strict();
export type LexiconFile = z.infer<typeof LexiconFile>;

/** One stance on one subject. */
export interface SubjectStance {
  subject: string;
  stance: string;
}

interface CompiledRule extends SubjectStance {
  pattern: RegExp;
  subjectPattern: RegExp | null;
}

/** The lexicon, compiled. */
export interface Lexicon {
  readonly file: LexiconFile;
  readonly rules: readonly CompiledRule[];
  readonly topics: readonly { topic: string; pattern: RegExp }[];
  /** Lower-cased subject and alias → canonical subject. */
  readonly subjectByKey: ReadonlyMap<string, string>;
  /** Lower-cased stance or stance alias → canonical stance. */
  readonly stanceByKey: ReadonlyMap<string, string>;
  readonly alignments: ReadonlyMap<string, readonly SubjectStance[]>;
  /** Every contradicting pair, both orders, sorted. */
  readonly opposites: readonly [string, string][];
}

/** A phrase as a regular-expression source: quotes, dashes and spaces loosened (see above). */
function phraseSource(phrase: string): string {
  return phrase
    .normalize('NFKC')
    .trim()
    .split(/\s+/)
    .map((word) =>
      [...word]
        .map((ch) => {
          if (/['’‘`]/.test(ch)) return "['’‘`]";
          if (/[-‐‑–—]/.test(ch)) return '[-‐‑–—]';
          return ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
        })
        .join(''),
    )
    .join('\\s+');
}

/** One case-insensitive, word-bounded pattern matching any of the phrases. */
function compile(phrases: readonly string[]): RegExp {
  const alternatives = [...new Set(phrases.map(phraseSource))].sort(
    (a, b) => b.length - a.length || byCodeUnit(a, b),
  );
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
}

const key = (s: string): string => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Checks and compiles the parsed content of lexicon.json. Throws when it does not fit the format
 * or refers to a subject it does not define, or when an alias means two things.
 */
export function parseLexicon(json: unknown): Lexicon {
  const parsed = LexiconFile.safeParse(json);
  if (!parsed.success) throw new Error(`lexicon.json: ${z.prettifyError(parsed.error)}`);
  const file = parsed.data;
  const fail = (message: string): never => {
    throw new Error(`lexicon.json: ${message}`);
  };

  const subjectByKey = new Map<string, string>();
  for (const [subject, aliases] of Object.entries(file.subjects))
    for (const a of [subject, ...aliases]) {
      const other = subjectByKey.get(key(a));
      if (other !== undefined && other !== subject)
        fail(`subject alias "${a}" means ${other} and ${subject}`);
      subjectByKey.set(key(a), subject);
    }
  const subjectPatterns = new Map(
    Object.entries(file.subjects).map(([s, aliases]) => [s, compile([s, ...aliases])] as const),
  );
  const knownSubject = (s: string, where: string): void => {
    if (!(s in file.subjects)) fail(`${where} names subject "${s}", which is not in "subjects"`);
  };

  const stanceByKey = new Map<string, string>();
  const canonical = [
    ...file.stances.map((r) => r.stance),
    ...file.alignments.map((a) => a.stance),
    ...file.opposites.flat(),
    ...Object.values(file.stance_aliases),
  ];
  for (const s of canonical) stanceByKey.set(key(s), s);
  for (const [alias, stance] of Object.entries(file.stance_aliases)) {
    const other = stanceByKey.get(key(alias));
    if (other !== undefined && other !== stance)
      fail(`stance alias "${alias}" collides with stance "${other}"`);
    stanceByKey.set(key(alias), stance);
  }

  const rules = file.stances.map((r, i): CompiledRule => {
    knownSubject(r.subject, `stances[${i}]`);
    return {
      subject: r.subject,
      stance: r.stance,
      pattern: compile(r.patterns),
      subjectPattern: r.requires_subject ? (subjectPatterns.get(r.subject) ?? null) : null,
    };
  });
  const topics = Object.entries(file.topics)
    .map(([topic, patterns]) => ({ topic, pattern: compile(patterns) }))
    .sort((a, b) => byCodeUnit(a.topic, b.topic));

  const alignments = new Map<string, SubjectStance[]>();
  for (const [i, a] of file.alignments.entries()) {
    knownSubject(a.subject, `alignments[${i}]`);
    const list = alignments.get(a.sponsor) ?? [];
    list.push({ subject: a.subject, stance: a.stance });
    alignments.set(a.sponsor, list);
  }

  const pairs = new Map<string, [string, string]>();
  for (const [a, b] of file.opposites) {
    if (a === b) fail(`opposites pairs "${a}" with itself`);
    pairs.set(`${a}\u0000${b}`, [a, b]);
    pairs.set(`${b}\u0000${a}`, [b, a]);
  }
  const opposites = [...pairs.values()].sort((x, y) => byCodeUnit(x[0], y[0]) || byCodeUnit(x[1], y[1]));

  return { file, rules, topics, subjectByKey, stanceByKey, alignments, opposites };
}

/** Compare two stances by subject, then stance. */
export function compareStances(a: SubjectStance, b: SubjectStance): number {
  return byCodeUnit(a.subject, b.subject) || byCodeUnit(a.stance, b.stance);
}

/** The distinct stances the text rules find in `text`, sorted by subject then stance. */
export function stancesOfText(lex: Lexicon, text: string): SubjectStance[] {
  const t = text.normalize('NFKC');
  const found = new Map<string, SubjectStance>();
  for (const r of lex.rules)
    if (r.pattern.test(t) && (r.subjectPattern === null || r.subjectPattern.test(t)))
      found.set(`${r.subject}\u0000${r.stance}`, { subject: r.subject, stance: r.stance });
  return [...found.values()].sort(compareStances);
}

/** The topics whose patterns occur in `text`, sorted. */
export function topicsOfText(lex: Lexicon, text: string): string[] {
  const t = text.normalize('NFKC');
  return lex.topics.filter((x) => x.pattern.test(t)).map((x) => x.topic);
}

/** The canonical subject of a coded subject (`Kamala Harris` → `Harris`); unknown ones trimmed. */
export function canonicalSubject(lex: Lexicon, subject: string): string {
  return lex.subjectByKey.get(key(subject)) ?? subject.trim();
}

/** The canonical stance of a coded stance (`friend of Israel` → `pro-Israel`); unknown ones trimmed. */
export function canonicalStance(lex: Lexicon, stance: string): string {
  return lex.stanceByKey.get(key(stance)) ?? stance.trim();
}

/** The stances a sponsor's ads take by who the sponsor is (origin `advertiser`). */
export function alignmentsOf(lex: Lexicon, sponsorId: string): readonly SubjectStance[] {
  return lex.alignments.get(sponsorId) ?? [];
}

/**
 * Identifiers shared by the event schemas. Ids are strings everywhere (X and Meta ids exceed
 * 2^53). Private people never appear under their own identifiers: ingestion replaces a phone,
 * an e-mail or a name with a keyed HMAC, a {@link Pseudonym}.
 */
import { z } from 'zod';

/**
 * A private person's identifier after keyed pseudonymization at ingestion:
 * `hmac-sha256:` + 64 lower-case hex digits. The same person under the same key always gets the
 * same pseudonym, so joins work; the raw value never reaches Kafka or ClickHouse.
 */
export const Pseudonym = z
  .string()
  .regex(/^hmac-sha256:[0-9a-f]{64}$/, 'expected a pseudonym hmac-sha256:<64 hex>, never a raw identifier')
  .meta({
    id: 'Pseudonym',
    description:
      'Keyed HMAC of a private person\'s identifier: "hmac-sha256:" + 64 lower-case hex digits. ' +
      'Raw phones, e-mails and names of private people never appear.',
  });
export type Pseudonym = z.infer<typeof Pseudonym>;

/** An FEC committee id, `C` + 8 digits (America PAC: `C00879510`). */
export const FecCommitteeId = z
  .string()
  .regex(/^C\d{8}$/, 'expected an FEC committee id like C00879510')
  .meta({ id: 'FecCommitteeId', description: 'FEC committee id: "C" + 8 digits, e.g. "C00879510".' });

/** An FEC candidate id: office letter, then 8 characters (`P80001571`, `H4PA07106`). */
export const FecCandidateId = z
  .string()
  .regex(/^[HSP][0-9A-Z]{8}$/, 'expected an FEC candidate id like P80001571')
  .meta({ id: 'FecCandidateId', description: 'FEC candidate id, e.g. "P80001571".' });

/**
 * Who spends: an FEC committee id when there is one, otherwise a stable first-party sponsor slug
 * (lower case, digits, `.`, `_`, `-`; no colons, since it is part of `payout_key`), chosen by the
 * import that introduces the sponsor, e.g. `building-americas-future`.
 */
export const SponsorId = z
  .string()
  .regex(
    /^(C\d{8}|[a-z0-9][a-z0-9._-]{0,127})$/,
    'expected an FEC committee id (C00879510) or a lower-case first-party sponsor slug',
  )
  .meta({
    id: 'SponsorId',
    description: 'An FEC committee id ("C00879510") or a lower-case first-party sponsor slug without colons.',
  });

/** A platform's own id of an ad, post, account, page or campaign: a non-empty string. */
export const ExternalId = z
  .string()
  .min(1)
  .max(256)
  .meta({ id: 'ExternalId', description: 'An id as the source spells it; always a string.' });

/** An FEC numeric id too large for a double (SUB_ID has 19 digits): digits as a string. */
export const FecNumericId = z
  .string()
  .regex(/^\d{1,20}$/, 'expected digits as a string')
  .meta({
    id: 'FecNumericId',
    description: 'A numeric FEC id (sub id, file number, image number) as a string.',
  });

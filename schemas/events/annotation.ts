/**
 * annotation v1: a human coder's reading of one platform ad — what it is about and the stance it
 * takes — for ads whose export carries no words (Snap, Google). A later coding of the same ad by
 * the same coder on the same subject supersedes an earlier one (version = coded_on).
 *
 * source_record_id: `<platform>:<ad_id>:<coder>:<subject>@<coded_on>`.
 */
import { z } from 'zod';
import { envelopeOf } from '../envelope.ts';
import { ExternalId } from '../ids.ts';
import { IsoDate } from '../money.ts';
import { AdPlatform } from './ad.ts';

export const AnnotationPayloadV1 = z
  .object({
    platform: AdPlatform,
    ad_id: ExternalId.describe('The platform ad id as in its export (Snap: the 64-hex ADID).'),
    ad_set: z.string().max(256).describe("The coder's grouping of ads that carry one message; may be empty."),
    subject: z.string().min(1).max(256).describe('Who or what the ad is about, e.g. "Harris".'),
    stance: z.string().min(1).max(256).describe('The coded stance on the subject, e.g. "pro-Israel".'),
    message: z.string().max(4096).describe('The message in a few words, as coded.'),
    transcript: z.string().max(100_000).describe('The words spoken or shown in the creative.'),
    coder: z.string().min(1).max(256).describe('Who coded it, "<group>/<coder>".'),
    coded_on: IsoDate,
  })
  .strict()
  .describe("A coder's stance on one platform ad; a later coded_on from the same coder supersedes.");
export type AnnotationPayloadV1 = z.infer<typeof AnnotationPayloadV1>;

/** occurred_at: coded_on at 00:00Z. */
export const AnnotationV1 = envelopeOf('annotation', AnnotationPayloadV1);
export type AnnotationV1 = z.infer<typeof AnnotationV1>;

/** Kafka key: `<platform>:<ad_id>`, the same as the ad's, so an ad's codings stay in order. */
export function annotationKey(e: AnnotationV1): string {
  return `${e.payload.platform}:${e.payload.ad_id}`;
}

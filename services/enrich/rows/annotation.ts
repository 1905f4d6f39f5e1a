/** annotation → ad_annotations: a coder's subject and stance made canonical through the lexicon. */
import type { AnnotationPayloadV1 } from '../../../schemas/events/annotation.ts';
import { dateText } from '../clickhouse-text.ts';
import { canonicalStance, canonicalSubject } from '../lexicon.ts';
import type { Built, RowContext } from './context.ts';

/**
 * Subject and stance go through the lexicon (`Kamala Harris` → `Harris`, `friend of Israel` →
 * `pro-Israel`); values it does not know pass through trimmed. An annotation changes no
 * sponsor's correlations by itself (the ad it codes carries the sponsor): sponsors is empty.
 */
export function buildAnnotation({ ref, envelope }: RowContext, p: AnnotationPayloadV1): Built {
  return {
    fields: {
      ...envelope,
      platform: p.platform,
      ad_id: p.ad_id,
      ad_set: p.ad_set,
      subject: canonicalSubject(ref.lexicon, p.subject),
      stance: canonicalStance(ref.lexicon, p.stance),
      message: p.message,
      transcript: p.transcript,
      coder: p.coder,
      coded_on: dateText(p.coded_on, 'coded_on'),
    },
    key: `${p.platform}:${p.ad_id}`,
    sponsors: [],
  };
}

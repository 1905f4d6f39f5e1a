/**
 * The registry of event schemas by type. Types not yet registered are rejected as
 * `unknown_type` by ingestion.
 */
import type { z } from 'zod';
import type { EventType } from '../topics.ts';
import { DonationV1, DonationPayloadV1, donationKey } from './donation.ts';

export interface EventSpec {
  type: EventType;
  schema_version: 1;
  envelope: z.ZodType;
  payload: z.ZodType;
  /** The Kafka key of an event that passed `envelope`. */
  key: (event: unknown) => string;
}

function defineEvent<E extends z.ZodType, P extends z.ZodType>(spec: {
  type: EventType;
  envelope: E;
  payload: P;
  key: (event: z.infer<E>) => string;
}): EventSpec {
  return { ...spec, schema_version: 1, key: (event) => spec.key(event as z.infer<E>) };
}

export const EVENT_SPECS: Partial<Record<EventType, EventSpec>> = {
  donation: defineEvent({
    type: 'donation',
    envelope: DonationV1,
    payload: DonationPayloadV1,
    key: donationKey,
  }),
};

export { DonationV1, DonationPayloadV1 };

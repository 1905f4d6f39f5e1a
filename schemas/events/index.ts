/**
 * The registry of event schemas by type: every type in EVENT_TYPES has its envelope schema,
 * payload schema and Kafka key function here.
 */
import type { z } from 'zod';
import type { EventType } from '../topics.ts';
import { AdPayloadV1, AdV1, adKey } from './ad.ts';
import { AnnotationPayloadV1, AnnotationV1, annotationKey } from './annotation.ts';
import { ContactPayloadV1, ContactV1, contactKey } from './contact.ts';
import { DonationPayloadV1, DonationV1, donationKey } from './donation.ts';
import { PayoutPayloadV1, PayoutV1, payoutKey } from './payout.ts';
import { PostPayloadV1, PostV1, postKey } from './post.ts';
import { SignupPayloadV1, SignupV1, signupKey } from './signup.ts';

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

export const EVENT_SPECS: Readonly<Record<EventType, EventSpec>> = {
  donation: defineEvent({
    type: 'donation',
    envelope: DonationV1,
    payload: DonationPayloadV1,
    key: donationKey,
  }),
  payout: defineEvent({ type: 'payout', envelope: PayoutV1, payload: PayoutPayloadV1, key: payoutKey }),
  ad: defineEvent({ type: 'ad', envelope: AdV1, payload: AdPayloadV1, key: adKey }),
  post: defineEvent({ type: 'post', envelope: PostV1, payload: PostPayloadV1, key: postKey }),
  signup: defineEvent({ type: 'signup', envelope: SignupV1, payload: SignupPayloadV1, key: signupKey }),
  contact: defineEvent({ type: 'contact', envelope: ContactV1, payload: ContactPayloadV1, key: contactKey }),
  annotation: defineEvent({
    type: 'annotation',
    envelope: AnnotationV1,
    payload: AnnotationPayloadV1,
    key: annotationKey,
  }),
};

export {
  AdPayloadV1,
  AdV1,
  AnnotationPayloadV1,
  AnnotationV1,
  ContactPayloadV1,
  ContactV1,
  DonationPayloadV1,
  DonationV1,
  PayoutPayloadV1,
  PayoutV1,
  PostPayloadV1,
  PostV1,
  SignupPayloadV1,
  SignupV1,
};

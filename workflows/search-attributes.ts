/**
 * Search attributes operators filter on in the Temporal UI and CLI
 * (e.g. `EventType = "donation" AND BatchState = "inserted"`). The local stack registers them;
 * on another cluster register them once with `temporal operator search-attribute create`.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SOURCE = defineSearchAttributeKey('Source', SearchAttributeType.KEYWORD);
export const EVENT_TYPE = defineSearchAttributeKey('EventType', SearchAttributeType.KEYWORD);
export const BATCH_STATE = defineSearchAttributeKey('BatchState', SearchAttributeType.KEYWORD);
export const SPONSOR = defineSearchAttributeKey('Sponsor', SearchAttributeType.KEYWORD);

/**
 * The current state of each ad from its snapshots: library figures are cumulative, so the latest
 * snapshot of an ad supersedes the earlier ones; they are never added up.
 */

/** The parts of an ad event that decide which snapshot is current. */
export interface AdSnapshotLike {
  source_record_id: string;
  payload: { platform: string; ad_id: string; snapshot_at: string };
}

/**
 * Per `platform:ad_id`, the event with the latest snapshot_at (instants compared as times); on a
 * tie, the one with the larger source_record_id, so the result does not depend on input order.
 * Pure; returns a Map keyed by `platform:ad_id`.
 */
export function currentAds<E extends AdSnapshotLike>(events: Iterable<E>): Map<string, E> {
  const current = new Map<string, E>();
  for (const e of events) {
    const key = `${e.payload.platform}:${e.payload.ad_id}`;
    const held = current.get(key);
    if (!held) {
      current.set(key, e);
      continue;
    }
    const a = Date.parse(e.payload.snapshot_at);
    const b = Date.parse(held.payload.snapshot_at);
    if (a > b || (a === b && e.source_record_id > held.source_record_id)) current.set(key, e);
  }
  return current;
}

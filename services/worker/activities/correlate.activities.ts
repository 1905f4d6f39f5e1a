/**
 * The correlation activity of the sponsor entity workflow: recomputes each correlation kind of
 * one sponsor from the candidate views (infra/clickhouse/migrations 0005, 0006, 0010), then records
 * what changed.
 *
 * Order matters for exactly-once in effect: changes are published to influence.correlations.v1
 * first and written to `correlations` second, so a failure between the two makes the retry see
 * the same changes again and publish them again (at least once), never skip them.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Producer } from 'kafkajs';
import { CORRELATIONS_TOPIC } from '../../../schemas/topics.ts';
import { CorrelationKind, type CorrelationRecordV1 } from '../../../schemas/correlation.ts';
import type {
  CorrelateSponsorResult,
  CorrelationActivities,
} from '../../../workflows/sponsor-correlation/contracts.ts';
import type { Logger } from '../../shared/logger.ts';
import { unavailable } from './clickhouse-insert.ts';
import { dateTime64Text } from '../../shared/clickhouse.ts';
import { sendInChunks } from '../../shared/kafka.ts';

/** Every correlation kind, each computed by the view `<kind>_candidates`. */
export const CORRELATION_KINDS = CorrelationKind.options;

/**
 * The kinds read through the parameterized view `sponsor_<kind>_candidates` (migration 0010), which
 * returns the rows of `<kind>_candidates` for the sponsor but reads only the sponsor's own data.
 * post_lift: the plain view joins every petition's posts with its signup minutes (1.4 s → 0.25 s
 * for the biggest sponsor at 50,000 bench events). contradiction stays on the plain view: at that
 * scale (3,000 ads) both are bound by planning, and the per-sponsor view planned about 80 ms
 * slower for every sponsor; switch once the plain view's cost grows with the ads. funding_flow
 * and funnel read per-sponsor rollups (0007) already.
 */
const PER_SPONSOR_VIEWS: ReadonlySet<CorrelationKind> = new Set<CorrelationKind>(['post_lift']);

/** The query of one kind's candidates for the sponsor `{sponsor:String}`, ordered by id. */
export function candidatesQuery(kind: CorrelationKind): string {
  const from = PER_SPONSOR_VIEWS.has(kind)
    ? `sponsor_${kind}_candidates(sponsor = {sponsor:String})`
    : `${kind}_candidates WHERE sponsor_id = {sponsor:String}`;
  return `SELECT toString(correlation_id) AS correlation_id, sponsor_id, subject, detail, source_event_ids
          FROM ${from} ORDER BY correlation_id`;
}

export interface CandidateRow {
  correlation_id: string;
  sponsor_id: string;
  subject: string;
  detail: string;
  source_event_ids: string[];
}

interface StoredRow {
  kind?: string;
  correlation_id: string;
  detail: string;
  is_deleted: number;
}

/** What a recomputation changes: rows to (re)write and rows that no longer hold. */
export function diffCorrelations(
  current: readonly CandidateRow[],
  stored: readonly StoredRow[],
): { changed: CandidateRow[]; retracted: StoredRow[] } {
  const before = new Map(stored.map((r) => [r.correlation_id, r]));
  const now = new Set(current.map((r) => r.correlation_id));
  const changed = current.filter((r) => {
    const prior = before.get(r.correlation_id);
    return !prior || prior.is_deleted !== 0 || prior.detail !== r.detail;
  });
  const retracted = stored.filter((r) => r.is_deleted === 0 && !now.has(r.correlation_id));
  return { changed, retracted };
}

export function createCorrelationActivities(deps: {
  clickhouse: ClickHouseClient;
  producer: Producer;
  log: Logger;
  /** The clock, for the version and computed_at of what changed. */
  now?: () => Date;
}): CorrelationActivities {
  const log = deps.log.child({ module: 'correlate' });
  const now = deps.now ?? (() => new Date());

  async function select<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    try {
      const rs = await deps.clickhouse.query({ query, query_params: params, format: 'JSONEachRow' });
      return await rs.json<T>();
    } catch (err) {
      throw unavailable(err);
    }
  }

  /**
   * Which kinds can find anything for the sponsor: one cheap query on the typed tables, so a
   * sponsor with ads and nothing else (most of an ad library) costs two queries, not eight.
   */
  async function relevantKinds(sponsorId: string): Promise<Set<CorrelationKind>> {
    const [r] = await select<Record<CorrelationKind, string>>(
      `SELECT
         (SELECT count() FROM ad_snapshots WHERE sponsor_id = {sponsor:String}
            AND (arrayExists(o -> o != 'advertiser', stance_origins)
                 OR (platform, ad_id) IN (SELECT platform, ad_id FROM ad_annotations))) AS contradiction,
         (SELECT count() FROM donation_events
            WHERE recipient_entity_id = {sponsor:String} OR committee_id = {sponsor:String}) AS funding_flow,
         (SELECT count() FROM payout_filings
            WHERE payer_entity_id = {sponsor:String} OR payer_committee_id = {sponsor:String})
           + (SELECT count() FROM signup_events WHERE sponsor_id = {sponsor:String})
           + (SELECT count() FROM contact_events WHERE sponsor_id = {sponsor:String}) AS funnel,
         (SELECT count() FROM post_observations WHERE hasAny(petition_ids,
            (SELECT groupArray(petition_id) FROM ref_petitions FINAL WHERE sponsor_id = {sponsor:String}))) AS post_lift`,
      { sponsor: sponsorId },
    );
    return new Set(CORRELATION_KINDS.filter((k) => Number(r?.[k] ?? 0) > 0));
  }

  async function recompute(
    kind: CorrelationKind,
    sponsorId: string,
    at: Date,
    relevant: boolean,
    stored: StoredRow[],
  ) {
    const current = relevant ? await select<CandidateRow>(candidatesQuery(kind), { sponsor: sponsorId }) : [];
    const { changed, retracted } = diffCorrelations(current, stored);
    if (changed.length + retracted.length === 0) return { found: current.length, changed: 0, retracted: 0 };
    const computedAt = at.toISOString();
    const version = String(at.getTime());
    const records: CorrelationRecordV1[] = [
      ...changed.map((r) => ({ ...r, holds: true })),
      ...retracted.map((r) => ({
        correlation_id: r.correlation_id,
        sponsor_id: sponsorId,
        subject: '',
        detail: r.detail,
        source_event_ids: [] as string[],
        holds: false,
      })),
    ].map((r) => ({
      schema_version: 1 as const,
      correlation_id: r.correlation_id,
      kind,
      sponsor_id: r.sponsor_id,
      subject: r.subject,
      holds: r.holds,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      source_event_ids: r.source_event_ids,
      computed_at: computedAt,
    }));
    // A big sponsor changes thousands of records at once: requests stay below the broker's 1 MiB.
    await sendInChunks(
      deps.producer,
      records.map((r) => ({ topic: CORRELATIONS_TOPIC, key: sponsorId, value: JSON.stringify(r) })),
    );
    const retractedIds = new Set(retracted.map((r) => r.correlation_id));
    try {
      // A retracted row keeps its last detail and subject (read back by FINAL ... is_deleted = 1).
      await deps.clickhouse.insert({
        table: 'correlations',
        format: 'JSONEachRow',
        values: [
          ...changed.map((r) => ({
            correlation_id: r.correlation_id,
            kind,
            sponsor_id: r.sponsor_id,
            subject: r.subject,
            detail: r.detail,
            source_event_ids: r.source_event_ids,
            computed_at: dateTime64Text(at),
            version,
            is_deleted: 0,
          })),
          ...stored
            .filter((r) => retractedIds.has(r.correlation_id))
            .map((r) => ({
              correlation_id: r.correlation_id,
              kind,
              sponsor_id: sponsorId,
              subject: '',
              detail: r.detail,
              source_event_ids: [],
              computed_at: dateTime64Text(at),
              version,
              is_deleted: 1,
            })),
        ],
      });
    } catch (err) {
      throw unavailable(err);
    }
    return { found: current.length, changed: changed.length, retracted: retracted.length };
  }

  return {
    async correlateSponsor({ sponsorId }): Promise<CorrelateSponsorResult> {
      const at = now();
      const result: CorrelateSponsorResult = { found: {}, changed: 0, retracted: 0 };
      const relevant = await relevantKinds(sponsorId);
      const stored = await select<StoredRow>(
        `SELECT kind, toString(correlation_id) AS correlation_id, detail, is_deleted
         FROM correlations FINAL WHERE sponsor_id = {sponsor:String}`,
        { sponsor: sponsorId },
      );
      for (const kind of CORRELATION_KINDS) {
        const mine = stored.filter((r) => r.kind === kind);
        if (!relevant.has(kind) && mine.length === 0) {
          result.found[kind] = 0;
          continue;
        }
        const r = await recompute(kind, sponsorId, at, relevant.has(kind), mine);
        result.found[kind] = r.found;
        result.changed += r.changed;
        result.retracted += r.retracted;
      }
      log.info({ sponsorId, ...result }, 'sponsor correlated');
      return result;
    },
  };
}

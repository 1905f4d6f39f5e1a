/**
 * ad → ad_snapshots: the sponsor resolved, spend in USD, the states targeted and delivered to,
 * and the stances and topics of the ad from its words, its coders and who paid for it.
 */
import type { AdPayloadV1 } from '../../../schemas/events/ad.ts';
import { SWING_STATES } from '../../../schemas/geo.ts';
import { dateTimeText, nullableDateTimeText } from '../clickhouse-text.ts';
import { byCodeUnit, resolveEntity, UNRESOLVED, type Resolution } from '../entities.ts';
import { isUnitedStates, stateCode, stateFromZip, type Zip3Table } from '../geo.ts';
import {
  alignmentsOf,
  canonicalStance,
  canonicalSubject,
  stancesOfText,
  topicsOfText,
  type Lexicon,
} from '../lexicon.ts';
import { addDecimal, roundDecimal } from '../money.ts';
import type { ReferenceData } from '../reference.ts';
import { conversion, sponsorsOf, type Built, type RowContext } from './context.ts';

/** The advertiser name of a Meta Ad Library Report total over all advertisers: no sponsor. */
const ALL_ADVERTISERS = '(all advertisers)';

const SWING: ReadonlySet<string> = new Set(SWING_STATES);

/** Who paid for the ad: committee id, then page/advertiser id, then the paying entity's and page's names. */
export function adSponsor(ref: ReferenceData, p: AdPayloadV1): Resolution {
  if (
    p.granularity === 'advertiser_period' &&
    p.advertiser_name === ALL_ADVERTISERS &&
    p.paying_entity === null
  )
    return UNRESOLVED;
  return resolveEntity(ref.entities, {
    sponsorId: p.sponsor_committee_id,
    platformIds: [{ platform: p.platform, id: p.advertiser_id }],
    names: [p.paying_entity, p.advertiser_name],
  });
}

export interface TargetStates {
  target_states: string[];
  target_states_method: string;
  swing_states: string[];
  delivery_states: string[];
  delivery_shares: number[];
}

function distinctSorted(codes: readonly (string | null)[]): string[] {
  return [...new Set(codes.filter((c): c is string => c !== null))].sort(byCodeUnit);
}

/**
 * The US states an ad aimed at and reached. Regions, postal codes and delivery regions only count
 * when the ad's countries include the United States or name no country (a Snap ad for the
 * country Georgia must not land in the state; a German postal code is five digits too). States
 * named in excluded_regions are removed; excluded postal codes are not, since excluding a few
 * ZIPs does not exclude their state. The method names the most specific source that gave a
 * state: regions, then postal_codes, then delivery; country_only for a US ad with none of them.
 */
export function targetStates(p: AdPayloadV1, zip3: Zip3Table): TargetStates {
  const t = p.targeting;
  const us = t.countries.length === 0 || t.countries.some(isUnitedStates);
  const fromRegions = us ? distinctSorted(t.regions.map(stateCode)) : [];
  const fromPostal = us ? distinctSorted(t.postal_codes.map((z) => stateFromZip(z, zip3))) : [];
  const delivered = new Map<string, string>();
  if (us)
    for (const r of p.region_distribution) {
      const code = stateCode(r.region);
      if (code !== null) delivered.set(code, addDecimal(delivered.get(code) ?? '0', r.share));
    }
  const fromDelivery = [...delivered.keys()].sort(byCodeUnit);
  const excluded = new Set<string | null>(us ? t.excluded_regions.map(stateCode) : []);
  const target = distinctSorted([...fromRegions, ...fromPostal, ...fromDelivery]).filter(
    (s) => !excluded.has(s),
  );
  const method =
    fromRegions.length > 0
      ? 'regions'
      : fromPostal.length > 0
        ? 'postal_codes'
        : fromDelivery.length > 0
          ? 'delivery'
          : t.countries.some(isUnitedStates)
            ? 'country_only'
            : 'unknown';
  return {
    target_states: target,
    target_states_method: method,
    swing_states: target.filter((s) => SWING.has(s)),
    delivery_states: fromDelivery,
    delivery_shares: fromDelivery.map((s) => Number(delivered.get(s) ?? '0')),
  };
}

export interface TaggedStance {
  subject: string;
  stance: string;
  origin: string;
}

/**
 * The ad's stances: lexicon rules on its words (origin `text`), the payload's own stances with
 * subject and stance made canonical (origin as given), and the sponsor's alignment (origin
 * `advertiser`); distinct, sorted by subject, stance, origin.
 */
export function adStances(lex: Lexicon, text: string, p: AdPayloadV1, sponsorId: string): TaggedStance[] {
  const all: TaggedStance[] = [
    ...stancesOfText(lex, text).map((s) => ({ ...s, origin: 'text' })),
    ...p.stance.map((s) => ({
      subject: canonicalSubject(lex, s.subject),
      stance: canonicalStance(lex, s.stance),
      origin: s.origin,
    })),
    ...(sponsorId === '' ? [] : alignmentsOf(lex, sponsorId).map((s) => ({ ...s, origin: 'advertiser' }))),
  ];
  const distinct = new Map(all.map((s) => [`${s.subject}\u0000${s.stance}\u0000${s.origin}`, s]));
  return [...distinct.values()].sort(
    (a, b) =>
      byCodeUnit(a.subject, b.subject) || byCodeUnit(a.stance, b.stance) || byCodeUnit(a.origin, b.origin),
  );
}

/**
 * The day whose FX rate converts an ad's cumulative spend: the last day of delivery the snapshot
 * has seen (delivery_end, or the snapshot day while the ad still runs or when it ended later).
 */
export function spendDay(p: AdPayloadV1): string {
  const snapshotDay = dateTimeText(p.snapshot_at, 'snapshot_at').slice(0, 10);
  const endDay =
    p.delivery_end === null ? snapshotDay : dateTimeText(p.delivery_end, 'delivery_end').slice(0, 10);
  return endDay < snapshotDay ? endDay : snapshotDay;
}

export function buildAd({ ref, envelope }: RowContext, p: AdPayloadV1): Built {
  const sponsor = adSponsor(ref, p);
  const fx = conversion(ref, p.currency, spendDay(p));
  const text = [...p.creative.bodies, ...p.creative.link_titles, ...p.creative.link_descriptions].join('\n');
  const stances = adStances(ref.lexicon, text, p, sponsor.entity_id);
  const imp = p.impressions;
  return {
    fields: {
      ...envelope,
      platform: p.platform,
      ad_id: p.ad_id,
      granularity: p.granularity,
      snapshot_at: dateTimeText(p.snapshot_at, 'snapshot_at'),
      advertiser_name: p.advertiser_name,
      advertiser_id: p.advertiser_id,
      paying_advertiser: p.paying_entity,
      sponsor_id: sponsor.entity_id,
      sponsor_name: sponsor.name,
      sponsor_confidence: sponsor.confidence,
      sponsor_match_method: sponsor.method,
      currency: p.currency,
      spend_low: roundDecimal(p.spend.low, 2),
      spend_high: p.spend.high === null ? null : roundDecimal(p.spend.high, 2),
      spend_point: roundDecimal(p.spend.point, 2),
      spend_point_method: p.spend.point_method,
      fx_rate: fx.fx_rate,
      fx_rate_date: fx.fx_rate_date,
      spend_usd_low: fx.usd(p.spend.low),
      spend_usd_high: p.spend.high === null ? null : fx.usd(p.spend.high),
      spend_usd_point: fx.usd(p.spend.point),
      impressions_low: imp?.low ?? null,
      impressions_high: imp?.high ?? null,
      impressions_point: imp?.point ?? null,
      impressions_point_method: imp?.point_method ?? null,
      delivery_start: nullableDateTimeText(p.delivery_start, 'delivery_start'),
      delivery_end: nullableDateTimeText(p.delivery_end, 'delivery_end'),
      ...targetStates(p, ref.zip3),
      stance_subjects: stances.map((s) => s.subject),
      stance_values: stances.map((s) => s.stance),
      stance_origins: stances.map((s) => s.origin),
      topics: topicsOfText(ref.lexicon, text),
      creative_text: text,
      link_urls: [...p.creative.link_urls],
      snapshot_url: p.creative.snapshot_url,
    },
    key: `${p.platform}:${p.ad_id}`,
    sponsors: sponsorsOf(sponsor.entity_id),
  };
}

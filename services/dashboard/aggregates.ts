/**
 * The dashboard's figures, kept in memory and updated one Kafka message at a time. Pure: no I/O,
 * so the consumer feeds it and the server reads views of it.
 *
 * Money is computed as the analysts' views compute it (infra/clickhouse/migrations/0003):
 * - spend is payouts, one per payment (`payout_key`): of its filings (F24 notice, F3X
 *   restatement, amendments) the one with the highest `version` counts, ties by event_id, as in
 *   the `payouts` view. Ad-library spend is not added to it: the same money is in the payouts
 *   (Schedule E `digital_ads` lines), as docs/analysts.md explains for `spend_daily`.
 * - efficiency is `efficiency_daily`'s ratios summed over days and sponsors (numerators and
 *   denominators summed, then divided): petition spend (referral bounties + lottery awards) per
 *   signup and per phone collected, canvass spend (canvassing + canvasser pay) per contacted voter,
 *   as Decimal(6) truncated like ClickHouse's decimal division.
 * - amounts are exact: USD cents as BigInt, shown as decimal strings with two digits.
 * Every topic is at least once: signups, contacts and annotations count once per event_id, dead
 * letters once per partition:offset, correlations keep the latest computed_at per
 * (sponsor, correlation_id).
 */
import { SWING_STATES } from '../../schemas/geo.ts';
import type { CorrelationRecordV1 } from '../../schemas/correlation.ts';
import type { DlqRecordV1 } from '../../schemas/dlq.ts';
import type {
  EnrichedAdV1,
  EnrichedAnnotationV1,
  EnrichedContactV1,
  EnrichedPayoutV1,
  EnrichedSignupV1,
} from '../../schemas/enriched.ts';

/** The sections of the view; an update carries only the ones that changed. */
export const SECTIONS = ['spend', 'efficiency', 'flows', 'alerts', 'health'] as const;
export type Section = (typeof SECTIONS)[number];

/** How many contradiction alerts and funding flows a view holds (newest, largest first). */
export const MAX_ALERTS = 50;
export const MAX_FLOWS = 12;

const PETITION_CHANNELS = new Set(['referral_bounty', 'lottery_award']);
const CANVASS_CHANNELS = new Set(['canvassing', 'canvasser_pay']);
const SWING = new Set<string>(SWING_STATES);

/** `"-250.00"` → -25000n. @throws RangeError for anything but a two-digit decimal string. */
export function centsOf(amount: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!m) throw new RangeError(`not an amount with two fraction digits: ${JSON.stringify(amount)}`);
  const cents = BigInt(`${m[2]}${m[3]}`);
  return m[1] ? -cents : cents;
}

/** -25000n → `"-250.00"`. */
export function formatCents(cents: bigint): string {
  return formatScaled(cents, 2);
}

function formatScaled(value: bigint, places: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  const text = `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${text}` : text;
}

/**
 * `cents / count` in dollars with six fraction digits, truncated toward zero as ClickHouse
 * divides `toDecimal128(x, 6) / n`; null when `count` is 0 (its `nullIf(n, 0)`).
 */
export function costPer(cents: bigint, count: number): string | null {
  if (count === 0) return null;
  return formatScaled((cents * 10_000n) / BigInt(count), 6);
}

interface PayoutFact {
  version: bigint;
  eventId: string;
  state: string | null;
  channel: string;
  cents: bigint;
}

interface StateTotals {
  spendByChannel: Map<string, bigint>;
  signups: number;
  phones: number;
  contactAttempts: number;
  contacted: number;
}

/** One ad of a contradiction, as the feed shows it. */
export interface AlertAd {
  platform: string;
  ad_id: string;
  sponsor_id: string;
  advertiser: string | null;
  stances: string[];
  target_states: string[];
  spend_usd_low: string | null;
  spend_usd_high: string | null;
  spend_usd_point: string | null;
  message: string | null;
  delivery_start: string | null;
  delivery_end: string | null;
}

export interface Alert {
  correlation_id: string;
  subject: string;
  relation: string;
  sponsor_ids: string[];
  computed_at: string;
  overlap_start: string | null;
  overlap_end: string | null;
  a: AlertAd;
  b: AlertAd;
}

export interface FundingFlow {
  donor_entity_id: string;
  donor_name: string;
  sponsor_id: string;
  committee_id: string;
  cycle: number | null;
  donor_net_usd: string | null;
  share: number | null;
  committee_spend_usd: string | null;
  attributed_spend_usd: string | null;
}

export interface StateEfficiency {
  state: string;
  spend_usd: string;
  petition_spend_usd: string;
  canvass_spend_usd: string;
  signups: number;
  phones_collected: number;
  contact_attempts: number;
  contacted: number;
  cost_per_signup: string | null;
  cost_per_phone: string | null;
  cost_per_contact: string | null;
}

/** Consumer lag of the pipeline's groups, as the service reads it from Kafka. */
export interface LagReading {
  /** Unconsumed messages of the bridge's group per raw topic (0 included). */
  bridge: Record<string, number>;
  /** Unconsumed dead letters of the DLQ sink. */
  dlq_sink: number;
  read_at: string;
}

export interface DashboardView {
  swing_states: string[];
  spend?: {
    channels: string[];
    /** Swing state → channel → USD. */
    by_state: Record<string, Record<string, string>>;
    total_usd: string;
    swing_usd: string;
    unknown_state_usd: string;
    payments: number;
  };
  efficiency?: { states: StateEfficiency[] };
  flows?: { flows: FundingFlow[] };
  alerts?: { alerts: Alert[]; total: number };
  health?: {
    lag: LagReading | null;
    lag_error: string | null;
    dlq: { total: number; by_reason: Record<string, number>; by_step: Record<string, number> };
    consumed: Record<string, number>;
    unreadable: Record<string, number>;
  };
}

function emptyTotals(): StateTotals {
  return { spendByChannel: new Map(), signups: 0, phones: 0, contactAttempts: 0, contacted: 0 };
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function laterThan(a: string, b: string): boolean {
  return Date.parse(a) >= Date.parse(b);
}

/** The dashboard's state. Each `add*` returns the sections it changed. */
export class DashboardAggregates {
  private readonly payouts = new Map<string, PayoutFact>();
  private readonly seenSignups = new Set<string>();
  private readonly seenContacts = new Set<string>();
  private readonly byState = new Map<string | null, StateTotals>();
  private readonly ads = new Map<string, EnrichedAdV1>();
  private readonly annotations = new Map<string, Map<string, EnrichedAnnotationV1>>();
  /** Latest record per `<sponsor>|<correlation_id>`. */
  private readonly correlations = new Map<string, CorrelationRecordV1>();
  private readonly dlqSeen = new Set<string>();
  private readonly dlqByReason = new Map<string, number>();
  private readonly dlqByStep = new Map<string, number>();
  private readonly consumed = new Map<string, number>();
  private readonly unreadable = new Map<string, number>();
  private lag: LagReading | null = null;
  private lagError: string | null = null;

  private totals(state: string | null): StateTotals {
    let t = this.byState.get(state);
    if (!t) {
      t = emptyTotals();
      this.byState.set(state, t);
    }
    return t;
  }

  private addSpend(fact: PayoutFact, sign: 1n | -1n): void {
    const m = this.totals(fact.state).spendByChannel;
    m.set(fact.channel, (m.get(fact.channel) ?? 0n) + sign * fact.cents);
  }

  /** Counts a message read from `topic` (health panel). */
  countConsumed(topic: string): void {
    this.consumed.set(topic, (this.consumed.get(topic) ?? 0) + 1);
  }

  /** A message that did not parse: counted per topic, shown in the health panel. */
  countUnreadable(topic: string): Section[] {
    this.unreadable.set(topic, (this.unreadable.get(topic) ?? 0) + 1);
    return ['health'];
  }

  /** A payout filing: replaces an earlier filing of the same payment when its version is higher. */
  addPayout(p: EnrichedPayoutV1): Section[] {
    const fact: PayoutFact = {
      version: BigInt(p.version),
      eventId: p.event_id,
      state: p.state,
      channel: p.category,
      cents: centsOf(p.amount_usd),
    };
    const old = this.payouts.get(p.payout_key);
    if (old && (old.version > fact.version || (old.version === fact.version && old.eventId >= fact.eventId)))
      return [];
    if (old) this.addSpend(old, -1n);
    this.addSpend(fact, 1n);
    this.payouts.set(p.payout_key, fact);
    return ['spend', 'efficiency'];
  }

  addSignup(s: EnrichedSignupV1): Section[] {
    if (this.seenSignups.has(s.event_id)) return [];
    this.seenSignups.add(s.event_id);
    const t = this.totals(s.state);
    t.signups += 1;
    t.phones += s.phones_collected;
    return ['efficiency'];
  }

  addContact(c: EnrichedContactV1): Section[] {
    if (this.seenContacts.has(c.event_id)) return [];
    this.seenContacts.add(c.event_id);
    const t = this.totals(c.state);
    t.contactAttempts += 1;
    if (c.contacted) t.contacted += 1;
    return ['efficiency'];
  }

  /** An ad snapshot: the latest per platform ad (snapshot_at, ties by event_id) is kept. */
  addAd(ad: EnrichedAdV1): Section[] {
    const key = `${ad.platform}:${ad.ad_id}`;
    const old = this.ads.get(key);
    if (old) {
      const o = Date.parse(old.snapshot_at);
      const n = Date.parse(ad.snapshot_at);
      if (o > n || (o === n && old.event_id >= ad.event_id)) return [];
    }
    this.ads.set(key, ad);
    return this.alertsMention(key) ? ['alerts'] : [];
  }

  addAnnotation(a: EnrichedAnnotationV1): Section[] {
    const key = `${a.platform}:${a.ad_id}`;
    let m = this.annotations.get(key);
    if (!m) {
      m = new Map();
      this.annotations.set(key, m);
    }
    if (m.has(a.event_id)) return [];
    m.set(a.event_id, a);
    return this.alertsMention(key) ? ['alerts'] : [];
  }

  addCorrelation(c: CorrelationRecordV1): Section[] {
    const key = `${c.sponsor_id}|${c.correlation_id}`;
    const old = this.correlations.get(key);
    if (old && !laterThan(c.computed_at, old.computed_at)) return [];
    this.correlations.set(key, c);
    if (c.kind === 'contradiction') return ['alerts'];
    if (c.kind === 'funding_flow') return ['flows'];
    return [];
  }

  /** A dead letter at `partition:offset` of the DLQ topic; `record` null when it did not parse. */
  addDeadLetter(position: string, record: Pick<DlqRecordV1, 'reason' | 'step'> | null): Section[] {
    if (this.dlqSeen.has(position)) return [];
    this.dlqSeen.add(position);
    const reason = record?.reason ?? 'unreadable';
    const step = record?.step ?? 'unknown';
    this.dlqByReason.set(reason, (this.dlqByReason.get(reason) ?? 0) + 1);
    this.dlqByStep.set(step, (this.dlqByStep.get(step) ?? 0) + 1);
    return ['health'];
  }

  setLag(reading: LagReading): Section[] {
    this.lag = reading;
    this.lagError = null;
    return ['health'];
  }

  setLagError(message: string): Section[] {
    this.lagError = message;
    return ['health'];
  }

  private alertsMention(adKey: string): boolean {
    for (const c of this.correlations.values()) {
      if (c.kind !== 'contradiction' || !c.holds) continue;
      for (const side of ['a', 'b']) {
        const ad = obj(c.detail[side]);
        if (`${str(ad['platform']) ?? ''}:${str(ad['ad_id']) ?? ''}` === adKey) return true;
      }
    }
    return false;
  }

  private alertAd(side: unknown): AlertAd {
    const d = obj(side);
    const platform = str(d['platform']) ?? '';
    const adId = str(d['ad_id']) ?? '';
    const key = `${platform}:${adId}`;
    const ad = this.ads.get(key);
    // The words of a message: a coder's for ads whose library export has none (Snap, Google),
    // else the creative text the library published.
    const coded = [...(this.annotations.get(key)?.values() ?? [])]
      .sort((x, y) => (x.coded_on < y.coded_on ? 1 : -1))
      .find((a) => a.message !== '' || a.transcript !== '');
    const message = coded ? coded.message || coded.transcript : ad?.creative_text || null;
    return {
      platform,
      ad_id: adId,
      sponsor_id: str(d['sponsor_id']) ?? '',
      advertiser: ad ? ad.paying_advertiser || ad.advertiser_name || ad.sponsor_name || null : null,
      stances: strings(d['stances']),
      target_states: strings(d['target_states']),
      spend_usd_low: str(d['spend_usd_low']),
      spend_usd_high: str(d['spend_usd_high']),
      spend_usd_point: str(d['spend_usd_point']),
      message,
      delivery_start: str(d['delivery_start']),
      delivery_end: str(d['delivery_end']),
    };
  }

  private spendSection(): NonNullable<DashboardView['spend']> {
    const channelTotals = new Map<string, bigint>();
    const byState: Record<string, Record<string, string>> = {};
    let total = 0n;
    let swing = 0n;
    let unknown = 0n;
    for (const [state, t] of this.byState) {
      for (const [channel, cents] of t.spendByChannel) {
        total += cents;
        if (state === null) unknown += cents;
        if (state === null || !SWING.has(state)) continue;
        swing += cents;
        channelTotals.set(channel, (channelTotals.get(channel) ?? 0n) + cents);
        (byState[state] ??= {})[channel] = formatCents(cents);
      }
    }
    const channels = [...channelTotals]
      .filter(([, cents]) => cents !== 0n)
      .sort((x, y) => (x[1] === y[1] ? (x[0] < y[0] ? -1 : 1) : x[1] > y[1] ? -1 : 1))
      .map(([c]) => c);
    return {
      channels,
      by_state: byState,
      total_usd: formatCents(total),
      swing_usd: formatCents(swing),
      unknown_state_usd: formatCents(unknown),
      payments: this.payouts.size,
    };
  }

  private efficiencySection(): NonNullable<DashboardView['efficiency']> {
    return {
      states: SWING_STATES.map((state) => {
        const t = this.byState.get(state) ?? emptyTotals();
        let spend = 0n;
        let petition = 0n;
        let canvass = 0n;
        for (const [channel, cents] of t.spendByChannel) {
          spend += cents;
          if (PETITION_CHANNELS.has(channel)) petition += cents;
          if (CANVASS_CHANNELS.has(channel)) canvass += cents;
        }
        return {
          state,
          spend_usd: formatCents(spend),
          petition_spend_usd: formatCents(petition),
          canvass_spend_usd: formatCents(canvass),
          signups: t.signups,
          phones_collected: t.phones,
          contact_attempts: t.contactAttempts,
          contacted: t.contacted,
          cost_per_signup: costPer(petition, t.signups),
          cost_per_phone: costPer(petition, t.phones),
          cost_per_contact: costPer(canvass, t.contacted),
        };
      }),
    };
  }

  private flowsSection(): NonNullable<DashboardView['flows']> {
    const flows: FundingFlow[] = [];
    for (const c of this.correlations.values()) {
      if (c.kind !== 'funding_flow' || !c.holds) continue;
      const d = c.detail;
      flows.push({
        donor_entity_id: str(d['donor_entity_id']) ?? c.subject,
        donor_name: str(d['donor_name']) || c.subject,
        sponsor_id: c.sponsor_id,
        committee_id: str(d['committee_id']) ?? c.sponsor_id,
        cycle: typeof d['cycle'] === 'number' ? d['cycle'] : null,
        donor_net_usd: str(d['donor_net_usd']),
        share: typeof d['share'] === 'number' ? d['share'] : null,
        committee_spend_usd: str(d['committee_spend_usd']),
        attributed_spend_usd: str(d['attributed_spend_usd']),
      });
    }
    const net = (f: FundingFlow): bigint => (f.donor_net_usd ? centsOf(f.donor_net_usd) : 0n);
    flows.sort((x, y) => (net(x) === net(y) ? 0 : net(x) > net(y) ? -1 : 1));
    return { flows: flows.slice(0, MAX_FLOWS) };
  }

  private alertsSection(): NonNullable<DashboardView['alerts']> {
    // A pair of two sponsors is recorded under each: one alert per correlation_id, from the
    // first sponsor whose latest record holds (the `contradictions` view's LIMIT 1 BY).
    const byId = new Map<string, CorrelationRecordV1>();
    for (const c of this.correlations.values()) {
      if (c.kind !== 'contradiction' || !c.holds) continue;
      const had = byId.get(c.correlation_id);
      if (!had || c.sponsor_id < had.sponsor_id) byId.set(c.correlation_id, c);
    }
    const alerts = [...byId.values()]
      .sort((x, y) => Date.parse(y.computed_at) - Date.parse(x.computed_at))
      .slice(0, MAX_ALERTS)
      .map((c) => ({
        correlation_id: c.correlation_id,
        subject: c.subject,
        relation: str(c.detail['relation']) ?? '',
        sponsor_ids: strings(c.detail['sponsor_ids']),
        computed_at: c.computed_at,
        overlap_start: str(c.detail['overlap_start']),
        overlap_end: str(c.detail['overlap_end']),
        a: this.alertAd(c.detail['a']),
        b: this.alertAd(c.detail['b']),
      }));
    return { alerts, total: byId.size };
  }

  private healthSection(): NonNullable<DashboardView['health']> {
    let total = 0;
    for (const n of this.dlqByReason.values()) total += n;
    return {
      lag: this.lag,
      lag_error: this.lagError,
      dlq: {
        total,
        by_reason: Object.fromEntries(this.dlqByReason),
        by_step: Object.fromEntries(this.dlqByStep),
      },
      consumed: Object.fromEntries(this.consumed),
      unreadable: Object.fromEntries(this.unreadable),
    };
  }

  /** The view of `sections` (all by default): what `/events` sends. */
  view(sections: Iterable<Section> = SECTIONS): DashboardView {
    const out: DashboardView = { swing_states: [...SWING_STATES] };
    for (const s of new Set(sections)) {
      if (s === 'spend') out.spend = this.spendSection();
      else if (s === 'efficiency') out.efficiency = this.efficiencySection();
      else if (s === 'flows') out.flows = this.flowsSection();
      else if (s === 'alerts') out.alerts = this.alertsSection();
      else out.health = this.healthSection();
    }
    return out;
  }
}

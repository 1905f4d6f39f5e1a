/**
 * The analysts' SQL cookbook (docs/sql/*.sql) as tests see it: each query with the default
 * parameters its header declares, the rows it must return on the bundled sample campaign — derived
 * from infra/sample/campaign/expected.json, so the figures live in one place — and a comparator
 * that ignores formatting (decimal strings vs numbers, "23.5" vs "23.50").
 */
import type { CampaignFigures } from '../../infra/sample/campaign/generate.ts';

export { COOKBOOK_DIR, loadCookbook, type CookbookQuery } from '../../services/cli/cookbook.ts';

export type Cell = string | number | null;
/** The columns a query must return, by name; columns not named are not compared. */
export type ExpectedRow = Record<string, Cell>;

/** `1234.5` / `-2.50` → cents. @throws on anything finer than a cent. */
function cents(amount: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) throw new Error(`not an amount: ${amount}`);
  const frac = (m[3] ?? '').padEnd(2, '0');
  if (/[1-9]/.test(frac.slice(2))) throw new Error(`sub-cent amount: ${amount}`);
  const c = BigInt(m[2] ?? '0') * 100n + BigInt(frac.slice(0, 2));
  return m[1] ? -c : c;
}

function usd(c: bigint): string {
  const a = c < 0n ? -c : c;
  return `${c < 0n ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

/** n / d rounded half up to `places` (n, d ≥ 0). */
function div(n: bigint, d: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  const q = (n * scale * 2n + d) / (d * 2n);
  return `${q / scale}.${String(q % scale).padStart(places, '0')}`;
}

const byKey = <T>(record: Record<string, T>): [string, T][] =>
  Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The rows the cookbook query `name` returns on the bundled sample with its default parameters,
 * derived from expected.json (`expected`). @throws for a query without expectations, so a new
 * cookbook file cannot go unchecked.
 */
export function expectedFor(name: string, expected: CampaignFigures): ExpectedRow[] {
  switch (name) {
    case 'musk-funded-spend-by-swing-state-and-channel': {
      const share = expected.donations.musk_share_of_net_receipts_pct;
      return [
        ...byKey(expected.spend_by_state_category).flatMap(([state, channels]) => [
          ...byKey(channels).map(([channel, spend]) => ({
            state,
            channel,
            spend_usd: spend,
            funder_share_pct: share,
          })),
          {
            state,
            channel: '(all channels)',
            spend_usd: expected.spend_by_state[state] ?? null,
            funder_share_pct: share,
          },
        ]),
        {
          state: '(all states)',
          channel: '(all channels)',
          spend_usd: expected.spend_total,
          funder_share_pct: share,
        },
      ];
    }
    case 'cost-per-phone-via-referral-bounties': {
      const b = expected.first_party_payouts.referral_bounty;
      return [
        {
          bounties: b.count,
          bounty_usd: b.total,
          referred_signups: expected.signups.referred,
          phones_collected: expected.signups.phones_collected_referred,
          cost_per_phone_usd: expected.cost_per_phone_via_bounties,
          cost_per_referred_signup_usd: div(cents(b.total), BigInt(b.count) * 100n, 2),
        },
      ];
    }
    case 'lottery-cost-per-signup-by-state': {
      const lottery = expected.first_party_payouts.lottery_award.by_state;
      return byKey(expected.lottery_cost_per_signup_by_state).map(([state, perSignup]) => ({
        state,
        awards: lottery[state]?.count ?? null,
        lottery_usd: lottery[state]?.total ?? null,
        signups: expected.signups.by_state[state] ?? null,
        signups_during_lottery: expected.signups.during_lottery_by_state[state] ?? null,
        lottery_usd_per_signup: perSignup,
      }));
    }
    case 'contradictory-ad-pairs': {
      // Every ad of one set with every ad of a set of another stance in another state; a pair is
      // ordered by ad id (the platform is the same), as the view orders it.
      const sets = byKey(expected.snap.ad_sets);
      const stanceOf = new Map(sets.flatMap(([, s]) => s.ads.map((ad) => [ad, s.stance] as const)));
      const rows: ExpectedRow[] = [];
      for (const [i, [, x]] of sets.entries())
        for (const [, y] of sets.slice(i + 1))
          if (x.stance !== y.stance && x.state !== y.state)
            for (const p of x.ads)
              for (const q of y.ads) {
                const [a, b] = p < q ? [p, q] : [q, p];
                rows.push({
                  a_platform: 'snap',
                  a_ad_id: a,
                  a_stance: stanceOf.get(a) ?? null,
                  b_platform: 'snap',
                  b_ad_id: b,
                  b_stance: stanceOf.get(b) ?? null,
                });
              }
      if (rows.length !== expected.snap.contradictory_ad_pairs)
        throw new Error(
          `expected.json: ${rows.length} pairs from the ad sets, not ${expected.snap.contradictory_ad_pairs}`,
        );
      return rows;
    }
    case 'meta-spend-harris-vs-trump': {
      const sides = byKey(expected.meta.sides);
      const total = sides.reduce((t, [, s]) => t + cents(s.spend_point), 0n);
      return sides.map(([side, s]) => ({
        side,
        ads: s.ads,
        spend_usd_low: s.spend_low,
        spend_usd_point: s.spend_point,
        spend_usd_high: s.spend_high,
        open_ranges: s.open_ranges,
        point_ratio_to_other_side:
          side === 'pro-Harris'
            ? expected.meta.ratio_point
            : div(cents(s.spend_point), total - cents(s.spend_point), 2),
      }));
    }
    case 'canvass-contacts-per-dollar-by-state':
      return byKey(expected.contacts.by_state).map(([state, x]) => ({
        state,
        attempts: x.attempts,
        contacted: x.contacted,
        canvass_spend_usd: x.canvass_spend,
        contacted_per_million_usd: x.contacted_per_million_usd,
        spend_per_contacted_usd: x.spend_per_contact,
      }));
    case 'funding-flows-by-committee': {
      const d = expected.donations;
      return [
        {
          donor_receipts: d.musk_receipts,
          donor_refunds: 0,
          donor_net_usd: d.musk_total,
          committee_net_usd: d.receipts_net_total,
          share_pct: d.musk_share_of_net_receipts_pct,
          committee_spend_usd: expected.spend_total,
          attributed_spend_usd: div(
            cents(expected.spend_total) * cents(d.musk_total),
            cents(d.receipts_net_total) * 100n,
            2,
          ),
        },
      ];
    }
    case 'receipts-and-memo-lines': {
      const d = expected.donations;
      return [
        {
          counted_lines: (expected.rows['fec-itcont-america-pac.txt'] ?? 0) - d.memo_lines,
          receipts_net_usd: d.receipts_net_total,
          refunds: d.refunds_count,
          refunds_usd: d.refunds_total,
          memo_lines: d.memo_lines,
          memo_usd_not_counted: d.memo_total_not_counted,
        },
      ];
    }
    case 'dlq-by-source-and-reason':
      // The sample imports without a dead letter.
      return [];
    case 'efficiency-by-state':
      return byKey(expected.spend_by_state).map(([state, spend]) => ({
        state,
        spend_usd: spend,
        signups: expected.signups.by_state[state] ?? null,
        contact_attempts: expected.contacts.by_state[state]?.attempts ?? null,
        contacted: expected.contacts.by_state[state]?.contacted ?? null,
      }));
    case 'expenditures-and-filings': {
      const fp = expected.first_party_payouts;
      const firstParty = [fp.referral_bounty, fp.lottery_award, fp.canvasser_pay];
      const count = firstParty.reduce((t, x) => t + x.count, 0);
      return [
        {
          source_kind: 'fec_schedule_e',
          expenditures: expected.schedule_e.expenditures,
          filed_lines: expected.schedule_e.rows,
          amount_usd: expected.schedule_e.total,
        },
        {
          source_kind: 'first_party',
          expenditures: count,
          filed_lines: count,
          amount_usd: usd(firstParty.reduce((t, x) => t + cents(x.total), 0n)),
        },
      ];
    }
    case 'signups-by-channel':
      return byKey(expected.signups.by_channel).map(([channel, signups]) => ({ channel, signups }));
    case 'posts-linking-petitions':
      return [
        {
          account_id: expected.posts.author_id,
          handle: expected.posts.account,
          posts: expected.posts.count,
          with_petition_link: expected.posts.with_petition_link,
        },
      ];
    default:
      throw new Error(
        `no expected rows for the cookbook query ${name}: add them to test/helpers/cookbook.ts`,
      );
  }
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Whether a returned value shows the expected one. Numbers (as numbers or decimal strings) match
 * within half a unit of the expected value's last decimal place — "23.5" shows "23.50", 7.1056
 * shows "7.106" — and exactly when it is a whole number; null matches only null; anything else
 * compares as text.
 */
export function sameValue(actual: unknown, expected: Cell): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  const e = String(expected);
  const a =
    typeof actual === 'string' || typeof actual === 'number' ? String(actual) : JSON.stringify(actual);
  if (!NUMBER.test(e)) return a === e;
  if (!NUMBER.test(a)) return false;
  const places = e.split('.')[1]?.length ?? 0;
  const tolerance = places === 0 ? 0 : 0.5 * 10 ** -places + 1e-9;
  return Math.abs(Number(a) - Number(e)) <= tolerance;
}

function show(row: Record<string, unknown>): string {
  return JSON.stringify(row);
}

/**
 * Compares a query's rows with the expected ones, in any order: every expected row must match a
 * row of its own (on the columns it names) and no row may be left over. Returns what differs,
 * one message per problem; empty when they agree.
 */
export function compareRows(
  actual: readonly Record<string, unknown>[],
  expected: readonly ExpectedRow[],
): string[] {
  const problems: string[] = [];
  const left = [...actual];
  for (const want of expected) {
    const i = left.findIndex((row) =>
      Object.entries(want).every(([k, v]) => k in row && sameValue(row[k], v)),
    );
    if (i < 0) problems.push(`missing ${show(want)}`);
    else left.splice(i, 1);
  }
  for (const row of left) problems.push(`unexpected ${show(row)}`);
  return problems;
}

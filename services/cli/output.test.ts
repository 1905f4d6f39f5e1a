import { describe, expect, it } from 'vitest';
import { bold, formatCents, money, table, toCents } from './output.ts';
import { efficiencyTable, type EfficiencyRow } from './commands/run.ts';

describe('amounts on the terminal', () => {
  it('reads ClickHouse decimals as cents, rounding half up past the cent', () => {
    expect(toCents('5182694.24')).toBe(518269424n);
    expect(toCents(5182694.2)).toBe(518269420n);
    expect(toCents('47')).toBe(4700n);
    expect(toCents('-2.005')).toBe(-201n);
    expect(toCents('0.004')).toBe(0n);
    expect(() => toCents('1e6')).toThrow(/not a decimal/);
  });

  it('prints dollars with thousands separators', () => {
    expect(formatCents(518269424n)).toBe('5,182,694.24');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatCents(-100000n)).toBe('-1,000.00');
    expect(money('11472262.32')).toBe('11,472,262.32');
  });

  it('right-aligns numbers, separators included', () => {
    expect(
      table(
        ['state', 'spend'],
        [
          ['AZ', '1,000.00'],
          ['PA', '5.00'],
        ],
      ).split('\n'),
    ).toEqual(['state  spend', '-----  --------', 'AZ     1,000.00', 'PA         5.00']);
  });
});

describe('the spending-efficiency table', () => {
  const row = (
    state: string,
    spend: string,
    petition: string,
    signups: number,
    phones: number,
  ): EfficiencyRow => ({
    state,
    spend_usd: spend,
    petition_spend: petition,
    canvass_spend: '0',
    signups,
    referred: 0,
    phones,
    contact_attempts: 0,
    contacted: 0,
    petition_cost_per_signup_usd: signups > 0 ? (Number(petition) / signups).toFixed(2) : null,
    petition_cost_per_phone_usd: phones > 0 ? (Number(petition) / phones).toFixed(2) : null,
    canvass_cost_per_contact_usd: null,
  });

  it('adds a total row whose costs are ratios of the sums, not sums of the ratios', () => {
    const lines = efficiencyTable([
      row('AZ', '300.00', '100.00', 1, 0),
      row('PA', '0.01', '200.00', 3, 2),
    ]).split('\n');
    expect(lines).toHaveLength(5);
    const cells = (l: string | undefined): string[] => (l ?? '').trim().split(/\s{2,}/);
    expect(cells(lines[2])).toEqual(['AZ', '300.00', '1', '100.00', '0', '-', '0', '-']);
    // 300.00 / 4 signups = 75.00; 300.00 / 2 phones = 150.00; no contacts.
    expect(cells(lines[4])).toEqual(['all', '300.01', '4', '75.00', '2', '150.00', '0', '-']);
  });
});

describe('colours', () => {
  const tty = process.stdout.isTTY;
  const noColor = process.env['NO_COLOR'];
  const restore = (): void => {
    process.stdout.isTTY = tty;
    if (noColor === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = noColor;
  };

  it('are used on a terminal only, and never with NO_COLOR', () => {
    try {
      delete process.env['NO_COLOR'];
      process.stdout.isTTY = true;
      expect(bold('x')).toBe('\x1b[1mx\x1b[0m');
      process.env['NO_COLOR'] = '';
      expect(bold('x')).toBe('x');
      delete process.env['NO_COLOR'];
      process.stdout.isTTY = false;
      expect(bold('x')).toBe('x');
      expect(table(['a'], [['1']])).not.toContain('\x1b[');
    } finally {
      restore();
    }
  });
});

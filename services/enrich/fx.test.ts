import { describe, expect, it } from 'vitest';
import { parseFxCsv, toUsd, usdRate } from './fx.ts';
import { repoReference } from './testing.ts';

const TABLE = parseFxCsv(
  [
    'date,currency,usd_per_unit',
    '2024-10-01,EUR,1.1086',
    '2024-10-01,GBP,1.33256404',
    '2024-10-02,EUR,1.10450000',
    '2024-10-04,EUR,1.09750000',
    '2024-10-07,EUR,1.09780000',
    '',
  ].join('\n'),
);

describe('usdRate', () => {
  it('uses the rate of the day itself when the table has it', () => {
    expect(usdRate(TABLE, 'EUR', '2024-10-02')).toEqual({
      ok: true,
      currency: 'EUR',
      rate: '1.10450000',
      rate_date: '2024-10-02',
    });
  });

  it('uses the latest earlier rate for a day between table dates (a weekend, a holiday)', () => {
    expect(usdRate(TABLE, 'EUR', '2024-10-03')).toMatchObject({
      rate: '1.10450000',
      rate_date: '2024-10-02',
    });
    expect(usdRate(TABLE, 'EUR', '2024-10-06')).toMatchObject({
      rate: '1.09750000',
      rate_date: '2024-10-04',
    });
    expect(usdRate(TABLE, 'EUR', '2030-01-01')).toMatchObject({
      rate: '1.09780000',
      rate_date: '2024-10-07',
    });
    expect(usdRate(TABLE, 'GBP', '2024-10-07')).toMatchObject({
      rate: '1.33256404',
      rate_date: '2024-10-01',
    });
  });

  it('normalises rates to eight fraction digits', () => {
    expect(usdRate(TABLE, 'EUR', '2024-10-01')).toMatchObject({ rate: '1.10860000' });
  });

  it('fails before the first date and for an unknown currency, and gives USD a rate of 1 and no date', () => {
    const before = usdRate(TABLE, 'EUR', '2024-09-30');
    expect(before.ok).toBe(false);
    expect(!before.ok && before.reason).toMatch(/^fx_rate_missing: .*2024-09-30.*2024-10-01/);
    const unknown = usdRate(TABLE, 'XYZ', '2024-10-02');
    expect(!unknown.ok && unknown.reason).toMatch(/^unknown_currency: .*XYZ/);
    expect(usdRate(TABLE, 'USD', '1999-01-01')).toEqual({
      ok: true,
      currency: 'USD',
      rate: '1.00000000',
      rate_date: null,
    });
  });

  it('converts to cents, half to even', () => {
    expect(toUsd('1000', '1.10450000')).toBe('1104.50');
    expect(toUsd('-47', '1.33256404')).toBe('-62.63');
  });

  it('rejects a malformed table', () => {
    expect(() => parseFxCsv('day,currency,rate\n')).toThrow(/header/);
    expect(() => parseFxCsv('date,currency,usd_per_unit\n2024-10-01,EUR,0\n')).toThrow(/line 2/);
    expect(() => parseFxCsv('date,currency,usd_per_unit\n2024-10-01,EUR,1.1\n2024-10-01,EUR,1.2\n')).toThrow(
      /not ascending/,
    );
  });
});

describe('the bundled ECB-derived table', () => {
  const fx = repoReference().fx;

  it('has the ad-library currencies from 2016 with ECB reference values', () => {
    for (const c of [
      'EUR',
      'GBP',
      'CAD',
      'AUD',
      'SEK',
      'DKK',
      'NOK',
      'CHF',
      'PLN',
      'CZK',
      'HUF',
      'RON',
      'BGN',
      'JPY',
      'NZD',
      'MXN',
      'BRL',
      'INR',
      'ZAR',
      'ILS',
      'TRY',
    ])
      expect(fx.series.get(c)?.dates[0], c).toBe('2016-01-04');
    // ECB 2024-10-01: 1 EUR = 1.1086 USD = 0.83193 GBP.
    expect(usdRate(fx, 'EUR', '2024-10-01')).toMatchObject({ rate: '1.10860000', rate_date: '2024-10-01' });
    expect(usdRate(fx, 'GBP', '2024-10-01')).toMatchObject({ rate: '1.33256404' });
    // Saturday 2024-10-05 takes Friday's rate.
    expect(usdRate(fx, 'EUR', '2024-10-05')).toMatchObject({ rate_date: '2024-10-04' });
    expect(usdRate(fx, 'GBP', '2015-12-31').ok).toBe(false);
  });
});

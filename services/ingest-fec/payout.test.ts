import { describe, expect, it } from 'vitest';
import { centsOf, normaliseAmount, parseFecDate, parseMmddyyyy } from './fec-values.ts';
import { categoryOf, latestPayouts, publicUrl, restatementRankOf, type RankedPayout } from './payout.ts';

describe('amounts and dates', () => {
  it('normalises amounts without floats, keeping the digits', () => {
    const cases: [string, string | undefined][] = [
      ['250', '250.00'],
      ['111111.0', '111111.00'],
      ['-2300', '-2300.00'],
      ['14405.62', '14405.62'],
      ['14405.625', '14405.625'],
      ['.5', '0.50'],
      ['-0', '0.00'],
      ['007.10', '7.10'],
      ['999999999999999.99', '999999999999999.99'],
      ['1e3', undefined],
      ['12,50', undefined],
      ['$5', undefined],
      ['', undefined],
      ['-', undefined],
      ['1234567890123456', undefined],
    ];
    for (const [input, out] of cases) expect(normaliseAmount(input), input).toBe(out);
    expect(centsOf('-2300.00')).toBe(-230000n);
  });

  it('reads the FEC date spellings and refuses impossible days', () => {
    expect(parseMmddyyyy('09022017')).toBe('2017-09-02');
    expect(parseMmddyyyy('02292017')).toBeUndefined();
    expect(parseMmddyyyy('02292016')).toBe('2016-02-29');
    expect(parseFecDate('2024-10-15')).toBe('2024-10-15');
    expect(parseFecDate('2024-10-15T00:00:00')).toBe('2024-10-15');
    expect(parseFecDate('10/15/2024')).toBe('2024-10-15');
    expect(parseFecDate('15-OCT-24')).toBe('2024-10-15');
    expect(parseFecDate('5-oct-2024')).toBe('2024-10-05');
    expect(parseFecDate('31-SEP-24')).toBeUndefined();
    expect(parseFecDate('2024-13-01')).toBeUndefined();
    expect(parseFecDate('yesterday')).toBeUndefined();
  });
});

describe('categories', () => {
  it('maps the purposes America PAC filed, and the first-party kinds', () => {
    const table: [string, string][] = [
      ['PRINTING/POSTAGE', 'mail'],
      ['PRINTING', 'printing'],
      ['CANVASSING/FIELD OPERATIONS', 'canvassing'],
      ['DIGITAL MEDIA', 'digital_ads'],
      ['TEXTING', 'canvassing'],
      ['MESSAGE PHONE CALLS', 'canvassing'],
      ['COLLATERAL MATERIALS- SHIRTS/HATS/SIGNS', 'printing'],
      ['MEDIA', 'media'],
      ['TV AD BUY', 'media'],
      ['PETITION REFERRAL PAYMENT', 'referral_bounty'],
      ['DAILY LOTTERY AWARD', 'lottery_award'],
      ['CANVASSER WAGES', 'canvasser_pay'],
      ['PAYROLL - FIELD STAFF', 'field_staff'],
      ['STRATEGIC CONSULTING', 'consulting'],
      ['TRAVEL: AIRFARE', 'travel'],
      ['FUNDRAISING SERVICES', 'fundraising'],
      ['BANK FEES', 'other'],
      ['', 'other'],
    ];
    for (const [purpose, category] of table) expect(categoryOf(purpose), purpose).toBe(category);
  });
});

describe('restatement and latestPayouts', () => {
  it('ranks a notice below its report and the report below its amendment', () => {
    expect(restatementRankOf('F24', true, 'N')).toBe(1);
    expect(restatementRankOf('F3X', true, 'A')).toBe(1);
    expect(restatementRankOf('F3X', false, 'N')).toBe(2);
    expect(restatementRankOf('F5', false, undefined)).toBe(2);
    expect(restatementRankOf('F3X', false, 'A')).toBe(3);
    expect(restatementRankOf('F3X', false, 'A2')).toBe(4);
  });

  const p = (
    key: string,
    rank: number,
    sub: string | null,
    file: string | null = null,
    tag = '',
  ): { payload: RankedPayout; tag: string } => ({
    payload: { payout_key: key, restatement_rank: rank, filing: { sub_id: sub, file_number: file } },
    tag,
  });

  it('keeps the highest rank per key, ties → the larger sub_id (as a number), then file number', () => {
    const out = latestPayouts([
      p('a', 2, '4103020241012034611', null, 'a-f3x'),
      p('a', 1, '9999999999999999999', null, 'a-f24'),
      p('a', 3, '100', null, 'a-amend'),
      p('b', 2, '999', null, 'b-small'),
      p('b', 2, '1000', null, 'b-large'),
      p('c', 1, null, '1850001', 'c-old'),
      p('c', 1, null, '1850100', 'c-new'),
      p('d', 2, '5', null, 'd-first'),
      p('d', 2, '5', null, 'd-same'),
    ]);
    expect(out.map((e) => e.tag)).toEqual(['a-amend', 'b-large', 'c-new', 'd-first']);
  });

  it('is order independent', () => {
    const items = [p('k', 1, '3'), p('k', 2, '1'), p('k', 2, '2')];
    for (const order of [items, [...items].reverse()])
      expect(latestPayouts(order)[0]?.payload).toMatchObject({
        restatement_rank: 2,
        filing: { sub_id: '2' },
      });
  });
});

describe('publicUrl', () => {
  it('drops credentials and keeps valueless docquery queries as filed', () => {
    expect(publicUrl('https://docquery.fec.gov/cgi-bin/fecimg/?202410099684835318')).toBe(
      'https://docquery.fec.gov/cgi-bin/fecimg/?202410099684835318',
    );
    expect(publicUrl('https://docquery.fec.gov/cgi-bin/fecimg/?202410099684835318&api_key=K')).toBe(
      'https://docquery.fec.gov/cgi-bin/fecimg/?202410099684835318',
    );
    expect(publicUrl('https://api.open.fec.gov/v1/x/?api_key=K&page=2#top')).toBe(
      'https://api.open.fec.gov/v1/x/?page=2#top',
    );
    expect(publicUrl('https://u:p@example.com/a?%E0%A4%A=1')).toBe('https://example.com/a?%E0%A4%A=1');
  });
});

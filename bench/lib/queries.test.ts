import { describe, expect, it } from 'vitest';
import { TABLE_COLUMNS } from '../../services/enrich/index.ts';
import { generatorInsert, percentile, ROW_SHARES } from './queries.ts';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const ms = [50, 10, 40, 20, 30];
    expect(percentile(ms, 0.5)).toBe(30);
    expect(percentile(ms, 0.95)).toBe(50);
    expect(percentile([7], 0.95)).toBe(7);
  });
});

describe('generatorInsert', () => {
  it('gives every column of every generated table a value, in the table order', () => {
    for (const table of Object.keys(ROW_SHARES) as (keyof typeof ROW_SHARES)[]) {
      const sql = generatorInsert('scratch', table, 0, 10);
      const columns = TABLE_COLUMNS[table].map(([name]) => name);
      expect(sql).toContain(`INSERT INTO scratch.${table} (${columns.join(', ')})`);
      expect(sql).toContain('FROM numbers(0, 10)');
    }
  });

  it('shares the transaction of a restated payout between the two filings', () => {
    expect(generatorInsert('s', 'payout_filings', 0, 5)).toContain('if(n % 5 = 1, n - 1, n) AS k');
  });
});

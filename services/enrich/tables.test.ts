import { describe, expect, it } from 'vitest';
import { ENRICHED_SCHEMAS } from '../../schemas/enriched.ts';
import { EVENT_TYPES } from '../../schemas/topics.ts';
import { TABLE_OF_TYPE } from './index.ts';
import { migrationColumns } from './migration.test-support.ts';
import { ENRICHED_TABLES, orderRow, REFERENCE_TABLES, TABLE_COLUMNS } from './tables.ts';

const sql = migrationColumns();

describe('drift between the library and 0002_event_tables.sql', () => {
  it('reads the migration: every table the library writes is in it', () => {
    for (const table of [...ENRICHED_TABLES, ...REFERENCE_TABLES]) expect(sql.has(table), table).toBe(true);
    expect(sql.get('payout_filings')?.find(([n]) => n === 'occurred_at')).toEqual([
      'occurred_at',
      "DateTime64(3, 'UTC')",
    ]);
  });

  it.each([...ENRICHED_TABLES, ...REFERENCE_TABLES])('%s: same columns, same order, same types', (table) => {
    expect(TABLE_COLUMNS[table].map(([n, t]) => [n, t])).toEqual(sql.get(table));
  });

  it.each([...EVENT_TYPES])(
    'the enriched %s schema has its table columns, after schema_version and type',
    (type) => {
      const { schema, table } = ENRICHED_SCHEMAS[type];
      expect(table).toBe(TABLE_OF_TYPE[type]);
      expect(Object.keys(schema.shape)).toEqual([
        'schema_version',
        'type',
        ...(sql.get(table) ?? []).map(([n]) => n),
      ]);
    },
  );

  it('notices a change of the SQL', () => {
    const changed = migrationColumns(`CREATE TABLE IF NOT EXISTS t
      (
          a  String COMMENT 'x, (y)',  -- trailing comment, with a comma
          b  Decimal(18, 2),
          c  Array(LowCardinality(String)) COMMENT 'it''s fine'
      ) ENGINE = Memory;`);
    expect(changed.get('t')).toEqual([
      ['a', 'String'],
      ['b', 'Decimal(18, 2)'],
      ['c', 'Array(LowCardinality(String))'],
    ]);
  });
});

describe('orderRow', () => {
  it('orders the fields as the columns and refuses a missing or unknown one', () => {
    const names = TABLE_COLUMNS.ad_annotations.map(([n]) => n);
    const fields = Object.fromEntries([...names].reverse().map((n) => [n, n]));
    expect(Object.keys(orderRow('ad_annotations', fields))).toEqual(names);
    const { coder: _, ...missing } = fields;
    expect(() => orderRow('ad_annotations', missing)).toThrow(/coder/);
    expect(() => orderRow('ad_annotations', { ...fields, extra: 1 })).toThrow(/extra/);
  });
});

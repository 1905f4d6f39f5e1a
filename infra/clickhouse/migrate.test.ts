import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, MIGRATIONS_DIR, splitStatements } from './migrate.ts';

describe('splitStatements', () => {
  it('splits on a `;` that ends a line, and trims', () => {
    expect(splitStatements('CREATE TABLE a (x UInt8) ENGINE = Memory;\n\n  SELECT 1 ;  \nSELECT 2;')).toEqual(
      ['CREATE TABLE a (x UInt8) ENGINE = Memory', 'SELECT 1', 'SELECT 2'],
    );
  });

  it('keeps a last statement without a `;`', () => {
    expect(splitStatements('SELECT 1;\nSELECT 2\n')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('drops whole-line `--` comments, including indented ones', () => {
    expect(
      splitStatements('-- header\n  -- indented\nSELECT 1; \n-- between\nSELECT 2;\n-- footer\n'),
    ).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('does not split on a `;` inside a line, e.g. in a string default', () => {
    expect(splitStatements("CREATE TABLE t (s String DEFAULT ';') ENGINE = Memory;\n")).toEqual([
      "CREATE TABLE t (s String DEFAULT ';') ENGINE = Memory",
    ]);
  });

  it('keeps multi-line statements whole', () => {
    const sql = 'CREATE TABLE t\n(\n    a UInt8,\n    b String\n)\nENGINE = Memory;\n';
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE t\n(\n    a UInt8,\n    b String\n)\nENGINE = Memory',
    ]);
  });

  it('copes with CRLF line ends', () => {
    expect(splitStatements('-- c\r\nSELECT 1;\r\nSELECT 2;\r\n')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('gives nothing for an empty or comment-only file', () => {
    expect(splitStatements('')).toEqual([]);
    expect(splitStatements('-- nothing here\n\n;\n')).toEqual([]);
  });
});

describe('loadMigrations (the real directory)', () => {
  const migrations = loadMigrations();

  it('finds every .sql file, ordered by ascending version', () => {
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
    expect(migrations).toHaveLength(files.length);
    expect(migrations.length).toBeGreaterThan(0);
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(migrations[0]).toMatchObject({ version: 1, name: 'raw_events' });
  });

  it('checksums each file by its exact bytes, the same on every load', () => {
    const again = loadMigrations();
    for (const [i, m] of migrations.entries()) {
      const file = `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
      const text = readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
      expect(m.checksum).toBe(createHash('sha256').update(text).digest('hex'));
      expect(again[i]?.checksum).toBe(m.checksum);
    }
  });

  it('has statements that can run twice (idempotent DDL, rollup backfills) with no leftover comments or `;`', () => {
    for (const m of migrations) {
      expect(m.statements.length).toBeGreaterThan(0);
      for (const s of m.statements) {
        // A backfill may run again after a failed migration: rollups hold only aggregates that
        // a repeated row cannot change (0004_rollups.sql), and the latest-state tables of 0011
        // merge by version, min and set union, which a repeated row cannot change either.
        if (/^INSERT INTO rollup_\w+\b/.test(s)) continue;
        if (
          /^INSERT INTO (ad_latest_snapshots|ad_snapshot_stats|post_latest_observations|post_observation_stats|post_handle_index|contradiction_records)\b/.test(
            s,
          )
        )
          continue;
        expect(s).toMatch(/^(CREATE|ALTER)\b/);
        expect(s).toMatch(/IF (NOT )?EXISTS|^CREATE OR REPLACE VIEW\b/);
        expect(s.endsWith(';')).toBe(false);
        expect(s).not.toMatch(/^\s*--/m);
      }
    }
    expect(migrations[0]?.statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS raw_events\b/);
  });
});

describe('loadMigrations (a scratch directory)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function scratch(files: Record<string, string>): string {
    dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  }

  it('orders by version, ignores files that are not .sql, and splits each', () => {
    const d = scratch({
      '0010_later.sql': 'SELECT 10;\n',
      '0002_second.sql': 'SELECT 2;\nSELECT 22;\n',
      '0001_first.sql': '-- c\nSELECT 1;\n',
      'README.md': 'not a migration',
    });
    const ms = loadMigrations(d);
    expect(ms.map((m) => [m.version, m.name, m.statements])).toEqual([
      [1, 'first', ['SELECT 1']],
      [2, 'second', ['SELECT 2', 'SELECT 22']],
      [10, 'later', ['SELECT 10']],
    ]);
  });

  it('changes the checksum when a file changes, even only in a comment', () => {
    const a = loadMigrations(scratch({ '0001_a.sql': 'SELECT 1;\n' }))[0]?.checksum;
    rmSync(dir ?? '', { recursive: true, force: true });
    const b = loadMigrations(scratch({ '0001_a.sql': '-- note\nSELECT 1;\n' }))[0]?.checksum;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });

  it.each(['1_short.sql', '0001-dash.sql', '0001_Upper.sql', '0001_.sql', 'abcd_x.sql'])(
    'throws on the badly named %s',
    (name) => {
      expect(() => loadMigrations(scratch({ [name]: 'SELECT 1;' }))).toThrow(
        /must be named NNNN_<what>\.sql/,
      );
    },
  );

  it('throws on two files with one version', () => {
    expect(() => loadMigrations(scratch({ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 2;' }))).toThrow(
      /two migrations have version 1/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { loadMigrations } from './migrate.ts';
import { clusterStatement } from './cluster.ts';

describe('clusterStatement', () => {
  it('adds ON CLUSTER and turns a MergeTree engine into its Replicated twin, keeping its arguments', () => {
    expect(
      clusterStatement(
        'CREATE TABLE IF NOT EXISTS correlations\n(\n  x UInt8\n)\nENGINE = ReplacingMergeTree(version, is_deleted)\nORDER BY x',
        'main',
      ),
    ).toBe(
      "CREATE TABLE IF NOT EXISTS correlations ON CLUSTER 'main'\n(\n  x UInt8\n)\n" +
        "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', version, is_deleted)\nORDER BY x",
    );
    expect(
      clusterStatement('CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = ReplacingMergeTree ORDER BY x', 'c'),
    ).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}') ORDER BY x",
    );
  });

  it('puts views and materialized views on the cluster and leaves backfills alone', () => {
    expect(clusterStatement('CREATE OR REPLACE VIEW payouts AS SELECT 1', 'c')).toBe(
      "CREATE OR REPLACE VIEW payouts ON CLUSTER 'c' AS SELECT 1",
    );
    expect(clusterStatement('CREATE MATERIALIZED VIEW IF NOT EXISTS r_mv TO r AS SELECT 1', 'c')).toBe(
      "CREATE MATERIALIZED VIEW IF NOT EXISTS r_mv ON CLUSTER 'c' TO r AS SELECT 1",
    );
    expect(clusterStatement('INSERT INTO r SELECT 1', 'c')).toBe('INSERT INTO r SELECT 1');
  });

  it('gives every table of every migration a replicated engine', () => {
    for (const m of loadMigrations())
      for (const s of m.statements) {
        const c = clusterStatement(s, 'c');
        if (/^CREATE\s/i.test(s)) expect(c, s.slice(0, 80)).toContain("ON CLUSTER 'c'");
        if (/ENGINE\s*=/i.test(s)) expect(c, s.slice(0, 80)).toMatch(/ENGINE = Replicated\w*MergeTree\('/);
      }
  });

  it('refuses a cluster name that could carry SQL', () => {
    expect(() => clusterStatement('CREATE OR REPLACE VIEW v AS SELECT 1', "c' --")).toThrow(
      /invalid cluster/,
    );
  });
});

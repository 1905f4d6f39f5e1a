/**
 * The cluster form of a migration statement. The migrations are written for one node; on a
 * ClickHouse cluster every DDL statement runs `ON CLUSTER` and every MergeTree engine becomes its
 * Replicated twin, with the ZooKeeper/Keeper path built from the server's macros
 * (`{shard}`, `{replica}`; `{database}` and `{table}` are expanded by ClickHouse itself). Applied
 * by `influence migrate --cluster <name>`; other statements (backfill INSERTs) pass unchanged and
 * replicate through the tables they write.
 */

const CREATE_NAMED =
  /^(CREATE\s+(?:TABLE\s+IF\s+NOT\s+EXISTS|OR\s+REPLACE\s+VIEW|MATERIALIZED\s+VIEW\s+IF\s+NOT\s+EXISTS|DATABASE\s+IF\s+NOT\s+EXISTS)\s+[A-Za-z_][\w.]*)/i;
const ENGINE =
  /ENGINE\s*=\s*(Replacing|Aggregating|Summing|Collapsing|VersionedCollapsing)?MergeTree(?:\s*\(([^)]*)\))?/i;

/** A cluster name as ClickHouse's remote_servers names it. @throws on anything else. */
export function checkClusterName(cluster: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(cluster)) throw new Error(`invalid cluster name ${cluster}`);
  return cluster;
}

export function clusterStatement(statement: string, cluster: string): string {
  const name = checkClusterName(cluster);
  let out = statement.replace(CREATE_NAMED, `$1 ON CLUSTER '${name}'`);
  out = out.replace(ENGINE, (_m, kind: string | undefined, args: string | undefined) => {
    const rest = args?.trim() ? `, ${args.trim()}` : '';
    return `ENGINE = Replicated${kind ?? ''}MergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}'${rest})`;
  });
  return out;
}

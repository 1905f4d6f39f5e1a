/**
 * SQL takes values as parameters, never as text spliced into the statement:
 * - statically: every template literal in services/ and infra/ that is SQL (the value of a
 *   `query`, `command` or `sql` property, or text that starts like a statement) and every string
 *   concatenation that builds SQL interpolates only escaped values (sqlString, sqlIdentifier) or
 *   identifiers on the commented allow-list below, each of which is checked where it is
 *   validated;
 * - dynamically: injection-looking values passed to `influence sql … --param` come back as the
 *   same strings and change nothing, and the importer's stored-event lookup treats them as data.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { REPO_ROOT } from '../../infra/local/config.ts';
import { payoutsSource } from '../../services/ingest-first-party/index.ts';
import { runImport } from '../../services/shared/ingest/importer.ts';
import { MemorySink } from '../../services/shared/ingest/memory-sink.ts';
import { clickhouseStoredLookup } from '../../services/shared/ingest/stored-lookup.ts';
import {
  corpusFolder,
  INJECTION_STRINGS,
  testPseudonymize,
  testSealer,
} from '../../services/shared/ingest/bad-input.test-support.ts';
import { silentLogger } from '../../services/shared/logger.ts';
import { influence } from '../helpers/cli.ts';
import { freshDatabase, stackEndpoints } from '../helpers/stack.ts';

/**
 * Interpolations that are not values from input: identifiers from fixed lists, names validated
 * by a pattern before use, constants. `proof` is a pattern that must be found in `proofFile`
 * (default: the same file), so the entry goes stale — and the test fails — when the validation
 * it relies on is removed.
 */
interface Allowed {
  file: string;
  expr: string;
  why: string;
  proof?: RegExp;
  proofFile?: string;
}
const ALLOWED: readonly Allowed[] = [
  {
    file: 'infra/clickhouse/migrate.ts',
    expr: 'database',
    why: 'the database name, refused unless it matches /^[A-Za-z_][A-Za-z0-9_]*$/ before any statement',
    proof: /if \(!\/\^\[A-Za-z_\]\[A-Za-z0-9_\]\*\$\/\.test\(database\)\) throw/,
  },
  {
    file: 'services/worker/activities/reference.ts',
    expr: 'table',
    why: 'a key of referenceRows(): the fixed reference tables (ref_entities, ref_stance_opposites, ref_petitions)',
    proof: /export function referenceRows\(ref: ReferenceData\): Record<ReferenceTable,/,
    proofFile: 'services/enrich/reference.ts',
  },
  {
    file: 'services/worker/activities/rebuild.activities.ts',
    expr: 'name',
    why: 'table names read from system.tables of the current database: the catalog our migrations wrote, not input',
    proof: /FROM system\.tables\s+WHERE database = currentDatabase\(\)/,
  },
  {
    file: 'services/worker/activities/correlate.activities.ts',
    expr: 'from',
    why: 'one of two FROM clauses built from a CorrelationKind (one of the fixed CORRELATION_KINDS, the *_candidates views); the sponsor goes as {sponsor:String}',
    proof:
      /export function candidatesQuery\(kind: CorrelationKind\): string \{\n  const from = PER_SPONSOR_VIEWS\.has\(kind\)/,
  },
  {
    file: 'services/shared/pipeline-status.ts',
    expr: 'SPONSOR_WORKFLOW_TYPE',
    why: 'a constant workflow type name, in a Temporal visibility query (not SQL)',
  },
  {
    file: 'infra/local/clickhouse/engine.ts',
    expr: "protect ? BOOKKEEPING_SETTINGS : ''",
    why: 'a constant SETTINGS clause or nothing',
    proof: /const BOOKKEEPING_SETTINGS =\s*'SETTINGS /,
  },
  {
    file: 'infra/local/clickhouse/engine.ts',
    expr: 'name',
    why: "setting names from system.settings (the engine's own catalog) or from the request's URL, which the gateway refuses unless they match SETTING_NAME",
    proof: /if \(!SETTING_NAME\.test\(k\)\) throw/,
    proofFile: 'infra/local/clickhouse/gateway.ts',
  },
  {
    file: 'infra/local/clickhouse/engine.ts',
    expr: 'k',
    why: 'a URL setting name, refused by the gateway unless it matches SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/',
    proof: /const SETTING_NAME = \/\^\[A-Za-z_\]\[A-Za-z0-9_\]\*\$\/;/,
    proofFile: 'infra/local/clickhouse/gateway.ts',
  },
  {
    file: 'infra/local/clickhouse/sql-text.ts',
    expr: 'name',
    why: "a parameter name matched by [A-Za-z_][A-Za-z0-9_]* in the caller's own query, which the gateway rewrites",
    proof: /const re = \/\\\{\\s\*\(\[A-Za-z_\]\[A-Za-z0-9_\]\*\)/,
  },
  {
    file: 'infra/local/clickhouse/sql-text.ts',
    expr: 'type',
    why: "a parameter type written in the caller's own query (the gateway rewrites it; nothing from data)",
  },
];

/** Calls that escape a value for SQL text (infra/local/clickhouse/sql-text.ts). */
const ESCAPERS = new Set(['sqlString', 'sqlIdentifier']);
/** Property names whose value is SQL (or a query language) text. */
const SQL_PROPERTIES = new Set(['query', 'command', 'sql']);
/** Text that starts like a statement (upper case, as the code base writes SQL). */
const STATEMENT =
  /^[\s(]*(SELECT|INSERT|CREATE|DROP|ALTER|TRUNCATE|DELETE|OPTIMIZE|SYSTEM|RENAME|WITH|SET|USE|SHOW|EXISTS|DESCRIBE|DETACH|ATTACH|GRANT|REVOKE|KILL|EXCHANGE|CAST)\b/;

interface Interpolation {
  file: string;
  line: number;
  expr: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Every value spliced into SQL text in `file`. */
function interpolations(file: string): Interpolation[] {
  const rel = path.relative(REPO_ROOT, file);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Interpolation[] = [];
  const at = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const staticText = (t: ts.TemplateExpression): string =>
    t.head.text + t.templateSpans.map((s) => `\${}${s.literal.text}`).join('');
  const inSqlProperty = (n: ts.Node): boolean => {
    for (let p = n.parent; p && !ts.isSourceFile(p); p = p.parent) {
      if (ts.isPropertyAssignment(p) && SQL_PROPERTIES.has(p.name.getText(sf))) return true;
      if (ts.isBlock(p) || ts.isFunctionLike(p)) return false;
    }
    return false;
  };
  const isRegExpSource = (n: ts.Node): boolean =>
    (ts.isNewExpression(n.parent) || ts.isCallExpression(n.parent)) &&
    n.parent.expression.getText(sf) === 'RegExp';
  const check = (e: ts.Expression): void => {
    if (ts.isCallExpression(e) && ESCAPERS.has(e.expression.getText(sf))) return;
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return;
    out.push({ file: rel, line: at(e), expr: e.getText(sf) });
  };
  const visit = (n: ts.Node): void => {
    if (
      ts.isTemplateExpression(n) &&
      !isRegExpSource(n) &&
      (inSqlProperty(n) || STATEMENT.test(staticText(n)))
    ) {
      for (const span of n.templateSpans) check(span.expression);
    }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const sides = [n.left, n.right];
      const sql = sides.some(
        (s) => (ts.isStringLiteral(s) || ts.isNoSubstitutionTemplateLiteral(s)) && STATEMENT.test(s.text),
      );
      if (sql) for (const s of sides) check(s);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('SQL text is built from parameters, never from input', () => {
  it('interpolates only escaped values and allow-listed identifiers (statically, in services/ and infra/)', () => {
    const files = [
      ...sourceFiles(path.join(REPO_ROOT, 'services')),
      ...sourceFiles(path.join(REPO_ROOT, 'infra')),
    ];
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap(interpolations);
    const allowed = (i: Interpolation): boolean =>
      ALLOWED.some((a) => a.file === i.file && a.expr === i.expr);
    const offenders = found.filter((i) => !allowed(i)).map((i) => `${i.file}:${i.line} \${${i.expr}}`);
    expect(offenders, 'values spliced into SQL: pass them as {name:Type} parameters').toEqual([]);
    for (const a of ALLOWED) {
      expect(
        found.some((i) => i.file === a.file && i.expr === a.expr),
        `stale allow-list entry ${a.file} ${a.expr}`,
      ).toBe(true);
      if (a.proof) {
        const text = readFileSync(path.join(REPO_ROOT, a.proofFile ?? a.file), 'utf8');
        expect(a.proof.test(text), `${a.file} \${${a.expr}}: the validation it relies on is gone`).toBe(true);
      }
    }
    // The scanner sees what it must: a spliced value in a query is caught.
    const probe = path.join(mkdtempSync(path.join(tmpdir(), 'sql-scan-')), 'probe.ts');
    try {
      const text = [
        'const q = { query: `SELECT * FROM t WHERE name = ${name}` };',
        "const s = 'SELECT * FROM t WHERE id = ' + id;",
        'const ok = { query: `SELECT * FROM ${sqlIdentifier(t)} WHERE id = {id:String}` };',
      ].join('\n');
      ts.sys.writeFile(probe, text);
      expect(interpolations(probe).map((i) => i.expr)).toEqual(['name', 'id']);
    } finally {
      rmSync(path.dirname(probe), { recursive: true, force: true });
    }
  });
});

describe('injection-looking values are data', () => {
  let db: string;
  let ch: ClickHouseClient;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'sql-params-cli-'));
  const folder = corpusFolder('sql-params-');

  beforeAll(async () => {
    ({ database: db, client: ch } = await freshDatabase('sqlparams'));
  });
  afterAll(async () => {
    await ch?.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch?.close();
    rmSync(stateDir, { recursive: true, force: true });
    folder.remove();
  });

  /** `influence sql` as the analyst (the CLI's default user), on this test's database. */
  function sql(args: string[]) {
    const e = stackEndpoints().clickhouse;
    const url = e.analyst_url;
    if (!url) throw new Error('the stack has no analyst user (external ClickHouse?)');
    return influence(['sql', '--database', db, '--format', 'JSONEachRow', ...args], {
      INFLUENCE_STATE_DIR: stateDir,
      CLICKHOUSE_URL: url,
    });
  }

  it('influence sql --param passes them as values: they come back unchanged and match nothing', async () => {
    // Arguments cannot carry NUL; everything else goes through.
    const values = INJECTION_STRINGS.filter((v) => !v.includes('\u0000'));
    const names = values.map((_, i) => `v${i}`);
    const r = await sql([
      `SELECT ${names.map((n) => `{${n}:String} AS ${n}`).join(', ')}`,
      ...values.flatMap((v, i) => ['--param', `v${i}=${v}`]),
    ]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(Object.fromEntries(values.map((v, i) => [`v${i}`, v])));

    await ch.insert({
      table: 'raw_events',
      values: [
        {
          event_id: 'a'.repeat(32),
          type: 'donation',
          schema_version: 1,
          source: 'test',
          source_record_id: 'one',
          occurred_at: '2024-10-19 00:00:00.000',
          ingested_at: '2024-10-19 00:00:00.000',
          payload: '{}',
          kafka_topic: 't',
          kafka_partition: 0,
          kafka_offset: 0,
          workflow_id: 'w',
        },
      ],
      format: 'JSONEachRow',
    });
    for (const v of ["' OR 1=1 --", "one' OR '1'='1", "'; DROP TABLE raw_events; --", '{x:String}', '\\N']) {
      const m = await sql([
        'SELECT count() AS n FROM raw_events WHERE source_record_id = {v:String}',
        '--param',
        `v=${v}`,
      ]);
      expect(m.code, m.stderr.slice(-2000)).toBe(0);
      expect(JSON.parse(m.stdout), v).toEqual({ n: '0' });
    }
    const all = await sql(['SELECT count() AS n FROM raw_events']);
    expect(JSON.parse(all.stdout)).toEqual({ n: '1' });
  });

  it('the stored-event lookup of the importer finds ids, not injections, and a re-import is all duplicates', async () => {
    const lookup = clickhouseStoredLookup(ch);
    const known = 'b'.repeat(32);
    await ch.insert({
      table: 'raw_events',
      values: [
        {
          event_id: known,
          type: 'donation',
          schema_version: 1,
          source: 'test',
          source_record_id: 'two',
          occurred_at: '2024-10-19 00:00:00.000',
          ingested_at: '2024-10-19 00:00:00.000',
          payload: '{}',
          kafka_topic: 't',
          kafka_partition: 0,
          kafka_offset: 1,
          workflow_id: 'w',
        },
      ],
      format: 'JSONEachRow',
    });
    // Event ids are FixedString(32): longer values are cut to fit (the importer only asks for ids).
    const fit = (v: string): string =>
      Buffer.from(v)
        .subarray(0, 32)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
    const injections = [...INJECTION_STRINGS, `${'b'.repeat(20)}' OR '1'='1`, "') OR 1=1 --"].map(fit);
    const found = await lookup([known, ...injections]);
    expect([...found]).toEqual([known]);

    // Payouts whose purposes and payees look like injections: imported, stored, imported again.
    const rows = INJECTION_STRINGS.map(
      (v, i) =>
        `P-${i},2024-10-${String(1 + (i % 28)).padStart(2, '0')},C00879510,America PAC,"${v.replace(/"/g, '""')}",true,printing,"${v.replace(/"/g, '""')}",47.00`,
    );
    const file = folder.write(
      'payouts.csv',
      Buffer.from(
        `payment_id,paid_at,payer_committee_id,payer_name,payee_name,payee_is_vendor,category,purpose,amount\n${rows.join('\n')}\n`,
      ),
    );
    const run = (sink: MemorySink) =>
      runImport({
        source: payoutsSource,
        inputs: [file],
        sink,
        pseudonymize: testPseudonymize,
        seal: (raw) => testSealer.seal(raw),
        log: silentLogger,
        stored: lookup,
      });
    const first = new MemorySink();
    const s1 = await run(first);
    expect(s1).toMatchObject({ published: INJECTION_STRINGS.length, dead_lettered: 0, duplicates: 0 });
    await ch.insert({
      table: 'raw_events',
      values: first.events.map((e, i) => {
        const v = JSON.parse(e.value) as {
          event_id: string;
          source: string;
          source_record_id: string;
          payload: unknown;
        };
        return {
          event_id: v.event_id,
          type: 'payout',
          schema_version: 1,
          source: v.source,
          source_record_id: v.source_record_id,
          occurred_at: '2024-10-01 00:00:00.000',
          ingested_at: '2024-10-01 00:00:00.000',
          payload: JSON.stringify(v.payload),
          kafka_topic: 't',
          kafka_partition: 0,
          kafka_offset: 10 + i,
          workflow_id: 'w',
        };
      }),
      format: 'JSONEachRow',
    });
    const s2 = await run(new MemorySink());
    expect(s2).toMatchObject({ published: 0, duplicates: INJECTION_STRINGS.length });
    // The stored text is the text that was sent.
    const rs = await ch.query({
      query: "SELECT JSONExtractString(payload, 'purpose') AS purpose FROM raw_events WHERE type = 'payout'",
      format: 'JSONEachRow',
    });
    const purposes = (await rs.json<{ purpose: string }>()).map((r) => r.purpose).sort();
    expect(purposes).toEqual(INJECTION_STRINGS.map((v) => v.trim()).sort());
    const tables = await ch.query({ query: 'EXISTS TABLE raw_events', format: 'JSONEachRow' });
    expect(await tables.json()).toEqual([{ result: 1 }]);
  });
});

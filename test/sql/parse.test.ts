/**
 * The parser's trees: operator precedence, the shape of each construct,
 * keywords used as names, parameter numbering, spans that reproduce what
 * SQLite keeps verbatim (result column names, declared types, default
 * values), and script splitting.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type {
  ColumnDef, CreateTableStmt, Expr, ResultExpr, SelectStmt, Statement,
} from '../../src/sql/ast.js';
import { sqlText } from '../../src/sql/ast.js';
import { parseScript, parseStatement } from '../../src/sql/parser.js';
import { formatExpr } from '../../src/sql/printer.js';

function stmt(sql: string): Statement {
  const { statement } = parseStatement(sql);
  assert.ok(statement, sql);
  return statement.stmt;
}

function select(sql: string): SelectStmt {
  const s = stmt(sql);
  assert.equal(s.kind, 'Select');
  return s as SelectStmt;
}

/** The first result expression of `SELECT <expr>`. */
function expr(text: string): Expr {
  const core = select(`SELECT ${text}`).first;
  assert.equal(core.kind, 'SelectCore');
  const col = core.kind === 'SelectCore' ? core.columns[0] : undefined;
  assert.equal(col?.kind, 'ResultExpr');
  return (col as ResultExpr).expr;
}

test('operator precedence follows SQLite', () => {
  const cases: Array<[string, string]> = [
    ['1 + 2 * 3', '1 + (2 * 3)'],
    ['1 * 2 + 3', '(1 * 2) + 3'],
    ['1 - 2 - 3', '(1 - 2) - 3'],
    ["'a' || 'b' * 2", "('a' || 'b') * 2"],
    ['a || b -> c', '(a || b) -> c'],
    ['a ->> b || c', '(a ->> b) || c'],
    ['1 + 2 << 3', '(1 + 2) << 3'],
    ['a & b | c', '(a & b) | c'],
    ['a < b = c', '(a < b) = c'],
    ['a = b < c', 'a = (b < c)'],
    ['a & b < c', '(a & b) < c'],
    ['a = b AND c = d OR e', '((a = b) AND (c = d)) OR e'],
    ['a OR b AND c', 'a OR (b AND c)'],
    ['NOT a = b', 'NOT (a = b)'],
    ['NOT a AND b', '(NOT a) AND b'],
    ['NOT NOT a', 'NOT (NOT a)'],
    ['a = NOT b = c', 'a = (NOT (b = c))'],
    ['-a * b', '(-a) * b'],
    ['- - a', '-(-a)'],
    ['-a COLLATE x', '(-a) COLLATE x'],
    ['a || b COLLATE x', 'a || (b COLLATE x)'],
    ['a COLLATE x || b', '(a COLLATE x) || b'],
    ['~a + 1', '(~a) + 1'],
    ['a IS NULL', 'a ISNULL'],
    ['a IS NOT NULL', 'a NOTNULL'],
    ['a NOT NULL', 'a NOTNULL'],
    ['a = b IS NULL', '(a = b) ISNULL'],
    ['a IS NOT b = c', '(a IS NOT b) = c'],
    ['a IS DISTINCT FROM b', 'a IS NOT b'],
    ['a IS NOT DISTINCT FROM b', 'a IS b'],
    ['a == b', 'a = b'],
    ['a <> b', 'a != b'],
    ['a LIKE b || c', 'a LIKE (b || c)'],
    ['a LIKE b = c', '(a LIKE b) = c'],
    ["a NOT LIKE b ESCAPE 'x' || 'y'", "a NOT LIKE b ESCAPE ('x' || 'y')"],
    ['a BETWEEN 1 + 1 AND 2 + 2', 'a BETWEEN (1 + 1) AND (2 + 2)'],
    ['a BETWEEN b AND c AND d', '(a BETWEEN b AND c) AND d'],
    ['a BETWEEN b = c AND d', 'a BETWEEN (b = c) AND d'],
    ['a NOT BETWEEN b AND c = d', '(a NOT BETWEEN b AND c) = d'],
    ['a IN (1, 2) = b', '(a IN (1, 2)) = b'],
    ['a IN (SELECT 1) + 1', '(a IN (SELECT 1)) + 1'],
    ['NOT a IN (1)', 'NOT (a IN (1))'],
    ['a = b NOT IN (1)', '(a = b) NOT IN (1)'],
    ['NOT EXISTS (SELECT 1)', 'NOT EXISTS (SELECT 1)'],
    ['a AND b NOT NULL', 'a AND (b NOTNULL)'],
    ['(a, b) = (1, 2)', '(a, b) = (1, 2)'],
    ['((1 + 2)) * 3', '(1 + 2) * 3'],
  ];
  for (const [input, expected] of cases) assert.equal(formatExpr(expr(input)), expected, input);
});

test('expression nodes carry what the compiler needs', () => {
  assert.deepEqual(
    JSON.parse(JSON.stringify(expr('main.t.a'), ['kind', 'schema', 'table', 'column', 'name', 'quoted'])),
    {
      kind: 'ColumnRef',
      schema: { kind: 'Identifier', name: 'main', quoted: false },
      table: { kind: 'Identifier', name: 't', quoted: false },
      column: { kind: 'Identifier', name: 'a', quoted: false },
    },
  );
  const quoted = expr('"we""ird".[col umn]');
  assert.equal(quoted.kind, 'ColumnRef');
  if (quoted.kind === 'ColumnRef') {
    assert.deepEqual([quoted.table?.name, quoted.table?.quoted, quoted.column.name], ['we"ird', true, 'col umn']);
  }
  const lit = (text: string): unknown => {
    const e = expr(text);
    return e.kind === 'Literal' ? [e.type, e.text, e.value] : e.kind;
  };
  assert.deepEqual(lit("'it''s'"), ['string', "'it''s'", "it's"]);
  assert.deepEqual(lit("x'aBcD'"), ['blob', "x'aBcD'", 'aBcD']);
  assert.deepEqual(lit('0x1F'), ['integer', '0x1F', '0x1F']);
  assert.deepEqual(lit('1_000'), ['integer', '1_000', '1000']);
  assert.deepEqual(lit('1_0.5e1_0'), ['float', '1_0.5e1_0', '10.5e10']);
  assert.deepEqual(lit('.5'), ['float', '.5', '.5']);
  assert.deepEqual(lit('1e5'), ['float', '1e5', '1e5']);
  assert.deepEqual(lit('NULL'), ['null', 'NULL', 'NULL']);
  assert.equal(lit('TRUE'), 'ColumnRef');
  const now = expr('current_timestamp');
  assert.deepEqual(now.kind === 'CurrentTime' && now.keyword, 'CURRENT_TIMESTAMP');

  const call = expr('group_concat(ALL a ORDER BY b DESC) FILTER (WHERE c) OVER (PARTITION BY d)');
  assert.equal(call.kind, 'FunctionCall');
  if (call.kind === 'FunctionCall') {
    assert.equal(call.name.name, 'group_concat');
    assert.equal(call.quantifier, 'ALL');
    assert.equal(call.args.length, 1);
    assert.equal(call.orderBy?.[0].direction, 'DESC');
    assert.equal(call.filter?.kind, 'ColumnRef');
    assert.equal(call.over?.kind, 'WindowSpec');
  }
  const star = expr('count(*)');
  assert.ok(star.kind === 'FunctionCall' && star.star && star.args.length === 0);

  const inSub = expr('a IN ((SELECT 1))');
  assert.equal(inSub.kind, 'InSelect');
  const inTable = expr('a NOT IN main.t');
  assert.ok(inTable.kind === 'InTable' && inTable.not && inTable.schema?.name === 'main' && inTable.args === null);
  const cast = expr('CAST(x AS VARCHAR(10))');
  assert.ok(cast.kind === 'Cast' && cast.type?.text === 'VARCHAR(10)' && cast.type.name === 'VARCHAR');
  const raise = stmt("CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT RAISE(ABORT, 'no'); END");
  assert.equal(raise.kind, 'CreateTrigger');
});

test('parameters are numbered as SQLite numbers them', () => {
  const { statement } = parseStatement('SELECT ?, :a, ?5, :a, ?, @b, ?2, $c');
  assert.ok(statement);
  assert.equal(statement.parameterCount, 8);
  assert.deepEqual(statement.parameterNames, [null, ':a', null, null, '?5', null, '@b', '$c']);
  const core = statement.stmt.kind === 'Select' ? statement.stmt.first : null;
  assert.ok(core?.kind === 'SelectCore');
  const indexes = core.columns.map((c) => (c.kind === 'ResultExpr' && c.expr.kind === 'Parameter' ? c.expr.index : -1));
  assert.deepEqual(indexes, [1, 2, 5, 2, 6, 7, 2, 8]);

  const db = new Database(':memory:');
  const sql = 'SELECT ?, :a, ?5, :a, ?, @b, ?2, $c';
  const st = db.prepare(sql);
  // better-sqlite3 does not expose names, but the count must agree.
  assert.throws(() => st.get(1, 2, 3, 4, 5, 6, 7, 8, 9), /Too many parameter values/);
  assert.deepEqual(parseStatement('SELECT ?3').statement?.parameterNames, [null, null, '?3']);
});

test('keywords that SQLite allows as names parse as names', () => {
  const s = select('SELECT key, action, replace(a, b, c), end, first, last, rowid FROM temp AS offset WHERE match = 1');
  assert.equal(s.first.kind, 'SelectCore');
  if (s.first.kind !== 'SelectCore') return;
  const names = s.first.columns.map((c) => (c.kind === 'ResultExpr'
    ? (c.expr.kind === 'ColumnRef' ? c.expr.column.name : c.expr.kind === 'FunctionCall' ? `${c.expr.name.name}()` : '?')
    : '?'));
  assert.deepEqual(names, ['key', 'action', 'replace()', 'end', 'first', 'last', 'rowid']);
  const from = s.first.from?.[0];
  assert.ok(from?.kind === 'TableRef' && from.name.name === 'temp' && from.alias?.name === 'offset');

  const window = select('SELECT sum(x) OVER win, over FROM filter WINDOW win AS (ORDER BY x)');
  assert.ok(window.first.kind === 'SelectCore' && window.first.windows?.[0].name.name === 'win');
});

test('unaliased result columns are named by their source text, as SQLite names them', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t(a, b)');
  const queries = [
    'SELECT a+1, (a + 1) , a   *  2 /* note */, count(*) filter (where a), -a, \'x\'||b, CAST(a AS text) FROM t',
    'SELECT a+1 -- trailing comment\n FROM t',
    'SELECT 1, 2.50, x\'00\', ?1, NULL, CURRENT_DATE',
  ];
  for (const sql of queries) {
    const core = select(sql).first;
    assert.ok(core.kind === 'SelectCore');
    const ours = core.columns.map((c) => (c.kind === 'ResultExpr' ? sql.slice(c.start, c.nameEnd) : '*'));
    const theirs = db.prepare(sql).columns().map((c) => c.name);
    assert.deepEqual(ours, theirs, sql);
  }
});

test('declared types and default texts are what SQLite stores', () => {
  const db = new Database(':memory:');
  const sql = "CREATE TABLE x (a VARCHAR ( 10 ), b DOUBLE  PRECISION, c UNSIGNED BIG INT, d \"my type\", e INT GENERATED ALWAYS AS (1), f GENERATED ALWAYS AS (2), g DEFAULT ( 1 + 2 ), h DEFAULT -5, i DEFAULT 'it''s', j DEFAULT CURRENT_TIME, k DEFAULT abc, l DEFAULT +1.5, m DECIMAL(10, -2))";
  db.exec(sql);
  const info = db.prepare('SELECT name, type, dflt_value FROM pragma_table_xinfo(?)').all('x') as Array<{ name: string; type: string; dflt_value: string | null }>;
  const table = stmt(sql) as CreateTableStmt;
  assert.equal(table.kind, 'CreateTable');
  const ours = table.columns.map((c: ColumnDef) => {
    const dflt = c.constraints.find((k) => k.kind === 'Default');
    return {
      name: c.name.name,
      type: c.type === null ? '' : c.type.text.replace(/^"(.*)"$/, '$1'),
      dflt_value: dflt && dflt.kind === 'Default' ? sqlText(sql, dflt.exprText) : null,
    };
  });
  assert.deepEqual(ours, info);
  const generated = table.columns[4].constraints[0];
  assert.ok(generated.kind === 'Generated' && formatExpr(generated.expr) === '1');
  const defaultK = table.columns[10].constraints[0];
  assert.ok(defaultK.kind === 'Default' && defaultK.expr.kind === 'Literal' && defaultK.expr.type === 'string');
});

test('CREATE statement shapes', () => {
  const t = stmt('CREATE TEMP TABLE IF NOT EXISTS x (id INTEGER PRIMARY KEY DESC ON CONFLICT REPLACE AUTOINCREMENT, p REFERENCES parent(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, CONSTRAINT u UNIQUE (p COLLATE nocase), CHECK (id > 0)) STRICT');
  assert.equal(t.kind, 'CreateTable');
  if (t.kind !== 'CreateTable') return;
  assert.deepEqual([t.temp, t.ifNotExists, t.strict, t.withoutRowid, t.name.name], [true, true, true, false, 'x']);
  const pk = t.columns[0].constraints[0];
  assert.ok(pk.kind === 'PrimaryKey' && pk.direction === 'DESC' && pk.onConflict === 'REPLACE' && pk.autoincrement);
  const fk = t.columns[1].constraints[0];
  assert.ok(fk.kind === 'References' && fk.foreignKey.onDelete === 'CASCADE' && fk.foreignKey.deferred);
  assert.deepEqual(t.constraints.map((c) => [c.kind, c.name?.name ?? null]), [['TableUnique', 'u'], ['TableCheck', null]]);
  const names = (sql: string): Array<string | null> => {
    const c = stmt(sql);
    assert.ok(c.kind === 'CreateTable');
    return [...c.columns.flatMap((col) => col.constraints), ...c.constraints].map((k) => k.name?.name ?? null);
  };
  // SQLite's scoping of constraint names (visible in its CHECK failure messages).
  assert.deepEqual(names('CREATE TABLE x(a CONSTRAINT n NOT NULL CHECK (a > 0), b CHECK (b > 0))'), ['n', 'n', null]);
  assert.deepEqual(names('CREATE TABLE x(a CONSTRAINT n, CHECK (a > 0))'), ['n']);
  assert.deepEqual(names('CREATE TABLE x(a CHECK (a > 0) CONSTRAINT n)'), [null]);
  assert.deepEqual(names('CREATE TABLE x(a, CONSTRAINT u UNIQUE (a) CHECK (a > 0))'), ['u', 'u']);

  const i = stmt('CREATE UNIQUE INDEX IF NOT EXISTS s.i ON t (a COLLATE nocase DESC, lower(b)) WHERE a > 0');
  assert.ok(i.kind === 'CreateIndex' && i.unique && i.schema?.name === 's' && i.columns.length === 2 && i.where !== null);

  const tr = stmt('CREATE TRIGGER tr INSTEAD OF UPDATE OF a, b ON v FOR EACH ROW WHEN new.a BEGIN DELETE FROM t; SELECT 1; END');
  assert.ok(tr.kind === 'CreateTrigger');
  if (tr.kind !== 'CreateTrigger') return;
  assert.deepEqual([tr.time, tr.event, tr.updateOf?.map((c) => c.name), tr.forEachRow, tr.body.map((s) => s.kind)],
    ['INSTEAD OF', 'UPDATE', ['a', 'b'], true, ['Delete', 'Select']]);

  const vt = stmt("CREATE VIRTUAL TABLE v USING fts5(a, b UNINDEXED, tokenize = 'porter ascii', )");
  assert.ok(vt.kind === 'CreateVirtualTable' && vt.module.name === 'fts5');
  if (vt.kind === 'CreateVirtualTable') assert.deepEqual(vt.args, ['a', 'b UNINDEXED', "tokenize = 'porter ascii'", '']);
});

test('DML statement shapes', () => {
  const ins = stmt('WITH c AS (SELECT 1) INSERT OR IGNORE INTO main.t AS x (a, b) SELECT * FROM c WHERE true ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE b > 0 ON CONFLICT DO NOTHING RETURNING a, *');
  assert.ok(ins.kind === 'Insert');
  if (ins.kind !== 'Insert') return;
  assert.deepEqual([ins.with?.ctes.length, ins.orConflict, ins.table.schema?.name, ins.table.alias?.name,
    ins.columns?.length, ins.upsert.length, ins.upsert[1].set, ins.returning?.length], [1, 'IGNORE', 'main', 'x', 2, 2, null, 2]);
  const rep = stmt('REPLACE INTO t DEFAULT VALUES');
  assert.ok(rep.kind === 'Insert' && rep.replaceKeyword && rep.orConflict === 'REPLACE' && rep.select === null);

  const upd = stmt('UPDATE t SET (a, b) = (1, 2), c = 3 FROM u WHERE t.id = u.id RETURNING * ORDER BY a LIMIT 2, 3');
  assert.ok(upd.kind === 'Update');
  if (upd.kind !== 'Update') return;
  assert.deepEqual(upd.set.map((s) => [s.columns.map((c) => c.name), s.parenthesized]), [[['a', 'b'], true], [['c'], false]]);
  assert.ok(upd.limit?.kind === 'Literal' && upd.limit.text === '3' && upd.offset?.kind === 'Literal' && upd.offset.text === '2');

  const del = stmt('DELETE FROM t INDEXED BY i WHERE a RETURNING b');
  assert.ok(del.kind === 'Delete' && del.table.indexedBy?.name === 'i' && del.returning?.length === 1);
});

test('SELECT shapes: joins, compounds, CTEs, windows', () => {
  const s = select('WITH RECURSIVE r(n) AS NOT MATERIALIZED (SELECT 1) SELECT DISTINCT * FROM a NATURAL LEFT OUTER JOIN b, c CROSS JOIN (d JOIN e USING (k)) AS g UNION ALL VALUES (1), (2) UNION SELECT 3 ORDER BY 1 NULLS LAST LIMIT 1 OFFSET 2');
  assert.deepEqual([s.with?.recursive, s.with?.ctes[0].materialized, s.with?.ctes[0].columns?.[0].name], [true, false, 'n']);
  assert.ok(s.first.kind === 'SelectCore');
  if (s.first.kind !== 'SelectCore') return;
  const from = s.first.from ?? [];
  assert.deepEqual(from.map((f) => [f.kind, f.join?.type ?? null, f.join?.natural ?? null, f.join?.comma ?? null]), [
    ['TableRef', null, null, null], ['TableRef', 'LEFT', true, false], ['TableRef', 'INNER', false, true],
    ['JoinGroup', 'CROSS', false, false],
  ]);
  assert.deepEqual(s.compounds.map((c) => [c.op, c.select.kind]), [['UNION ALL', 'Values'], ['UNION', 'SelectCore']]);
  assert.equal(s.orderBy?.[0].nulls, 'LAST');

  const w = expr('sum(x) OVER (base PARTITION BY a ORDER BY b RANGE BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)');
  assert.ok(w.kind === 'FunctionCall' && w.over?.kind === 'WindowSpec');
  if (w.kind === 'FunctionCall' && w.over?.kind === 'WindowSpec') {
    const f = w.over.frame;
    assert.deepEqual([w.over.base?.name, f?.units, f?.startBound.type, f?.endBound?.type, f?.exclude],
      ['base', 'RANGE', 'PRECEDING', 'UNBOUNDED FOLLOWING', 'TIES']);
  }
  const tvf = select("SELECT * FROM pragma_table_info('t') p").first;
  assert.ok(tvf.kind === 'SelectCore' && tvf.from?.[0].kind === 'TableRef' && tvf.from[0].args?.length === 1);
});

test('other statements', () => {
  const p = stmt('PRAGMA main.cache_size = -2000');
  assert.ok(p.kind === 'Pragma' && p.schema?.name === 'main' && p.value === '-2000');
  const q = stmt("PRAGMA table_info('my table')");
  assert.ok(q.kind === 'Pragma' && q.value === 'my table');
  const b = stmt('BEGIN IMMEDIATE TRANSACTION');
  assert.ok(b.kind === 'Begin' && b.mode === 'IMMEDIATE');
  const r = stmt('ROLLBACK TRANSACTION TO SAVEPOINT sp');
  assert.ok(r.kind === 'Rollback' && r.savepoint?.name === 'sp');
  const a = stmt('ALTER TABLE t RENAME COLUMN a TO b');
  assert.ok(a.kind === 'AlterTable' && a.action.kind === 'RenameColumn' && a.action.newName.name === 'b');
  const v = stmt("VACUUM INTO 'x.db'");
  assert.ok(v.kind === 'Vacuum' && v.schema === null && v.into?.kind === 'Literal');
  const e = parseStatement('EXPLAIN QUERY PLAN SELECT 1').statement;
  assert.equal(e?.explain, 'QUERY PLAN');
  assert.equal(e?.text, 'EXPLAIN QUERY PLAN SELECT 1');
});

test('scripts split into statements with exact text and tails', () => {
  const script = ' ; SELECT 1; /* c */ SELECT \'a;b\' -- x;\n; ;CREATE TABLE t(a);  ';
  const all = parseScript(script);
  assert.deepEqual(all.map((s) => s.text), ['SELECT 1', "SELECT 'a;b'", 'CREATE TABLE t(a)']);
  const first = parseStatement(script);
  assert.equal(first.statement?.text, 'SELECT 1');
  assert.equal(script.slice(first.tail), " /* c */ SELECT 'a;b' -- x;\n; ;CREATE TABLE t(a);  ");
  const last = parseStatement(script, script.indexOf('CREATE'));
  assert.equal(last.tail, script.length - 2);
  assert.deepEqual(parseStatement(script, last.tail), { statement: null, tail: script.length });
  assert.deepEqual(parseStatement('  -- only a comment'), { statement: null, tail: 19 });
  // Like sqlite3_prepare, later statements are not even tokenized.
  assert.equal(parseStatement("SELECT 1; SELECT 'unterminated").statement?.text, 'SELECT 1');
  assert.throws(() => parseScript("SELECT 1; SELECT 'unterminated"), { message: 'unrecognized token: "\'unterminated"' });
  // A NUL character ends the input, as in C.
  assert.deepEqual(parseScript('SELECT 1;\0 garbage').map((s) => s.text), ['SELECT 1']);
});

test('lexical edge cases', () => {
  const texts = (sql: string): string[] => {
    const core = select(sql).first;
    assert.ok(core.kind === 'SelectCore');
    return core.columns.map((c) => (c.kind === 'ResultExpr' ? sql.slice(c.expr.start, c.expr.end) : '*'));
  };
  assert.deepEqual(texts('SELECT 1-1, 1--1\n, 1->2, a->>b, 1/**/+2, 0x1f, 1.e5, x\'\', [a]'),
    ['1-1', '1', '1->2', 'a->>b', '1/**/+2', '0x1f', '1.e5', "x''", '[a]']);
  const bom = select('\uFEFFSELECT 1');
  assert.equal(bom.start, 1);
  assert.equal(expr('`a``b`').kind, 'ColumnRef');
  assert.throws(() => parseStatement('SELECT $a::b(c)'), { message: 'unrecognized token: ":"' });
  assert.throws(() => parseStatement('SELECT 1_000__1'), { message: 'unrecognized token: "10000__1"' });
});

// ORDER BY delivered by the scan order (an index, the rowid, forwards or
// backwards) instead of a sort: same rows and same EXPLAIN QUERY PLAN lines
// as SQLite, including where a sort must remain.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OraclePair, enginePlan, fillScript, samePlanAndRows } from './plan-oracle.js';

let pair: OraclePair;

before(() => {
  pair = new OraclePair();
  pair.setup(`
    CREATE TABLE t(a INTEGER, b TEXT, c INTEGER, d TEXT COLLATE NOCASE);
    CREATE INDEX tb ON t(b);
    CREATE INDEX tac ON t(a, c);
    CREATE INDEX td ON t(d);
    CREATE TABLE u(x INTEGER PRIMARY KEY, y INTEGER, z TEXT);
    CREATE TABLE v(p INTEGER, q INTEGER);
    CREATE INDEX vpq ON v(p DESC, q);
    CREATE TABLE w(k TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
    ${fillScript(300)}
    INSERT INTO u(x, y, z) SELECT rowid * 3, a, b FROM t;
    INSERT INTO v SELECT a, c FROM t;
    INSERT INTO w SELECT DISTINCT b || rowid, c FROM t WHERE b IS NOT NULL;
  `);
});

after(() => pair.close());

const noSort = (plan: string[]): boolean => !plan.some((line) => line.includes('TEMP B-TREE'));

test('an index on the ORDER BY column replaces the sort, forwards and backwards', () => {
  for (const sql of [
    'SELECT * FROM t ORDER BY b',
    'SELECT * FROM t ORDER BY b DESC',
    'SELECT * FROM t ORDER BY b LIMIT 10',
    'SELECT * FROM t ORDER BY b DESC LIMIT 7 OFFSET 3',
    'SELECT b FROM t ORDER BY b',
    'SELECT * FROM t ORDER BY d',
    'SELECT * FROM t ORDER BY d DESC',
    'SELECT b AS name, a FROM t ORDER BY name',
    'SELECT b, a FROM t ORDER BY 1 DESC',
  ]) {
    assert.ok(noSort(samePlanAndRows(pair, sql)), sql);
  }
});

test('equality-constrained prefix columns are skipped; ranges keep the order', () => {
  for (const sql of [
    'SELECT * FROM t WHERE a = 3 ORDER BY c',
    'SELECT * FROM t WHERE a = 3 ORDER BY c DESC',
    'SELECT * FROM t WHERE a = 3 ORDER BY a, c',
    'SELECT * FROM t WHERE a = 3 AND c > 10 ORDER BY c DESC',
    'SELECT * FROM t WHERE a = 2 AND c >= 5 AND c < 40 ORDER BY c DESC',
    'SELECT * FROM t WHERE a = 2 AND c <= 30 ORDER BY c DESC',
    'SELECT * FROM t WHERE a > 4 ORDER BY a DESC',
    'SELECT * FROM t WHERE a < 4 ORDER BY a',
  ]) {
    assert.ok(noSort(samePlanAndRows(pair, sql)), sql);
  }
});

test('rowid order: table scans and rowid ranges, forwards and backwards', () => {
  for (const sql of [
    'SELECT * FROM u ORDER BY x',
    'SELECT * FROM u ORDER BY x DESC',
    'SELECT * FROM u ORDER BY rowid DESC LIMIT 5',
    'SELECT * FROM u ORDER BY x, y',
    'SELECT * FROM u WHERE x > 100 ORDER BY x DESC',
    'SELECT * FROM u WHERE x >= 30 AND x <= 300 ORDER BY x DESC',
    'SELECT * FROM u WHERE x < 90 ORDER BY x DESC',
    'SELECT * FROM w ORDER BY k DESC',
    'SELECT * FROM w WHERE k > \'b\' ORDER BY k DESC',
  ]) {
    assert.ok(noSort(samePlanAndRows(pair, sql)), sql);
  }
});

test('descending index terms: the scan direction follows the term directions', () => {
  for (const sql of ['SELECT * FROM v ORDER BY p DESC, q', 'SELECT * FROM v ORDER BY p, q DESC', 'SELECT * FROM v WHERE p = 3 ORDER BY q DESC']) {
    assert.ok(noSort(samePlanAndRows(pair, sql)), sql);
  }
});

test('the sort stays for mixed directions, other collations, expressions and IN lists', () => {
  const cases: [string, string][] = [
    ['SELECT * FROM t ORDER BY a, c DESC', 'USE TEMP B-TREE FOR LAST TERM OF ORDER BY'],
    ['SELECT * FROM t ORDER BY a, b, c', 'USE TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY'],
    ['SELECT * FROM t ORDER BY b COLLATE NOCASE, rowid', 'USE TEMP B-TREE FOR ORDER BY'],
    ['SELECT * FROM t ORDER BY d COLLATE BINARY, rowid', 'USE TEMP B-TREE FOR ORDER BY'],
    ['SELECT * FROM t ORDER BY a + 1, rowid', 'USE TEMP B-TREE FOR ORDER BY'],
    ['SELECT * FROM t WHERE a IN (1, 2) ORDER BY c, rowid', 'USE TEMP B-TREE FOR ORDER BY'],
    ['SELECT * FROM v ORDER BY p, q', 'USE TEMP B-TREE FOR LAST TERM OF ORDER BY'],
  ];
  for (const [sql, line] of cases) {
    const plan = samePlanAndRows(pair, sql);
    assert.equal(plan[plan.length - 1], line, sql);
  }
});

test('NULLS FIRST/LAST placements that the index does not give are sorted', () => {
  for (const sql of ['SELECT * FROM t ORDER BY b NULLS LAST, rowid', 'SELECT * FROM t ORDER BY b DESC NULLS FIRST, rowid', 'SELECT * FROM t WHERE a = 1 ORDER BY c NULLS LAST, rowid']) {
    pair.same(sql);
    assert.ok(!noSort(enginePlan(pair, sql)), sql);
  }
  for (const sql of ['SELECT * FROM t ORDER BY b NULLS FIRST', 'SELECT * FROM t ORDER BY b DESC NULLS LAST']) {
    assert.ok(noSort(samePlanAndRows(pair, sql)), sql);
  }
});

test('joins: the outer loop delivers the order, inner loops keep it', () => {
  for (const sql of [
    'SELECT * FROM u, t WHERE t.a = u.y ORDER BY u.x',
    'SELECT * FROM u, t WHERE t.a = u.y ORDER BY u.x DESC',
    'SELECT t.b, u.z FROM t, u WHERE t.c = u.x ORDER BY t.b, u.z',
    'SELECT * FROM u LEFT JOIN t ON t.a = u.y AND t.c > 40 ORDER BY u.x',
  ]) {
    samePlanAndRows(pair, sql);
  }
});

test('ORDER BY with LIMIT stops early and sees later writes', () => {
  const sql = 'SELECT b, rowid FROM t ORDER BY b DESC LIMIT 3';
  samePlanAndRows(pair, sql);
  pair.setup("INSERT INTO t(a, b, c, d) VALUES (1, 'zz', 1, 'q')");
  samePlanAndRows(pair, sql);
});

// Automatic (transient) indexes for joins on unindexed columns: same rows
// and plan lines as SQLite, SQLite's equality semantics (affinity,
// collation, NULL) preserved, rebuilt when the table changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OraclePair, enginePlan, samePlanAndRows } from './plan-oracle.js';

let pair: OraclePair;

before(() => {
  pair = new OraclePair();
  pair.setup(`
    CREATE TABLE u(x INTEGER PRIMARY KEY, y INTEGER, z TEXT);
    CREATE TABLE v(p INTEGER, q INTEGER, r TEXT, s);
    CREATE TABLE n(m TEXT COLLATE NOCASE, o REAL);
    INSERT INTO u VALUES (1, 1, 'x'), (2, 2, 'A'), (3, NULL, 'b'), (5, 3, 'a'), (4, 1, NULL), (6, 2, 'B '), (7, 10, '10');
    INSERT INTO v VALUES (1, 1, 'a', 1), (1, 2, 'A', '1'), (NULL, 3, 'b ', 1.0), (2, 1, NULL, x'01'), (3, NULL, 'x', NULL), (2, 2, '10', 10), (4, 10, 'B', '10');
    INSERT INTO n VALUES ('A', 1), ('a', 1.0), ('b ', 2.5), (NULL, NULL), ('10', 10);
  `);
});

after(() => pair.close());

const automatic = (plan: string[]): boolean => plan.some((line) => line.includes('AUTOMATIC'));

test('an equality join on an unindexed column probes an automatic index', () => {
  for (const sql of [
    'SELECT * FROM v JOIN u ON v.q = u.y',
    'SELECT * FROM v, u WHERE u.y = v.q',
    'SELECT * FROM u JOIN v ON v.q = u.y + 1',
    'SELECT v.p, u.z FROM v JOIN u ON v.q = u.y',
  ]) {
    assert.ok(automatic(samePlanAndRows(pair, sql)), sql);
  }
  pair.same('SELECT a.x, b.x FROM u AS a JOIN u AS b ON a.y = b.y');
  assert.ok(automatic(enginePlan(pair, 'SELECT a.x, b.x FROM u AS a JOIN u AS b ON a.y = b.y')));
});

test('LEFT JOIN and partial automatic indexes', () => {
  for (const sql of [
    'SELECT * FROM u LEFT JOIN v ON v.q = u.y',
    'SELECT * FROM v LEFT JOIN u ON v.q = u.y AND u.z IS NOT NULL',
    'SELECT * FROM v JOIN u ON v.q = u.y WHERE u.z > \'a\'',
  ]) {
    assert.ok(automatic(samePlanAndRows(pair, sql)), sql);
  }
});

test('affinity, collation and NULL follow SQLite equality', () => {
  for (const sql of [
    'SELECT u.x, v.rowid FROM u JOIN v ON v.r = u.z',
    'SELECT u.x, v.rowid FROM u JOIN v ON v.s = u.y',
    'SELECT u.x, v.rowid FROM u JOIN v ON v.s = u.z',
    'SELECT u.x, v.rowid FROM u JOIN v ON v.r = u.z COLLATE NOCASE',
    'SELECT u.x, v.rowid FROM u JOIN v ON v.r = u.z COLLATE RTRIM',
    'SELECT u.x, n.rowid FROM u JOIN n ON n.m = u.z',
    'SELECT u.x, n.rowid FROM u JOIN n ON n.o = u.y',
    'SELECT v.rowid, n.rowid FROM v JOIN n ON n.o = v.s',
    'SELECT v.rowid, n.rowid FROM v JOIN n ON n.m = v.s',
    'SELECT u.x, v.rowid FROM u JOIN v ON v.q IS u.y',
  ]) {
    const expected = pair.sqlite.prepare(sql).raw(true).all() as unknown[][];
    const actual = pair.engine.prepare(sql).raw(true).all() as unknown[][];
    const sorted = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(sorted(actual), sorted(expected), sql);
  }
});

test('the index is rebuilt for each execution and after writes in the same statement', () => {
  const sql = 'SELECT v.rowid, u.x FROM v JOIN u ON v.q = u.y';
  samePlanAndRows(pair, sql);
  pair.setup('INSERT INTO u VALUES (20, 1, \'new\'); UPDATE v SET q = 3 WHERE q = 2;');
  samePlanAndRows(pair, sql);
  pair.same('SELECT (SELECT count(*) FROM v JOIN u ON v.q = u.y WHERE v.p = t.p) FROM v AS t');
  pair.setup('CREATE TABLE log(k INTEGER, hits INTEGER)');
  pair.same('INSERT INTO log SELECT v.q, u.x FROM v JOIN u ON v.q = u.y');
  pair.same('SELECT * FROM log ORDER BY k, hits');
});

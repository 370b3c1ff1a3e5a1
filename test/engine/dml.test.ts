// INSERT, UPDATE and DELETE against SQLite as the oracle: row sources,
// defaults, affinities, conflict resolution, AUTOINCREMENT, RETURNING,
// changes() and last_insert_rowid().
import { test } from 'node:test';
import { OraclePair } from './oracle.js';

test('INSERT from VALUES, SELECT and DEFAULT VALUES with column lists, defaults and affinity', () => {
  const pair = new OraclePair();
  pair.setup("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT DEFAULT 'dflt', c REAL DEFAULT (1 + 1), d NUMERIC, e)");
  for (const sql of [
    "INSERT INTO t VALUES (NULL, 1, 2, '3', '4'), (10, 'x', '2.5', 'abc', x'00')",
    'INSERT INTO t(d) VALUES (7)',
    'INSERT INTO t DEFAULT VALUES',
    'INSERT INTO t(rowid, e) VALUES (100, 5)',
    'INSERT INTO t(e, a) SELECT a * 2, a + 1000 FROM t WHERE a < 50',
    'INSERT INTO t SELECT * FROM t WHERE a = 10',
    "INSERT INTO t(a) VALUES ('12')",
    "INSERT INTO t(a) VALUES ('x')",
    'INSERT INTO t(a) VALUES (1.5)',
    'INSERT INTO t VALUES (1)',
    'INSERT INTO t(a, b) VALUES (1)',
    'INSERT INTO t(nosuch) VALUES (1)',
    'INSERT INTO t VALUES (1), (2, 3)',
    'INSERT INTO t(a, b) SELECT 1',
    'WITH w(x) AS (SELECT 500) INSERT INTO t(a) SELECT x FROM w',
    'SELECT a, b, c, d, e, typeof(b), typeof(c), typeof(d) FROM t ORDER BY a',
    'SELECT last_insert_rowid(), changes(), total_changes()',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('UPDATE and DELETE with WHERE, index paths and RETURNING', () => {
  const pair = new OraclePair();
  pair.setup(`CREATE TABLE t(a INTEGER PRIMARY KEY, b, c UNIQUE);
    CREATE INDEX tb ON t(b);
    INSERT INTO t VALUES (1, 'x', 10), (2, 'y', 20), (3, 'x', 30), (4, NULL, 40);
    CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
    INSERT INTO w VALUES ('a', 1), ('b', 2), ('c', 3);`);
  for (const sql of [
    "UPDATE t SET c = c + 1 WHERE b = 'x'",
    'UPDATE t SET a = a + 10 WHERE a >= 3 RETURNING a, b, c',
    'UPDATE t SET (b, c) = (c, b) WHERE a = 1',
    'UPDATE t SET c = 20 WHERE a = 1',
    'UPDATE OR REPLACE t SET c = 20 WHERE a = 1',
    'UPDATE OR IGNORE t SET c = 40 WHERE a = 13',
    'UPDATE t SET rowid = 99 WHERE a = 13 RETURNING rowid, *',
    'UPDATE t SET nosuch = 1',
    'UPDATE t SET a = NULL',
    'SELECT changes()',
    'SELECT * FROM t ORDER BY a',
    "UPDATE w SET k = 'z' WHERE k = 'a' RETURNING *",
    "UPDATE w SET k = 'b' WHERE k = 'c'",
    'SELECT * FROM w',
    "DELETE FROM w WHERE v > 1 RETURNING k",
    "DELETE FROM t WHERE b IS NULL OR a = 99",
    'SELECT changes(), total_changes()',
    'DELETE FROM t',
    'SELECT changes(), count(*) FROM t',
    'PRAGMA integrity_check',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('one-row UPDATEs keep partial, expression and collated indexes in step', () => {
  const pair = new OraclePair();
  pair.setup(`CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, qty, price REAL);
    CREATE INDEX t_name ON t(name);
    CREATE INDEX t_big ON t(qty) WHERE qty > 10;
    CREATE INDEX t_total ON t(qty * price);
    CREATE UNIQUE INDEX t_pair ON t(name, qty);
    INSERT INTO t VALUES (1, 'a', 5, 1.5), (2, 'b', 20, 2), (3, 'c', 30, 3);`);
  for (const sql of [
    "UPDATE t SET name = 'A' WHERE id = 1",
    'UPDATE t SET qty = 50 WHERE id = 1',
    'UPDATE t SET qty = 1 WHERE id = 2',
    'UPDATE t SET qty = 1.0 WHERE id = 2',
    'UPDATE t SET price = price * 2 WHERE id = 3',
    "UPDATE t SET name = 'C', qty = 30 WHERE id = 1",
    "UPDATE OR REPLACE t SET name = 'C', qty = 30 WHERE id = 1",
    'UPDATE t SET price = 7 WHERE id = 3',
    "SELECT id FROM t WHERE name = 'c'",
    'SELECT id FROM t WHERE qty > 10',
    'SELECT id FROM t WHERE qty * price = 7',
    'SELECT * FROM t ORDER BY id',
    'PRAGMA integrity_check',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('conflict resolution: OR ABORT/FAIL/IGNORE/REPLACE/ROLLBACK, REPLACE INTO, constraint ON CONFLICT clauses', () => {
  const pair = new OraclePair();
  pair.setup(`CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE, c NOT NULL DEFAULT 'd');
    CREATE TABLE i(a UNIQUE ON CONFLICT IGNORE, b NOT NULL ON CONFLICT REPLACE DEFAULT 5, c CHECK (c <> 0));
    CREATE TABLE r(a PRIMARY KEY ON CONFLICT REPLACE, b);
    INSERT INTO t VALUES (1, 1, 'x'), (2, 2, 'y');`);
  for (const sql of [
    'INSERT INTO t VALUES (3, 3, 1), (4, 1, 1)',
    'INSERT OR IGNORE INTO t VALUES (5, 5, 1), (6, 1, 1), (7, 7, NULL)',
    'INSERT OR REPLACE INTO t VALUES (1, 2, 1)',
    'INSERT OR REPLACE INTO t VALUES (8, 8, NULL)',
    'REPLACE INTO t VALUES (9, 5, 2)',
    'BEGIN',
    'INSERT INTO t VALUES (20, 20, 1)',
    'INSERT OR FAIL INTO t VALUES (21, 21, 1), (22, 20, 1), (23, 23, 1)',
    'INSERT OR ABORT INTO t VALUES (24, 24, 1), (25, 20, 1)',
    'COMMIT',
    'BEGIN',
    'INSERT INTO t VALUES (30, 30, 1)',
    'INSERT OR ROLLBACK INTO t VALUES (31, 30, 1)',
    'COMMIT',
    'SELECT * FROM t ORDER BY a',
    'INSERT INTO i VALUES (1, NULL, 1), (1, 2, 2), (2, 3, 0)',
    'INSERT INTO i VALUES (3, NULL, 1)',
    'SELECT * FROM i',
    'INSERT INTO r VALUES (1, 1), (1, 2)',
    'SELECT * FROM r',
    'SELECT changes(), total_changes()',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('AUTOINCREMENT keeps sqlite_sequence and never reuses rowids', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, u UNIQUE)');
  for (const sql of [
    'INSERT INTO a(u) VALUES (1), (2)',
    'DELETE FROM a WHERE id = 2',
    'INSERT INTO a(u) VALUES (3)',
    'INSERT OR IGNORE INTO a(u) VALUES (3)',
    'INSERT INTO a(u) VALUES (4)',
    'INSERT INTO a VALUES (100, 5)',
    'DELETE FROM a',
    'INSERT INTO a(u) VALUES (6) RETURNING id',
    'SELECT * FROM sqlite_sequence',
    'INSERT INTO a VALUES (9223372036854775807, 7)',
    'INSERT INTO a(u) VALUES (8)',
    'SELECT * FROM a',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('bound parameters of every kind round-trip through INSERT and SELECT', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE p(a, b INTEGER, c TEXT, d REAL)');
  pair.same('INSERT INTO p VALUES (?, ?, ?, ?)', 1.5, 2n, 'three', 4);
  pair.same('INSERT INTO p VALUES (?, ?, ?, ?)', null, 9007199254740993n, Buffer.from([1, 2]), -0.5);
  pair.same('SELECT a, b, c, d, typeof(a), typeof(b), typeof(c), typeof(d) FROM p');
  pair.same('SELECT * FROM p WHERE b = ?', 2);
  pair.close();
});

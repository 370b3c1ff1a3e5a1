// Error codes and wording against SQLite: syntax errors, unknown and
// ambiguous names, each constraint kind, and datatype mismatch.
import { test } from 'node:test';
import { OraclePair } from './oracle.js';

test('prepare-time errors: syntax, no such table/column/function, ambiguous column name', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE t(a, b); CREATE TABLE u(a, c)');
  for (const sql of [
    'SELEC 1',
    'SELECT * FROM',
    'SELECT 1 FROM t WHERE',
    "SELECT 'unterminated",
    'SELECT * FROM nosuch',
    'SELECT nosuch FROM t',
    'SELECT t.nosuch FROM t',
    'SELECT x.a FROM t',
    'SELECT a FROM t, u',
    'SELECT nosuch(1)',
    'SELECT abs(1, 2)',
    'INSERT INTO nosuch VALUES (1)',
    'UPDATE nosuch SET a = 1',
    'DELETE FROM nosuch',
    'UPDATE t SET nosuch = 1',
    'SELECT count(*) FROM t WHERE sum(a) > 1',
    'SELECT a, b FROM t GROUP BY 3',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('each constraint kind fails with its extended code and message', () => {
  const pair = new OraclePair();
  pair.setup(`CREATE TABLE t(id INTEGER PRIMARY KEY, u UNIQUE, n NOT NULL, c CHECK (c > 0), CONSTRAINT named CHECK (u <> 'bad'));
    CREATE TABLE pk(a TEXT PRIMARY KEY, b);
    CREATE TABLE multi(a, b, UNIQUE(a, b));
    CREATE TABLE wr(k PRIMARY KEY, v NOT NULL) WITHOUT ROWID;
    CREATE TABLE e(x);
    CREATE UNIQUE INDEX ex ON e(x + 1);
    INSERT INTO t VALUES (1, 'u', 'n', 1); INSERT INTO pk VALUES ('a', 1); INSERT INTO multi VALUES (1, 2);
    INSERT INTO wr VALUES (1, 1); INSERT INTO e VALUES (1);`);
  for (const sql of [
    "INSERT INTO t VALUES (1, 'v', 'n', 1)",
    "INSERT INTO t VALUES (2, 'u', 'n', 1)",
    "INSERT INTO t VALUES (2, 'v', NULL, 1)",
    "INSERT INTO t VALUES (2, 'v', 'n', 0)",
    "INSERT INTO t VALUES (2, 'bad', 'n', 1)",
    "INSERT INTO pk VALUES ('a', 2)",
    'INSERT INTO multi VALUES (1, 2)',
    'INSERT INTO wr VALUES (1, 2)',
    'INSERT INTO wr VALUES (2, NULL)',
    'INSERT INTO wr VALUES (NULL, 2)',
    'INSERT INTO e VALUES (1)',
    "UPDATE t SET n = NULL",
    "UPDATE t SET c = -1",
    "INSERT INTO t(id, n, c) VALUES ('text', 'n', 1)",
    "INSERT INTO t(id, n, c) VALUES (1.25, 'n', 1)",
    "UPDATE t SET id = 'x'",
    'CREATE UNIQUE INDEX dup ON e(x * 0)',
    'INSERT INTO e SELECT 1 UNION ALL SELECT 1',
    'SELECT count(*) FROM e',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

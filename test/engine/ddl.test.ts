// DDL against SQLite as the oracle: what CREATE/DROP store in sqlite_schema
// (exact SQL text, automatic indexes, sqlite_sequence), their errors, and
// CREATE TABLE ... AS SELECT.
import { test } from 'node:test';
import { OraclePair } from './oracle.js';

const SCHEMA = 'SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid';

test('CREATE TABLE and CREATE INDEX store the SQL text and automatic indexes SQLite stores', () => {
  const pair = new OraclePair();
  pair.same('CREATE TABLE IF NOT EXISTS main."My Table" (a INTEGER PRIMARY KEY, b TEXT UNIQUE, c, UNIQUE(b, c))');
  pair.same('create   unique index  IF NOT EXISTS ix on "My Table"(c desc, b collate nocase) where c > 0');
  pair.same('CREATE TABLE w(k TEXT, v, PRIMARY KEY(k, v)) WITHOUT ROWID');
  pair.same('CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, x)');
  pair.same('CREATE TEMP VIEW tv AS SELECT 1');
  pair.same('CREATE VIEW v(x, y) AS SELECT a, b FROM "My Table"');
  pair.same('CREATE TRIGGER tr AFTER INSERT ON w BEGIN SELECT 1; END');
  pair.same(SCHEMA);
  pair.same('SELECT name, rootpage > 0 FROM sqlite_master WHERE type IN (\'table\', \'index\') ORDER BY rowid');
  pair.same('PRAGMA index_list("My Table")');
  pair.same('PRAGMA index_info(ix)');
  pair.same('PRAGMA table_info(w)');
  pair.close();
});

test('DDL name checks and errors read as in SQLite', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE t(a, b); CREATE INDEX i ON t(a); CREATE VIEW v AS SELECT * FROM t');
  for (const sql of [
    'CREATE TABLE t(x)',
    'CREATE TABLE IF NOT EXISTS t(x)',
    'CREATE TABLE v(x)',
    'CREATE TABLE i(x)',
    'CREATE TABLE sqlite_x(a)',
    'CREATE TABLE d(a, a)',
    'CREATE TABLE p(a PRIMARY KEY, b PRIMARY KEY)',
    'CREATE TABLE nr(a) WITHOUT ROWID',
    'CREATE TABLE ai(a TEXT PRIMARY KEY AUTOINCREMENT)',
    'CREATE INDEX i ON t(b)',
    'CREATE INDEX IF NOT EXISTS i ON t(b)',
    'CREATE INDEX t ON t(b)',
    'CREATE INDEX j ON nosuch(a)',
    'CREATE INDEX j ON v(a)',
    'CREATE INDEX j ON t(nosuch)',
    'CREATE INDEX j ON sqlite_master(name)',
    'DROP TABLE nosuch',
    'DROP TABLE IF EXISTS nosuch',
    'DROP TABLE v',
    'DROP VIEW t',
    'DROP VIEW nosuch',
    'DROP INDEX nosuch',
    'DROP TRIGGER nosuch',
    'DROP TABLE sqlite_master',
    'CREATE TRIGGER x BEFORE INSERT ON nosuch BEGIN SELECT 1; END',
    'CREATE TRIGGER x BEFORE INSERT ON v BEGIN SELECT 1; END',
    'CREATE TRIGGER x INSTEAD OF INSERT ON t BEGIN SELECT 1; END',
    'CREATE TRIGGER x BEFORE INSERT ON sqlite_master BEGIN SELECT 1; END',
    'CREATE VIEW v AS SELECT 1',
  ]) {
    pair.same(sql);
  }
  pair.same(SCHEMA);
  pair.close();
});

test('DROP removes the object, its indexes and triggers, and frees its pages', () => {
  const pair = new OraclePair();
  pair.setup(`CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE, c);
    CREATE INDEX tc ON t(c);
    CREATE TABLE keep(x);
    CREATE TRIGGER tt AFTER INSERT ON t BEGIN INSERT INTO keep VALUES (new.a); END;
    INSERT INTO t(b, c) VALUES (1, 2), (3, 4);
    CREATE TABLE t2(a INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t2 VALUES (7);`);
  pair.same('SELECT * FROM sqlite_sequence');
  pair.same('DROP INDEX sqlite_autoindex_t_1');
  pair.same('DROP TABLE t');
  pair.same(SCHEMA);
  pair.same('SELECT * FROM sqlite_sequence');
  pair.same('PRAGMA freelist_count');
  pair.same('INSERT INTO t VALUES (1)');
  pair.same('PRAGMA integrity_check');
  pair.close();
});

test('CREATE TABLE ... AS SELECT stores the generated definition and copies the rows', () => {
  const pair = new OraclePair();
  pair.setup("CREATE TABLE src(i INTEGER, t TEXT, r REAL, n NUMERIC, b BLOB, x); INSERT INTO src VALUES (1, 'a', 1.5, 2, x'01', NULL), (2, 'b', 3, '4', x'02', 'q')");
  pair.same('CREATE TABLE c1 AS SELECT * FROM src');
  pair.same('CREATE TABLE c2 AS SELECT i + 1, t AS "select", r, count(*) AS n FROM src GROUP BY i');
  pair.same('CREATE TABLE a_rather_long_table_name AS SELECT i AS first_long_column, t AS second_long_column FROM src');
  pair.same("SELECT sql FROM sqlite_schema WHERE name IN ('c1', 'c2', 'a_rather_long_table_name')");
  pair.same('SELECT *, typeof(n) FROM c1');
  pair.same('SELECT * FROM c2');
  pair.same('CREATE TABLE c1 AS SELECT 1');
  pair.close();
});

test('views expand at use, with SQLite\'s errors for bad definitions', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2), (3, 4)');
  pair.same('CREATE VIEW v1(x) AS SELECT a, b FROM t');
  pair.same('SELECT * FROM v1');
  pair.same('CREATE VIEW v2 AS SELECT * FROM nosuch');
  pair.same('SELECT * FROM v2');
  pair.same('CREATE VIEW v3 AS SELECT a + b AS s FROM t WHERE a > 1');
  pair.same('SELECT s, typeof(s) FROM v3');
  pair.same('INSERT INTO v3 VALUES (1)');
  pair.same('DROP VIEW v3');
  pair.same('SELECT * FROM v3');
  pair.close();
});

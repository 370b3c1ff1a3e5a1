// ALTER TABLE ... DROP COLUMN compared with SQLite: the rewritten schema
// text, the remaining rows and indexes, SQLite's refusals, and a file that
// SQLite itself opens and checks after the engine dropped a column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { OraclePair } from '../engine/oracle.js';
import { EngineDatabase } from '../engine/engine-database.js';

const SCHEMA = `
  CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c REAL CHECK (c > 0), d DEFAULT 5, e, g, "h h" /* c */ , CHECK (g <> 1));
  CREATE INDEX ie ON t(e); CREATE INDEX ig ON t(d) WHERE g > 0; CREATE INDEX iexpr ON t(b, e + 1);
  CREATE TABLE one(only1);
  CREATE TABLE w(k PRIMARY KEY, m, n, o, UNIQUE (m, n)) WITHOUT ROWID;
  CREATE TABLE fk(x, y, z, FOREIGN KEY (y) REFERENCES one(only1));
  CREATE TABLE last(p, q NOT NULL DEFAULT 1 -- trailing
  );
  CREATE VIEW v AS SELECT a FROM t;
  INSERT INTO t VALUES (1, 'x', 1.5, 7, 3, 2, 'q'), (2, 'y', 2.5, 8, NULL, 3, NULL), (3, 'z', NULL, NULL, 4, 0, 'r');
  INSERT INTO w VALUES (1, 2, 3, 'o1'), (4, 5, 6, 'o2');
  INSERT INTO last VALUES (1, 2), (3, 4);
`;

const SCHEMA_ROWS = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY name";

test('dropping columns rewrites the schema text and the rows as SQLite does', () => {
  const pair = new OraclePair();
  try {
    pair.setup(SCHEMA);
    for (const sql of [
      'ALTER TABLE t DROP COLUMN c',
      'ALTER TABLE t DROP COLUMN "h h"',
      'ALTER TABLE last DROP COLUMN q',
      'ALTER TABLE w DROP COLUMN m',
      'ALTER TABLE w DROP COLUMN o',
      'ALTER TABLE fk DROP COLUMN x',
      'ALTER TABLE t DROP COLUMN a',
      'ALTER TABLE t DROP COLUMN b',
      'ALTER TABLE t DROP COLUMN e',
      'ALTER TABLE t DROP COLUMN g',
      'ALTER TABLE t DROP d',
      'ALTER TABLE t DROP COLUMN nosuch',
      'ALTER TABLE one DROP COLUMN only1',
      'ALTER TABLE v DROP COLUMN a',
      'ALTER TABLE w DROP COLUMN k',
      'ALTER TABLE fk DROP COLUMN y',
      'ALTER TABLE sqlite_schema DROP COLUMN name',
      'ALTER TABLE nosuch DROP COLUMN x',
    ]) {
      pair.same(sql);
      pair.same(SCHEMA_ROWS);
    }
    pair.same('SELECT * FROM t ORDER BY a');
    pair.same('SELECT * FROM t WHERE e = 4');
    pair.same('SELECT * FROM last');
    pair.same('SELECT * FROM w ORDER BY k');
    pair.same('SELECT * FROM fk');
    pair.same("INSERT INTO t(b, d, e, g) VALUES ('new', 1, 9, 5)");
    pair.same('SELECT * FROM t ORDER BY a');
    pair.same("INSERT INTO t(b) VALUES ('x')");
  } finally {
    pair.close();
  }
});

test('SQLite reads and checks a file after the engine dropped a column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-drop-column-'));
  try {
    const file = join(dir, 'db.sqlite');
    const engine = new EngineDatabase(file);
    engine.exec(SCHEMA);
    engine.exec('ALTER TABLE t DROP COLUMN c; ALTER TABLE t DROP COLUMN "h h"; ALTER TABLE w DROP COLUMN o');
    engine.close();
    const sqlite = new Sqlite(file);
    try {
      assert.deepEqual(sqlite.prepare('PRAGMA integrity_check').raw(true).all(), [['ok']]);
      assert.deepEqual(sqlite.prepare('SELECT * FROM t ORDER BY a').raw(true).all(), [[1, 'x', 7, 3, 2], [2, 'y', 8, null, 3], [3, 'z', null, 4, 0]]);
      assert.deepEqual(sqlite.prepare('SELECT * FROM w ORDER BY k').raw(true).all(), [[1, 2, 3], [4, 5, 6]]);
    } finally {
      sqlite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

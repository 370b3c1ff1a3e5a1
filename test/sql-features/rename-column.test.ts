// ALTER TABLE ... RENAME COLUMN compared with SQLite: the edited schema
// text of the table, its indexes and the tables whose foreign keys refer
// to it, quoting of the new name, SQLite's errors, and a file SQLite opens
// and checks after the engine renamed columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { OraclePair } from '../engine/oracle.js';
import { EngineDatabase } from '../engine/engine-database.js';

const SCHEMA = `
  CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c REAL CHECK (c > 0 AND t.c < 100), d DEFAULT 5, e, g, "h h" /* c */ , CHECK (g <> 1), UNIQUE (d, e));
  CREATE INDEX ie ON t(e DESC); CREATE INDEX ig ON t(d) WHERE g > 0; CREATE INDEX iexpr ON t(b, e + 1, abs(g));
  CREATE TABLE p(x PRIMARY KEY, y, FOREIGN KEY (y) REFERENCES p(x));
  CREATE TABLE ch(y REFERENCES p(x), z, FOREIGN KEY (z, y) REFERENCES p(y, x));
  CREATE VIEW v AS SELECT a FROM t;
  INSERT INTO t VALUES (1, 'x', 1.5, 7, 3, 2, 'q'), (2, 'y', 2.5, 8, NULL, 3, NULL);
  INSERT INTO p VALUES (1, NULL);
`;

const SCHEMA_ROWS = 'SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name';

test('renaming columns edits every stored text as SQLite does', () => {
  const pair = new OraclePair();
  try {
    pair.setup(SCHEMA);
    for (const sql of [
      'ALTER TABLE t RENAME COLUMN e TO ee',
      'ALTER TABLE t RENAME COLUMN ee TO "E 2"',
      'ALTER TABLE t RENAME COLUMN "h h" TO hh',
      'ALTER TABLE t RENAME g TO "select"',
      'ALTER TABLE t RENAME COLUMN C TO cc',
      'ALTER TABLE t RENAME COLUMN d TO D',
      'ALTER TABLE p RENAME COLUMN x TO xx',
      'ALTER TABLE p RENAME COLUMN y TO [y y]',
      'ALTER TABLE t RENAME COLUMN b TO a',
      'ALTER TABLE t RENAME COLUMN nosuch TO z',
      'ALTER TABLE v RENAME COLUMN a TO z',
      'ALTER TABLE sqlite_schema RENAME COLUMN name TO n2',
      'ALTER TABLE nosuch RENAME COLUMN a TO b',
    ]) {
      pair.same(sql);
      pair.same(SCHEMA_ROWS);
    }
    pair.same('SELECT * FROM t ORDER BY a');
    pair.same('SELECT cc, "E 2", "select", hh FROM t WHERE "E 2" + 1 = 4');
    pair.same("INSERT INTO t(b, cc) VALUES ('z', 200)");
    pair.same("INSERT INTO t(b, cc, D, \"E 2\") VALUES ('w', 2, 7, 3)");
    pair.same('SELECT * FROM t ORDER BY a');
  } finally {
    pair.close();
  }
});

test('SQLite reads and checks a file after the engine renamed columns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-rename-column-'));
  try {
    const file = join(dir, 'db.sqlite');
    const engine = new EngineDatabase(file);
    engine.exec(SCHEMA);
    engine.exec('ALTER TABLE t RENAME COLUMN e TO ee; ALTER TABLE p RENAME COLUMN x TO xx');
    engine.close();
    const sqlite = new Sqlite(file);
    try {
      assert.deepEqual(sqlite.prepare('PRAGMA integrity_check').raw(true).all(), [['ok']]);
      assert.deepEqual(sqlite.prepare('SELECT a, ee FROM t WHERE ee = 3').raw(true).all(), [[1, 3]]);
      assert.deepEqual(sqlite.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ch'").pluck().get(), 'CREATE TABLE ch(y REFERENCES p(xx), z, FOREIGN KEY (z, y) REFERENCES p(y, xx))');
    } finally {
      sqlite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Schema changes between connections on one file: a statement prepared
// after another connection's DDL sees the new schema, and a statement
// prepared before it re-prepares transparently on its next execution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { EngineDatabase } from './engine-database.js';

function freshPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'shoal-engine-')), 'db.sqlite');
}

test('DDL in one connection is seen by statements prepared afterwards in another', () => {
  const path = freshPath();
  const writer = new EngineDatabase(path);
  const reader = new EngineDatabase(path);
  assert.throws(() => reader.prepare('SELECT * FROM t'), { code: 'SQLITE_ERROR', message: 'no such table: t' });
  writer.exec("CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'one')");
  assert.deepEqual(reader.prepare('SELECT * FROM t').raw().all(), [[1, 'one']]);
  writer.exec('CREATE INDEX tb ON t(b)');
  assert.deepEqual(reader.prepare("SELECT a FROM t WHERE b = 'one'").raw().all(), [[1]]);
  writer.close();
  reader.close();
});

test('a statement prepared before a schema change re-prepares transparently', () => {
  const path = freshPath();
  const writer = new EngineDatabase(path);
  const reader = new EngineDatabase(path);
  writer.exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b); INSERT INTO t VALUES (1, 'old')");
  const select = reader.prepare('SELECT * FROM t WHERE a = 1').raw();
  const insert = reader.prepare("INSERT INTO t(a, b) VALUES (2, 'two')");
  assert.deepEqual(select.all(), [[1, 'old']]);
  writer.exec("DROP TABLE t; CREATE TABLE t(a INTEGER PRIMARY KEY, b, c DEFAULT 'new'); INSERT INTO t VALUES (1, 'x', 'y')");
  assert.deepEqual(select.all(), [[1, 'x', 'y']]);
  assert.deepEqual(insert.run(), { changes: 1, lastInsertRowid: 2 });
  assert.deepEqual(writer.prepare('SELECT * FROM t ORDER BY a').raw().all(), [[1, 'x', 'y'], [2, 'two', 'new']]);
  writer.exec('DROP TABLE t');
  assert.throws(() => select.all(), { code: 'SQLITE_ERROR', message: 'no such table: t' });
  writer.close();
  reader.close();
});

test('SQLite reads the files the engine writes, and the engine reads SQLite\'s', () => {
  const path = freshPath();
  const script = `CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT UNIQUE, c REAL);
    CREATE INDEX tc ON t(c DESC);
    CREATE TABLE w(k, v, PRIMARY KEY(k)) WITHOUT ROWID;
    CREATE VIEW v AS SELECT b FROM t;
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO w VALUES (new.a, new.b); END;`;
  const changes = 'DELETE FROM t WHERE a % 7 = 0; UPDATE t SET c = -c WHERE a % 5 = 0; PRAGMA user_version = 3';
  const engine = new EngineDatabase(path);
  const oracle = new Sqlite(':memory:');
  for (const db of [engine, oracle]) {
    db.exec(script);
    const insert = db.prepare('INSERT INTO t(b, c) VALUES (?, ?)');
    for (let i = 0; i < 500; i++) insert.run(`row ${i} ${'x'.repeat(i % 50)}`, i / 4);
    db.exec(changes);
  }
  engine.close();

  const queries = ['SELECT count(*), sum(c), max(a) FROM t', 'SELECT * FROM w ORDER BY k', 'SELECT * FROM v ORDER BY b', 'SELECT * FROM sqlite_schema'];
  const sqlite = new Sqlite(path);
  assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
  for (const sql of queries) assert.deepEqual(sqlite.prepare(sql).raw().all(), oracle.prepare(sql).raw().all(), sql);
  assert.equal(sqlite.pragma('user_version', { simple: true }), 3);
  sqlite.exec("INSERT INTO t(b, c) VALUES ('from sqlite', 1); CREATE TABLE s(x); INSERT INTO s VALUES (42); CREATE INDEX sx ON s(x)");
  sqlite.close();
  oracle.close();

  const again = new EngineDatabase(path);
  assert.deepEqual(again.prepare("SELECT a, c FROM t WHERE b = 'from sqlite'").raw().all(), [[501, 1]]);
  assert.deepEqual(again.prepare('SELECT x FROM s WHERE x = 42').raw().all(), [[42]]);
  assert.deepEqual(again.prepare('SELECT * FROM sqlite_sequence').raw().all(), [['t', 501]]);
  assert.deepEqual(again.prepare('PRAGMA integrity_check').raw().all(), [['ok']]);
  again.close();
});

// PRAGMAs and EXPLAIN QUERY PLAN against SQLite (plan rows compare on their
// detail text; SQLite's ids are bytecode addresses).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OraclePair } from './oracle.js';
import { EngineDatabase } from './engine-database.js';

test('schema, header and setting pragmas return what SQLite returns', () => {
  const pair = new OraclePair();
  pair.setup("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', c UNIQUE); CREATE INDEX tb ON t(b, c DESC); INSERT INTO t VALUES (1, 'a', 2)");
  for (const sql of [
    'PRAGMA table_info(t)',
    'PRAGMA table_info(nosuch)',
    'PRAGMA index_list(t)',
    'PRAGMA index_info(tb)',
    'SELECT * FROM pragma_table_info(\'t\')',
    'PRAGMA user_version',
    'PRAGMA user_version = 42',
    'PRAGMA user_version',
    'PRAGMA application_id = 7',
    'PRAGMA application_id',
    'PRAGMA schema_version',
    'PRAGMA journal_mode',
    'PRAGMA cache_size',
    'PRAGMA cache_size = 500',
    'PRAGMA cache_size',
    'PRAGMA page_size',
    'PRAGMA page_count',
    'PRAGMA freelist_count',
    'PRAGMA foreign_keys',
    'PRAGMA foreign_keys = OFF',
    'PRAGMA foreign_keys',
    'PRAGMA busy_timeout = 1234',
    'PRAGMA busy_timeout',
    'PRAGMA wal_autocheckpoint = 77',
    'PRAGMA wal_autocheckpoint',
    'PRAGMA wal_checkpoint(TRUNCATE)',
    'PRAGMA integrity_check',
    'PRAGMA quick_check',
    'PRAGMA encoding',
    'PRAGMA no_such_pragma',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('journal_mode is wal for files, synchronous and wal_checkpoint report their values', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'shoal-engine-')), 'p.db');
  const db = new EngineDatabase(path);
  const one = (sql: string) => db.prepare(sql).raw().all();
  assert.deepEqual(one('PRAGMA journal_mode'), [['wal']]);
  assert.deepEqual(one('PRAGMA journal_mode = DELETE'), [['wal']]);
  db.exec('PRAGMA synchronous = FULL');
  assert.deepEqual(one('PRAGMA synchronous'), [[2]]);
  db.exec('PRAGMA synchronous = OFF');
  assert.deepEqual(one('PRAGMA synchronous'), [[0]]);
  db.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1)');
  const [[busy, log, checkpointed]] = one('PRAGMA wal_checkpoint(PASSIVE)') as number[][];
  assert.equal(busy, 0);
  assert.ok(log > 0);
  assert.equal(checkpointed, log);
  assert.deepEqual(one('PRAGMA wal_checkpoint(TRUNCATE)'), [[0, 0, 0]]);
  db.close();
});

test('EXPLAIN QUERY PLAN details match SQLite for scans and searches', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE t(a INTEGER PRIMARY KEY, b, c); CREATE INDEX tb ON t(b); CREATE TABLE u(x, y); CREATE INDEX uxy ON u(x, y)');
  for (const sql of [
    'SELECT * FROM t',
    'SELECT * FROM t WHERE a = 1',
    'SELECT * FROM t WHERE a > 1 AND a < 9',
    'SELECT * FROM t WHERE b = 1',
    'SELECT b FROM t WHERE b > 1',
    'SELECT * FROM u WHERE x = 1 AND y > 2',
    'SELECT * FROM u WHERE x IN (1, 2)',
    'SELECT * FROM t WHERE c = 1',
    'UPDATE t SET c = 1 WHERE a = 2',
  ]) {
    const details = (db: { prepare(s: string): { raw(on: boolean): { all(): unknown[][] } } }) =>
      db.prepare(`EXPLAIN QUERY PLAN ${sql}`).raw(true).all().map((row) => row[3]);
    assert.deepEqual(details(pair.engine as never), details(pair.sqlite as never), sql);
  }
  pair.close();
});

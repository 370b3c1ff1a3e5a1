// Transactions against SQLite: autocommit, BEGIN variants, COMMIT/END,
// ROLLBACK, nested savepoints, and statement-level atomicity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OraclePair } from './oracle.js';
import { EngineDatabase } from './engine-database.js';

test('BEGIN/COMMIT/ROLLBACK and their misuse errors', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE t(a)');
  for (const sql of [
    'COMMIT',
    'ROLLBACK',
    'BEGIN',
    'BEGIN',
    'INSERT INTO t VALUES (1)',
    'ROLLBACK',
    'BEGIN IMMEDIATE',
    'INSERT INTO t VALUES (2)',
    'END',
    'BEGIN EXCLUSIVE',
    'INSERT INTO t VALUES (3)',
    'COMMIT TRANSACTION',
    'BEGIN DEFERRED TRANSACTION',
    'SELECT * FROM t',
    'COMMIT',
    'SELECT * FROM t',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('nested savepoints: ROLLBACK TO keeps the savepoint, RELEASE of the outermost commits', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE t(a)');
  for (const sql of [
    'RELEASE nosuch',
    'SAVEPOINT one',
    'INSERT INTO t VALUES (1)',
    'SAVEPOINT two',
    'INSERT INTO t VALUES (2)',
    'SAVEPOINT three',
    'INSERT INTO t VALUES (3)',
    'ROLLBACK TO two',
    'SELECT * FROM t',
    'INSERT INTO t VALUES (4)',
    'ROLLBACK TO TRANSACTION SAVEPOINT two',
    'ROLLBACK TO three',
    'INSERT INTO t VALUES (5)',
    'RELEASE SAVEPOINT one',
    'ROLLBACK',
    'SELECT * FROM t',
    'BEGIN',
    'SAVEPOINT s',
    'CREATE TABLE inner_t(x)',
    'ROLLBACK TO s',
    'SELECT * FROM inner_t',
    'CREATE TABLE kept(x)',
    'COMMIT',
    'SELECT name FROM sqlite_schema',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('a failing statement undoes only its own changes', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE t(a UNIQUE)');
  for (const sql of [
    'INSERT INTO t VALUES (1), (2), (1)',
    'SELECT * FROM t',
    'BEGIN',
    'INSERT INTO t VALUES (3)',
    'INSERT INTO t VALUES (4), (3)',
    'UPDATE t SET a = 5',
    'SELECT * FROM t',
    'COMMIT',
    'SELECT * FROM t',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('UPDATE and DELETE that fail after writing a row undo it inside a transaction', () => {
  const pair = new OraclePair();
  pair.setup('CREATE TABLE t(id INTEGER PRIMARY KEY, a UNIQUE, b); INSERT INTO t VALUES (1, 1, 10), (2, 2, 20), (3, 3, 30)');
  pair.setup("CREATE TABLE log(x); CREATE TRIGGER guard BEFORE DELETE ON t WHEN old.id = 3 BEGIN SELECT RAISE(ABORT, 'keep three'); END");
  for (const sql of [
    'BEGIN',
    'UPDATE t SET b = b + 1 WHERE id = 1',
    'UPDATE t SET a = 2 WHERE id = 1',
    'UPDATE t SET b = -1 WHERE id = 2 RETURNING abs(-9223372036854775808)',
    'DELETE FROM t WHERE id = 1 RETURNING abs(-9223372036854775808)',
    'DELETE FROM t WHERE id >= 2',
    'UPDATE t SET a = a + 1',
    'SELECT * FROM t',
    'COMMIT',
    'SELECT * FROM t',
  ]) {
    pair.same(sql);
  }
  pair.close();
});

test('inTransaction follows BEGIN, SAVEPOINT and their ends; a reader holds its snapshot until done', () => {
  const db = new EngineDatabase();
  db.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3)');
  assert.equal(db.inTransaction, false);
  db.exec('BEGIN');
  assert.equal(db.inTransaction, true);
  db.exec('COMMIT');
  assert.equal(db.inTransaction, false);
  db.exec('SAVEPOINT x');
  assert.equal(db.inTransaction, true);
  db.exec('RELEASE x');
  assert.equal(db.inTransaction, false);
  const rows = db.prepare('SELECT a FROM t').raw().iterate();
  assert.deepEqual(rows.next().value, [1]);
  db.exec('INSERT INTO t VALUES (4)');
  assert.deepEqual([...rows], [[2], [3], [4]]);
  assert.deepEqual(db.prepare('SELECT count(*) FROM t').raw().all(), [[4]]);
  db.close();
});

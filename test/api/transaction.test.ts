// db.transaction(): commit, rollback on throw, nesting through savepoints,
// the BEGIN variants, the promise guard and argument errors, each compared
// with better-sqlite3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from '../../src/index.js';
import { assertSameAsSqlite, outcomeOf } from './oracle.js';

const values = (db: Database): unknown[] => db.prepare('SELECT x FROM t ORDER BY x').pluck().all();

test('a transaction commits, passes arguments and this, and returns the result', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(x)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const insertMany = db.transaction(function (this: unknown, ...xs: number[]) {
      for (const x of xs) insert.run(x);
      return { inside: db.inTransaction, self: this };
    });
    const result = insertMany.call('receiver', 1, 2, 3);
    return { result, after: db.inTransaction, rows: values(db), database: insertMany.database === db };
  });
});

test('a throwing transaction rolls back and rethrows', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(x)');
    const failing = db.transaction((x: number) => {
      db.prepare('INSERT INTO t VALUES (?)').run(x);
      throw new RangeError('stop');
    });
    return { failure: outcomeOf(() => failing(1)), inTransaction: db.inTransaction, rows: values(db) };
  });
});

test('nested transactions use savepoints: an inner failure undoes only the inner work', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(x)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const inner = db.transaction((x: number) => {
      insert.run(x);
      if (x < 0) throw new Error('negative');
    });
    const outer = db.transaction(() => {
      insert.run(1);
      inner(2);
      const failure = outcomeOf(() => inner(-3));
      insert.run(4);
      return failure;
    });
    return { failure: outer(), rows: values(db), inTransaction: db.inTransaction };
  });
});

test('deferred, immediate and exclusive variants begin and commit', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(x)');
    const insert = db.transaction((x: number) => db.prepare('INSERT INTO t VALUES (?)').run(x).changes);
    return [insert(1), insert.deferred(2), insert.immediate(3), insert.exclusive(4), insert.default(5), (insert.immediate as unknown as typeof insert).deferred(6), values(db)];
  });
});

test('a transaction function that returns a promise is refused and rolled back', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(x)');
    const asyncFn = db.transaction(async () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
    });
    return { failure: outcomeOf(() => asyncFn()), rows: values(db), inTransaction: db.inTransaction };
  });
});

test('argument errors and a transaction after manual COMMIT inside', () => {
  assertSameAsSqlite((db) => db.transaction(5 as unknown as () => void));
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(x)');
    const early = db.transaction(() => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      db.exec('COMMIT');
    });
    return { failure: outcomeOf(() => early()), rows: values(db) };
  });
});

test('the variants are non-enumerable and database is enumerable', () => {
  const db = new Database(':memory:');
  const fn = db.transaction(() => 1);
  assert.deepEqual(Object.keys(fn), ['database']);
  assert.equal(typeof fn.deferred, 'function');
  db.close();
});

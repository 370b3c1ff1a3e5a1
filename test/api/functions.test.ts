// User-defined functions and aggregates (db.function, db.aggregate):
// results, argument counts, safe integers, errors and re-entrancy, compared
// with better-sqlite3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from '../../src/index.js';
import { assertSameAsSqlite, outcomeOf } from './oracle.js';

test('scalar functions receive SQL values and return SQL values', () => {
  assertSameAsSqlite((db) => {
    db.function('add2', (a, b) => (a as number) + (b as number));
    db.function('kind', { deterministic: true }, (v) => (v === null ? 'null' : Buffer.isBuffer(v) ? 'buffer' : typeof v));
    db.function('nothing', () => undefined);
    db.function('bytes', () => Buffer.from('hi'));
    db.function('big', () => 5n);
    db.function('count_args', { varargs: true }, (...args) => args.length);
    return db
      .prepare("SELECT add2(1, 2) AS a, typeof(add2(1, 2)) AS ta, kind(1) AS k1, kind(1.5) AS k2, kind('s') AS k3, kind(NULL) AS k4, kind(x'00') AS k5, nothing() AS n, bytes() AS b, big() AS g, typeof(big()) AS tg, count_args(1, 2, 3) AS c")
      .get();
  });
});

test('function argument counts are checked by SQL', () => {
  assertSameAsSqlite((db) => {
    db.function('one', (a) => a);
    return db.prepare('SELECT one(1, 2)').get();
  });
});

test('safeIntegers for functions: per function and from the database default', () => {
  assertSameAsSqlite((db) => {
    db.function('t1', { safeIntegers: true }, (v) => typeof v);
    db.function('t2', (v) => typeof v);
    db.defaultSafeIntegers(true);
    db.function('t3', (v) => typeof v);
    db.defaultSafeIntegers(false);
    return db.prepare('SELECT t1(1) AS a, t2(1) AS b, t3(1) AS c').get();
  });
});

test('invalid return values and thrown errors reach the caller', () => {
  for (const returned of [true, {}, [1], 2n ** 64n, () => 1]) {
    assertSameAsSqlite((db) => {
      db.function('bad', () => returned);
      return db.prepare('SELECT bad()').get();
    }, String(returned));
  }
  const db = new Database(':memory:');
  const thrown = new Error('from js');
  db.function('fails', () => {
    throw thrown;
  });
  assert.equal(outcomeOf(() => db.prepare('SELECT fails()').get()).constructor, Object);
  assert.throws(() => db.prepare('SELECT fails()').get(), (error) => error === thrown);
  db.close();
});

test('a function cannot use its own connection while the query runs', () => {
  assertSameAsSqlite((db) => {
    db.function('reenter', () => db.prepare('SELECT 1').pluck().get() as number);
    return db.prepare('SELECT reenter()').get();
  });
});

test('function() argument errors match better-sqlite3', () => {
  const cases: unknown[][] = [
    [5, () => 1],
    ['f'],
    ['f', 5, () => 1],
    ['', () => 1],
    ['f', { varargs: 1 }, () => 1],
    ['f', { deterministic: 'yes' }, () => 1],
    ['f', { safeIntegers: null }, () => 1],
    ['f', { directOnly: 0 }, () => 1],
    ['f', new Function(...Array.from({ length: 101 }, (_, k) => `a${k}`), 'return 1')],
  ];
  for (const args of cases) {
    assertSameAsSqlite((db) => (db.function as (...a: unknown[]) => unknown).apply(db, args), JSON.stringify(args));
  }
});

test('aggregates: start value or factory, step, result, varargs, and undefined keeps the total', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(g, v); INSERT INTO t VALUES (1, 2), (1, 3), (2, 10), (2, NULL)');
    db.aggregate('total_of', { start: 0, step: (total, v) => total + ((v as number | null) ?? 0) });
    db.aggregate('collect', { start: () => [] as unknown[], step: (list, v) => { list.push(v); }, result: (list) => JSON.stringify(list) });
    db.aggregate('pairs', { start: 0, varargs: true, step: (total, ...args) => total + args.length });
    db.aggregate('never', { step: () => undefined });
    return db.prepare('SELECT g, total_of(v) AS s, collect(v) AS c, pairs(v, v) AS p, never(v) AS n FROM t GROUP BY g ORDER BY g').all();
  });
});

test('window aggregates with inverse', () => {
  assertSameAsSqlite((db) => {
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3), (4)');
    db.aggregate('winsum', { start: 0, step: (t, x) => t + (x as number), inverse: (t, x) => t - (x as number) });
    return db.prepare('SELECT x, winsum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w FROM t').all();
  });
});

test('aggregate() argument errors match better-sqlite3', () => {
  const cases: unknown[][] = [
    [5, { step: () => 1 }],
    ['a', null],
    ['a', 5],
    ['', { step: () => 1 }],
    ['a', {}],
    ['a', { step: 5 }],
    ['a', { step: () => 1, inverse: 'x' }],
    ['a', { step: () => 1, result: 1 }],
    ['a', { step: () => 1, varargs: 'x' }],
  ];
  for (const args of cases) {
    assertSameAsSqlite((db) => (db.aggregate as (...a: unknown[]) => unknown).apply(db, args), JSON.stringify(args));
  }
});

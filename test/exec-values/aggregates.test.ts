/**
 * Aggregates against SQLite: each aggregate over seeded random columns of
 * mixed values (run through a real table in SQLite), overflow errors, and
 * DISTINCT wrapping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctAccumulator } from '../../src/exec/functions/aggregates.js';
import { lookupFunction } from '../../src/exec/functions/registry.js';
import type { Accumulator, AggregateFunctionDef } from '../../src/exec/functions/function-types.js';
import { compareNoCase } from '../../src/exec/values/collation.js';
import { SqlReal, type SqlValue } from '../../src/exec/values/value.js';
import { bindable, db, outcomeOf, seededRandom, testCall, valuePool } from './oracle.js';

function aggregate(name: string, rows: SqlValue[][], wrap?: (a: Accumulator) => Accumulator, argCount = rows[0]?.length ?? 1): SqlValue {
  const def = lookupFunction(name, argCount) as AggregateFunctionDef;
  assert.equal(def.kind, 'aggregate');
  const acc = wrap ? wrap(def.create()) : def.create();
  const call = testCall(argCount);
  for (const row of rows) acc.step(row, call);
  return acc.result();
}

function oracleAggregate(sql: string, rows: SqlValue[][]): string {
  db.exec('DROP TABLE IF EXISTS agg; CREATE TABLE agg(a, b)');
  const insert = db.prepare('INSERT INTO agg VALUES (?, ?)');
  for (const row of rows) insert.run(bindable(row[0] ?? null), bindable(row[1] ?? null));
  try {
    const [v, t] = db.prepare(`SELECT v, typeof(v) FROM (SELECT ${sql} AS v FROM agg)`).raw(true).safeIntegers(true).get() as [unknown, string];
    return outcomeOf(() => (typeof v === 'bigint' ? (v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v) : t === 'real' ? (Number.isInteger(v) ? new SqlReal(v as number) : (v as number)) : v instanceof Buffer ? new Uint8Array(v) : (v as SqlValue)));
  } catch (e) {
    return `error:${(e as Error).message}`;
  }
}

test('aggregates match SQLite over random mixed columns', () => {
  const random = seededRandom(99);
  const numeric: SqlValue[] = [null, 1, 2, -3, 1.5, 0.1, '7', 'x', new SqlReal(2), 9007199254740991, 4611686018427387904n, -4611686018427387904n, new SqlReal(1e20)];
  const failures: string[] = [];
  for (let round = 0; round < 150; round++) {
    const pool = round % 2 === 0 ? numeric : valuePool;
    const n = Math.floor(random() * 12);
    const rows: SqlValue[][] = [];
    for (let i = 0; i < n; i++) rows.push([pool[Math.floor(random() * pool.length)]!, pick(random, [',', '-', null, 1])]);
    const cases: [string, string, SqlValue[][], number][] = [
      ['count(*)', 'count', rows.map(() => []), 0],
      ['count(a)', 'count', rows.map((r) => [r[0]!]), 1],
      ['sum(a)', 'sum', rows.map((r) => [r[0]!]), 1],
      ['total(a)', 'total', rows.map((r) => [r[0]!]), 1],
      ['avg(a)', 'avg', rows.map((r) => [r[0]!]), 1],
      ['min(a)', 'min', rows.map((r) => [r[0]!]), 1],
      ['max(a)', 'max', rows.map((r) => [r[0]!]), 1],
      ['group_concat(a)', 'group_concat', rows.map((r) => [r[0]!]), 1],
      ['group_concat(a, b)', 'group_concat', rows, 2],
      ['string_agg(a, b)', 'string_agg', rows, 2],
    ];
    for (const [sql, name, args, argCount] of cases) {
      const expected = oracleAggregate(sql, rows);
      const actual = outcomeOf(() => aggregate(name, args, undefined, argCount));
      if (actual !== expected) failures.push(`${sql} over ${JSON.stringify(rows.map((r) => outcomeOf(() => r[0]!)))}: got ${actual}, want ${expected}`);
    }
  }
  assert.deepEqual(failures.slice(0, 20), []);
});

function pick<T>(random: () => number, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}

test('sum raises integer overflow; total and avg do not', () => {
  const rows: SqlValue[][] = [[9223372036854775807n], [1]];
  assert.equal(outcomeOf(() => aggregate('sum', rows)), oracleAggregate('sum(a)', rows));
  assert.equal(outcomeOf(() => aggregate('sum', rows)), 'error:integer overflow');
  assert.equal(outcomeOf(() => aggregate('total', rows)), oracleAggregate('total(a)', rows));
  assert.equal(outcomeOf(() => aggregate('avg', rows)), oracleAggregate('avg(a)', rows));
  const recovered: SqlValue[][] = [[9223372036854775807n], [1], [0.5]];
  assert.equal(outcomeOf(() => aggregate('sum', recovered)), oracleAggregate('sum(a)', recovered));
});

test('DISTINCT wrapping counts equal values once, under the collation', () => {
  const rows: SqlValue[][] = [[1], [new SqlReal(1)], ['a'], ['A'], [null], ['a '], [2]];
  assert.equal(outcomeOf(() => aggregate('count', rows, (a) => distinctAccumulator(a))), oracleAggregate('count(DISTINCT a)', rows));
  assert.equal(
    outcomeOf(() => aggregate('count', rows, (a) => distinctAccumulator(a, compareNoCase))),
    oracleAggregate('count(DISTINCT a COLLATE NOCASE)', rows),
  );
  assert.equal(outcomeOf(() => aggregate('sum', rows, (a) => distinctAccumulator(a))), oracleAggregate('sum(DISTINCT a)', rows));
});

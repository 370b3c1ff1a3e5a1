/**
 * Differential tests of CAST, column affinity, comparison affinity,
 * REAL-to-TEXT rendering and text-to-number parsing against SQLite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Affinity, affinityOfDeclaredType, applyAffinity, comparisonAffinity,
} from '../../src/exec/values/affinity.js';
import { compareWithAffinity } from '../../src/exec/values/compare.js';
import { castToBlob, castToInteger, castToNumeric, castToReal, castToText, toText } from '../../src/exec/values/conversions.js';
import { SqlReal, type SqlValue } from '../../src/exec/values/value.js';
import { db, literal, oracle, outcomeOf, seededRandom, valuePool } from './oracle.js';

test('CAST to every type matches SQLite for the value pool', () => {
  const casts: [string, (v: SqlValue) => SqlValue][] = [
    ['INTEGER', castToInteger],
    ['REAL', castToReal],
    ['TEXT', castToText],
    ['BLOB', castToBlob],
    ['NUMERIC', castToNumeric],
  ];
  const failures: string[] = [];
  for (const [type, fn] of casts) {
    for (const v of valuePool) {
      const expected = oracle(`CAST(? AS ${type})`, [v]);
      const actual = outcomeOf(() => fn(v));
      if (actual !== expected) failures.push(`CAST(${String(v)} AS ${type}): got ${actual}, want ${expected}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('CAST of generated numeric text matches SQLite', () => {
  const random = seededRandom(7);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const failures: string[] = [];
  for (let i = 0; i < 3000; i++) {
    let s = pick(['', ' ', '  ', '\t']) + pick(['', '-', '+']);
    const digits = Math.floor(random() * 22);
    for (let d = 0; d < digits; d++) s += String(Math.floor(random() * 10));
    if (random() < 0.5) {
      s += '.';
      const frac = Math.floor(random() * 20);
      for (let d = 0; d < frac; d++) s += String(Math.floor(random() * 10));
    }
    if (random() < 0.3) s += pick(['e', 'E']) + pick(['', '-', '+']) + String(Math.floor(random() * 400));
    s += pick(['', '', ' ', 'x', ' 1', '.', 'e']);
    for (const type of ['INTEGER', 'REAL', 'NUMERIC']) {
      const fn = type === 'INTEGER' ? castToInteger : type === 'REAL' ? castToReal : castToNumeric;
      const expected = oracle(`CAST(? AS ${type})`, [s]);
      const actual = outcomeOf(() => fn(s));
      if (actual !== expected) failures.push(`CAST('${s}' AS ${type}): got ${actual}, want ${expected}`);
    }
  }
  assert.deepEqual(failures.slice(0, 20), []);
});

test('declared types map to SQLite affinities', () => {
  const cases: [string | null, number][] = [
    [null, Affinity.BLOB], ['', Affinity.BLOB], ['INT', Affinity.INTEGER], ['integer', Affinity.INTEGER],
    ['BIGINT', Affinity.INTEGER], ['VARCHAR(10)', Affinity.TEXT], ['CLOB', Affinity.TEXT], ['text', Affinity.TEXT],
    ['BLOB', Affinity.BLOB], ['REAL', Affinity.REAL], ['DOUBLE PRECISION', Affinity.REAL], ['FLOAT', Affinity.REAL],
    ['NUMERIC', Affinity.NUMERIC], ['DECIMAL(10,2)', Affinity.NUMERIC], ['BOOLEAN', Affinity.NUMERIC],
    ['DATETIME', Affinity.NUMERIC], ['FLOATING POINT', Affinity.INTEGER], ['CHARINT', Affinity.INTEGER],
    ['TEXTBLOB', Affinity.TEXT], ['BLOBTEXT', Affinity.TEXT], ['STRING', Affinity.NUMERIC], ['POINT', Affinity.INTEGER],
  ];
  for (const [declared, affinity] of cases) assert.equal(affinityOfDeclaredType(declared), affinity, String(declared));
});

const columns: [string, string][] = [
  ['i', 'INTEGER'], ['r', 'REAL'], ['n', 'NUMERIC'], ['t', 'TEXT'], ['b', 'BLOB'], ['x', ''],
];

test('storing under each column affinity matches SQLite', () => {
  db.exec(`CREATE TABLE aff(${columns.map(([c, t]) => `${c} ${t}`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO aff VALUES (${columns.map(() => '?').join(', ')})`);
  const failures: string[] = [];
  for (const v of valuePool) {
    db.exec('DELETE FROM aff');
    const bound = outcomeOf(() => v);
    insert.run(...columns.map(() => bindValue(v)));
    for (const [c, t] of columns) {
      const expected = oracle(`(SELECT ${c} FROM aff)`);
      const actual = outcomeOf(() => applyAffinity(v, affinityOfDeclaredType(t)));
      if (actual !== expected) failures.push(`${bound} into ${t || 'untyped'}: got ${actual}, want ${expected}`);
    }
  }
  db.exec('DROP TABLE aff');
  assert.deepEqual(failures, []);
});

function bindValue(v: SqlValue): unknown {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (v instanceof SqlReal) return v.value;
  if (v instanceof Uint8Array) return Buffer.from(v);
  return v;
}

test('comparisons between columns and values apply SQLite comparison affinity', () => {
  db.exec(`CREATE TABLE cmp(${columns.map(([c, t]) => `${c} ${t}`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO cmp VALUES (${columns.map(() => '?').join(', ')})`);
  const sample = valuePool.filter((_, i) => i % 2 === 0);
  const failures: string[] = [];
  for (const stored of sample) {
    db.exec('DELETE FROM cmp');
    insert.run(...columns.map(() => bindValue(stored)));
    for (const [c, t] of columns) {
      const colAffinity = affinityOfDeclaredType(t);
      const columnValue = applyAffinity(stored, colAffinity);
      for (const other of sample) {
        if (columnValue === null || other === null) continue;
        const expected = oracle(`(SELECT ${c} < ${literal(other)} FROM cmp)`);
        const affinity = comparisonAffinity(colAffinity, Affinity.NONE);
        const actual = outcomeOf(() => (compareWithAffinity(columnValue, other, affinity) < 0 ? 1 : 0));
        if (actual !== expected) failures.push(`${c} ${t} holding ${String(stored)} < ${literal(other)}: got ${actual}, want ${expected}`);
      }
    }
  }
  db.exec('DROP TABLE cmp');
  assert.deepEqual(failures.slice(0, 20), []);
});

test('REAL to TEXT matches SQLite for 20000 generated doubles', () => {
  const random = seededRandom(11);
  const view = new DataView(new ArrayBuffer(8));
  const failures: string[] = [];
  for (let i = 0; i < 20000; i++) {
    let d: number;
    const kind = random();
    if (kind < 0.4) {
      view.setUint32(0, Math.floor(random() * 2 ** 32));
      view.setUint32(4, Math.floor(random() * 2 ** 32));
      d = view.getFloat64(0);
      if (!Number.isFinite(d)) continue;
    } else if (kind < 0.7) {
      d = Math.round(random() * 1e6) / 10 ** Math.floor(random() * 12);
    } else {
      d = (random() - 0.5) * 10 ** Math.floor(random() * 44 - 22);
    }
    const v = Number.isInteger(d) ? new SqlReal(d) : d;
    const expected = oracle('CAST(? AS TEXT)', [v]);
    const actual = outcomeOf(() => toText(v));
    if (actual !== expected) failures.push(`${d}: got ${actual}, want ${expected}`);
  }
  assert.deepEqual(failures.slice(0, 20), []);
});

test('REAL to TEXT renders SQLite spellings', () => {
  const cases: [number, string][] = [
    [1, '1.0'], [-0, '0.0'], [0.1, '0.1'], [1e20, '1.0e+20'], [1e16, '10000000000000000.0'], [1e17, '1.0e+17'],
    [1e-5, '1.0e-05'], [123e-7, '1.23e-05'], [0.1 + 0.2, '0.30000000000000004'], [0.1 + 0.7, '0.79999999999999993'],
    [Infinity, 'Inf'], [-Infinity, '-Inf'], [2.5e-300, '2.5e-300'], [1e15 + 0.5, '1000000000000000.5'],
  ];
  for (const [d, text] of cases) assert.equal(toText(Number.isInteger(d) ? new SqlReal(d) : d), text, String(d));
});

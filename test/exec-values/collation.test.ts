/**
 * Collations and value ordering against SQLite: ORDER BY over mixed
 * values (storage class order, exact INTEGER/REAL order, UTF-8 byte order
 * for astral characters) under BINARY, NOCASE and RTRIM; scalar min(),
 * max() and nullif() under the call site's collation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCollation } from '../../src/exec/values/collation.js';
import { compareValues } from '../../src/exec/values/compare.js';
import { SqlReal, type SqlValue } from '../../src/exec/values/value.js';
import { lookupFunction } from '../../src/exec/functions/registry.js';
import { newFunctionCall, type ScalarFunctionDef } from '../../src/exec/functions/function-types.js';
import { bindable, db, oracle, outcomeOf, seededRandom, testContext, valuePool } from './oracle.js';

const extraText = ['\u{e000}', '\u{10000}', '\u{fffd}', 'a\u{10000}', 'a\u{ffff}', 'ab  ', 'ab', 'AB', 'aB ', 'Z', '_', 'z'];
const extraNumbers: SqlValue[] = [9007199254740993n, new SqlReal(9007199254740992), 9007199254740991, new SqlReal(9223372036854775808), 9223372036854775807n];

for (const name of ['BINARY', 'NOCASE', 'RTRIM']) {
  test(`ORDER BY under ${name} matches SQLite`, () => {
    const values = [...valuePool, ...extraText, ...extraNumbers];
    db.exec('DROP TABLE IF EXISTS ord; CREATE TABLE ord(k INTEGER PRIMARY KEY, v)');
    const insert = db.prepare('INSERT INTO ord VALUES (?, ?)');
    values.forEach((v, i) => insert.run(i, bindable(v)));
    const expected = (db.prepare(`SELECT k FROM ord ORDER BY v COLLATE ${name}, k`).pluck().all() as number[]).map((k) => outcomeOf(() => values[k]!));
    const collation = builtinCollation(name.toLowerCase());
    const actual = values
      .map((v, k) => ({ v, k }))
      .sort((a, b) => compareValues(a.v, b.v, collation) || a.k - b.k)
      .map((e) => outcomeOf(() => e.v));
    assert.deepEqual(actual, expected);
  });
}

test('unknown collations are rejected with SQLite wording', () => {
  assert.throws(() => builtinCollation('klingon'), { message: 'no such collation sequence: klingon' });
});

test('scalar min(), max() and nullif() compare with the call site collation like SQLite', () => {
  const failures: string[] = [];
  const random = seededRandom(41);
  const pool: SqlValue[] = ['abc', 'ABC', 'Abd', 'abc ', 'abc  ', 'ab', 'B', 'b', '', ' ', 'é', 'É', 1, 2.5, null, new Uint8Array([0x61])];
  for (const name of ['BINARY', 'NOCASE', 'RTRIM']) {
    const collation = builtinCollation(name);
    for (let i = 0; i < 600; i++) {
      const fn = ['min', 'max', 'nullif'][i % 3]!;
      const n = fn === 'nullif' ? 2 : 2 + Math.floor(random() * 3);
      const args = Array.from({ length: n }, () => pool[Math.floor(random() * pool.length)]!);
      const expected = oracle(`${fn}(? COLLATE ${name}${', ?'.repeat(n - 1)})`, args);
      const def = lookupFunction(fn, n) as ScalarFunctionDef;
      assert.equal(def.needsCollation, true);
      const actual = outcomeOf(() => def.impl(args, newFunctionCall(testContext, n, collation)));
      if (actual !== expected) failures.push(`${fn}(${args.map((a) => outcomeOf(() => a)).join(', ')}) COLLATE ${name}: got ${actual}, want ${expected}`);
    }
  }
  assert.deepEqual(failures.slice(0, 20), []);
});

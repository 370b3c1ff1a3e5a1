/**
 * Collations and value ordering against SQLite: ORDER BY over mixed
 * values (storage class order, exact INTEGER/REAL order, UTF-8 byte order
 * for astral characters) under BINARY, NOCASE and RTRIM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCollation } from '../../src/exec/values/collation.js';
import { compareValues } from '../../src/exec/values/compare.js';
import { SqlReal, type SqlValue } from '../../src/exec/values/value.js';
import { bindable, db, outcomeOf, valuePool } from './oracle.js';

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

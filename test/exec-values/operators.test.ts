/**
 * Differential tests of the SQL operators against SQLite: every pair from
 * the value pool through + - * / % & | << >> || and the comparisons, plus
 * the unary operators and truthiness.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  add, bitAnd, bitNot, bitOr, concat, divide, logicalNot, multiply, negate, remainder, shiftLeft, shiftRight, subtract,
} from '../../src/exec/values/arithmetic.js';
import { isSame, sqlEquals, sqlGreater, sqlLess, sqlLessOrEqual, sqlNotEquals } from '../../src/exec/values/compare.js';
import { truthValue } from '../../src/exec/values/conversions.js';
import type { SqlValue } from '../../src/exec/values/value.js';
import { oracle, outcomeOf, valuePool } from './oracle.js';

type Binary = (a: SqlValue, b: SqlValue) => SqlValue;

const binaryOperators: [string, Binary][] = [
  ['+', add],
  ['-', subtract],
  ['*', multiply],
  ['/', divide],
  ['%', remainder],
  ['&', bitAnd],
  ['|', bitOr],
  ['<<', shiftLeft],
  ['>>', shiftRight],
  ['||', concat],
  ['=', sqlEquals],
  ['<>', sqlNotEquals],
  ['<', sqlLess],
  ['<=', sqlLessOrEqual],
  ['>', sqlGreater],
  ['IS', (a, b) => (isSame(a, b) ? 1 : 0)],
];

for (const [op, fn] of binaryOperators) {
  test(`operator ${op} matches SQLite on every pair of pool values`, () => {
    const failures: string[] = [];
    for (const a of valuePool) {
      for (const b of valuePool) {
        const expected = oracle(`? ${op} ?`, [a, b]);
        const actual = outcomeOf(() => fn(a, b));
        if (actual !== expected) failures.push(`${String(a)} ${op} ${String(b)}: got ${actual}, want ${expected}`);
      }
    }
    assert.deepEqual(failures.slice(0, 20), []);
  });
}

test('unary operators and truthiness match SQLite', () => {
  const failures: string[] = [];
  const unary: [string, (a: SqlValue) => SqlValue][] = [
    ['- ?', negate],
    ['~ ?', bitNot],
    ['NOT ?', logicalNot],
    ['CASE WHEN ? THEN 1 WHEN 1 THEN 0 END', (a) => (truthValue(a) === true ? 1 : 0)],
  ];
  for (const [sql, fn] of unary) {
    for (const a of valuePool) {
      const expected = oracle(sql, [a]);
      const actual = outcomeOf(() => fn(a));
      if (actual !== expected) failures.push(`${sql} with ${String(a)}: got ${actual}, want ${expected}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('integer arithmetic overflows into REAL and divides by zero into NULL', () => {
  assert.equal(outcomeOf(() => add(9223372036854775807n, 1)), 'real:9223372036854776000');
  assert.equal(outcomeOf(() => divide(-9223372036854775808n, -1)), 'real:9223372036854776000');
  assert.equal(outcomeOf(() => divide(5, 2)), 'integer:2');
  assert.equal(outcomeOf(() => divide(-7, 2)), 'integer:-3');
  assert.equal(outcomeOf(() => divide(5, 0)), 'null:null');
  assert.equal(outcomeOf(() => remainder(5, 0)), 'null:null');
  assert.equal(outcomeOf(() => multiply(0, -5)), 'integer:0');
});

/**
 * Differential tests of the built-in scalar functions against SQLite: every
 * deterministic function over pool values (all values for one argument,
 * seeded random combinations for more), plus the registry's errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionRegistry, lookupFunction } from '../../src/exec/functions/registry.js';
import { scalarFunction, type ScalarFunctionDef } from '../../src/exec/functions/function-types.js';
import { SqlReal, type SqlValue } from '../../src/exec/values/value.js';
import { SqliteError } from '../../src/sqlite-error.js';
import { oracle, outcomeOf, seededRandom, testCall, valuePool } from './oracle.js';

function call(name: string, args: SqlValue[]): SqlValue {
  const def = lookupFunction(name, args.length);
  assert.equal(def.kind, 'scalar');
  return (def as ScalarFunctionDef).impl(args, testCall(args.length));
}

const oneArgument = [
  'length', 'octet_length', 'lower', 'upper', 'trim', 'ltrim', 'rtrim', 'hex', 'unhex', 'quote', 'unicode', 'char',
  'concat', 'soundex', 'typeof', 'likely', 'unlikely', 'abs', 'round', 'sign', 'ceil', 'ceiling', 'floor', 'trunc',
  'ln', 'log', 'log10', 'log2', 'exp', 'sqrt', 'degrees', 'radians', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'zeroblob', 'printf',
];

const twoArguments = [
  'substr', 'trim', 'ltrim', 'rtrim', 'instr', 'unhex', 'ifnull', 'nullif', 'iif', 'round', 'log', 'pow', 'mod',
  'atan2', 'min', 'max', 'coalesce', 'concat', 'concat_ws', 'char', 'like', 'glob', 'printf',
];

const threeArguments = ['substr', 'replace', 'iif', 'min', 'max', 'coalesce', 'concat_ws', 'like', 'printf'];

/** Functions computed with V8's Math, which may differ from glibc's libm in the last bit. */
const libm = new Set(['ln', 'log', 'log10', 'log2', 'exp', 'pow', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh']);

function withinFewUlps(actual: string, expected: string): boolean {
  if (!actual.startsWith('real:') || !expected.startsWith('real:')) return false;
  const a = Number(actual.slice(5));
  const e = Number(expected.slice(5));
  return Math.abs(a - e) <= Math.abs(e) * 1e-15;
}

function differential(name: string, args: SqlValue[], failures: string[]): void {
  const expected = oracle(`${name}(${args.map(() => '?').join(', ')})`, args);
  const actual = outcomeOf(() => call(name, args));
  if (actual === expected || (libm.has(name) && withinFewUlps(actual, expected))) return;
  failures.push(`${name}(${args.map(describe).join(', ')}): got ${actual}, want ${expected}`);
}

function describe(v: SqlValue): string {
  return outcomeOf(() => v);
}

test('one-argument functions match SQLite on every pool value', () => {
  const failures: string[] = [];
  for (const name of oneArgument) for (const v of valuePool) differential(name, [v], failures);
  assert.deepEqual(failures.slice(0, 30), []);
});

test('two-argument functions match SQLite on pool pairs', () => {
  const failures: string[] = [];
  const random = seededRandom(3);
  for (const name of twoArguments) {
    for (let i = 0; i < 1500; i++) {
      const a = valuePool[Math.floor(random() * valuePool.length)]!;
      const b = valuePool[Math.floor(random() * valuePool.length)]!;
      differential(name, [a, b], failures);
    }
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

test('three-argument functions match SQLite on pool triples', () => {
  const failures: string[] = [];
  const random = seededRandom(5);
  const small: SqlValue[] = [null, 0, 1, 2, -1, -2, 3, 10, -10, 1.5, '2', 'x', 9223372036854775807n, -9223372036854775808n];
  for (const name of threeArguments) {
    for (let i = 0; i < 1500; i++) {
      const pool = name === 'substr' && random() < 0.7 ? small : valuePool;
      const a = valuePool[Math.floor(random() * valuePool.length)]!;
      const b = pool[Math.floor(random() * pool.length)]!;
      const c = pool[Math.floor(random() * pool.length)]!;
      differential(name, [a, b, c], failures);
    }
  }
  assert.deepEqual(failures.slice(0, 30), []);
});

test('hand-picked function cases match SQLite', () => {
  const failures: string[] = [];
  const cases: SqlValue[][] = [
    ['hello', 0], ['hello', 0, 2], ['hello', -2], ['hello', 2, -1], ['hello', 3, -5], ['hello', -10, 3],
    ['héllo😀x', 2, 3], ['héllo😀x', -2], [new Uint8Array([1, 2, 3, 4, 5]), 2, 2], [new Uint8Array([1, 2]), -1, 5],
  ];
  for (const args of cases) differential('substr', args, failures);
  for (const s of ['Robert', 'Rupert', 'Tymczak', 'Ashcraft', 'Pfister', 'Honeyman', '', '123', 'éa', 'O\'Hara']) {
    differential('soundex', [s], failures);
  }
  differential('char', [72, 105, null, 0x1f600, -1, 0x110000], failures);
  differential('trim', ['xxabcxx', 'x'], failures);
  differential('trim', ['😀a😀', '😀'], failures);
  differential('replace', ['aaa', 'a', 'bb'], failures);
  differential('instr', ['héllo', 'l'], failures);
  differential('unhex', [' 41 42 ', ' '], failures);
  differential('unhex', ['4 1', ' '], failures);
  differential('round', [2.675, 2], failures);
  differential('round', [1.005, 2], failures);
  differential('round', [-2.5], failures);
  differential('round', [0.49999999999999994], failures);
  differential('round', [new SqlReal(1e300), 2], failures);
  differential('abs', [-9223372036854775808n], failures);
  differential('quote', ['it\'s'], failures);
  differential('quote', [Infinity], failures);
  differential('iif', [0, 1, 0, 2, 3], failures);
  differential('iif', [0, 1, 1, 2, 3], failures);
  differential('coalesce', [null, null, 'x', 'y'], failures);
  differential('concat_ws', ['-', 1, null, 2.5, 'z'], failures);
  differential('min', [1, 2.5, '0', null], failures);
  differential('max', [1, 2.5, '0', new Uint8Array([0])], failures);
  assert.deepEqual(failures, []);
});

test('the registry reports unknown functions and wrong argument counts like SQLite', () => {
  assert.throws(() => lookupFunction('foo', 1), (e: unknown) => e instanceof SqliteError && e.code === 'SQLITE_ERROR' && e.message === 'no such function: foo');
  assert.throws(() => lookupFunction('SUBSTR', 4), { message: 'wrong number of arguments to function SUBSTR()' });
  assert.throws(() => lookupFunction('concat', 0), { message: 'wrong number of arguments to function concat()' });
  assert.equal(lookupFunction('Upper', 1).name, 'upper');
  assert.equal(lookupFunction('max', 1).kind, 'aggregate');
  assert.equal(lookupFunction('max', 3).kind, 'scalar');
  assert.equal(lookupFunction('random', 0).deterministic, false);
});

test('a connection registry overlays user functions on the built-ins', () => {
  const mine = new FunctionRegistry();
  mine.register(scalarFunction('upper', 1, () => 'overridden'));
  mine.register(scalarFunction('twice', 1, (a) => String(a[0]) + String(a[0])));
  const upper = mine.lookup('UPPER', 1) as ScalarFunctionDef;
  assert.equal(upper.impl(['x'], testCall(1)), 'overridden');
  assert.equal((mine.lookup('twice', 1) as ScalarFunctionDef).impl(['ab'], testCall(1)), 'abab');
  assert.equal((lookupFunction('upper', 1) as ScalarFunctionDef).impl(['x'], testCall(1)), 'X');
  assert.throws(() => mine.lookup('twice', 2), { message: 'wrong number of arguments to function twice()' });
  assert.equal(new FunctionRegistry().find('twice', 1), undefined);
});

test('nondeterministic functions produce values of the right shape', () => {
  const r = call('random', []);
  assert.ok(typeof r === 'number' || typeof r === 'bigint');
  const blob = call('randomblob', [16]);
  assert.ok(blob instanceof Uint8Array && blob.length === 16);
  assert.equal((call('randomblob', [-3]) as Uint8Array).length, 1);
  assert.equal(call('sqlite_version', []), oracle('sqlite_version()').slice('text:'.length + 1, -1));
});

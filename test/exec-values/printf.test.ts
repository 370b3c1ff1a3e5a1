/**
 * printf()/format() against SQLite: a hand-written table of conversions and
 * flags, and seeded random format strings over pool values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupFunction } from '../../src/exec/functions/registry.js';
import type { ScalarFunctionDef } from '../../src/exec/functions/function-types.js';
import { SqlReal, type SqlValue } from '../../src/exec/values/value.js';
import { oracle, outcomeOf, seededRandom, testCall, valuePool } from './oracle.js';

function printf(args: SqlValue[]): SqlValue {
  return (lookupFunction('printf', args.length) as ScalarFunctionDef).impl(args, testCall(args.length));
}

function check(args: SqlValue[], failures: string[]): void {
  const expected = oracle(`printf(${args.map(() => '?').join(', ')})`, args);
  const actual = outcomeOf(() => printf(args));
  if (actual !== expected) failures.push(`printf(${args.map((a) => outcomeOf(() => a)).join(', ')}): got ${actual}, want ${expected}`);
}

const table: SqlValue[][] = [
  ['%d', 42], ['%5d|', 42], ['%-5d|', 42], ['%05d', -42], ['%+d % d', 5, 5], ['%.3d', 7], ['%08.3d', 5], ['%-08d|', 5],
  ['%,d', 1234567], ['%,08d', 1234], ['%+,d', -1234567], ['%u', -1], ['%i', 3.9], ['%d', '12abc'], ['%d', 9223372036854775807n],
  ['%d', -9223372036854775808n], ['%x', 255], ['%X', 255], ['%#x', 255], ['%#X', 255], ['%#o', 8], ['%#o', 0], ['%#x', 0],
  ['%x', -1], ['%o', -1], ['%,x', 1234567], ['%p', 255], ['%r %r %r %r %r', 1, 2, 3, 11, 112], ['%5r|', 23],
  ['%f', 1.5], ['%.2f', 0.125], ['%.0f', 0.5], ['%.0f', 1.5], ['%.0f', 2.5], ['%10.4f|', -3.14159], ['%010.3f', -1.5],
  ['%,.2f', 1234567.891], ['%,.1f', 999.96], ['%,f', new SqlReal(1e21)], ['%#.0f', 3], ['% f', 1], ['%+f', 1],
  ['%.15f', 0.1], ['%.17f', 0.1], ['%.25f', 0.1], ['%.60f', 1e-50], ['%f', new SqlReal(1e300)], ['%f', 1e-300],
  ['%e', 0], ['%e', new SqlReal(1e300)], ['%e', 1e-310], ['%.2e', 1.125], ['%.2e', 11250000], ['%.2e', 12350000],
  ['%.0e', 15], ['%.1e', 0.25], ['%.3e', 9.9996], ['%+.2e', 12345], ['%E', 123.456], ['%5.1e', 123.456],
  ['%g', 100000], ['%g', 1000000], ['%g', 0.0001], ['%g', 0.00001], ['%G', 1e-10], ['%g', 123456789],
  ['%.20g', 0.1], ['%!.20g', 0.1], ['%.30g', new SqlReal(1e300)], ['%#g', 1], ['%!g', 1], ['%#.3g', 1], ['%.3g', 0.0001234],
  ['%!.17g', 0.1 + 0.7], ['%.17g', 0.1 + 0.7], ['%!.16g', 0.1 + 0.7], ['%g', new SqlReal(1e100)],
  ['%f', Infinity], ['%e', -Infinity], ['%+f', Infinity], ['% g', Infinity], ['%010f', Infinity], ['%5f|', -Infinity],
  ['%s', 'abc'], ['%5s|%-5s|', 'ab', 'cd'], ['%.2s', 'abc'], ['%.0s', 'abc'], ['%s', null], ['%s'], ['%d'], ['%f'],
  ['%s', x('414243')], ['%s %s', new SqlReal(1e100), 0.1], ['%.3s', 'héllo'], ['%!.3s', 'héllo'], ['%.2s', 'héllo'],
  ['%5s|', 'é'], ['%!5s|', 'é'], ['%08s|', 'ab'], ['%q', "it's"], ['%Q', "it's"], ['%Q', null], ['%q', null], ['%w', 'a"b'],
  ['%.3q', "a'bc"], ['%10Q|', "a'b"], ['%!10w|', 'é"'], ['%Q', 1.5], ['%q', 5],
  ['%c', 'hello'], ['%5c|', 'xyz'], ['%-5c|', 'é'], ['%10.3c|', 'hello'], ['%5.2c|', 'é'], ['%!5.2c|', 'é'], ['%c', null], ['%c', 65],
  ['%*d|', 5, 42], ['%-*d|', 5, 42], ['%*d|', -5, 42], ['%.*f', 2, 3.14159], ['%.*s', -2, 'abcdef'], ['%*.*f|', 8, 2, 3.14159],
  ['%ld %lld %lu', 1, 2, 3], ['%%'], ['%5%|'], ['%d%%', 5], ['abc%'], ['%'], [''], ['%y'], ['abc%ydef', 1], ['%3$s', 'a'],
  ['%n', 1], ['%z', 'a'], ['%T', 1], [null], [x('00ff')], ['a%sb', x('4100')],
];

function x(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

test('printf matches SQLite on a table of conversions and flags', () => {
  const failures: string[] = [];
  for (const args of table) check(args, failures);
  assert.deepEqual(failures, []);
});

test('printf matches SQLite on generated format strings', () => {
  const random = seededRandom(21);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const failures: string[] = [];
  for (let i = 0; i < 4000; i++) {
    let format = pick(['', 'x', '[']) + '%';
    const flagCount = Math.floor(random() * 3);
    for (let f = 0; f < flagCount; f++) format += pick(['-', '+', ' ', '#', '!', '0', ',']);
    if (random() < 0.5) format += String(Math.floor(random() * 25));
    if (random() < 0.5) format += '.' + String(Math.floor(random() * 22));
    format += pick(['d', 'i', 'u', 'x', 'X', 'o', 'f', 'e', 'E', 'g', 'G', 's', 'q', 'Q', 'w', 'c']) + pick(['', ']']);
    const arg = random() < 0.6 ? (random() - 0.5) * 10 ** Math.floor(random() * 30 - 12) : pick(valuePool);
    check([format, typeof arg === 'number' && Number.isInteger(arg) && random() < 0.5 ? new SqlReal(arg) : arg], failures);
  }
  assert.deepEqual(failures.slice(0, 20), []);
});

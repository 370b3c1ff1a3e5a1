/**
 * LIKE and GLOB against SQLite: a table of hand-written patterns and seeded
 * random patterns over a small alphabet that exercises wildcards, sets,
 * ranges, negation, escapes, case folding and non-ASCII characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, compileLike } from '../../src/exec/functions/pattern-match.js';
import { oracle, seededRandom } from './oracle.js';

function expectLike(subject: string, pattern: string, escape?: string): boolean {
  const out = escape === undefined ? oracle('? LIKE ?', [subject, pattern]) : oracle('? LIKE ? ESCAPE ?', [subject, pattern, escape]);
  return out === 'integer:1';
}

test('LIKE matches SQLite on hand-written cases', () => {
  const cases: [string, string, string?][] = [
    ['hello', 'h%'], ['hello', 'H%O'], ['hello', '_ello'], ['hello', '%l_o'], ['hello', '%x%'], ['', '%'], ['', '_'],
    ['a%b', 'a\\%b', '\\'], ['axb', 'a\\%b', '\\'], ['a_b', 'a!_b', '!'], ['a%', 'a%%', '%'], ['é', '_'], ['É', 'é'],
    ['😀', '_'], ['😀x', '_x'], ['ABC', 'abc'], ['abc', 'a%c%'], ['aXbXc', '%x%x%'], ['a\u0000b', 'a'],
  ];
  for (const [s, p, e] of cases) {
    assert.equal(compileLike(p, e === undefined ? 0 : e.codePointAt(0)!)(s), expectLike(s, p, e), `${s} LIKE ${p} ESCAPE ${e}`);
  }
});

test('GLOB matches SQLite on hand-written cases', () => {
  const cases: [string, string][] = [
    ['hello', 'h*'], ['hello', 'H*'], ['hello', '?ello'], ['hello', '*l?o'], ['b', '[abc]'], ['d', '[abc]'], ['d', '[^abc]'],
    ['-', '[a-]'], [']', '[]]'], [']', '[^]]'], ['m', '[a-z]'], ['M', '[a-z]'], ['é', '[é]'], ['x', '[z-a]'], ['abc', '*[c]'],
    ['ab', '*[bc]*'], ['a', '['], ['[', '[[]'], ['a*b', 'a[*]b'], ['', '*'], ['😀', '?'],
  ];
  for (const [s, p] of cases) {
    assert.equal(compileGlob(p)(s), oracle('? GLOB ?', [s, p]) === 'integer:1', `${s} GLOB ${p}`);
  }
});

test('LIKE and GLOB match SQLite on random patterns', () => {
  const random = seededRandom(17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const subjectChars = ['a', 'b', 'A', 'B', 'é', '-', ']', '[', '%', '_', '*', '?', '^', '😀', '!'];
  const patternChars = [...subjectChars, '%', '_', '*', '?', '[', ']', '[a-b]', '[^a]', '!', '%%'];
  const failures: string[] = [];
  for (let i = 0; i < 4000; i++) {
    let s = '';
    let p = '';
    const sl = Math.floor(random() * 6);
    const pl = Math.floor(random() * 6);
    for (let k = 0; k < sl; k++) s += pick(subjectChars);
    for (let k = 0; k < pl; k++) p += pick(patternChars);
    const useEscape = random() < 0.3;
    const likeExpected = useEscape ? expectLike(s, p, '!') : expectLike(s, p);
    const likeActual = compileLike(p, useEscape ? 0x21 : 0)(s);
    if (likeActual !== likeExpected) failures.push(`'${s}' LIKE '${p}'${useEscape ? " ESCAPE '!'" : ''}: got ${likeActual}`);
    const globExpected = oracle('? GLOB ?', [s, p]) === 'integer:1';
    const globActual = compileGlob(p)(s);
    if (globActual !== globExpected) failures.push(`'${s}' GLOB '${p}': got ${globActual}`);
  }
  assert.deepEqual(failures.slice(0, 20), []);
});

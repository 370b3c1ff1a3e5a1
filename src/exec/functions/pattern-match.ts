/**
 * LIKE and GLOB matching (SQLite's patternCompare), over code points.
 *
 * GLOB: '*' any run, '?' one character, '[...]' a set with ranges 'a-z',
 * a leading '^' negates, ']' first in the set is literal; case-sensitive.
 * LIKE: '%' any run, '_' one character, an optional escape character makes
 * the next pattern character literal; ASCII letters match case-insensitively
 * (no other folding), unless `caseSensitive` (PRAGMA case_sensitive_like).
 * Like SQLite, text ends at the first U+0000 on both sides.
 *
 * `compileLike` / `compileGlob` turn a pattern into a reusable matcher; the
 * SQL functions keep the last one per call site, so a constant pattern is
 * decoded once per statement.
 */

const MATCH = 0;
const NO_MATCH = 1;
const NO_WILDCARD_MATCH = 2;

interface PatternRules {
  matchAll: number;
  matchOne: number;
  /** '[' for GLOB; 0 for LIKE. */
  matchSet: number;
  noCase: boolean;
}

const GLOB_RULES: PatternRules = { matchAll: 0x2a, matchOne: 0x3f, matchSet: 0x5b, noCase: false };
const LIKE_RULES: PatternRules = { matchAll: 0x25, matchOne: 0x5f, matchSet: 0, noCase: true };
const LIKE_CASE_RULES: PatternRules = { matchAll: 0x25, matchOne: 0x5f, matchSet: 0, noCase: false };

/**
 * Code points of s up to (not including) the first U+0000, followed by a 0
 * terminator, written into `into` when it is large enough.
 */
function codePointsOf(s: string, into?: Uint32Array): Uint32Array {
  const out = into !== undefined && into.length > s.length ? into : new Uint32Array(s.length + 1);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 0) break;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    out[n++] = c;
  }
  out[n] = 0;
  return out;
}

/** Reused decoding buffer for subject strings (matching is not re-entrant). */
let subjectBuffer = new Uint32Array(256);

function subjectCodePoints(s: string): Uint32Array {
  if (s.length >= subjectBuffer.length) subjectBuffer = new Uint32Array(s.length * 2 + 1);
  return codePointsOf(s, subjectBuffer);
}

function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function compare(p: Uint32Array, pi: number, s: Uint32Array, si: number, rules: PatternRules, matchOther: number): number {
  const { matchAll, matchOne, noCase } = rules;
  let escapedEnd = -1;
  let c: number;
  while ((c = p[pi++]!) !== 0) {
    if (c === matchAll) {
      while ((c = p[pi++]!) === matchAll || (c === matchOne && matchOne !== 0)) {
        if (c === matchOne && s[si++] === 0) return NO_WILDCARD_MATCH;
      }
      if (c === 0) return MATCH;
      if (c === matchOther) {
        if (rules.matchSet === 0) {
          c = p[pi++]!;
          if (c === 0) return NO_WILDCARD_MATCH;
        } else {
          while (s[si] !== 0) {
            const r = compare(p, pi - 1, s, si, rules, matchOther);
            if (r !== NO_MATCH) return r;
            si++;
          }
          return NO_WILDCARD_MATCH;
        }
      }
      if (c < 0x80 && noCase) {
        const lc = lowerAscii(c);
        let c2: number;
        while ((c2 = s[si++]!) !== 0) {
          if (c2 !== c && lowerAscii(c2) !== lc) continue;
          const r = compare(p, pi, s, si, rules, matchOther);
          if (r !== NO_MATCH) return r;
        }
      } else {
        let c2: number;
        while ((c2 = s[si++]!) !== 0) {
          if (c2 !== c) continue;
          const r = compare(p, pi, s, si, rules, matchOther);
          if (r !== NO_MATCH) return r;
        }
      }
      return NO_WILDCARD_MATCH;
    }
    if (c === matchOther) {
      if (rules.matchSet === 0) {
        c = p[pi++]!;
        if (c === 0) return NO_MATCH;
        escapedEnd = pi;
      } else {
        let prior = 0;
        let seen = false;
        let invert = false;
        const ch = s[si++]!;
        if (ch === 0) return NO_MATCH;
        let c2 = p[pi++]!;
        if (c2 === 0x5e) {
          invert = true;
          c2 = p[pi++]!;
        }
        if (c2 === 0x5d) {
          if (ch === 0x5d) seen = true;
          c2 = p[pi++]!;
        }
        while (c2 !== 0 && c2 !== 0x5d) {
          if (c2 === 0x2d && p[pi] !== 0x5d && p[pi] !== 0 && prior > 0) {
            c2 = p[pi++]!;
            if (ch >= prior && ch <= c2) seen = true;
            prior = 0;
          } else {
            if (ch === c2) seen = true;
            prior = c2;
          }
          c2 = p[pi++]!;
        }
        if (c2 === 0 || seen === invert) return NO_MATCH;
        continue;
      }
    }
    const c2 = s[si++]!;
    if (c === c2) continue;
    if (noCase && c < 0x80 && c2 < 0x80 && lowerAscii(c) === lowerAscii(c2)) continue;
    if (c === matchOne && pi !== escapedEnd && c2 !== 0) continue;
    return NO_MATCH;
  }
  return s[si] === 0 ? MATCH : NO_MATCH;
}

/** A compiled pattern: tests subject strings. */
export type PatternMatcher = (subject: string) => boolean;

/** A LIKE matcher; `escape` is the escape code point or 0 for none. */
export function compileLike(pattern: string, escape: number, caseSensitive = false): PatternMatcher {
  const p = codePointsOf(pattern);
  let rules = caseSensitive ? LIKE_CASE_RULES : LIKE_RULES;
  if (escape === rules.matchAll || escape === rules.matchOne) {
    rules = {
      ...rules,
      matchAll: escape === rules.matchAll ? 0 : rules.matchAll,
      matchOne: escape === rules.matchOne ? 0 : rules.matchOne,
    };
  }
  return (subject) => compare(p, 0, subjectCodePoints(subject), 0, rules, escape) === MATCH;
}

/** A GLOB matcher. */
export function compileGlob(pattern: string): PatternMatcher {
  const p = codePointsOf(pattern);
  return (subject) => compare(p, 0, subjectCodePoints(subject), 0, GLOB_RULES, 0x5b) === MATCH;
}

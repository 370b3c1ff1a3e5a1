/**
 * The like() and glob() SQL functions, which also implement the LIKE and
 * GLOB operators (`a LIKE b ESCAPE e` is `like(b, a, e)`, `a GLOB b` is
 * `glob(b, a)`). The compiled pattern is cached per call site and reused
 * while the pattern and escape stay the same. As in better-sqlite3's
 * SQLite build (SQLITE_LIKE_DOESNT_MATCH_BLOBS), a BLOB operand never
 * matches: the result is 0 even when the other operand is NULL.
 */
import { SqliteError } from '../../sqlite-error.js';
import { toText } from '../values/conversions.js';
import type { SqlValue } from '../values/value.js';
import { scalarFunction, type FunctionCall, type FunctionDef } from './function-types.js';
import { compileGlob, compileLike, type PatternMatcher } from './pattern-match.js';

/** SQLite's default SQLITE_LIMIT_LIKE_PATTERN_LENGTH. */
const MAX_PATTERN_BYTES = 50000;

interface CachedPattern {
  pattern: string;
  escape: number;
  glob: boolean;
  matcher: PatternMatcher;
}

function matcherFor(call: FunctionCall, pattern: string, escape: number, glob: boolean): PatternMatcher {
  const cached = call.auxData as CachedPattern | undefined;
  if (cached !== undefined && cached.pattern === pattern && cached.escape === escape && cached.glob === glob) return cached.matcher;
  if (Buffer.byteLength(pattern, 'utf8') > MAX_PATTERN_BYTES) {
    throw new SqliteError('LIKE or GLOB pattern too complex', 'SQLITE_ERROR');
  }
  const matcher = glob ? compileGlob(pattern) : compileLike(pattern, escape);
  call.auxData = { pattern, escape, glob, matcher } satisfies CachedPattern;
  return matcher;
}

function like(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if (args[0] instanceof Uint8Array || args[1] instanceof Uint8Array) return 0;
  let escape = 0;
  if (args.length === 3) {
    const e = toText(args[2]!);
    if (e === null) return null;
    const cp = e.codePointAt(0);
    if (cp === undefined || e.length !== (cp > 0xffff ? 2 : 1)) {
      throw new SqliteError('ESCAPE expression must be a single character', 'SQLITE_ERROR');
    }
    escape = cp;
  }
  const pattern = toText(args[0]!);
  const subject = toText(args[1]!);
  if (pattern === null || subject === null) return null;
  return matcherFor(call, pattern, escape, false)(subject) ? 1 : 0;
}

function glob(args: readonly SqlValue[], call: FunctionCall): SqlValue {
  if (args[0] instanceof Uint8Array || args[1] instanceof Uint8Array) return 0;
  const pattern = toText(args[0]!);
  const subject = toText(args[1]!);
  if (pattern === null || subject === null) return null;
  return matcherFor(call, pattern, 0, true)(subject) ? 1 : 0;
}

export const patternFunctions: FunctionDef[] = [
  scalarFunction('like', 2, like),
  scalarFunction('like', 3, like),
  scalarFunction('glob', 2, glob),
];

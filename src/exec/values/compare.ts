/**
 * Ordering and equality of SQL values (sqlite3MemCompare) and the SQL
 * comparison operators.
 *
 * Order: NULL < INTEGER/REAL < TEXT < BLOB. Numbers compare by exact
 * mathematical value, INTEGER against REAL included (a bigint beyond 2^53
 * against a double never rounds). TEXT compares with a collation (BINARY by
 * default); BLOBs with memcmp then length.
 *
 * `compareValues` is the total order used by ORDER BY, indexes, DISTINCT
 * and min()/max() (NULLs equal each other and sort first). The `sql*`
 * operators implement =, <>, <, <=, >, >= with NULL meaning unknown, and
 * `isSame` implements IS. Affinity conversion of the operands is the
 * caller's step (see affinity.ts, `compareWithAffinity`).
 */
import { applyComparisonAffinity, type Affinity } from './affinity.js';
import { compareBinary, type Collation } from './collation.js';
import { SqlReal, type SqlValue } from './value.js';

/** Compares an int64 outside the safe range with a double, exactly. */
function compareBigIntDouble(i: bigint, r: number): number {
  if (r !== r) return 1;
  if (r < -9223372036854775808) return 1;
  if (r >= 9223372036854775808) return -1;
  const whole = Math.trunc(r);
  const w = BigInt(whole);
  if (i < w) return -1;
  if (i > w) return 1;
  return r > whole ? -1 : r < whole ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** 0 NULL, 1 numeric, 2 TEXT, 3 BLOB. */
function classRank(v: SqlValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 1;
    case 'string':
      return 2;
    default:
      return v instanceof SqlReal ? 1 : 3;
  }
}

function compareNumeric(a: number | bigint | SqlReal, b: number | bigint | SqlReal): number {
  if (typeof a === 'bigint') {
    if (typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    return compareBigIntDouble(a, typeof b === 'number' ? b : b.value);
  }
  const x = typeof a === 'number' ? a : a.value;
  if (typeof b === 'bigint') return -compareBigIntDouble(b, x);
  const y = typeof b === 'number' ? b : b.value;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareSlow(a: SqlValue, b: SqlValue, collation: Collation | undefined): number {
  const ra = classRank(a);
  const rb = classRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return compareNumeric(a as number | bigint | SqlReal, b as number | bigint | SqlReal);
    case 2:
      return (collation ?? compareBinary)(a as string, b as string);
    default:
      return compareBytes(a as Uint8Array, b as Uint8Array);
  }
}

/** Total order of two values; `collation` applies when both are TEXT. */
export function compareValues(a: SqlValue, b: SqlValue, collation?: Collation): number {
  if (typeof a === 'number') {
    if (typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
    // A bound JS number is an integral REAL (SqlReal) more often than not.
    if (b instanceof SqlReal) {
      const y = b.value;
      return a < y ? -1 : a > y ? 1 : 0;
    }
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return collation === undefined ? compareBinary(a, b) : collation(a, b);
  }
  return compareSlow(a, b, collation);
}

/**
 * Compares two non-NULL operands of a comparison operator after applying
 * comparison affinity `affinity` (from `comparisonAffinity`).
 */
export function compareWithAffinity(a: SqlValue, b: SqlValue, affinity: Affinity, collation?: Collation): number {
  const aText = typeof a === 'string';
  const bText = typeof b === 'string';
  return compareValues(applyComparisonAffinity(a, affinity, bText), applyComparisonAffinity(b, affinity, aText), collation);
}

/** SQL `a = b`: 1, 0, or null when either side is NULL. */
export function sqlEquals(a: SqlValue, b: SqlValue, collation?: Collation): number | null {
  if (a === null || b === null) return null;
  return compareValues(a, b, collation) === 0 ? 1 : 0;
}

/** SQL `a <> b`. */
export function sqlNotEquals(a: SqlValue, b: SqlValue, collation?: Collation): number | null {
  if (a === null || b === null) return null;
  return compareValues(a, b, collation) !== 0 ? 1 : 0;
}

/** SQL `a < b`. */
export function sqlLess(a: SqlValue, b: SqlValue, collation?: Collation): number | null {
  if (a === null || b === null) return null;
  return compareValues(a, b, collation) < 0 ? 1 : 0;
}

/** SQL `a <= b`. */
export function sqlLessOrEqual(a: SqlValue, b: SqlValue, collation?: Collation): number | null {
  if (a === null || b === null) return null;
  return compareValues(a, b, collation) <= 0 ? 1 : 0;
}

/** SQL `a > b`. */
export function sqlGreater(a: SqlValue, b: SqlValue, collation?: Collation): number | null {
  if (a === null || b === null) return null;
  return compareValues(a, b, collation) > 0 ? 1 : 0;
}

/** SQL `a >= b`. */
export function sqlGreaterOrEqual(a: SqlValue, b: SqlValue, collation?: Collation): number | null {
  if (a === null || b === null) return null;
  return compareValues(a, b, collation) >= 0 ? 1 : 0;
}

/** SQL `a IS b` (NULL IS NULL is true); `IS NOT` is its negation. */
export function isSame(a: SqlValue, b: SqlValue, collation?: Collation): boolean {
  if (a === null || b === null) return a === b;
  return compareValues(a, b, collation) === 0;
}

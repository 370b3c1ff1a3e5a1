/**
 * SQL operators on values: + - * / % (OP_Add..OP_Remainder), the bitwise
 * operators & | ~ << >>, unary minus, NOT and || (concatenation).
 *
 * Rules (SQLite's):
 *  - NULL in, NULL out.
 *  - TEXT/BLOB operands are read numerically first ('12abc' -> 12,
 *    'abc' -> 0, '1.5x' -> 1.5), see conversions.ts `toNumeric`.
 *  - INTEGER op INTEGER is int64 arithmetic; on overflow the result is the
 *    REAL computed from the operands as doubles. `/` truncates toward zero,
 *    x/0 and x%0 are NULL, INT64_MIN / -1 is REAL.
 *  - Any REAL operand makes the operation REAL; a NaN result (Inf-Inf) is
 *    NULL. REAL `%` truncates both operands to int64 and returns REAL.
 *  - Bitwise operators read both operands as int64; shifts by a negative
 *    amount shift the other way; shifts of 64 or more give 0 or -1.
 *  - `||` renders both operands as TEXT.
 *
 * The plain-number paths (the overwhelmingly common case) run first, inline,
 * and allocate nothing; everything else goes through the slow paths.
 */
import { toInt64, toNumeric, toText, truthValue } from './conversions.js';
import { INT64_MAX, INT64_MIN, SqlReal, integerFromBigInt, type SqlValue } from './value.js';

const MAX_SAFE = 9007199254740991;

/** A REAL result: NaN becomes NULL, integral doubles get the SqlReal wrapper. */
function realResult(r: number): SqlValue {
  if (r !== r) return null;
  return Number.isInteger(r) ? new SqlReal(r) : r;
}

function asDouble(v: number | bigint | SqlReal): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value;
}

function isIntegerOperand(v: number | bigint | SqlReal): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

/** int64 result of exact BigInt arithmetic, or the REAL fallback on overflow. */
function int64OrReal(exact: bigint, fallback: number): SqlValue {
  if (exact > INT64_MAX || exact < INT64_MIN) return realResult(fallback);
  return integerFromBigInt(exact);
}

const OP_ADD = 0;
const OP_SUB = 1;
const OP_MUL = 2;
const OP_DIV = 3;
const OP_REM = 4;

function integerOp(op: number, a: number | bigint, b: number | bigint): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    let r: number;
    switch (op) {
      case OP_ADD:
        r = a + b;
        break;
      case OP_SUB:
        r = a - b;
        break;
      case OP_MUL:
        r = a * b;
        break;
      case OP_DIV:
        if (b === 0) return null;
        if (a >= -MAX_SAFE && a <= MAX_SAFE && b >= -MAX_SAFE && b <= MAX_SAFE) return (a - (a % b)) / b + 0;
        r = NaN;
        break;
      default:
        if (b === 0) return null;
        return (a % b) + 0;
    }
    if (r >= -MAX_SAFE && r <= MAX_SAFE) return r + 0;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  switch (op) {
    case OP_ADD:
      return int64OrReal(x + y, Number(a) + Number(b));
    case OP_SUB:
      return int64OrReal(x - y, Number(a) - Number(b));
    case OP_MUL:
      return int64OrReal(x * y, Number(a) * Number(b));
    case OP_DIV:
      if (y === 0n) return null;
      if (y === -1n && x === INT64_MIN) return realResult(-Number(x));
      return integerFromBigInt(x / y);
    default:
      if (y === 0n) return null;
      if (y === -1n) return 0;
      return integerFromBigInt(x % y);
  }
}

/** + - * / on doubles (`%` on REALs is `remainderOfReals`). */
function realOp(op: number, x: number, y: number): SqlValue {
  switch (op) {
    case OP_ADD:
      return realResult(x + y);
    case OP_SUB:
      return realResult(x - y);
    case OP_MUL:
      return realResult(x * y);
    default:
      if (y === 0) return null;
      return realResult(x / y);
  }
}

/**
 * `%` when an operand is REAL: both original operands are read as int64
 * (REAL truncated and saturated, TEXT by its integer prefix) and the
 * remainder is returned as REAL.
 */
function remainderOfReals(a: SqlValue, b: SqlValue): SqlValue {
  const divisor = toInt64(b);
  if (divisor === 0) return null;
  if (divisor === -1 || divisor === 1) return new SqlReal(0);
  const dividend = toInt64(a);
  const r = typeof dividend === 'number' && typeof divisor === 'number'
    ? dividend % divisor
    : Number(BigInt(dividend) % BigInt(divisor));
  return new SqlReal(r + 0);
}

function arithmeticSlow(op: number, a: SqlValue, b: SqlValue): SqlValue {
  const x = toNumeric(a);
  const y = toNumeric(b);
  if (x === null || y === null) return null;
  if (isIntegerOperand(x) && isIntegerOperand(y)) return integerOp(op, x, y);
  if (op === OP_REM) return remainderOfReals(a, b);
  return realOp(op, asDouble(x), asDouble(y));
}

/** SQL `a + b`. */
export function add(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isInteger(a) && Number.isInteger(b)) {
      if (r >= -MAX_SAFE && r <= MAX_SAFE) return r;
      return integerOp(OP_ADD, a, b);
    }
    return realResult(r);
  }
  return arithmeticSlow(OP_ADD, a, b);
}

/** SQL `a - b`. */
export function subtract(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isInteger(a) && Number.isInteger(b)) {
      if (r >= -MAX_SAFE && r <= MAX_SAFE) return r + 0;
      return integerOp(OP_SUB, a, b);
    }
    return realResult(r);
  }
  return arithmeticSlow(OP_SUB, a, b);
}

/** SQL `a * b`. */
export function multiply(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isInteger(a) && Number.isInteger(b)) {
      if (r >= -MAX_SAFE && r <= MAX_SAFE) return r + 0;
      return integerOp(OP_MUL, a, b);
    }
    return realResult(r);
  }
  return arithmeticSlow(OP_MUL, a, b);
}

/** SQL `a / b`. */
export function divide(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return integerOp(OP_DIV, a, b);
    if (b === 0) return null;
    return realResult(a / b);
  }
  return arithmeticSlow(OP_DIV, a, b);
}

/** SQL `a % b`. */
export function remainder(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b)) {
    return integerOp(OP_REM, a, b);
  }
  return arithmeticSlow(OP_REM, a, b);
}

/** SQL unary `-a` (SQLite computes it as `0 - a`). */
export function negate(a: SqlValue): SqlValue {
  return subtract(0, a);
}

function isInt32(v: number | bigint): v is number {
  return typeof v === 'number' && (v | 0) === v;
}

/** SQL `a & b`. */
export function bitAnd(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  const x = toInt64(a);
  const y = toInt64(b);
  if (isInt32(x) && isInt32(y)) return x & y;
  return integerFromBigInt(BigInt.asIntN(64, BigInt(x) & BigInt(y)));
}

/** SQL `a | b`. */
export function bitOr(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  const x = toInt64(a);
  const y = toInt64(b);
  if (isInt32(x) && isInt32(y)) return x | y;
  return integerFromBigInt(BigInt.asIntN(64, BigInt(x) | BigInt(y)));
}

/** SQL `~a`. */
export function bitNot(a: SqlValue): SqlValue {
  if (a === null) return null;
  const x = toInt64(a);
  if (isInt32(x)) return ~x;
  return integerFromBigInt(~BigInt(x));
}

function shift(value: number | bigint, amount: number | bigint, left: boolean): SqlValue {
  let n: number;
  if (typeof amount === 'bigint') {
    n = amount > 0n ? 64 : -64;
  } else {
    n = amount;
  }
  if (n < 0) {
    left = !left;
    n = n > -64 ? -n : 64;
  }
  const x = BigInt(value);
  if (n >= 64) return left || x >= 0n ? 0 : -1;
  const r = left ? BigInt.asIntN(64, x << BigInt(n)) : x >> BigInt(n);
  return integerFromBigInt(r);
}

/** SQL `a << b`. */
export function shiftLeft(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  return shift(toInt64(a), toInt64(b), true);
}

/** SQL `a >> b`. */
export function shiftRight(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  return shift(toInt64(a), toInt64(b), false);
}

/** SQL `a || b`. */
export function concat(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  return toText(a)! + toText(b)!;
}

/** SQL `NOT a`: 1, 0 or NULL. */
export function logicalNot(a: SqlValue): SqlValue {
  const t = truthValue(a);
  return t === null ? null : t ? 0 : 1;
}

/**
 * Conversions between storage classes with SQLite's exact rules: the
 * int64/double/text/blob views of any value (sqlite3_value_int64, _double,
 * _text, _blob), the numeric reading used by arithmetic, truthiness, and the
 * five CASTs.
 *
 *  - To int64: REAL truncates toward zero and saturates at the int64 bounds;
 *    TEXT/BLOB take the longest integer prefix ('12abc' -> 12, '1e3' -> 1,
 *    'abc' -> 0), saturating ('9223372036854775808' -> 9223372036854775807).
 *  - To double: TEXT/BLOB take the longest real prefix ('1e3x' -> 1000).
 *  - Numeric reading (operands of + - * / %): TEXT becomes INTEGER when its
 *    numeric prefix has no '.' or exponent and fits int64, otherwise REAL.
 *  - CAST AS NUMERIC: TEXT becomes INTEGER when its numeric prefix is an
 *    integer that fits int64, or a real exactly equal to an integer below
 *    2^51; otherwise REAL. Numbers are unchanged.
 *
 * Every function takes and returns values in the representation documented
 * in value.ts and allocates only when the result is a new string, blob,
 * bigint or integral REAL.
 */
import { realToText } from './float-format.js';
import { blobToLatin1, blobToText, textToBlob } from './text-codec.js';
import {
  ATOF_DIGITS,
  ATOF_FRACTION,
  ATOF_TRAILING,
  ATOI_OK,
  ATOI_TRAILING,
  parseInteger,
  parseReal,
  parsedInteger,
  parsedReal,
} from './text-to-number.js';
import { INT64_MAX, INT64_MIN, SqlReal, realValue, type SqlValue } from './value.js';

const TWO_POW_51 = 2251799813685248;

/** A double truncated to int64 with saturation (SQLite's doubleToInt64 / sqlite3RealToI64). */
export function doubleToInt64(r: number): number | bigint {
  if (r <= -9223372036854775808) return INT64_MIN;
  if (r >= 9223372036854775808) return INT64_MAX;
  if (r !== r) return 0;
  const t = Math.trunc(r);
  return t >= -9007199254740991 && t <= 9007199254740991 ? t + 0 : BigInt(t);
}

/** sqlite3RealSameAsInt: `r` equals integer `i` exactly and |i| < 2^51 (or r is zero). */
export function realSameAsInt(r: number, i: number | bigint): boolean {
  return r === 0 || (typeof i === 'number' && i === r && i >= -TWO_POW_51 && i < TWO_POW_51);
}

/** The INTEGER equal to REAL `r` when exact and strictly inside int64, else null. */
export function exactIntegerOfReal(r: number): number | bigint | null {
  if (!Number.isInteger(r) || r <= -9223372036854775808 || r >= 9223372036854775808) return null;
  return r >= -9007199254740991 && r <= 9007199254740991 ? r + 0 : BigInt(r);
}

/** sqlite3_value_int64. NULL reads as 0. */
export function toInt64(v: SqlValue): number | bigint {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? v : doubleToInt64(v);
    case 'bigint':
      return v;
    case 'string':
      parseInteger(v);
      return parsedInteger();
    default:
      if (v === null) return 0;
      if (v instanceof SqlReal) return doubleToInt64(v.value);
      parseInteger(blobToLatin1(v));
      return parsedInteger();
  }
}

/** sqlite3_value_double. NULL reads as 0. */
export function toDouble(v: SqlValue): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'string':
      parseReal(v);
      return parsedReal();
    default:
      if (v === null) return 0;
      if (v instanceof SqlReal) return v.value;
      parseReal(blobToLatin1(v));
      return parsedReal();
  }
}

/**
 * Reads TEXT the way arithmetic does (computeNumericType): INTEGER if
 * integer-looking and in range, else REAL. A text that is wholly a number to
 * `parseReal` must be wholly an integer to `parseInteger` too ('5' || x'00'
 * is the REAL 5.0).
 */
export function textToNumeric(s: string): number | bigint | SqlReal {
  const rc = parseReal(s);
  if ((rc & ATOF_FRACTION) === 0) {
    const code = parseInteger(s);
    const whole = (rc & ATOF_DIGITS) !== 0 && (rc & ATOF_TRAILING) === 0;
    if (whole ? code === ATOI_OK : code <= ATOI_TRAILING) return parsedInteger();
  }
  return realValue(parsedReal());
}

/**
 * The numeric value of an operand of + - * / % (NULL stays NULL). TEXT and
 * BLOB are read with `textToNumeric`.
 */
export function toNumeric(v: SqlValue): number | bigint | SqlReal | null {
  if (typeof v === 'number' || typeof v === 'bigint' || v === null || v instanceof SqlReal) return v;
  return textToNumeric(typeof v === 'string' ? v : blobToLatin1(v));
}

/** INTEGER as decimal text (exact even for an integral number beyond 2^53). */
export function integerToText(v: number | bigint): string {
  return typeof v === 'bigint' || (v >= -9007199254740991 && v <= 9007199254740991) ? String(v) : BigInt(v).toString();
}

/** sqlite3_value_text: numbers rendered like SQLite, BLOB decoded as UTF-8, NULL stays null. */
export function toText(v: SqlValue): string | null {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isInteger(v) ? integerToText(v) : realToText(v);
    case 'bigint':
      return String(v);
    default:
      if (v === null) return null;
      if (v instanceof SqlReal) return realToText(v.value);
      return blobToText(v);
  }
}

/** sqlite3_value_blob: TEXT and numbers as their UTF-8 bytes, NULL stays null. */
export function toBlob(v: SqlValue): Uint8Array | null {
  if (v === null) return null;
  if (v instanceof Uint8Array) return v;
  return textToBlob(toText(v)!);
}

/**
 * Truth value for WHERE, CASE, AND/OR/NOT: NULL is unknown (null), numbers
 * are true when non-zero, TEXT/BLOB when their real prefix is non-zero.
 */
export function truthValue(v: SqlValue): boolean | null {
  if (typeof v === 'number') return v !== 0;
  if (v === null) return null;
  if (typeof v === 'bigint') return true;
  if (v instanceof SqlReal) return v.value !== 0;
  return toDouble(v) !== 0;
}

/** CAST(v AS INTEGER). */
export function castToInteger(v: SqlValue): SqlValue {
  return v === null ? null : toInt64(v);
}

/** CAST(v AS REAL). */
export function castToReal(v: SqlValue): SqlValue {
  if (v === null) return null;
  if (typeof v === 'number' && !Number.isInteger(v)) return v;
  if (v instanceof SqlReal) return v;
  return realValue(toDouble(v));
}

/** CAST(v AS TEXT). */
export function castToText(v: SqlValue): SqlValue {
  return toText(v);
}

/** CAST(v AS BLOB). */
export function castToBlob(v: SqlValue): SqlValue {
  return toBlob(v);
}

/** CAST(v AS NUMERIC) (sqlite3VdbeMemNumerify). */
export function castToNumeric(v: SqlValue): SqlValue {
  if (typeof v === 'number' || typeof v === 'bigint' || v === null || v instanceof SqlReal) return v;
  const s = typeof v === 'string' ? v : blobToLatin1(v);
  const rc = parseReal(s);
  const r = parsedReal();
  if ((rc & ATOF_FRACTION) === 0 && parseInteger(s) <= ATOI_TRAILING) return parsedInteger();
  const i = doubleToInt64(r);
  if (realSameAsInt(r, i)) return i;
  return realValue(r);
}

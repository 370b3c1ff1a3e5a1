/**
 * SQL values: the one representation every executor, function and B-tree
 * record codec shares.
 *
 * SQLite has five storage classes and tells INTEGER 1 apart from REAL 1.0
 * (typeof, `5/2` = 2 but `5.0/2` = 2.5, text rendering `1` vs `1.0`). A JS
 * `number` cannot carry that bit, so the representation is:
 *
 *   SQL class  JS value
 *   ---------  ---------------------------------------------------------
 *   NULL       `null`
 *   INTEGER    `number` holding an integral value (always, when the value is
 *              a safe integer: |v| <= 2^53-1), or `bigint` for the rest of
 *              the int64 range. A producer never emits a bigint inside the
 *              safe range (use `integerFromBigInt`) and never emits -0.
 *   REAL       `number` holding a NON-integral value (0.5, NaN never occurs,
 *              ±Infinity), or `SqlReal` wrapping an integral double (1.0,
 *              -0.0, 1e20). Use `realValue(d)` to build a REAL from a double.
 *   TEXT       `string`
 *   BLOB       `Uint8Array`
 *
 * Why this way round: INTEGER values (rowids, counts, keys, flags) dominate
 * real workloads and stay plain numbers with no wrapper and no tag; REALs
 * that happen to be integral are the rare case and pay one small allocation.
 * Hot paths test `typeof v === 'number'` first and then `Number.isInteger`,
 * which V8 compiles to a couple of instructions. Consumers may treat any
 * integral plain `number` as INTEGER (even outside the safe range), so a
 * lenient producer cannot corrupt the class, only lose precision.
 *
 * Record encoding contract for the B-tree layer: a plain integral `number`
 * and a `bigint` are INTEGER (serial types 0..6, 8, 9); a non-integral
 * `number` and an `SqlReal` are REAL and are written as serial type 7 (IEEE
 * double) even when integral. Decoding serial type 7 must yield
 * `realValue(d)` (an `SqlReal` when `d` is integral). SQLite itself may store
 * an integral REAL of a REAL-affinity column as an integer serial type to
 * save space; a reader of such a column turns it back into REAL by applying
 * REAL affinity (`applyAffinity(v, Affinity.REAL)`), which the compiler
 * arranges for REAL-affinity columns.
 *
 * At the public API edge (better-sqlite3 semantics) an `SqlReal` is returned
 * as its plain `number`; a bound JS `number` is a REAL in better-sqlite3
 * (it binds every number as a double), so binding goes through `realValue`.
 */

/** A REAL whose double value is integral (1.0, -0.0, 1e20). Immutable. */
export class SqlReal {
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }
}

export type SqlValue = null | number | bigint | string | Uint8Array | SqlReal;

/** SQLite's fundamental datatype codes (sqlite3_column_type). */
export const StorageClass = {
  INTEGER: 1,
  REAL: 2,
  TEXT: 3,
  BLOB: 4,
  NULL: 5,
} as const;
export type StorageClass = (typeof StorageClass)[keyof typeof StorageClass];

export const INT64_MAX = 0x7fffffffffffffffn;
export const INT64_MIN = -0x8000000000000000n;

/** Builds a REAL from a double (the caller has ruled out NaN). */
export function realValue(d: number): number | SqlReal {
  return Number.isInteger(d) ? new SqlReal(d) : d;
}

/** Builds an INTEGER from an in-range bigint, normalising safe values to `number`. */
export function integerFromBigInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** True when `v` is an INTEGER value. */
export function isInteger(v: SqlValue): v is number | bigint {
  return typeof v === 'number' ? Number.isInteger(v) : typeof v === 'bigint';
}

/** True when `v` is an INTEGER or REAL value. */
export function isNumeric(v: SqlValue): v is number | bigint | SqlReal {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof SqlReal;
}

/** The storage class of a value. */
export function storageClass(v: SqlValue): StorageClass {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? StorageClass.INTEGER : StorageClass.REAL;
    case 'bigint':
      return StorageClass.INTEGER;
    case 'string':
      return StorageClass.TEXT;
    default:
      if (v === null) return StorageClass.NULL;
      return v instanceof SqlReal ? StorageClass.REAL : StorageClass.BLOB;
  }
}

/** SQL `typeof(v)`. */
export function typeName(v: SqlValue): 'null' | 'integer' | 'real' | 'text' | 'blob' {
  switch (storageClass(v)) {
    case StorageClass.INTEGER:
      return 'integer';
    case StorageClass.REAL:
      return 'real';
    case StorageClass.TEXT:
      return 'text';
    case StorageClass.BLOB:
      return 'blob';
    default:
      return 'null';
  }
}

/** The double behind a numeric value (INTEGER converted, possibly rounded). */
export function numericToDouble(v: number | bigint | SqlReal): number {
  if (typeof v === 'number') return v;
  return typeof v === 'bigint' ? Number(v) : v.value;
}

/**
 * Converts a value to what better-sqlite3 hands to JavaScript: REALs become
 * plain numbers, everything else is unchanged.
 */
export function toJsValue(v: SqlValue): null | number | bigint | string | Uint8Array {
  return v instanceof SqlReal ? v.value : v;
}

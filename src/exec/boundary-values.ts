/**
 * Values crossing the engine contract (engine-contract.ts) in either
 * direction, with better-sqlite3's conventions: a bound JS number is a REAL,
 * a bound bigint an INTEGER; a result INTEGER is a number (the nearest
 * double when it is outside the safe range), or a bigint when `safeIntegers`
 * is on; a REAL is a number; a BLOB is a Buffer holding its own copy of the
 * bytes (record values may point into page images).
 */
import type { BindValue, ResultValue } from './engine-contract.js';
import { integerFromBigInt, realValue, SqlReal, type SqlValue } from './values/value.js';

export function fromBindValue(value: BindValue): SqlValue {
  if (typeof value === 'number') return Number.isNaN(value) ? null : realValue(value);
  if (typeof value === 'bigint') return integerFromBigInt(value);
  return value;
}

export function toResultValue(value: SqlValue, safeIntegers: boolean): ResultValue {
  switch (typeof value) {
    case 'number':
      return safeIntegers && Number.isInteger(value) ? BigInt(value) : value;
    case 'bigint':
      return safeIntegers ? value : Number(value);
    case 'string':
      return value;
    default:
      if (value === null) return null;
      if (value instanceof SqlReal) return value.value;
      return Buffer.from(value);
  }
}

/** Converts one row into a fresh array the caller may keep. */
export function toResultRow(row: readonly SqlValue[], safeIntegers: boolean): ResultValue[] {
  const out: ResultValue[] = new Array(row.length);
  for (let i = 0; i < row.length; i++) out[i] = toResultValue(row[i], safeIntegers);
  return out;
}

/**
 * Grouping keys: a string per list of values such that two lists get the
 * same string exactly when SQLite would consider them equal for GROUP BY,
 * DISTINCT and compound-select duplicate elimination: INTEGER and REAL
 * compare by numeric value, TEXT by the column's collation (NOCASE folds
 * ASCII case, RTRIM ignores trailing spaces), BLOB by bytes, and NULLs are
 * equal to each other.
 */
import { SqlReal, type SqlValue } from './values/value.js';

/** Collation codes for keys: 0 BINARY, 1 NOCASE, 2 RTRIM. */
export type KeyCollation = 0 | 1 | 2;

export function keyCollation(name: string | null): KeyCollation {
  if (name === 'NOCASE') return 1;
  if (name === 'RTRIM') return 2;
  return 0;
}

export function valueKey(v: SqlValue, collation: KeyCollation): string {
  if (v === null) return 'z';
  switch (typeof v) {
    case 'number':
      return v === 0 ? 'n0' : `n${v}`;
    case 'bigint':
      return `n${v}`;
    case 'string': {
      const s = collation === 0 ? v : collation === 1 ? asciiLower(v) : v.replace(/ +$/, '');
      return `t${s.length}:${s}`;
    }
    default:
      if (v instanceof SqlReal) return v.value === 0 ? 'n0' : `n${v.value}`;
      return `b${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  }
}

export function rowKey(values: readonly SqlValue[], collations: readonly KeyCollation[]): string {
  if (values.length === 1) return valueKey(values[0], collations[0] ?? 0);
  let key = '';
  for (let i = 0; i < values.length; i++) key += `${valueKey(values[i], collations[i] ?? 0)}|`;
  return key;
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

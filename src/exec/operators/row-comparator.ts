/**
 * Ordering of materialized rows for ORDER BY, GROUP BY output and compound
 * selects: per key column a collation, a direction, and where NULLs go
 * (SQLite puts NULLs first in ascending order and last in descending order
 * unless NULLS FIRST/LAST says otherwise).
 */
import type { Collation } from '../values/collation.js';
import { compareValues } from '../values/compare.js';
import type { SqlValue } from '../values/value.js';

export interface SortKey {
  /** Position of the key in the row. */
  readonly index: number;
  readonly collation: Collation | undefined;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export function rowComparator(keys: readonly SortKey[]): (a: SqlValue[], b: SqlValue[]) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = a[key.index];
      const y = b[key.index];
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === key.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y, key.collation);
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  };
}

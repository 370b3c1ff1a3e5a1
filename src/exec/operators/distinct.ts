/**
 * DISTINCT: passes on the first row of every set of equal rows (equality
 * per column under the column's collation, NULLs equal).
 */
import type { Evaluate } from '../evaluate.js';
import type { Operator } from '../operator.js';
import { rowKey, type KeyCollation } from '../value-key.js';
import type { SqlValue } from '../values/value.js';

export class DistinctOperator implements Operator {
  private seen = new Set<string>();
  private readonly values: SqlValue[];

  constructor(
    private readonly input: Operator,
    private readonly columns: readonly Evaluate[],
    private readonly collations: readonly KeyCollation[],
  ) {
    this.values = new Array(columns.length).fill(null);
  }

  open(): void {
    this.seen = new Set();
    this.input.open();
  }

  next(): boolean {
    const columns = this.columns;
    const values = this.values;
    while (this.input.next()) {
      for (let i = 0; i < columns.length; i++) values[i] = columns[i]();
      const key = rowKey(values, this.collations);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      return true;
    }
    return false;
  }

  close(): void {
    this.seen = new Set();
    this.input.close();
  }
}

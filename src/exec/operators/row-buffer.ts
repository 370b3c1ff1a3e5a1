/**
 * RowBuffer: a current row held in memory (materialized subqueries, sorter
 * output, VALUES, aggregate groups). Column closures read `row[i]`; a
 * buffer of an outer-joined item can be switched to its NULL row.
 */
import type { Evaluate } from '../evaluate.js';
import type { SqlValue } from '../values/value.js';

export class RowBuffer {
  row: SqlValue[];
  constructor(width: number) {
    this.row = new Array<SqlValue>(width).fill(null);
  }

  reader(i: number): Evaluate {
    return () => this.row[i];
  }
}

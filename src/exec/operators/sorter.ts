/**
 * Sorter: reads its whole input, keeping per row the sort keys followed by
 * the values later stages read, sorts stably by the keys, and replays the
 * rows through a RowBuffer (ORDER BY that no index satisfies).
 */
import type { Evaluate } from '../evaluate.js';
import type { Operator } from '../operator.js';
import type { SqlValue } from '../values/value.js';
import type { RowBuffer } from './row-buffer.js';
import { rowComparator, type SortKey } from './row-comparator.js';

export class SortOperator implements Operator {
  private rows: SqlValue[][] = [];
  private position = 0;
  private readonly compare: (a: SqlValue[], b: SqlValue[]) => number;

  /** `columns` are evaluated per input row; `keys` index into them. */
  constructor(
    private readonly input: Operator,
    private readonly columns: readonly Evaluate[],
    keys: readonly SortKey[],
    private readonly buffer: RowBuffer,
  ) {
    this.compare = rowComparator(keys);
  }

  open(): void {
    const rows: SqlValue[][] = [];
    const columns = this.columns;
    const width = columns.length;
    this.input.open();
    try {
      while (this.input.next()) {
        const row: SqlValue[] = new Array(width);
        for (let i = 0; i < width; i++) row[i] = columns[i]();
        rows.push(row);
      }
    } finally {
      this.input.close();
    }
    rows.sort(this.compare);
    this.rows = rows;
    this.position = 0;
  }

  next(): boolean {
    if (this.position >= this.rows.length) return false;
    this.buffer.row = this.rows[this.position++];
    return true;
  }

  close(): void {
    this.rows = [];
    this.position = 0;
  }
}

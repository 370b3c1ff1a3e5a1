/**
 * Materialized rows: replays a list of rows through a RowBuffer. The rows
 * come from `fill`, called when the operator opens; a `stable` source (an
 * uncorrelated subquery, a CTE, VALUES of constants) is filled once per
 * execution and replayed on later opens.
 */
import type { Operator } from '../operator.js';
import type { StatementRuntime } from '../runtime.js';
import type { SqlValue } from '../values/value.js';
import type { RowBuffer } from './row-buffer.js';

export class MaterializedRows implements Operator {
  private rows: SqlValue[][] = [];
  private position = 0;
  private filledExecution = -1;

  constructor(
    private readonly buffer: RowBuffer,
    private readonly fill: () => SqlValue[][],
    private readonly runtime: StatementRuntime,
    private readonly stable: boolean,
  ) {}

  open(): void {
    if (!this.stable || this.filledExecution !== this.runtime.execution) {
      this.rows = this.fill();
      this.filledExecution = this.runtime.execution;
    }
    this.position = 0;
  }

  next(): boolean {
    if (this.position >= this.rows.length) return false;
    this.buffer.row = this.rows[this.position++];
    return true;
  }

  close(): void {
    this.position = this.rows.length;
  }
}

/** Runs an operator to the end, collecting `columns` of every row. */
export function collectRows(operator: Operator, columns: readonly (() => SqlValue)[]): SqlValue[][] {
  const rows: SqlValue[][] = [];
  const width = columns.length;
  operator.open();
  try {
    while (operator.next()) {
      const row: SqlValue[] = new Array(width);
      for (let i = 0; i < width; i++) row[i] = columns[i]();
      rows.push(row);
    }
  } finally {
    operator.close();
  }
  return rows;
}

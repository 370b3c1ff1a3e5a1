/**
 * Operators: the pull-based building blocks of a compiled query plan
 * (scans, seeks, joins, filters, sorts, aggregation, compounds).
 *
 * An operator does not hand rows around. `next()` moves it (and the cursors
 * or row buffers it owns) to its next row and returns false when it has
 * none; the values are read through the `Evaluate` closures the compiler
 * bound to those cursors and buffers. `open()` (re)starts an operator and
 * may be called again after it finished, which is how the inner side of a
 * nested-loop join and correlated subqueries rewind. `close()` releases
 * what `open()` acquired and is idempotent.
 */
export interface Operator {
  open(): void;
  next(): boolean;
  close(): void;
}

/** A compiled query whose current row is read through `columns`. */
export interface RowProducer {
  readonly operator: Operator;
  readonly columns: readonly import('./evaluate.js').Evaluate[];
}

/**
 * Nested-loop join: for every row of the outer input, runs the inner input
 * from the start. For a LEFT JOIN, an outer row for which the inner input
 * produced no row is emitted once with the inner side's sources switched to
 * their NULL row (`setNullRow`).
 */
import type { Operator } from '../operator.js';

export class NestedLoopJoin implements Operator {
  private outerActive = false;
  private matched = false;

  constructor(
    private readonly outer: Operator,
    private readonly inner: Operator,
    private readonly setNullRow: ((on: boolean) => void) | null,
  ) {}

  open(): void {
    this.outer.open();
    this.outerActive = false;
  }

  next(): boolean {
    for (;;) {
      if (!this.outerActive) {
        if (!this.outer.next()) return false;
        this.outerActive = true;
        this.matched = false;
        if (this.setNullRow !== null) this.setNullRow(false);
        this.inner.open();
      }
      if (this.inner.next()) {
        this.matched = true;
        return true;
      }
      this.inner.close();
      this.outerActive = false;
      if (!this.matched && this.setNullRow !== null) {
        this.setNullRow(true);
        return true;
      }
    }
  }

  close(): void {
    if (this.outerActive) this.inner.close();
    this.outerActive = false;
    this.outer.close();
    if (this.setNullRow !== null) this.setNullRow(false);
  }
}

/**
 * Filter: passes on only the rows of its input for which the predicate is
 * true (NULL and false reject a row).
 */
import type { Evaluate } from '../evaluate.js';
import type { Operator } from '../operator.js';
import { truthValue } from '../values/conversions.js';

export class FilterOperator implements Operator {
  constructor(
    private readonly input: Operator,
    private readonly predicate: Evaluate,
  ) {}

  open(): void {
    this.input.open();
  }

  next(): boolean {
    const input = this.input;
    const predicate = this.predicate;
    while (input.next()) {
      const v = predicate();
      if (v === 1 || (v !== 0 && v !== null && truthValue(v) === true)) return true;
    }
    return false;
  }

  close(): void {
    this.input.close();
  }
}

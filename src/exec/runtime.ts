/**
 * Per-statement runtime state shared by the closures of one compiled
 * statement: the bound parameters of the current execution, an execution
 * counter that lets uncorrelated subqueries cache their result for exactly
 * one execution, and the statement time that CURRENT_TIMESTAMP and the date
 * functions see (read from the clock on first use, then fixed for the rest
 * of the execution, so statements that never ask pay nothing).
 */
import type { SqlValue } from './values/value.js';

export class StatementRuntime {
  parameters: SqlValue[] = [];
  /** Incremented at the start of every execution. */
  execution = 0;
  private clock = 0;
  private clockExecution = -1;

  begin(parameters: SqlValue[]): void {
    this.parameters = parameters;
    this.execution++;
  }

  /** Milliseconds since the epoch, fixed per execution. */
  get now(): number {
    if (this.clockExecution !== this.execution) {
      this.clock = Date.now();
      this.clockExecution = this.execution;
    }
    return this.clock;
  }
}

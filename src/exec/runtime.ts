/**
 * Per-statement runtime state shared by the closures of one compiled
 * statement: the bound parameters of the current execution, an execution
 * counter that lets uncorrelated subqueries cache their result for exactly
 * one execution, and the statement time that CURRENT_TIMESTAMP and the date
 * functions see.
 */
import type { SqlValue } from './values/value.js';

export class StatementRuntime {
  parameters: SqlValue[] = [];
  /** Incremented at the start of every execution. */
  execution = 0;
  /** Milliseconds since the epoch, fixed per execution. */
  now = 0;

  begin(parameters: SqlValue[]): void {
    this.parameters = parameters;
    this.execution++;
    this.now = Date.now();
  }
}

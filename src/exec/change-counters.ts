/**
 * ChangeCounters: one connection's sqlite3_changes(), total_changes() and
 * last_insert_rowid(), which the DML programs update and the built-in
 * functions of the same names read (through a per-statement
 * FunctionContext, whose clock is the statement's own time).
 *
 * As in SQLite, `changes` is set when a top-level INSERT/UPDATE/DELETE
 * finishes (changes made by triggers do not count); `totalChanges` counts
 * every row change, triggers included; `lastInsertRowid` is the rowid of
 * the most recent insert into a rowid table (an insert inside a trigger
 * counts only until the trigger ends, then the outer value is restored).
 */
import type { FunctionContext } from './functions/function-types.js';
import type { StatementRuntime } from './runtime.js';

export class ChangeCounters {
  changes = 0;
  totalChanges = 0;
  lastInsertRowid: number | bigint = 0;

  /** Records the rows a finished INSERT/UPDATE/DELETE changed. */
  finish(count: number): void {
    this.changes = count;
    this.totalChanges += count;
  }

  /**
   * Records a failed INSERT/UPDATE/DELETE: its rows count only when its
   * changes were kept (conflict resolution FAIL), as in SQLite.
   */
  fail(count: number, kept: boolean): void {
    this.finish(kept ? count : 0);
  }

  /** The FunctionContext a statement's function calls see. */
  contextFor(runtime: StatementRuntime): FunctionContext {
    return {
      lastInsertRowid: () => this.lastInsertRowid,
      changes: () => this.changes,
      totalChanges: () => this.totalChanges,
      currentTimeMs: () => runtime.now,
    };
  }
}

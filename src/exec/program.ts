/**
 * Program: a compiled statement as the connection runs it.
 *
 * The compiler turns one parsed statement into a Program once; every
 * execution calls `start()` and pulls rows from the returned run. A Program
 * declares the transaction it needs (`access`): 'read' and 'write' programs
 * run inside a transaction the connection opens for them (autocommit) or
 * already holds (BEGIN ... COMMIT); 'control' programs (BEGIN, COMMIT,
 * SAVEPOINT, ...) manage the transaction themselves; 'none' programs touch
 * no storage. Write programs do all their changes in `start()` (as SQLite
 * does on the first step), so a statement's changes are complete before its
 * first row (RETURNING) is handed out.
 */
import type { ColumnDescription } from './engine-contract.js';
import type { SqlValue } from './values/value.js';
import type { Schema } from '../schema/schema-catalog.js';

export type TransactionAccess = 'none' | 'read' | 'write' | 'control';

export interface Program {
  readonly access: TransactionAccess;
  /** True when the statement returns rows. */
  readonly reader: boolean;
  /** True when the statement cannot change the database. */
  readonly readonly: boolean;
  readonly columns: readonly ColumnDescription[];
  /** The catalog the program was compiled against (null when it depends on none). */
  readonly schema: Schema | null;
  /**
   * For write programs: false when a failure can never leave part of the
   * statement's changes behind (one row, every check made before the first
   * write), so no statement savepoint is needed. A program that only learns
   * this at run time (how many rows an UPDATE matched) declares false and
   * calls `TransactionControl.journalStatement()` before its first change
   * when it may fail halfway after all.
   */
  readonly partialFailure?: boolean;
  start(): ProgramRun;
}

export interface ProgramRun {
  /** The next row, or null when done. The array may be reused by the next call: copy what you keep. */
  next(): SqlValue[] | null;
  /** Releases cursors early; idempotent. */
  close(): void;
}

/** A run that yields the rows of an array (RETURNING output, pragma rows, plan rows). */
export function rowsRun(rows: readonly SqlValue[][]): ProgramRun {
  let position = 0;
  return {
    next: () => (position < rows.length ? rows[position++] : null),
    close: () => {
      position = rows.length;
    },
  };
}

/** A run that yields nothing. */
export const EMPTY_RUN: ProgramRun = { next: () => null, close: () => undefined };

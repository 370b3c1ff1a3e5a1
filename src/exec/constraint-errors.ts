/**
 * The errors SQLite raises when a row breaks a constraint, with its exact
 * codes and wording:
 *  - `NOT NULL constraint failed: t.a` (SQLITE_CONSTRAINT_NOTNULL)
 *  - `CHECK constraint failed: <name or expression text>` (SQLITE_CONSTRAINT_CHECK)
 *  - `UNIQUE constraint failed: t.a, t.b` (SQLITE_CONSTRAINT_UNIQUE, or
 *    SQLITE_CONSTRAINT_PRIMARYKEY for a primary key), where an index with
 *    expression terms is named instead: `UNIQUE constraint failed: index 'i'`.
 */
import { SqliteError } from '../sqlite-error.js';
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';

export function notNullError(table: TableSchema, column: number): SqliteError {
  return new SqliteError(`NOT NULL constraint failed: ${table.name}.${table.columns[column].name}`, 'SQLITE_CONSTRAINT_NOTNULL');
}

export function checkError(text: string): SqliteError {
  return new SqliteError(`CHECK constraint failed: ${text}`, 'SQLITE_CONSTRAINT_CHECK');
}

export function uniqueError(table: TableSchema, index: IndexSchema): SqliteError {
  const code = index.origin === 'pk' ? 'SQLITE_CONSTRAINT_PRIMARYKEY' : 'SQLITE_CONSTRAINT_UNIQUE';
  if (index.terms.some((t) => t.column === -2)) return new SqliteError(`UNIQUE constraint failed: index '${index.name}'`, code);
  const names = index.terms.map((t) => `${table.name}.${t.column === -1 ? 'rowid' : table.columns[t.column].name}`);
  return new SqliteError(`UNIQUE constraint failed: ${names.join(', ')}`, code);
}

/** A duplicate rowid: the INTEGER PRIMARY KEY column, or `rowid` itself. */
export function rowidConflictError(table: TableSchema): SqliteError {
  const name = table.rowidAlias >= 0 ? table.columns[table.rowidAlias].name : 'rowid';
  return new SqliteError(`UNIQUE constraint failed: ${table.name}.${name}`, 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

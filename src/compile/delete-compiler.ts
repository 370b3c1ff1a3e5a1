/**
 * DELETE: finds the matching rows (target-scan.ts), then deletes each with
 * its index entries, collecting RETURNING rows from the deleted values.
 * Without WHERE, RETURNING or triggers the table and its indexes are simply
 * emptied (SQLite's truncate optimization), still counting the rows for
 * changes().
 */
import { SqliteError } from '../sqlite-error.js';
import type { DeleteStmt } from '../sql/ast.js';
import type { Program } from '../exec/program.js';
import { RowSlot } from '../exec/row-slot.js';
import { TableModifier } from '../exec/table-modifier.js';
import type { SqlValue } from '../exec/values/value.js';
import type { PlanLine } from './query-planner.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { modifierSetup, targetTable } from './modification-target.js';
import { compileReturning, modificationProgram } from './returning-clause.js';
import { expressionContext } from './select-compiler.js';
import { compileTargetScan, type TargetScan } from './target-scan.js';
import { compileRowTriggers } from './trigger-compiler.js';

function compileScan(stmt: DeleteStmt, ctx: CompilerContext): TargetScan {
  if (stmt.orderBy !== null || stmt.limit !== null) throw new SqliteError('ORDER BY and LIMIT on DELETE are not supported', 'SQLITE_ERROR');
  const table = targetTable(stmt.table, ctx.schema);
  const exprCtx = expressionContext(ctx);
  exprCtx.clause = 'where';
  return compileTargetScan(stmt.table, table, stmt.where, ctx, exprCtx);
}

export function deletePlan(stmt: DeleteStmt, parentCtx: CompilerContext): readonly PlanLine[] {
  return compileScan(stmt, parentCtx.withClause(stmt.with)).plan;
}

export function deleteProgram(stmt: DeleteStmt, parentCtx: CompilerContext, services: ConnectionServices): Program {
  const ctx = parentCtx.withClause(stmt.with);
  const scan = compileScan(stmt, ctx);
  const table = scan.table;
  const slot = new RowSlot(table.columns.length);
  const alias = stmt.table.alias ? stmt.table.alias.name : table.name;
  const returning = stmt.returning === null ? null : compileReturning(stmt.returning, table, alias, slot, ctx);
  const setup = modifierSetup(table, slot, null, ctx, services);
  const triggers = compileRowTriggers(table, 'DELETE', null, ctx, services);
  const storage = services.storage;
  const counters = services.counters;
  const width = table.columns.length;
  const truncate = stmt.where === null && returning === null && triggers === null;

  let idleModifier: TableModifier | null = null;
  /** Triggers and RETURNING can fail after the row was deleted. */
  const mayFailAfterWriting = triggers !== null || returning !== null;
  const execute = (): SqlValue[][] | null => {
    let count = 0;
    if (truncate) {
      const cursor = scan.cursor;
      cursor.open();
      try {
        for (let more = cursor.first(); more; more = cursor.next()) count++;
      } finally {
        cursor.close();
      }
      services.transactions.journalStatement();
      storage.btree.clearTree(table.rootPage);
      for (const index of table.indexes) storage.btree.clearTree(index.rootPage);
      storage.writes++;
      counters.finish(count);
      return null;
    }
    const keys = scan.collectKeys();
    const output: SqlValue[][] | null = returning !== null ? [] : null;
    // The modifier is reused by the next execution; a re-entrant one (from a trigger) builds its own.
    const modifier = idleModifier ?? new TableModifier(storage, setup);
    idleModifier = null;
    if (keys.length > 1 || mayFailAfterWriting) services.transactions.journalStatement();
    modifier.open();
    try {
      for (const key of keys) {
        if (!scan.seek(key)) continue;
        const values: SqlValue[] = new Array(width);
        for (let i = 0; i < width; i++) values[i] = scan.columns[i]();
        const rowid = table.withoutRowid ? null : key[0];
        if (triggers !== null && !triggers.before(values, rowid, null, null)) continue;
        if (!modifier.delete(values, rowid)) continue;
        count++;
        if (output !== null) {
          slot.values = values;
          slot.rowid = rowid;
          output.push(returning!.row());
        }
        if (triggers !== null) triggers.after(values, rowid, null, null);
      }
    } catch (error) {
      counters.fail(count, services.transactions.failMode === 'fail');
      throw error;
    } finally {
      modifier.close();
      scan.cursor.close();
      idleModifier = modifier;
    }
    counters.finish(count);
    return output;
  };

  // The savepoint is taken at run time when needed (journalStatement): deleting one row is a single change.
  return modificationProgram(returning, ctx, false, execute);
}

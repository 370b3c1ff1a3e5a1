/**
 * UPDATE: finds the matching rows (target-scan.ts; with FROM,
 * update-from.ts, which computes the SET values during the join), then for
 * each computes the new row image — every SET expression is evaluated
 * against the old row before any is assigned — and hands old and new image to
 * TableModifier, which enforces constraints and rewrites the row and its
 * index entries. RETURNING rows come from the new images; row triggers run
 * around each change.
 */
import { SqliteError } from '../sqlite-error.js';
import type { UpdateStmt } from '../sql/ast.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Program } from '../exec/program.js';
import { RowSlot } from '../exec/row-slot.js';
import { TableModifier } from '../exec/table-modifier.js';
import type { SqlValue } from '../exec/values/value.js';
import type { TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { compileScalar } from './expression-compiler.js';
import { modifierSetup, targetTable } from './modification-target.js';
import type { PlanLine } from './query-planner.js';
import { compileReturning, modificationProgram } from './returning-clause.js';
import { expressionContext } from './select-compiler.js';
import { compileTargetScan, type TargetScan } from './target-scan.js';
import { compileUpdateFromScan } from './update-from.js';
import type { Scope } from './scope.js';
import { compileRowTriggers } from './trigger-compiler.js';

interface Assignment {
  /** Column index, or -1 for the rowid. */
  readonly column: number;
  readonly value: Evaluate;
}

/** The rows to change and their SET values; with FROM the values are computed during the search and travel with the keys. */
interface UpdateSearch {
  readonly scan: TargetScan;
  readonly assignments: readonly Assignment[];
  /** Width of the row key at the front of each collected entry when SET values follow it (UPDATE ... FROM), else null. */
  readonly keyWidth: number | null;
}

function compileSearch(stmt: UpdateStmt, ctx: CompilerContext): UpdateSearch {
  if (stmt.orderBy !== null || stmt.limit !== null) throw new SqliteError('ORDER BY and LIMIT on UPDATE are not supported', 'SQLITE_ERROR');
  const table = targetTable(stmt.table, ctx.schema);
  const exprCtx = expressionContext(ctx);
  exprCtx.clause = 'where';
  if (stmt.from === null) {
    const scan = compileTargetScan(stmt.table, table, stmt.where, ctx, exprCtx);
    return { scan, assignments: compileAssignments(stmt, table, scan.scope, ctx), keyWidth: null };
  }
  let assignments: Assignment[] = [];
  const scan = compileUpdateFromScan(stmt.table, table, stmt.from, stmt.where, ctx, exprCtx, (scope) => {
    assignments = compileAssignments(stmt, table, scope, ctx);
    return assignments.map((a) => a.value);
  });
  return { scan, assignments, keyWidth: scan.keyWidth };
}

function compileAssignments(stmt: UpdateStmt, table: TableSchema, scope: Scope, ctx: CompilerContext): Assignment[] {
  const exprCtx = expressionContext(ctx);
  const assignments: Assignment[] = [];
  for (const clause of stmt.set) {
    const targets = clause.columns.map((c) => columnOf(table, c.name));
    if (!clause.parenthesized) {
      assignments.push({ column: targets[0], value: compileScalar(clause.value, scope, exprCtx).evaluate });
      continue;
    }
    if (clause.value.kind !== 'Vector' || clause.value.items.length !== targets.length) {
      throw new SqliteError(`${targets.length} columns assigned ${clause.value.kind === 'Vector' ? clause.value.items.length : 1} values`, 'SQLITE_ERROR');
    }
    const items = clause.value.items;
    targets.forEach((column, k) => assignments.push({ column, value: compileScalar(items[k], scope, exprCtx).evaluate }));
  }
  return assignments;
}

export function updatePlan(stmt: UpdateStmt, parentCtx: CompilerContext): readonly PlanLine[] {
  return compileSearch(stmt, parentCtx.withClause(stmt.with)).scan.plan;
}

/** The column an assignment names: its index, or -1 for the rowid ("no such column" otherwise). */
export function columnOf(table: TableSchema, name: string): number {
  const lower = name.toLowerCase();
  const i = table.columns.findIndex((c) => c.name.toLowerCase() === lower);
  if (i >= 0) return i;
  if (!table.withoutRowid && (lower === 'rowid' || lower === 'oid' || lower === '_rowid_')) return -1;
  throw new SqliteError(`no such column: ${name}`, 'SQLITE_ERROR');
}

export function updateProgram(stmt: UpdateStmt, parentCtx: CompilerContext, services: ConnectionServices): Program {
  const ctx = parentCtx.withClause(stmt.with);
  const { scan, assignments, keyWidth } = compileSearch(stmt, ctx);
  const table = scan.table;
  const changed = new Set(assignments.map((a) => a.column));
  const slot = new RowSlot(table.columns.length);
  const alias = stmt.table.alias ? stmt.table.alias.name : table.name;
  const returning = stmt.returning === null ? null : compileReturning(stmt.returning, table, alias, slot, ctx);
  const setup = modifierSetup(table, slot, stmt.orConflict, ctx, services);
  const triggers = compileRowTriggers(table, 'UPDATE', changed, ctx, services);
  const storage = services.storage;
  const counters = services.counters;
  const width = table.columns.length;
  const computed: SqlValue[] = new Array(assignments.length).fill(null);

  let idleModifier: TableModifier | null = null;
  /** Triggers, REPLACE deletions that fire triggers, and RETURNING can fail after the row was written. */
  const mayFailAfterWriting = triggers !== null || setup.onReplaceDelete !== null || returning !== null;
  const execute = (): SqlValue[][] | null => {
    const keys = scan.collectKeys();
    const output: SqlValue[][] | null = returning !== null ? [] : null;
    // The modifier is reused by the next execution; a re-entrant one (from a trigger) builds its own.
    const modifier = idleModifier ?? new TableModifier(storage, setup);
    idleModifier = null;
    let count = 0;
    if (keys.length > 1 || mayFailAfterWriting) services.transactions.journalStatement();
    modifier.open();
    try {
      for (const entry of keys) {
        const key = keyWidth === null ? entry : entry.slice(0, keyWidth);
        if (!scan.seek(key)) continue;
        const oldValues: SqlValue[] = new Array(width);
        for (let i = 0; i < width; i++) oldValues[i] = scan.columns[i]();
        const oldRowid = table.withoutRowid ? null : key[0];
        if (keyWidth === null) for (let k = 0; k < assignments.length; k++) computed[k] = assignments[k].value();
        else for (let k = 0; k < assignments.length; k++) computed[k] = entry[keyWidth + k];
        const values = oldValues.slice();
        let rowid = oldRowid;
        for (let k = 0; k < assignments.length; k++) {
          const column = assignments[k].column;
          if (column >= 0) values[column] = computed[k];
          else rowid = computed[k];
        }
        if (table.rowidAlias >= 0 && !changed.has(table.rowidAlias) && rowid !== oldRowid) values[table.rowidAlias] = rowid;
        if (triggers !== null && !triggers.before(oldValues, oldRowid, values, rowid)) continue;
        if (!modifier.update(oldValues, oldRowid, values, rowid, triggers === null)) continue;
        count++;
        const newRowid = table.withoutRowid ? null : modifier.rowid;
        if (output !== null) {
          slot.values = values;
          slot.rowid = newRowid;
          output.push(returning!.row());
        }
        if (triggers !== null) triggers.after(oldValues, oldRowid, values, newRowid);
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

  // The savepoint is taken at run time when needed (journalStatement): a one-row update checks everything before it writes.
  return modificationProgram(returning, ctx, false, execute);
}

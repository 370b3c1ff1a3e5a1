/**
 * INSERT's ON CONFLICT clauses (upsert), with SQLite's semantics.
 *
 * Each clause's conflict target must name the INTEGER PRIMARY KEY, the
 * PRIMARY KEY of a WITHOUT ROWID table, or a UNIQUE index: the same set of
 * columns (or index expressions) in any order, each term's COLLATE (if
 * written) equal to the index's, and for a partial index the same WHERE.
 * Anything else is "ON CONFLICT clause does not match any PRIMARY KEY or
 * UNIQUE constraint". Only the last clause may omit the target; it then
 * handles a conflict on any uniqueness constraint.
 *
 * DO UPDATE SET and its WHERE see the existing row under the table's name
 * (or alias) and the row that failed to go in as `excluded.column`
 * (reachable only qualified). All SET values are computed from the old row
 * before any is assigned; a WHERE that is not true leaves the row alone.
 * The update fires the table's UPDATE triggers, and every constraint it
 * violates aborts the statement. NOT NULL and CHECK failures of the
 * proposed row are never handled by ON CONFLICT.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr, OrderingTerm, UpsertClause } from '../sql/ast.js';
import { formatExpr } from '../sql/printer.js';
import type { Evaluate } from '../exec/evaluate.js';
import { RowSlot } from '../exec/row-slot.js';
import { PRIMARY_KEY_TARGET, ROWID_TARGET, type TableModifier, type UpsertTarget } from '../exec/table-modifier.js';
import { truthValue } from '../exec/values/conversions.js';
import type { SqlValue } from '../exec/values/value.js';
import type { IndexSchema, IndexTerm, TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { compileScalar } from './expression-compiler.js';
import { rowSlotItem } from './row-scope.js';
import { Scope } from './scope.js';
import { expressionContext } from './select-compiler.js';
import { compileRowTriggers, type RowTriggers } from './trigger-compiler.js';
import { columnOf } from './update-compiler.js';

/** The row a DO UPDATE wrote. */
export interface UpsertedRow {
  readonly values: SqlValue[];
  readonly rowid: SqlValue;
}

export interface CompiledUpsert {
  /** The constraint each clause handles, in clause order (for `TableModifier.insertOrConflict`). */
  readonly targets: readonly UpsertTarget[];
  /**
   * Runs the clause named by `modifier.upsertConflict` for the proposed row
   * (`values`, after affinities, and its rowid): the updated row, or null
   * for DO NOTHING or when the WHERE left the row alone.
   */
  resolve(modifier: TableModifier, values: readonly SqlValue[], rowid: SqlValue): UpsertedRow | null;
}

interface DoUpdate {
  /** Column index (-1 for the rowid) and value of each assignment. */
  readonly columns: readonly number[];
  readonly values: readonly Evaluate[];
  readonly where: Evaluate | null;
  readonly triggers: RowTriggers | null;
}

export function compileUpsert(
  clauses: readonly UpsertClause[],
  table: TableSchema,
  alias: string,
  ctx: CompilerContext,
  services: ConnectionServices,
): CompiledUpsert {
  const targets = clauses.map((clause) => (clause.target === null ? null : matchTarget(clause.target, clause.targetWhere, table, alias)));
  const existing = new RowSlot(table.columns.length);
  const excluded = new RowSlot(table.columns.length);
  const scope = new Scope(ctx.outerScope);
  scope.add(rowSlotItem(table, existing, alias));
  scope.add({ ...rowSlotItem(table, excluded, 'excluded', 1), qualifiedOnly: true });
  const exprCtx = expressionContext(ctx);
  const actions = clauses.map((clause): DoUpdate | null => {
    if (clause.set === null) return null;
    const columns: number[] = [];
    const values: Evaluate[] = [];
    for (const set of clause.set) {
      const targetColumns = set.columns.map((c) => columnOf(table, c.name));
      if (!set.parenthesized) {
        columns.push(targetColumns[0]);
        values.push(compileScalar(set.value, scope, exprCtx).evaluate);
        continue;
      }
      const items = set.value.kind === 'Vector' ? set.value.items : [set.value];
      if (items.length !== targetColumns.length) throw new SqliteError(`${targetColumns.length} columns assigned ${items.length} values`, 'SQLITE_ERROR');
      targetColumns.forEach((column, k) => {
        columns.push(column);
        values.push(compileScalar(items[k], scope, exprCtx).evaluate);
      });
    }
    exprCtx.clause = 'where';
    const where = clause.where !== null ? compileScalar(clause.where, scope, exprCtx).evaluate : null;
    exprCtx.clause = 'other';
    const triggers = compileRowTriggers(table, 'UPDATE', new Set(columns), ctx, services);
    return { columns, values, where, triggers };
  });
  const width = table.columns.length;
  return {
    targets,
    resolve(modifier, values, rowid) {
      const conflict = modifier.upsertConflict!;
      const action = actions[conflict.clause];
      if (action === null) return null;
      const oldValues = modifier.readRow(conflict.key);
      if (oldValues === null) return null;
      const oldRowid = table.withoutRowid ? null : conflict.key[0];
      existing.values = oldValues;
      existing.rowid = oldRowid;
      excluded.values = values as SqlValue[];
      excluded.rowid = rowid;
      if (action.where !== null && truthValue(action.where()) !== true) return null;
      const computed = action.values.map((value) => value());
      const newValues = oldValues.slice(0, width);
      let newRowid = oldRowid;
      action.columns.forEach((column, k) => {
        if (column >= 0) newValues[column] = computed[k];
        else newRowid = computed[k];
      });
      if (table.rowidAlias >= 0 && !action.columns.includes(table.rowidAlias) && newRowid !== oldRowid) newValues[table.rowidAlias] = newRowid;
      if (action.triggers !== null && !action.triggers.before(oldValues, oldRowid, newValues, newRowid)) return null;
      if (!modifier.updateForUpsert(oldValues, oldRowid, newValues, newRowid)) return null;
      const writtenRowid = table.withoutRowid ? null : modifier.rowid;
      if (action.triggers !== null) action.triggers.after(oldValues, oldRowid, newValues, writtenRowid);
      return { values: newValues, rowid: writtenRowid };
    },
  };
}

/** The constraint a conflict target names (see the module comment). */
function matchTarget(terms: readonly OrderingTerm[], where: Expr | null, table: TableSchema, alias: string): UpsertTarget {
  const resolved = terms.map((term) => resolveTerm(term.expr, table, alias));
  if (resolved.length === 1 && resolved[0].collation === null) {
    const column = resolved[0].column;
    if (column === -1 || (column >= 0 && column === table.rowidAlias)) return ROWID_TARGET;
  }
  for (let i = table.indexes.length - 1; i >= 0; i--) {
    if (indexMatches(table.indexes[i], resolved, where)) return i;
  }
  if (table.primaryIndex !== null && indexMatches(table.primaryIndex, resolved, where)) return PRIMARY_KEY_TARGET;
  throw new SqliteError('ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint', 'SQLITE_ERROR');
}

interface TargetTerm {
  /** Table column, or -2 for an expression. */
  readonly column: number;
  /** The expression's text, for matching index expressions. */
  readonly text: string;
  /** An explicit COLLATE, upper-cased, or null. */
  readonly collation: string | null;
}

function resolveTerm(expr: Expr, table: TableSchema, alias: string): TargetTerm {
  let collation: string | null = null;
  let e = expr;
  while (e.kind === 'Collate') {
    collation ??= e.collation.name.toUpperCase();
    e = e.expr;
  }
  if (e.kind === 'ColumnRef') {
    const qualifier = e.table !== null ? e.table.name.toLowerCase() : null;
    if (qualifier !== null && qualifier !== alias.toLowerCase() && qualifier !== table.name.toLowerCase()) {
      throw new SqliteError(`no such column: ${e.table!.name}.${e.column.name}`, 'SQLITE_ERROR');
    }
    return { column: columnOf(table, e.column.name), text: formatExpr(e), collation };
  }
  return { column: -2, text: formatExpr(e), collation };
}

function indexMatches(index: IndexSchema, terms: readonly TargetTerm[], where: Expr | null): boolean {
  if (!index.unique || index.terms.length !== terms.length) return false;
  if (index.where !== null && (where === null || formatExpr(where) !== formatExpr(index.where))) return false;
  return index.terms.every((indexTerm) => terms.some((term) => termMatches(indexTerm, term)));
}

function termMatches(indexTerm: IndexTerm, term: TargetTerm): boolean {
  if (term.collation !== null && term.collation !== indexTerm.collation.toUpperCase()) return false;
  if (indexTerm.column >= 0) return term.column === indexTerm.column;
  return indexTerm.expr !== null && term.column === -2 && formatExpr(indexTerm.expr) === term.text;
}

/**
 * What INSERT, UPDATE and DELETE share about their target table: finding it
 * (with SQLite's messages for views, system tables and unknown names) and
 * compiling what TableModifier evaluates per row — the column DEFAULTs, the
 * CHECK constraints (against the row being written) and the index
 * expressions and partial-index predicates.
 */
import { SqliteError } from '../sqlite-error.js';
import type { ConflictResolution, QualifiedTableName } from '../sql/ast.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { RowSlot } from '../exec/row-slot.js';
import type { ModifierSetup } from '../exec/table-modifier.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { compileScalar } from './expression-compiler.js';
import { indexRowLogic } from './index-row-logic.js';
import { rowSlotItem } from './row-scope.js';
import { checkSchemaName } from './schema-change.js';
import { Scope } from './scope.js';
import { expressionContext } from './select-compiler.js';

/** The table an INSERT/UPDATE/DELETE writes. */
export function targetTable(target: QualifiedTableName, schema: Schema): TableSchema {
  checkSchemaName(target.schema);
  const name = target.name.name;
  const table = schema.table(name);
  if (table === undefined) {
    if (schema.view(name) !== undefined) throw new SqliteError(`cannot modify ${name} because it is a view`, 'SQLITE_ERROR');
    throw new SqliteError(`no such table: ${name}`, 'SQLITE_ERROR');
  }
  const lower = table.name.toLowerCase();
  if (lower === 'sqlite_schema' || lower === 'sqlite_master') throw new SqliteError('table sqlite_master may not be modified', 'SQLITE_ERROR');
  return table;
}

/** The text the table's CHECK and DEFAULT expressions were parsed from. */
function tableSource(table: TableSchema): string {
  return table.columns.length > 0 ? table.columns[0].defaultSource : table.sql;
}

/** The DEFAULT value closure of each column (null where none). */
export function compileDefaults(table: TableSchema, ctx: CompilerContext): (Evaluate | null)[] {
  const exprCtx = expressionContext(ctx.withSource(tableSource(table), null));
  const scope = new Scope(null);
  return table.columns.map((column) => (column.defaultExpr === null ? null : compileScalar(column.defaultExpr, scope, exprCtx).evaluate));
}

export function modifierSetup(
  table: TableSchema,
  slot: RowSlot,
  override: ConflictResolution | null,
  ctx: CompilerContext,
  services: ConnectionServices,
): ModifierSetup {
  const checkSlotScope = new Scope(null);
  checkSlotScope.add(rowSlotItem(table, slot, table.name));
  const checkCtx = expressionContext(ctx.withSource(tableSource(table), null));
  const checks = table.checks.map((check) => ({
    evaluate: compileScalar(check.expr, checkSlotScope, checkCtx).evaluate,
    text: check.name ?? check.text,
  }));
  const transactions = services.transactions;
  return {
    table,
    indexLogic: indexRowLogic(table, ctx),
    slot,
    checks,
    defaults: compileDefaults(table, ctx),
    override,
    setFailMode: (mode) => {
      transactions.failMode = mode;
    },
    onReplaceDelete: null,
  };
}

/**
 * RETURNING: the result columns of an INSERT, UPDATE or DELETE, compiled
 * against the row just written (or deleted), held in a RowSlot. `*` expands
 * to the table's columns; names follow SELECT's rules (alias, column name,
 * else the expression's text). Aggregates are not allowed, as in SQLite.
 */
import { SqliteError } from '../sqlite-error.js';
import type { ResultColumn } from '../sql/ast.js';
import type { ColumnDescription } from '../exec/engine-contract.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { RowSlot } from '../exec/row-slot.js';
import type { SqlValue } from '../exec/values/value.js';
import { EMPTY_RUN, rowsRun, type Program } from '../exec/program.js';
import type { TableSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import { compileScalar } from './expression-compiler.js';
import { rowSlotItem } from './row-scope.js';
import { Scope } from './scope.js';
import { expressionContext } from './select-compiler.js';

export interface ReturningClause {
  readonly columns: readonly ColumnDescription[];
  /** The current row of the slot as a fresh result row. */
  row(): SqlValue[];
}

export function compileReturning(
  columns: readonly ResultColumn[],
  table: TableSchema,
  alias: string,
  slot: RowSlot,
  ctx: CompilerContext,
): ReturningClause {
  const scope = new Scope(null);
  scope.add(rowSlotItem(table, slot, alias));
  const exprCtx = expressionContext(ctx);
  exprCtx.clause = 'result';
  const evaluators: Evaluate[] = [];
  const descriptions: ColumnDescription[] = [];
  const describe = (name: string, column: string | null, type: string | null): ColumnDescription => ({
    name,
    column,
    table: column !== null ? table.name : null,
    database: column !== null ? 'main' : null,
    type,
  });
  const addTableColumns = (): void => {
    const item = scope.items[0];
    item.columns.forEach((c) => {
      evaluators.push(c.read);
      descriptions.push(describe(c.name, c.name, c.declaredType));
    });
  };
  for (const column of columns) {
    if (column.kind === 'ResultStar') {
      addTableColumns();
      continue;
    }
    if (column.kind === 'ResultTableStar') {
      if (column.table.name.toLowerCase() !== alias.toLowerCase()) throw new SqliteError(`no such table: ${column.table.name}`, 'SQLITE_ERROR');
      addTableColumns();
      continue;
    }
    const compiled = compileScalar(column.expr, scope, exprCtx);
    const origin = compiled.column !== null && column.expr.kind === 'ColumnRef' ? compiled.column.column : null;
    const name = column.alias !== null ? column.alias.name : origin !== null ? origin.name : ctx.sql.slice(column.start, column.nameEnd);
    evaluators.push(compiled.evaluate);
    descriptions.push(describe(name, origin !== null ? origin.originColumn : null, origin !== null ? origin.declaredType : null));
  }
  const width = evaluators.length;
  return {
    columns: descriptions,
    row: () => {
      const out: SqlValue[] = new Array(width);
      for (let i = 0; i < width; i++) out[i] = evaluators[i]();
      return out;
    },
  };
}

/**
 * The program of an INSERT, UPDATE or DELETE: `execute` makes the changes and
 * returns the RETURNING rows (null without a RETURNING clause), which the
 * program then hands out one by one.
 */
export function modificationProgram(
  returning: ReturningClause | null,
  ctx: CompilerContext,
  partialFailure: boolean,
  execute: () => SqlValue[][] | null,
): Program {
  return {
    access: 'write',
    reader: returning !== null,
    readonly: false,
    columns: returning !== null ? returning.columns : [],
    schema: ctx.schema,
    partialFailure,
    start: () => {
      const rows = execute();
      return rows === null ? EMPTY_RUN : rowsRun(rows);
    },
  };
}

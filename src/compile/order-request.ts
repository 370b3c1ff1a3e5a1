/**
 * Order request: the ORDER BY of one SELECT core as the planner can use it,
 * resolved the way select-compiler.ts resolves ORDER BY terms (an ordinal
 * names a result column, an unqualified name matching a result alias names
 * that alias's expression, anything else is read in the FROM scope). A term
 * becomes a column of a FROM entry (the rowid or its alias as column -1)
 * with its effective collation — the term's own COLLATE, else the result
 * expression's, else the column's — its direction and NULLS placement;
 * any other term becomes null, which no scan order satisfies. The caller
 * asks only for queries whose rows leave the loops in scan order (no
 * aggregation, DISTINCT or window functions).
 */
import type { Expr, OrderingTerm, SelectCore } from '../sql/ast.js';
import { compileExpr, type ExpressionContext } from './expression-compiler.js';
import type { OrderRequest, OrderRequestTerm } from './scan-order.js';
import type { Scope } from './scope.js';

export function orderRequest(core: SelectCore, orderBy: readonly OrderingTerm[], scope: Scope, ctx: ExpressionContext): OrderRequest {
  return orderBy.map((term) => requestTerm(core, term, scope, ctx));
}

function requestTerm(core: SelectCore, term: OrderingTerm, scope: Scope, ctx: ExpressionContext): OrderRequestTerm | null {
  const bare = stripCollate(term.expr);
  let resolved: Expr = bare;
  if (bare.kind === 'Literal') {
    if (bare.type !== 'integer') return null;
    const column = core.columns[Number(bare.value) - 1];
    if (column === undefined || column.kind !== 'ResultExpr') return null;
    resolved = column.expr;
  } else if (bare.kind === 'ColumnRef' && bare.table === null) {
    const name = bare.column.name.toLowerCase();
    const aliased = core.columns.find((c) => c.kind === 'ResultExpr' && c.alias !== null && c.alias.name.toLowerCase() === name);
    if (aliased !== undefined && aliased.kind === 'ResultExpr') resolved = aliased.expr;
  }
  const columnRef = stripCollate(resolved);
  if (columnRef.kind !== 'ColumnRef') return null;
  let compiled;
  try {
    compiled = compileExpr(columnRef, scope, ctx);
  } catch {
    return null;
  }
  const target = compiled.column;
  if (target === null || target.depth !== 0 || target.item.table === null) return null;
  const table = target.item.table;
  const column = target.columnIndex === -1 || target.column.tableColumn === table.rowidAlias ? -1 : target.column.tableColumn;
  const collation = outerCollation(term.expr) ?? outerCollation(resolved) ?? compiled.collation ?? 'BINARY';
  const descending = term.direction === 'DESC';
  return {
    entry: target.item.position,
    column,
    collation: collation.toUpperCase(),
    descending,
    nullsFirst: term.nulls === null ? !descending : term.nulls === 'FIRST',
  };
}

function stripCollate(expr: Expr): Expr {
  let e = expr;
  while (e.kind === 'Collate') e = e.expr;
  return e;
}

function outerCollation(expr: Expr): string | null {
  return expr.kind === 'Collate' ? expr.collation.name : null;
}

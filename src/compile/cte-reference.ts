/**
 * A FROM-clause reference to a common table expression, resolved as SQLite
 * resolves it (select.c, withExpand):
 *
 * - A CTE is recursive when its body is a compound whose last operator is
 *   UNION or UNION ALL and whose trailing terms joined by that operator
 *   name the CTE directly in their FROM lists ("multiple references to
 *   recursive table: x" when one term names it twice). The terms before
 *   them are the setup query; the CTE compiles into a RecursiveCteOperator
 *   that streams its rows (ORDER BY, LIMIT and OFFSET of the body apply to
 *   the queue, see recursive-cte.ts).
 * - Any other reference to a CTE from inside its own body is an error:
 *   "circular reference: x" from a non-recursive body or the setup query,
 *   "multiple recursive references: x" from a recursive term.
 * - A recursive term may not aggregate ("recursive aggregate queries not
 *   supported").
 *
 * The recursive table's columns are named by the CTE's column list or the
 * setup query's names and read the queue's current row; neither they nor
 * the CTE's columns seen from outside have an affinity. UNION compares rows
 * under each column's collation from the leftmost arm that has one. Everything is compiled once; a run only moves rows.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr, FromItem, OrderingTerm, SelectCore, SelectStmt, ValuesClause } from '../sql/ast.js';
import { sqlText } from '../sql/ast.js';
import { CurrentRowOperator, RecursiveCteOperator } from '../exec/operators/recursive-cte.js';
import { RowBuffer } from '../exec/operators/row-buffer.js';
import type { SortKey } from '../exec/operators/row-comparator.js';
import type { Evaluate } from '../exec/evaluate.js';
import { keyCollation } from '../exec/value-key.js';
import { Affinity } from '../exec/values/affinity.js';
import type { SqlValue } from '../exec/values/value.js';
import { checkCollationName } from '../schema/collation-names.js';
import type { CompilerContext, CteDefinition, RecursiveReference } from './compiler-context.js';
import { compileScalar } from './expression-compiler.js';
import { compileSelect, containsAggregate, expressionContext, sortKey, type CompiledQuery } from './select-compiler.js';
import { Scope } from './scope.js';

/** A compiled CTE reference; `streamed` is set when the query writes its rows into that buffer (no materialization). */
export interface CteReference {
  readonly query: CompiledQuery;
  /** The context the body compiled in (its SQL text). */
  readonly ctx: CompilerContext;
  readonly streamed: RowBuffer | null;
  /** Column names the reference exposes, when the CTE lists them. */
  readonly columnNames: string[] | null;
}

export function compileCteReference(definition: CteDefinition, fromItem: FromItem, outer: Scope | null, ctx: CompilerContext): CteReference {
  const name = definition.cte.name.name;
  const columnNames = definition.cte.columns ? definition.cte.columns.map((c) => c.name) : null;
  const cteCtx = ctx.withSource(definition.sql, definition.outer);
  const recursion = definition.recursion;
  if (recursion !== null && recursion.items.has(fromItem)) return { ...recursiveTable(recursion), ctx: cteCtx, columnNames: null };
  if (definition.guard !== null) throw new SqliteError(`${definition.guard}: ${name}`, 'SQLITE_ERROR');
  const select = definition.cte.select;
  const split = recursiveSplit(select, name);
  if (split === 0) {
    definition.guard = 'circular reference';
    try {
      return { query: compileSelect(select, outer, cteCtx), ctx: cteCtx, streamed: null, columnNames };
    } finally {
      definition.guard = null;
    }
  }
  return { ...compileRecursive(definition, select, split, outer, cteCtx.withClause(select.with)), ctx: cteCtx, columnNames };
}

/** The FROM items of a term that name `name` directly (parenthesized joins included, subqueries not). */
function directReferences(items: readonly FromItem[] | null, name: string, found: FromItem[]): FromItem[] {
  for (const item of items ?? []) {
    if (item.kind === 'JoinGroup') directReferences(item.items, name, found);
    else if (item.kind === 'TableRef' && item.schema === null && item.args === null && item.name.name.toLowerCase() === name) found.push(item);
  }
  return found;
}

/** How many trailing compound terms are recursive (0: the CTE is not recursive). */
function recursiveSplit(select: SelectStmt, cteName: string): number {
  const parts = select.compounds;
  if (parts.length === 0) return 0;
  const op = parts[parts.length - 1].op;
  if (op !== 'UNION' && op !== 'UNION ALL') return 0;
  const name = cteName.toLowerCase();
  let count = 0;
  for (let i = parts.length - 1; i >= 0 && parts[i].op === op; i--) {
    const term = parts[i].select;
    if (term.kind !== 'SelectCore') break;
    const references = directReferences(term.from, name, []);
    if (references.length > 1) throw new SqliteError(`multiple references to recursive table: ${cteName}`, 'SQLITE_ERROR');
    if (references.length === 0) break;
    count++;
  }
  return count;
}

function recursiveTable(recursion: RecursiveReference): { query: CompiledQuery; streamed: RowBuffer } {
  const buffer = new RowBuffer(recursion.width);
  const names = [...recursion.names];
  return {
    query: {
      operator: new CurrentRowOperator(recursion.current, buffer),
      columns: names.map((_, i) => buffer.reader(i)),
      correlated: false,
      affinities: names.map(() => Affinity.NONE),
      collations: recursion.collations,
      names,
      descriptions: names.map((n) => ({ name: n, column: null, table: null, database: null, type: null })),
      plan: [],
    },
    streamed: buffer,
  };
}

function bareStatement(first: SelectCore | ValuesClause, compounds: SelectStmt['compounds']): SelectStmt {
  return { kind: 'Select', with: null, first, compounds, orderBy: null, limit: null, offset: null, start: first.start, end: first.end };
}

function compileRecursive(definition: CteDefinition, select: SelectStmt, split: number, outer: Scope | null, ctx: CompilerContext): { query: CompiledQuery; streamed: RowBuffer } {
  const cteName = definition.cte.name.name;
  const firstRecursive = select.compounds.length - split;
  const op = select.compounds[select.compounds.length - 1].op;
  definition.guard = 'circular reference';
  let setup: CompiledQuery;
  try {
    setup = compileSelect(bareStatement(select.first, select.compounds.slice(0, firstRecursive)), outer, ctx);
  } finally {
    definition.guard = null;
  }
  const width = setup.columns.length;
  const columns = definition.cte.columns;
  if (columns !== null && columns.length !== width) {
    throw new SqliteError(`table ${cteName} has ${width} values for ${columns.length} columns`, 'SQLITE_ERROR');
  }
  const terms = select.compounds.slice(firstRecursive).map((part) => part.select as SelectCore);
  for (const term of terms) {
    const aggregate = term.groupBy !== null || term.columns.some((c) => c.kind === 'ResultExpr' && containsAggregate(c.expr, ctx));
    if (aggregate) throw new SqliteError('recursive aggregate queries not supported', 'SQLITE_ERROR');
  }
  const items = new Set<FromItem>();
  for (const term of terms) directReferences(term.from, cteName.toLowerCase(), []).forEach((item) => items.add(item));
  const current: { row: SqlValue[] } = { row: new Array<SqlValue>(width).fill(null) };
  const collations = setup.collations.map((c) => c ?? 'BINARY');
  const names = columns !== null ? columns.map((c) => c.name) : [...setup.names];
  definition.recursion = { items, current, width, names, collations };
  definition.guard = 'multiple recursive references';
  const recursive: CompiledQuery[] = [];
  let correlated = setup.correlated;
  const limitScope = new Scope(outer);
  let limit: Evaluate | null = null;
  let offset: Evaluate | null = null;
  try {
    const exprCtx = expressionContext(ctx);
    if (select.limit !== null) limit = compileScalar(select.limit, limitScope, exprCtx).evaluate;
    if (select.limit !== null && select.offset !== null) offset = compileScalar(select.offset, limitScope, exprCtx).evaluate;
    for (const term of terms) {
      const compiled = compileSelect(bareStatement(term, []), outer, ctx);
      if (compiled.columns.length !== width) {
        throw new SqliteError(`SELECTs to the left and right of ${op} do not have the same number of result columns`, 'SQLITE_ERROR');
      }
      correlated ||= compiled.correlated;
      recursive.push(compiled);
    }
  } finally {
    definition.guard = null;
    definition.recursion = null;
  }
  const order = select.orderBy === null ? null : queueOrder(select.orderBy, setup, [select.first, ...select.compounds.map((p) => p.select)], ctx);
  correlated ||= limitScope.outerReach > 0;
  const buffer = new RowBuffer(width);
  const shape = {
    setup,
    recursive,
    current,
    distinct: op === 'UNION' ? setup.collations.map((c, i) => keyCollation(c ?? recursive.map((r) => r.collations[i]).find((rc) => rc !== null) ?? null)) : null,
    order,
    limit,
    offset,
  };
  return {
    query: {
      operator: new RecursiveCteOperator(shape, buffer, ctx.runtime, !correlated),
      columns: setup.columns.map((_, i) => buffer.reader(i)),
      correlated,
      affinities: setup.affinities.map(() => Affinity.NONE),
      collations: setup.collations,
      names: setup.names,
      descriptions: setup.descriptions,
      plan: [{ depth: 0, detail: `SCAN ${cteName}` }],
    },
    streamed: buffer,
  };
}

/**
 * The queue order: each ORDER BY term is an ordinal, a result column name
 * of the setup query, or an expression written as one of the terms' result
 * expressions (SQLite matches compound ORDER BY terms against every arm).
 */
function queueOrder(orderBy: readonly OrderingTerm[], setup: CompiledQuery, arms: readonly (SelectCore | ValuesClause)[], ctx: CompilerContext): SortKey[] {
  return orderBy.map((term, k) => {
    let expr: Expr = term.expr;
    let explicit: string | null = null;
    while (expr.kind === 'Collate') {
      explicit ??= checkCollationName(expr.collation.name);
      expr = expr.expr;
    }
    const index = orderIndex(expr, k, setup, arms, ctx);
    return sortKey(index, term, explicit ?? setup.collations[index]);
  });
}

function orderIndex(expr: Expr, k: number, setup: CompiledQuery, arms: readonly (SelectCore | ValuesClause)[], ctx: CompilerContext): number {
  const count = setup.names.length;
  if (expr.kind === 'Literal' && expr.type === 'integer') {
    const n = Number(expr.value);
    if (n < 1 || n > count) throw new SqliteError(`${ordinal(k + 1)} ORDER BY term out of range - should be between 1 and ${count}`, 'SQLITE_ERROR');
    return n - 1;
  }
  if (expr.kind === 'ColumnRef' && expr.table === null) {
    const i = setup.names.findIndex((n) => n.toLowerCase() === expr.column.name.toLowerCase());
    if (i >= 0) return i;
  }
  const text = sqlText(ctx.sql, expr);
  for (const arm of arms) {
    if (arm.kind !== 'SelectCore') continue;
    const i = arm.columns.findIndex((c) => c.kind === 'ResultExpr' && sqlText(ctx.sql, c.expr) === text);
    if (i >= 0 && i < count) return i;
  }
  throw new SqliteError(`${ordinal(k + 1)} ORDER BY term does not match any column in the result set`, 'SQLITE_ERROR');
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

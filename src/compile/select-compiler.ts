/**
 * Compiles SELECT statements (and subqueries, views, CTE bodies) into an
 * operator pipeline plus result-column closures.
 *
 * Order of work for one SELECT core, as SQLite defines it: FROM/JOIN and
 * WHERE (query-planner.ts), then GROUP BY/aggregates and HAVING, the result
 * list, DISTINCT, then ORDER BY and LIMIT/OFFSET on the whole (compound)
 * statement. Compound parts run left to right. Result columns are named as
 * SQLite names them: the alias, else a plain column reference's column name,
 * else the expression's source text; `*` expands to every visible column.
 * ORDER BY terms may be ordinals or result aliases (tried before FROM
 * columns); GROUP BY terms may be ordinals, FROM columns, or result aliases.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr, OrderingTerm, ResultColumn, SelectCore, SelectStmt, ValuesClause } from '../sql/ast.js';
import type { ColumnDescription } from '../exec/engine-contract.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Operator } from '../exec/operator.js';
import { AggregateOperator } from '../exec/operators/aggregate.js';
import { CompoundOperator, type CompoundPart } from '../exec/operators/compound.js';
import { DistinctOperator } from '../exec/operators/distinct.js';
import { FilterOperator } from '../exec/operators/filter.js';
import { LimitOperator } from '../exec/operators/limit.js';
import { MaterializedRows } from '../exec/operators/materialized-rows.js';
import { RowBuffer } from '../exec/operators/row-buffer.js';
import { SortOperator } from '../exec/operators/sorter.js';
import type { SortKey } from '../exec/operators/row-comparator.js';
import { keyCollation } from '../exec/value-key.js';
import type { SqlValue } from '../exec/values/value.js';
import { Affinity } from '../exec/values/affinity.js';
import { QueryAggregates } from './aggregate-collector.js';
import type { CompilerContext } from './compiler-context.js';
import { collationFunction, compileScalar, NO_SUBTYPE, type CompiledExpr, type CompiledSubquery, type ExpressionContext, type Subtype } from './expression-compiler.js';
import { compileFrom, type FromEntry } from './from-clause.js';
import { planJoin, type PlanLine } from './query-planner.js';
import { columnUsage } from './column-usage.js';
import { orderRequest } from './order-request.js';
import { sortPlanDetail } from './scan-order.js';
import { checkCollationName } from '../schema/collation-names.js';
import { compoundColumnAffinities, resultExpressions, type CompoundArm } from './compound-affinity.js';
import { Scope } from './scope.js';
import { QueryWindows, usesWindowFunctions } from './window-collector.js';

export interface CompiledQuery extends CompiledSubquery {
  /** For a compound: each column's affinity when the query is used as a table (compound-affinity.ts); else `affinities` apply. */
  readonly tableAffinities?: readonly Affinity[];
  readonly names: readonly string[];
  readonly descriptions: readonly ColumnDescription[];
  readonly plan: readonly PlanLine[];
}

interface ResultItem {
  readonly compiled: CompiledExpr;
  readonly name: string;
  readonly description: ColumnDescription;
  /** Alias written with AS, for ORDER BY/GROUP BY lookups. */
  readonly alias: string | null;
}

export function expressionContext(ctx: CompilerContext): ExpressionContext {
  return {
    sql: ctx.sql,
    runtime: ctx.runtime,
    functions: ctx.functions,
    functionContext: ctx.functionContext,
    compileSubquery: (select, scope) => compileSelect(select, scope, ctx),
    aggregates: null,
    clause: 'other',
    raise: ctx.trigger !== null ? ctx.trigger.raise : null,
  };
}

export function compileSelect(stmt: SelectStmt, outer: Scope | null, parentCtx: CompilerContext): CompiledQuery {
  const ctx = parentCtx.withClause(stmt.with);
  if (stmt.compounds.length === 0) {
    return compileCore(stmt.first, outer, ctx, stmt.orderBy, stmt.limit, stmt.offset);
  }
  return compileCompound(stmt, outer, ctx);
}

function compileCompound(stmt: SelectStmt, outer: Scope | null, ctx: CompilerContext): CompiledQuery {
  const first = compileCore(stmt.first, outer, ctx, null, null, null);
  const parts: CompoundPart[] = [{ operator: first.operator, columns: first.columns, op: 'UNION ALL' }];
  const arms: CompoundArm[] = [];
  const addArms = (core: SelectCore | ValuesClause, compiled: CompiledQuery): void => {
    if (core.kind === 'Values') {
      const rows = arms.length === 0 || core.rows.length === 1 ? core.rows : [core.rows[0].map(() => null)];
      for (const expressions of rows) arms.push({ expressions, affinities: compiled.affinities, columnAffinity: () => Affinity.NONE });
    } else {
      arms.push({ expressions: resultExpressions(core.columns, compiled.columns.length), affinities: compiled.affinities, columnAffinity: fromColumnAffinity(core, ctx) });
    }
  };
  addArms(stmt.first, first);
  let correlated = first.correlated;
  const plan: PlanLine[] = [{ depth: 0, detail: 'COMPOUND QUERY' }, { depth: 1, detail: 'LEFT-MOST SUBQUERY' }, ...first.plan.map((l) => ({ depth: l.depth + 2, detail: l.detail }))];
  for (const part of stmt.compounds) {
    const compiled = compileCore(part.select, outer, ctx, null, null, null);
    if (compiled.columns.length !== first.columns.length) {
      throw new SqliteError(`SELECTs to the left and right of ${part.op} do not have the same number of result columns`, 'SQLITE_ERROR');
    }
    correlated ||= compiled.correlated;
    addArms(part.select, compiled);
    parts.push({ operator: compiled.operator, columns: compiled.columns, op: part.op });
    plan.push({ depth: 1, detail: `${part.op === 'UNION ALL' ? 'UNION ALL' : part.op} USING TEMP B-TREE`.replace('UNION ALL USING TEMP B-TREE', 'UNION ALL') });
    plan.push(...compiled.plan.map((l) => ({ depth: l.depth + 2, detail: l.detail })));
  }
  const width = first.columns.length;
  const collations = first.collations.map((c) => keyCollation(c));
  const order: SortKey[] = first.collations.map((c, i) => ({ index: i, collation: collationFunction(c), descending: false, nullsFirst: true }));
  const buffer = new RowBuffer(width);
  let operator: Operator = new CompoundOperator(parts, collations, order, buffer);
  let columns: Evaluate[] = first.columns.map((_, i) => buffer.reader(i));
  if (stmt.orderBy !== null) {
    const keys: SortKey[] = [];
    const keyColumns: Evaluate[] = [];
    stmt.orderBy.forEach((term, k) => {
      const index = compoundOrderIndex(term, k, first.names, ctx);
      const collationName = explicitCollation(term.expr) ?? first.collations[index];
      keyColumns.push(columns[index]);
      keys.push(sortKey(keys.length, term, collationName));
    });
    const sortBuffer = new RowBuffer(keys.length + width);
    operator = new SortOperator(operator, [...keyColumns, ...columns], keys, sortBuffer);
    columns = columns.map((_, i) => sortBuffer.reader(keys.length + i));
    plan.push({ depth: 0, detail: 'USE TEMP B-TREE FOR ORDER BY' });
  }
  operator = withLimit(operator, stmt, ctx, outer);
  return {
    operator,
    columns,
    correlated,
    affinities: first.affinities,
    tableAffinities: compoundColumnAffinities(arms, width),
    collations: first.collations,
    names: first.names,
    descriptions: first.descriptions,
    plan,
  };
}

/** The declared affinity of a column of one of the base tables `core` reads from, NONE when it is not one. */
function fromColumnAffinity(core: SelectCore, ctx: CompilerContext): (ref: Extract<Expr, { kind: 'ColumnRef' }>) => Affinity {
  const tables = (core.from ?? []).flatMap((item) => {
    if (item.kind !== 'TableRef' || item.args !== null) return [];
    const table = ctx.schema.table(item.name.name);
    return table === undefined ? [] : [{ name: (item.alias ?? item.name).name.toLowerCase(), table }];
  });
  return (ref) => {
    const qualifier = ref.table === null ? null : ref.table.name.toLowerCase();
    const column = ref.column.name.toLowerCase();
    for (const { name, table } of tables) {
      if (qualifier !== null && qualifier !== name) continue;
      const found = table.columns.find((c) => c.name.toLowerCase() === column);
      if (found !== undefined) return found.affinity;
    }
    return Affinity.NONE;
  };
}

function explicitCollation(expr: Expr): string | null {
  return expr.kind === 'Collate' ? checkCollationName(expr.collation.name) : null;
}

function stripCollate(expr: Expr): Expr {
  let e = expr;
  while (e.kind === 'Collate') e = e.expr;
  return e;
}

/** ORDER BY on a compound select: an ordinal, or a name/expression matching a result column. */
function compoundOrderIndex(term: OrderingTerm, k: number, names: readonly string[], ctx: CompilerContext): number {
  const expr = stripCollate(term.expr);
  const ordinal = ordinalOf(expr, k, names.length);
  if (ordinal !== null) return ordinal;
  if (expr.kind === 'ColumnRef') {
    const name = expr.column.name.toLowerCase();
    const i = names.findIndex((n) => n.toLowerCase() === name);
    if (i >= 0) return i;
  }
  const text = ctx.sql.slice(expr.start, expr.end);
  const i = names.findIndex((n) => n === text);
  if (i >= 0) return i;
  throw new SqliteError(`${ordinalWord(k + 1)} ORDER BY term does not match any column in the result set`, 'SQLITE_ERROR');
}

function ordinalWord(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** An integer literal ORDER BY/GROUP BY term as a 0-based column index, or null (SQLite takes only literals that fit 32 bits as ordinals). */
function ordinalOf(expr: Expr, k: number, count: number, clause = 'ORDER BY'): number | null {
  const n = integerValue(expr);
  if (n === null) return null;
  if (n < 1 || n > count) {
    throw new SqliteError(`${ordinalWord(k + 1)} ${clause} term out of range - should be between 1 and ${count}`, 'SQLITE_ERROR');
  }
  return n - 1;
}

/** sqlite3ExprIsInteger: an integer literal that fits 32 bits (or a folded IS NULL test) under any `+`/`-` signs. */
function integerValue(e: Expr): number | null {
  if (e.kind === 'Unary' && (e.op === '-' || e.op === '+')) {
    const inner = integerValue(e.operand);
    return inner === null ? null : e.op === '-' ? -inner : inner;
  }
  const folded = foldedNullTest(e);
  if (folded !== null) return folded;
  if (e.kind === 'Binary' && e.op === 'AND' && (alwaysFalse(e.left) || alwaysFalse(e.right))) return 0;
  if (e.kind !== 'Literal' || e.type !== 'integer') return null;
  const magnitude = Number(e.value);
  return magnitude > 2147483647 ? null : magnitude;
}

/** What SQLite's parser knows is false, so that AND-ing it gives the integer 0: a literal 0, `x IN ()`, a folded test. */
function alwaysFalse(e: Expr): boolean {
  if (e.kind === 'InList') return e.list.length === 0 && !e.not;
  if (e.kind === 'Literal') return e.type === 'integer' && Number(e.value) === 0;
  return (e.kind === 'NullTest' || (e.kind === 'Binary' && e.op === 'AND')) && integerValue(e) === 0;
}

/** SQLite's parser turns `literal IS [NOT] NULL` (signs aside) into the integer 0 or 1, which is then an ordinal. */
function foldedNullTest(e: Expr): number | null {
  if (e.kind !== 'NullTest') return null;
  let operand = e.expr;
  while (operand.kind === 'Unary' && (operand.op === '-' || operand.op === '+')) operand = operand.operand;
  const literal = operand.kind === 'Literal' && operand.type !== 'null' && operand.type !== 'boolean';
  if (!literal && foldedNullTest(operand) === null) return null;
  return e.not ? 1 : 0;
}

export function sortKey(index: number, term: OrderingTerm, collation: string | null): SortKey {
  const descending = term.direction === 'DESC';
  const nullsFirst = term.nulls === null ? !descending : term.nulls === 'FIRST';
  return { index, collation: collationFunction(collation), descending, nullsFirst };
}

function withLimit(operator: Operator, stmt: { limit: Expr | null; offset: Expr | null }, ctx: CompilerContext, outer: Scope | null): Operator {
  if (stmt.limit === null) return operator;
  const exprCtx = expressionContext(ctx);
  const scope = new Scope(outer);
  const limit = compileScalar(stmt.limit, scope, exprCtx).evaluate;
  const offset = stmt.offset ? compileScalar(stmt.offset, scope, exprCtx).evaluate : null;
  return new LimitOperator(operator, limit, offset);
}

function compileValues(values: ValuesClause, outer: Scope | null, ctx: CompilerContext): CompiledQuery {
  const width = values.rows[0].length;
  const scope = new Scope(outer);
  const exprCtx = expressionContext(ctx);
  const rows = values.rows.map((row) => {
    if (row.length !== width) throw new SqliteError('all VALUES must have the same number of terms', 'SQLITE_ERROR');
    return row.map((e) => compileScalar(e, scope, exprCtx));
  });
  const buffer = new RowBuffer(width);
  const correlated = scope.outerReach > 0;
  const fill = (): SqlValue[][] => rows.map((row) => row.map((c) => c.evaluate()));
  const operator = new MaterializedRows(buffer, fill, ctx.runtime, !correlated);
  const names = rows[0].map((_, i) => `column${i + 1}`);
  return {
    operator,
    columns: names.map((_, i) => buffer.reader(i)),
    correlated,
    affinities: rows[0].map((c) => c.affinity),
    collations: rows[0].map((c) => c.collation),
    names,
    descriptions: names.map((name) => ({ name, column: null, table: null, database: null, type: null })),
    plan: [{ depth: 0, detail: rows.length === 1 ? 'SCAN CONSTANT ROW' : `SCAN ${rows.length} CONSTANT ROWS` }],
  };
}

/** True when `expr` contains an aggregate call at this query level (not inside subqueries). */
export function containsAggregate(expr: Expr | null, ctx: CompilerContext): boolean {
  if (expr === null) return false;
  switch (expr.kind) {
    case 'FunctionCall': {
      if (expr.over === null) {
        const def = ctx.functions.find(expr.name.name, expr.star ? 0 : expr.args.length);
        if (def !== undefined && def.kind === 'aggregate') return true;
      }
      return expr.args.some((a) => containsAggregate(a, ctx)) || containsAggregate(expr.filter, ctx);
    }
    case 'Unary':
      return containsAggregate(expr.operand, ctx);
    case 'Binary':
      return containsAggregate(expr.left, ctx) || containsAggregate(expr.right, ctx);
    case 'Like':
      return containsAggregate(expr.left, ctx) || containsAggregate(expr.right, ctx) || containsAggregate(expr.escape, ctx);
    case 'Between':
      return containsAggregate(expr.expr, ctx) || containsAggregate(expr.low, ctx) || containsAggregate(expr.high, ctx);
    case 'NullTest':
    case 'Cast':
    case 'Collate':
      return containsAggregate(expr.expr, ctx);
    case 'InList':
      return containsAggregate(expr.expr, ctx) || expr.list.some((e) => containsAggregate(e, ctx));
    case 'InSelect':
    case 'InTable':
      return containsAggregate(expr.expr, ctx);
    case 'Case':
      return (
        containsAggregate(expr.operand, ctx) ||
        expr.whens.some((w) => containsAggregate(w.when, ctx) || containsAggregate(w.then, ctx)) ||
        containsAggregate(expr.else, ctx)
      );
    case 'Vector':
      return expr.items.some((e) => containsAggregate(e, ctx));
    default:
      return false;
  }
}

function compileCore(
  core: SelectCore | ValuesClause,
  outer: Scope | null,
  ctx: CompilerContext,
  orderBy: OrderingTerm[] | null,
  limit: Expr | null,
  offset: Expr | null,
): CompiledQuery {
  if (core.kind === 'Values') {
    const values = compileValues(core, outer, ctx);
    if (orderBy === null && limit === null) return values;
    return finishSimple(values, outer, ctx, orderBy, limit, offset);
  }
  const scope = new Scope(outer);
  const entries = compileFrom(core.from ?? [], scope, ctx);
  const exprCtx = expressionContext(ctx);
  const aggregate =
    core.groupBy !== null ||
    core.columns.some((c) => c.kind === 'ResultExpr' && containsAggregate(c.expr, ctx)) ||
    (core.having !== null && containsAggregate(core.having, ctx)) ||
    (orderBy !== null && orderBy.some((t) => containsAggregate(t.expr, ctx)));
  if (aggregate && core.where !== null && containsAggregate(core.where, ctx)) {
    throw new SqliteError(`misuse of aggregate: ${firstAggregateName(core.where, ctx)}()`, 'SQLITE_ERROR');
  }
  // The loops may deliver the ORDER BY themselves (not through aggregation or DISTINCT).
  const windowed = usesWindowFunctions(core, orderBy);
  const order = orderBy !== null && !aggregate && !windowed && core.quantifier !== 'DISTINCT' ? orderRequest(core, orderBy, scope, exprCtx) : undefined;
  const joined = planJoin(entries, core.where, scope, exprCtx, columnUsage(core, orderBy), { order, automaticIndexes: true });
  const plan: PlanLine[] = [...joined.lines];
  let operator: Operator = joined.operator;
  if (core.having !== null && !aggregate) throw new SqliteError('HAVING clause on a non-aggregate query', 'SQLITE_ERROR');

  let aggregates: QueryAggregates | null = null;
  let groupKeys: CompiledExpr[] = [];
  if (aggregate) {
    aggregates = new QueryAggregates();
    if (core.groupBy !== null) {
      exprCtx.clause = 'groupBy';
      groupKeys = core.groupBy.map((term, k) => compileGroupTerm(term, k, core.columns, scope, exprCtx, ctx));
    }
    exprCtx.aggregates = aggregates;
  }

  const windows = windowed ? new QueryWindows(core.windows ?? []) : null;
  const correlatedBefore = scope.correlated;
  scope.correlated = false;
  exprCtx.windows = windows;
  exprCtx.clause = 'result';
  const results = compileResultColumns(core.columns, entries, scope, exprCtx, ctx);

  let having: Evaluate | null = null;
  if (core.having !== null) {
    exprCtx.clause = 'having';
    exprCtx.windows = null;
    having = compileWithAliases(core.having, results, scope, exprCtx).evaluate;
    exprCtx.windows = windows;
  }

  // ORDER BY keys (compiled now, while the aggregate collector is active).
  const orderKeys: { evaluate: Evaluate; collation: string | null; term: OrderingTerm }[] = [];
  if (orderBy !== null) {
    exprCtx.clause = 'orderBy';
    orderBy.forEach((term, k) => {
      const bare = stripCollate(term.expr);
      const ordinal = ordinalOf(bare, k, results.length);
      let compiled: CompiledExpr;
      if (ordinal !== null) compiled = results[ordinal].compiled;
      else {
        const alias = bare.kind === 'ColumnRef' && bare.table === null ? results.find((r) => r.alias !== null && r.alias.toLowerCase() === bare.column.name.toLowerCase()) : undefined;
        compiled = alias !== undefined ? alias.compiled : compileScalar(bare, scope, exprCtx);
      }
      orderKeys.push({ evaluate: compiled.evaluate, collation: explicitCollation(term.expr) ?? compiled.collation, term });
    });
  }
  exprCtx.windows = null;
  if (windows !== null && scope.correlated) {
    throw new SqliteError('correlated subqueries beside window functions are not supported by this engine', 'SQLITE_ERROR');
  }
  scope.correlated ||= correlatedBefore;

  if (aggregates !== null) {
    const keyCollations = groupKeys.map((k) => keyCollation(k.collation));
    const keyCompare = groupKeys.map((k) => collationFunction(k.collation));
    operator = new AggregateOperator(
      operator,
      groupKeys.map((k) => k.evaluate),
      keyCollations,
      keyCompare,
      aggregates.calls(),
      aggregates.bareReads,
      aggregates.output,
    );
    if (groupKeys.length > 0) plan.push({ depth: 0, detail: 'USE TEMP B-TREE FOR GROUP BY' });
  }
  if (having !== null) operator = new FilterOperator(operator, having);
  if (windows !== null) operator = windows.operator(operator);

  let columns: Evaluate[] = results.map((r) => r.compiled.evaluate);
  let subtypes: Subtype[] | undefined = results.map((r) => r.compiled.subtype);
  if (core.quantifier === 'DISTINCT') {
    operator = new DistinctOperator(operator, columns, results.map((r) => keyCollation(r.compiled.collation)));
    plan.push({ depth: 0, detail: 'USE TEMP B-TREE FOR DISTINCT' });
  }
  if (orderKeys.length > joined.orderSatisfied) {
    const keys = orderKeys.map((k, i) => sortKey(i, k.term, k.collation));
    const buffer = new RowBuffer(orderKeys.length + columns.length);
    operator = new SortOperator(operator, [...orderKeys.map((k) => k.evaluate), ...columns], keys, buffer);
    columns = columns.map((_, i) => buffer.reader(orderKeys.length + i));
    subtypes = undefined;
    plan.push({ depth: 0, detail: sortPlanDetail(joined.orderSatisfied, orderKeys.length) });
  }
  operator = withLimit(operator, { limit, offset }, ctx, outer);
  return {
    operator,
    columns,
    subtypes,
    correlated: scope.outerReach > 0,
    affinities: results.map((r) => r.compiled.affinity),
    collations: results.map((r) => r.compiled.collation),
    names: results.map((r) => r.name),
    descriptions: results.map((r) => r.description),
    plan,
  };
}

function firstAggregateName(expr: Expr, ctx: CompilerContext): string {
  let found = '';
  const visit = (e: Expr | null): void => {
    if (e === null || found !== '') return;
    if (e.kind === 'FunctionCall') {
      const def = ctx.functions.find(e.name.name, e.star ? 0 : e.args.length);
      if (def !== undefined && def.kind === 'aggregate') {
        found = e.name.name;
        return;
      }
      e.args.forEach(visit);
    } else if (e.kind === 'Binary') {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === 'Unary') visit(e.operand);
  };
  visit(expr);
  return found || 'aggregate';
}

/** ORDER BY / LIMIT on a VALUES or other already-compiled query. */
function finishSimple(
  query: CompiledQuery,
  outer: Scope | null,
  ctx: CompilerContext,
  orderBy: OrderingTerm[] | null,
  limit: Expr | null,
  offset: Expr | null,
): CompiledQuery {
  let operator = query.operator;
  let columns = [...query.columns];
  if (orderBy !== null) {
    const keys: SortKey[] = [];
    const keyColumns: Evaluate[] = [];
    orderBy.forEach((term, k) => {
      const index = compoundOrderIndex(term, k, query.names, ctx);
      keyColumns.push(columns[index]);
      keys.push(sortKey(keys.length, term, explicitCollation(term.expr) ?? query.collations[index]));
    });
    const buffer = new RowBuffer(keys.length + columns.length);
    operator = new SortOperator(operator, [...keyColumns, ...columns], keys, buffer);
    columns = columns.map((_, i) => buffer.reader(keys.length + i));
  }
  operator = withLimit(operator, { limit, offset }, ctx, outer);
  return { ...query, operator, columns };
}

/** A GROUP BY term: an ordinal, a FROM column/expression, or (failing those) a result alias. */
function compileGroupTerm(term: Expr, k: number, columns: readonly ResultColumn[], scope: Scope, exprCtx: ExpressionContext, ctx: CompilerContext): CompiledExpr {
  if (containsAggregate(term, ctx)) throw new SqliteError('aggregate functions are not allowed in the GROUP BY clause', 'SQLITE_ERROR');
  const ordinal = ordinalOf(term, k, columns.length, 'GROUP BY');
  if (ordinal !== null) {
    const column = columns[ordinal];
    if (column.kind !== 'ResultExpr') throw new SqliteError('GROUP BY term references a * column', 'SQLITE_ERROR');
    if (containsAggregate(column.expr, ctx)) throw new SqliteError('aggregate functions are not allowed in the GROUP BY clause', 'SQLITE_ERROR');
    return compileScalar(column.expr, scope, exprCtx);
  }
  try {
    return compileScalar(term, scope, exprCtx);
  } catch (error) {
    if (term.kind === 'ColumnRef' && term.table === null) {
      const name = term.column.name.toLowerCase();
      const aliased = columns.find((c) => c.kind === 'ResultExpr' && c.alias !== null && c.alias.name.toLowerCase() === name);
      if (aliased !== undefined && aliased.kind === 'ResultExpr') {
        if (containsAggregate(aliased.expr, ctx)) throw new SqliteError('aggregate functions are not allowed in the GROUP BY clause', 'SQLITE_ERROR');
        return compileScalar(aliased.expr, scope, exprCtx);
      }
    }
    throw error;
  }
}

/** Compiles HAVING, where a bare name may also be a result alias. */
function compileWithAliases(expr: Expr, results: readonly ResultItem[], scope: Scope, exprCtx: ExpressionContext): CompiledExpr {
  try {
    return compileScalar(expr, scope, exprCtx);
  } catch (error) {
    if (expr.kind === 'ColumnRef' && expr.table === null) {
      const alias = results.find((r) => r.alias !== null && r.alias.toLowerCase() === expr.column.name.toLowerCase());
      if (alias !== undefined) return alias.compiled;
    }
    throw error;
  }
}

function compileResultColumns(
  columns: readonly ResultColumn[],
  entries: readonly FromEntry[],
  scope: Scope,
  exprCtx: ExpressionContext,
  ctx: CompilerContext,
): ResultItem[] {
  const out: ResultItem[] = [];
  for (const column of columns) {
    if (column.kind === 'ResultStar') {
      if (entries.length === 0) throw new SqliteError('no tables specified', 'SQLITE_ERROR');
      for (const entry of entries) {
        rejectDuplicateName(entry, entries);
        expandItem(entry, true, exprCtx, out);
      }
      continue;
    }
    if (column.kind === 'ResultTableStar') {
      const name = column.table.name.toLowerCase();
      const entry = entries.find((e) => e.item.name.toLowerCase() === name);
      if (entry === undefined) throw new SqliteError(`no such table: ${column.table.name}`, 'SQLITE_ERROR');
      rejectDuplicateName(entry, entries);
      expandItem(entry, false, exprCtx, out);
      continue;
    }
    const compiled = compileScalar(column.expr, scope, exprCtx);
    const resolved = compiled.column;
    const bareColumn = stripCollate(column.expr).kind === 'ColumnRef' && column.expr.kind === 'ColumnRef';
    let name: string;
    if (column.alias !== null) name = column.alias.name;
    else if (bareColumn && resolved !== null) name = resolved.column.name;
    else name = ctx.sql.slice(column.start, column.nameEnd);
    const origin = resolved !== null && column.expr.kind === 'ColumnRef' ? resolved.column : null;
    out.push({
      compiled,
      name,
      alias: column.alias ? column.alias.name : null,
      description: {
        name,
        column: origin ? origin.originColumn : null,
        table: origin ? origin.originTable : null,
        database: origin && origin.originTable ? 'main' : null,
        type: origin ? origin.declaredType : null,
      },
    });
  }
  return out;
}

/**
 * SQLite expands `*` into `main.table.column` (`*.name.column` for a
 * subquery) references, which are ambiguous when another FROM item has the
 * same name and column and is of the same kind (table or subquery).
 */
function rejectDuplicateName(entry: FromEntry, entries: readonly FromEntry[]): void {
  const name = entry.item.name.toLowerCase();
  for (const other of entries) {
    if (other === entry || other.item.name.toLowerCase() !== name || (other.item.table === null) !== (entry.item.table === null)) continue;
    const shared = entry.item.columns.find((c) => other.item.columns.some((o) => o.name.toLowerCase() === c.name.toLowerCase()));
    if (shared !== undefined) {
      const schema = entry.item.table === null ? '*' : 'main';
      throw new SqliteError(`ambiguous column name: ${schema}.${entry.item.name}.${shared.name}`, 'SQLITE_ERROR');
    }
  }
}

function expandItem(entry: FromEntry, skipMerged: boolean, exprCtx: ExpressionContext, out: ResultItem[]): void {
  entry.item.columns.forEach((column, i) => {
    if (skipMerged && entry.item.mergedColumns.has(i)) return;
    const bare = exprCtx.aggregates !== null ? exprCtx.aggregates.bare(column.read) : column.read;
    const read = exprCtx.windows ? exprCtx.windows.capture(bare) : bare;
    out.push({
      compiled: {
        evaluate: read,
        affinity: column.affinity,
        collation: column.collation,
        explicitCollation: false,
        constant: false,
        column: null,
        subtype: NO_SUBTYPE,
      },
      name: column.name,
      alias: null,
      description: {
        name: column.name,
        column: column.originColumn,
        table: column.originTable,
        database: column.originTable ? 'main' : null,
        type: column.declaredType,
      },
    });
  });
}

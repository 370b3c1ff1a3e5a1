/**
 * Compiles expression trees into `Evaluate` closures, once per statement.
 *
 * Besides the closure, compilation yields what SQLite derives statically
 * for every expression: its affinity (a column's, a CAST's, a scalar
 * subquery's first column, else none; unary `+` drops it, COLLATE keeps
 * it), its collation (an explicit COLLATE anywhere in the left-most operand
 * chain wins, then a column's declared collation), and whether it is
 * constant. It also yields the value's subtype (SQLite's JSON tag, read
 * right after each evaluation): function results carry the subtype the
 * function set; CASE, COLLATE, parentheses, unary `+`, CAST AS TEXT and
 * scalar subqueries pass their operand's on; column reads carry none.
 * Function call sites get their arguments' subtypes in `argSubtypes`, and
 * the collating functions (min, max, nullif) the collation of their first
 * argument that has one. Comparisons apply SQLite's comparison affinity and collation
 * rules; AND/OR/NOT use three-valued logic with short-circuiting; IN lists
 * and subqueries follow SQLite's NULL rules.
 *
 * Window function calls go to the query's `WindowCollector`, which also
 * captures the row values the result list reads (window-collector.ts).
 * Names resolve through `Scope`; aggregates and bare columns of aggregate
 * queries are handed to the `AggregateCollector` of the query being
 * compiled, which returns closures reading the current group's values.
 * Subqueries compile through `ExpressionContext.compileSubquery`; an
 * uncorrelated one runs at most once per execution.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr, FunctionCall as AstFunctionCall, SelectStmt } from '../sql/ast.js';
import { sqlText } from '../sql/ast.js';
import { Affinity, affinityOfDeclaredType, applyComparisonAffinity, comparisonAffinity } from '../exec/values/affinity.js';
import { builtinCollation, type Collation } from '../exec/values/collation.js';
import { compareValues } from '../exec/values/compare.js';
import {
  add,
  bitAnd,
  bitNot,
  bitOr,
  concat,
  divide,
  multiply,
  negate,
  remainder,
  shiftLeft,
  shiftRight,
  subtract,
} from '../exec/values/arithmetic.js';
import { castToBlob, castToInteger, castToNumeric, castToReal, castToText, truthValue } from '../exec/values/conversions.js';
import { SqlReal, type SqlValue } from '../exec/values/value.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { RowProducer } from '../exec/operator.js';
import type { StatementRuntime } from '../exec/runtime.js';
import { checkCollationName } from '../schema/collation-names.js';
import type { ResolvedColumn, Scope } from './scope.js';
import type { FunctionRegistry } from '../exec/functions/registry.js';
import { newFunctionCall, type FunctionCall, type FunctionContext, type ScalarFunctionDef, type ScalarImpl } from '../exec/functions/function-types.js';
import { literalValue, negatedLiteralValue } from '../exec/values/literal-value.js';
import { currentTimeText } from './current-time.js';
import { windowBuiltin } from '../exec/functions/window-functions.js';

export interface CompiledExpr {
  readonly evaluate: Evaluate;
  readonly affinity: Affinity;
  /**
   * Collation name (canonical) or null when none applies (BINARY by default).
   * A column reference (also under `+`, CAST and COLLATE-free wrappers SQLite
   * looks through) carries its declared collation, BINARY included, so it
   * takes precedence over the other operand's in a comparison.
   */
  readonly collation: string | null;
  /** True when the collation comes from an explicit COLLATE. */
  readonly explicitCollation: boolean;
  /** True when the value cannot change during an execution (no column, no subquery, no volatile function). */
  readonly constant: boolean;
  /** The resolved column when the expression is a direct column reference (COLLATE aside). */
  readonly column: ResolvedColumn | null;
  /** The subtype of the value `evaluate` last returned (0 = none); read it right after evaluating. */
  readonly subtype: Subtype;
}

/** Reads the subtype of the value an expression last produced. */
export type Subtype = () => number;

/** The subtype of expressions that never carry one (columns, literals, operators). */
export const NO_SUBTYPE: Subtype = () => 0;

/** Subquery compiled for use inside an expression. */
export interface CompiledSubquery extends RowProducer {
  readonly correlated: boolean;
  /** Affinity and collation of each result column. */
  readonly affinities: readonly Affinity[];
  readonly collations: readonly (string | null)[];
  /** Subtype of each result column's current value, when the rows are not buffered (a sorter drops subtypes). */
  readonly subtypes?: readonly Subtype[];
}

/** Receives aggregate calls and bare column references of an aggregate query. */
export interface AggregateCollector {
  /** Registers an aggregate call; returns closures reading its result (and the result's subtype) for the current group. */
  aggregate(call: AstFunctionCall, context: ExpressionContext, scope: Scope): { readonly evaluate: Evaluate; readonly subtype: Subtype };
  /** Registers a bare (non-aggregated) column read; returns the group's captured value. */
  bare(read: Evaluate): Evaluate;
}

/** Receives the window function calls of a query and the row values later stages read (window-collector.ts). */
export interface WindowCollector {
  /** Registers a window function call; returns its compiled result for the current output row. */
  call(call: AstFunctionCall, context: ExpressionContext, scope: Scope): CompiledExpr;
  /** Registers a value read from the query's rows; returns a closure reading the copy stored with the output row. */
  capture(read: Evaluate): Evaluate;
}

export interface ExpressionContext {
  /** The full SQL text the tree's spans index into. */
  readonly sql: string;
  readonly runtime: StatementRuntime;
  readonly functions: FunctionRegistry;
  readonly functionContext: FunctionContext;
  compileSubquery(select: SelectStmt, scope: Scope): CompiledSubquery;
  /** Set while compiling the result list / HAVING / ORDER BY of an aggregate query. */
  aggregates: AggregateCollector | null;
  /** The clause being compiled, for "misuse of aggregate" and similar errors. */
  clause: 'where' | 'groupBy' | 'result' | 'having' | 'orderBy' | 'on' | 'other';
  /** Set while compiling the result list / ORDER BY of a query that calls window functions. */
  windows?: WindowCollector | null;
  /** Compiles a RAISE() inside a trigger body; null outside triggers. */
  raise: ((action: 'IGNORE' | 'ROLLBACK' | 'ABORT' | 'FAIL', message: Evaluate | null) => Evaluate) | null;
}

const NULL_EVAL: Evaluate = () => null;

export function compileExpr(expr: Expr, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  switch (expr.kind) {
    case 'Literal': {
      const value = literalValue(expr);
      return constantExpr(() => value);
    }
    case 'CurrentTime': {
      const runtime = ctx.runtime;
      const keyword = expr.keyword;
      return { ...constantExpr(() => currentTimeText(keyword, runtime.now)), constant: false };
    }
    case 'Parameter': {
      const runtime = ctx.runtime;
      const index = expr.index - 1;
      return { ...constantExpr(() => runtime.parameters[index] ?? null), constant: false };
    }
    case 'ColumnRef':
      return compileColumnRef(expr, scope, ctx);
    case 'Unary': {
      const operand = expr.operand;
      if (expr.op === '-' && operand.kind === 'Literal' && (operand.type === 'integer' || operand.type === 'float')) {
        const value = negatedLiteralValue(operand);
        return constantExpr(() => value);
      }
      return compileUnary(expr.op, compileExpr(operand, scope, ctx));
    }
    case 'Binary':
      return compileBinary(expr, scope, ctx);
    case 'Like':
      return compileLike(expr, scope, ctx);
    case 'Between':
      return compileBetween(expr.not, compileExpr(expr.expr, scope, ctx), compileExpr(expr.low, scope, ctx), compileExpr(expr.high, scope, ctx));
    case 'NullTest': {
      const operand = compileScalar(expr.expr, scope, ctx);
      const f = operand.evaluate;
      const evaluate: Evaluate = expr.not ? () => (f() === null ? 0 : 1) : () => (f() === null ? 1 : 0);
      return plain(evaluate, operand.constant);
    }
    case 'InList':
      return compileInList(expr.not, expr.expr, expr.list, scope, ctx);
    case 'InSelect':
      return compileInSelect(expr.not, expr.expr, expr.select, scope, ctx);
    case 'InTable':
      return compileInSelect(expr.not, expr.expr, tableAsSelect(expr), scope, ctx);
    case 'Exists': {
      const sub = ctx.compileSubquery(expr.select, scope);
      return plain(cachedIfUncorrelated(sub, ctx.runtime, () => {
        sub.operator.open();
        const found = sub.operator.next();
        sub.operator.close();
        return found ? 1 : 0;
      }), false);
    }
    case 'Subquery': {
      const sub = ctx.compileSubquery(expr.select, scope);
      if (sub.columns.length !== 1) throw new SqliteError(`sub-select returns ${sub.columns.length} columns - expected 1`, 'SQLITE_ERROR');
      const first = sub.columns[0];
      const firstSubtype = sub.subtypes !== undefined ? sub.subtypes[0] : NO_SUBTYPE;
      let subtype = 0;
      const evaluate = cachedIfUncorrelated(sub, ctx.runtime, () => {
        sub.operator.open();
        let value: SqlValue = null;
        subtype = 0;
        if (sub.operator.next()) {
          value = first();
          subtype = firstSubtype();
        }
        sub.operator.close();
        return value;
      });
      // A scalar subquery keeps its column's affinity and subtype but, as in SQLite, no collation.
      return { evaluate, affinity: sub.affinities[0], collation: null, explicitCollation: false, constant: false, column: null, subtype: () => subtype };
    }
    case 'Case':
      return compileCase(expr, scope, ctx);
    case 'Cast': {
      const operand = compileScalar(expr.expr, scope, ctx);
      const affinity = expr.type === null ? Affinity.BLOB : affinityOfDeclaredType(expr.type.name);
      const f = operand.evaluate;
      const cast = castFunction(affinity);
      const subtype = affinity === Affinity.TEXT ? operand.subtype : NO_SUBTYPE;
      return { evaluate: () => cast(f()), affinity, collation: operand.collation, explicitCollation: operand.explicitCollation, constant: operand.constant, column: null, subtype };
    }
    case 'Collate': {
      const operand = compileExpr(expr.expr, scope, ctx);
      const name = checkCollationName(expr.collation.name);
      return { ...operand, collation: name, explicitCollation: true };
    }
    case 'FunctionCall':
      return compileFunctionCall(expr, scope, ctx);
    case 'Vector':
      throw new SqliteError('row value misused', 'SQLITE_ERROR');
    case 'Raise': {
      if (ctx.raise === null) throw new SqliteError('RAISE() may only be used within a trigger-program', 'SQLITE_ERROR');
      const message = expr.message ? compileScalar(expr.message, scope, ctx).evaluate : null;
      return plain(ctx.raise(expr.action, message), false);
    }
  }
}

/** Compiles an expression that must yield a single value (row values are rejected). */
export function compileScalar(expr: Expr, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  if (expr.kind === 'Vector') throw new SqliteError('row value misused', 'SQLITE_ERROR');
  return compileExpr(expr, scope, ctx);
}

function constantExpr(evaluate: Evaluate): CompiledExpr {
  return { evaluate, affinity: Affinity.NONE, collation: null, explicitCollation: false, constant: true, column: null, subtype: NO_SUBTYPE };
}

function plain(evaluate: Evaluate, constant: boolean): CompiledExpr {
  return { evaluate, affinity: Affinity.NONE, collation: null, explicitCollation: false, constant, column: null, subtype: NO_SUBTYPE };
}

function cachedIfUncorrelated(sub: CompiledSubquery, runtime: StatementRuntime, run: () => SqlValue): Evaluate {
  if (sub.correlated) return run;
  let cachedExecution = -1;
  let cached: SqlValue = null;
  return () => {
    if (cachedExecution !== runtime.execution) {
      cached = run();
      cachedExecution = runtime.execution;
    }
    return cached;
  };
}

function compileColumnRef(expr: Extract<Expr, { kind: 'ColumnRef' }>, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  const table = expr.table ? expr.table.name : null;
  const resolved = scope.resolve(table, expr.column.name);
  if (resolved === null) {
    if (table === null && !expr.column.quoted) {
      const lower = expr.column.name.toLowerCase();
      if (lower === 'true') return constantExpr(() => 1);
      if (lower === 'false') return constantExpr(() => 0);
    }
    if (table === null && expr.column.quoted && expr.column.name.length >= 0 && isDoubleQuoted(ctx.sql, expr)) {
      const text = expr.column.name;
      return constantExpr(() => text);
    }
    const shown = table ? `${table}.${expr.column.name}` : expr.column.name;
    throw new SqliteError(`no such column: ${shown}`, 'SQLITE_ERROR');
  }
  const column = resolved.column;
  let read = column.read;
  if (ctx.aggregates !== null && resolved.depth === 0) read = ctx.aggregates.bare(read);
  if (ctx.windows && resolved.depth === 0) read = ctx.windows.capture(read);
  return {
    evaluate: read,
    affinity: column.affinity,
    collation: column.collation,
    explicitCollation: false,
    constant: false,
    column: resolved,
    subtype: NO_SUBTYPE,
  };
}

/** SQLite's legacy rule: an unresolvable double-quoted identifier is a string literal. */
function isDoubleQuoted(sql: string, expr: Extract<Expr, { kind: 'ColumnRef' }>): boolean {
  return sql.charCodeAt(expr.column.start) === 0x22;
}

function compileUnary(op: '-' | '+' | '~' | 'NOT', operand: CompiledExpr): CompiledExpr {
  const f = operand.evaluate;
  switch (op) {
    case '-':
      return plain(() => negate(f()), operand.constant);
    case '+':
      return { ...operand, affinity: Affinity.NONE, column: null };
    case '~':
      return plain(() => bitNot(f()), operand.constant);
    case 'NOT':
      return plain(() => {
        const t = truthValue(f());
        return t === null ? null : t ? 0 : 1;
      }, operand.constant);
  }
}

/** The collation a binary comparison uses (sqlite3BinaryCompareCollSeq). */
export function comparisonCollation(left: CompiledExpr, right: CompiledExpr): string | null {
  if (left.explicitCollation) return left.collation;
  if (right.explicitCollation) return right.collation;
  return left.collation ?? right.collation;
}

export function collationFunction(name: string | null): Collation | undefined {
  return name === null || name === 'BINARY' ? undefined : builtinCollation(name);
}

function compileBinary(expr: Extract<Expr, { kind: 'Binary' }>, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  const op = expr.op;
  if (op === 'AND' || op === 'OR') {
    const l = compileScalar(expr.left, scope, ctx).evaluate;
    const rightCompiled = compileScalar(expr.right, scope, ctx);
    const r = rightCompiled.evaluate;
    const constant = false;
    if (op === 'AND') {
      return plain(() => {
        const a = truthValue(l());
        if (a === false) return 0;
        const b = truthValue(r());
        if (b === false) return 0;
        return a === null || b === null ? null : 1;
      }, constant);
    }
    return plain(() => {
      const a = truthValue(l());
      if (a === true) return 1;
      const b = truthValue(r());
      if (b === true) return 1;
      return a === null || b === null ? null : 0;
    }, constant);
  }
  if (expr.left.kind === 'Vector' || expr.right.kind === 'Vector') return compileVectorComparison(expr, scope, ctx);
  const truth = op === 'IS' || op === 'IS NOT' ? truthLiteral(expr.right, scope) : null;
  if (truth !== null) {
    // SQLite reads `x IS TRUE`, `x IS NOT FALSE`, ... as a truth test of x (an empty IN list is such a literal).
    const operand = compileScalar(expr.left, scope, ctx);
    const f = operand.evaluate;
    const negated = op === 'IS NOT';
    return plain(() => ((truthValue(f()) === truth) !== negated ? 1 : 0), operand.constant);
  }
  const left = compileScalar(expr.left, scope, ctx);
  const right = compileScalar(expr.right, scope, ctx);
  const constant = left.constant && right.constant;
  const l = left.evaluate;
  const r = right.evaluate;
  switch (op) {
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case 'IS':
    case 'IS NOT':
      return plain(comparison(op, left, right), constant);
    case '+':
      return plain(() => add(l(), r()), constant);
    case '-':
      return plain(() => subtract(l(), r()), constant);
    case '*':
      return plain(() => multiply(l(), r()), constant);
    case '/':
      return plain(() => divide(l(), r()), constant);
    case '%':
      return plain(() => remainder(l(), r()), constant);
    case '&':
      return plain(() => bitAnd(l(), r()), constant);
    case '|':
      return plain(() => bitOr(l(), r()), constant);
    case '<<':
      return plain(() => shiftLeft(l(), r()), constant);
    case '>>':
      return plain(() => shiftRight(l(), r()), constant);
    case '||': {
      const collation = left.explicitCollation ? left.collation : right.explicitCollation ? right.collation : null;
      return { evaluate: () => concat(l(), r()), affinity: Affinity.NONE, collation, explicitCollation: collation !== null, constant, column: null, subtype: NO_SUBTYPE };
    }
    case '->':
    case '->>': {
      const def = ctx.functions.lookup(op, 2);
      if (def.kind !== 'scalar') throw new SqliteError(`misuse of aggregate function ${op}()`, 'SQLITE_ERROR');
      return compileScalarCall(def, [left, right], ctx);
    }
  }
}

type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IS' | 'IS NOT';

/**
 * The truth a TRUE/FALSE literal (a bare `true`/`false` that names no column,
 * or an empty `IN ()`, which SQLite's parser makes one) stands for; null for
 * anything else.
 */
function truthLiteral(expr: Expr, scope: Scope): boolean | null {
  if (expr.kind === 'Literal' && expr.type === 'boolean') return expr.value.toLowerCase() === 'true';
  if (expr.kind === 'InList' && expr.list.length === 0) return expr.not;
  if (expr.kind === 'ColumnRef' && expr.table === null && !expr.column.quoted) {
    const lower = expr.column.name.toLowerCase();
    if ((lower === 'true' || lower === 'false') && scope.resolve(null, expr.column.name) === null) return lower === 'true';
  }
  return null;
}

/** A closure comparing two compiled operands with SQLite's affinity and collation rules. */
export function comparison(op: ComparisonOp, left: CompiledExpr, right: CompiledExpr): Evaluate {
  const affinity = comparisonAffinity(left.affinity, right.affinity);
  const collation = collationFunction(comparisonCollation(left, right));
  const l = left.evaluate;
  const r = right.evaluate;
  const convert = affinity === Affinity.TEXT || affinity >= Affinity.NUMERIC;
  // Two numbers (plain, or a number against a bound integral REAL) need no affinity: compare them at once.
  const compare = convert
    ? (a: SqlValue, b: SqlValue): number => {
        if (typeof a === 'number' && (typeof b === 'number' || b instanceof SqlReal)) return compareValues(a, b);
        return compareValues(applyComparisonAffinity(a, affinity, typeof b === 'string'), applyComparisonAffinity(b, affinity, typeof a === 'string'), collation);
      }
    : (a: SqlValue, b: SqlValue): number => compareValues(a, b, collation);
  switch (op) {
    case '=':
      return () => {
        const a = l();
        if (a === null) return null;
        const b = r();
        if (b === null) return null;
        return compare(a, b) === 0 ? 1 : 0;
      };
    case '!=':
      return () => {
        const a = l();
        if (a === null) return null;
        const b = r();
        if (b === null) return null;
        return compare(a, b) !== 0 ? 1 : 0;
      };
    case '<':
      return () => {
        const a = l();
        if (a === null) return null;
        const b = r();
        if (b === null) return null;
        return compare(a, b) < 0 ? 1 : 0;
      };
    case '<=':
      return () => {
        const a = l();
        if (a === null) return null;
        const b = r();
        if (b === null) return null;
        return compare(a, b) <= 0 ? 1 : 0;
      };
    case '>':
      return () => {
        const a = l();
        if (a === null) return null;
        const b = r();
        if (b === null) return null;
        return compare(a, b) > 0 ? 1 : 0;
      };
    case '>=':
      return () => {
        const a = l();
        if (a === null) return null;
        const b = r();
        if (b === null) return null;
        return compare(a, b) >= 0 ? 1 : 0;
      };
    case 'IS':
      return () => {
        const a = l();
        const b = r();
        if (a === null || b === null) return a === b ? 1 : 0;
        return compare(a, b) === 0 ? 1 : 0;
      };
    case 'IS NOT':
      return () => {
        const a = l();
        const b = r();
        if (a === null || b === null) return a === b ? 0 : 1;
        return compare(a, b) !== 0 ? 1 : 0;
      };
  }
}

function vectorItems(expr: Expr, scope: Scope, ctx: ExpressionContext): CompiledExpr[] {
  if (expr.kind === 'Vector') return expr.items.map((item) => compileScalar(item, scope, ctx));
  if (expr.kind === 'Subquery') {
    const sub = ctx.compileSubquery(expr.select, scope);
    const values: SqlValue[] = new Array(sub.columns.length).fill(null);
    const load = cachedIfUncorrelated(sub, ctx.runtime, () => {
      sub.operator.open();
      const found = sub.operator.next();
      for (let i = 0; i < values.length; i++) values[i] = found ? sub.columns[i]() : null;
      sub.operator.close();
      return null;
    });
    return sub.columns.map((_, i) => ({
      evaluate: i === 0 ? () => (load(), values[0]) : () => values[i],
      affinity: sub.affinities[i],
      collation: sub.collations[i],
      explicitCollation: false,
      constant: false,
      column: null,
      subtype: NO_SUBTYPE,
    }));
  }
  return [compileScalar(expr, scope, ctx)];
}

/** Row-value comparison `(a, b) op (c, d)`, compared left to right as SQLite does. */
function compileVectorComparison(expr: Extract<Expr, { kind: 'Binary' }>, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  const op = expr.op;
  if (!(op === '=' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === 'IS' || op === 'IS NOT')) {
    throw new SqliteError('row value misused', 'SQLITE_ERROR');
  }
  const left = vectorItems(expr.left, scope, ctx);
  const right = vectorItems(expr.right, scope, ctx);
  if (left.length !== right.length) throw new SqliteError('row value misused', 'SQLITE_ERROR');
  const equal = left.map((l, i) => comparison(op === 'IS' || op === 'IS NOT' ? 'IS' : '=', l, right[i]));
  if (op === '=' || op === '!=' || op === 'IS' || op === 'IS NOT') {
    const negated = op === '!=' || op === 'IS NOT';
    return plain(() => {
      let sawNull = false;
      for (const e of equal) {
        const v = e();
        if (v === 0) return negated ? 1 : 0;
        if (v === null) sawNull = true;
      }
      if (sawNull) return null;
      return negated ? 0 : 1;
    }, false);
  }
  const strict = left.map((l, i) => comparison(op === '<' || op === '<=' ? '<' : '>', l, right[i]));
  const last = comparison(op, left[left.length - 1], right[right.length - 1]);
  return plain(() => {
    for (let i = 0; i < left.length - 1; i++) {
      const eq = equal[i]();
      if (eq === null) return null;
      if (eq === 0) return strict[i]();
    }
    return last();
  }, false);
}

function compileBetween(not: boolean, value: CompiledExpr, low: CompiledExpr, high: CompiledExpr): CompiledExpr {
  let current: SqlValue = null;
  const inner = value.evaluate;
  const cachedValue: CompiledExpr = { ...value, evaluate: () => current };
  const geLow = comparison('>=', cachedValue, low);
  const leHigh = comparison('<=', cachedValue, high);
  return plain(() => {
    current = inner();
    const a = truthValue(geLow());
    let result: number | null;
    if (a === false) result = 0;
    else {
      const b = truthValue(leHigh());
      result = b === false ? 0 : a === null || b === null ? null : 1;
    }
    if (!not || result === null) return result;
    return result === 1 ? 0 : 1;
  }, value.constant && low.constant && high.constant);
}

function compileInList(not: boolean, lhs: Expr, list: readonly Expr[], scope: Scope, ctx: ExpressionContext): CompiledExpr {
  if (lhs.kind === 'Vector') throw new SqliteError('row value misused', 'SQLITE_ERROR');
  const left = compileScalar(lhs, scope, ctx);
  if (list.length === 0) return plain(not ? () => 1 : () => 0, left.constant);
  let current: SqlValue = null;
  const items = list.map((item) => compileScalar(item, scope, ctx));
  if (items.length === 1 && items[0].constant) {
    // SQLite's parser turns `x IN (constant)` into `x = +constant`.
    const equal = comparison('=', left, { ...items[0], affinity: Affinity.NONE, column: null });
    const negated: Evaluate = () => {
      const v = equal();
      return v === null ? null : v === 1 ? 0 : 1;
    };
    return plain(not ? negated : equal, left.constant);
  }
  // Every item compares under the left side's own affinity and collation (SQLite's exprINAffinity), not pairwise.
  const affinity = left.affinity;
  const collation = collationFunction(left.collation);
  const tests = items.map((item): Evaluate => {
    const read = item.evaluate;
    return () => {
      const b = read();
      if (b === null) return null;
      const a = current as SqlValue;
      const c = compareValues(applyComparisonAffinity(a, affinity, typeof b === 'string'), applyComparisonAffinity(b, affinity, typeof a === 'string'), collation);
      return c === 0 ? 1 : 0;
    };
  });
  const inner = left.evaluate;
  return plain(() => {
    current = inner();
    if (current === null) return null;
    let sawNull = false;
    for (const test of tests) {
      const v = test();
      if (v === 1) return not ? 0 : 1;
      if (v === null) sawNull = true;
    }
    if (sawNull) return null;
    return not ? 1 : 0;
  }, left.constant && items.every((i) => i.constant));
}

function compileInSelect(not: boolean, lhs: Expr, select: SelectStmt, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  const leftItems = lhs.kind === 'Vector' ? lhs.items.map((e) => compileScalar(e, scope, ctx)) : [compileScalar(lhs, scope, ctx)];
  const sub = ctx.compileSubquery(select, scope);
  if (sub.columns.length !== leftItems.length) {
    if (leftItems.length === 1) throw new SqliteError(`sub-select returns ${sub.columns.length} columns - expected 1`, 'SQLITE_ERROR');
    throw new SqliteError('row value misused', 'SQLITE_ERROR');
  }
  const width = leftItems.length;
  // Per column: the comparison affinity and collation of lhs vs the subquery column.
  const affinities = leftItems.map((l, i) => comparisonAffinity(l.affinity, sub.affinities[i]));
  const explicit = explicitResultCollations(select);
  const collations = leftItems.map((l, i) => {
    const subCollation = sub.collations[i];
    const name = l.explicitCollation ? l.collation : (explicit[i] ?? l.collation ?? subCollation);
    return collationFunction(name);
  });
  let rows: SqlValue[][] = [];
  let loadedExecution = -1;
  const runtime = ctx.runtime;
  const load = (): void => {
    if (!sub.correlated && loadedExecution === runtime.execution) return;
    rows = [];
    sub.operator.open();
    while (sub.operator.next()) {
      const row: SqlValue[] = new Array(width);
      for (let i = 0; i < width; i++) row[i] = sub.columns[i]();
      rows.push(row);
    }
    sub.operator.close();
    loadedExecution = runtime.execution;
  };
  const lefts = leftItems.map((l) => l.evaluate);
  const values: SqlValue[] = new Array(width);
  return plain(() => {
    for (let i = 0; i < width; i++) values[i] = lefts[i]();
    load();
    if (rows.length === 0) return not ? 1 : 0;
    if (width === 1 && values[0] === null) return null;
    let sawNull = false;
    for (const row of rows) {
      let match = true;
      let rowNull = false;
      for (let i = 0; i < width; i++) {
        const a = values[i];
        const b = row[i];
        if (a === null || b === null) {
          rowNull = true;
          continue;
        }
        const affinity = affinities[i];
        const c = compareValues(
          applyComparisonAffinity(a, affinity, typeof b === 'string'),
          applyComparisonAffinity(b, affinity, typeof a === 'string'),
          collations[i],
        );
        if (c !== 0) {
          match = false;
          break;
        }
      }
      if (match && !rowNull) return not ? 0 : 1;
      if (match && rowNull) sawNull = true;
    }
    if (sawNull) return null;
    return not ? 1 : 0;
  }, false);
}

/** The explicit COLLATE of each result column of a simple SELECT (which outranks a column's collation in comparisons). */
function explicitResultCollations(select: SelectStmt): (string | null)[] {
  if (select.compounds.length > 0 || select.first.kind !== 'SelectCore') return [];
  return select.first.columns.map((c) => (c.kind === 'ResultExpr' && c.expr.kind === 'Collate' ? checkCollationName(c.expr.collation.name) : null));
}

/** `x IN t` means `x IN (SELECT * FROM t)`; `x IN f(args)` reads the table-valued function. */
function tableAsSelect(expr: Extract<Expr, { kind: 'InTable' }>): SelectStmt {
  const span = { start: expr.start, end: expr.end };
  return {
    kind: 'Select',
    with: null,
    first: {
      kind: 'SelectCore',
      quantifier: null,
      columns: [{ kind: 'ResultStar', ...span }],
      from: [{ kind: 'TableRef', join: null, alias: null, constraint: null, schema: expr.schema, name: expr.table, args: expr.args, indexedBy: null, notIndexed: false, ...span }],
      where: null,
      groupBy: null,
      having: null,
      windows: null,
      ...span,
    },
    compounds: [],
    orderBy: null,
    limit: null,
    offset: null,
    ...span,
  };
}

function compileLike(expr: Extract<Expr, { kind: 'Like' }>, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  const name = expr.op.toLowerCase();
  const args = expr.escape ? [expr.right, expr.left, expr.escape] : [expr.right, expr.left];
  const compiledArgs = args.map((a) => compileScalar(a, scope, ctx));
  const def = ctx.functions.lookup(name, compiledArgs.length);
  if (def.kind !== 'scalar') throw new SqliteError(`misuse of aggregate function ${name}()`, 'SQLITE_ERROR');
  const evaluate = callFunction(def.impl, compiledArgs, newFunctionCall(ctx.functionContext, compiledArgs.length));
  if (!expr.not) return plain(evaluate, false);
  return plain(() => {
    const t = truthValue(evaluate());
    return t === null ? null : t ? 0 : 1;
  }, false);
}

function compileCase(expr: Extract<Expr, { kind: 'Case' }>, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  const elseCompiled = expr.else ? compileScalar(expr.else, scope, ctx) : null;
  const elseEval = elseCompiled !== null ? elseCompiled.evaluate : NULL_EVAL;
  const thenCompiled = expr.whens.map((w) => compileScalar(w.then, scope, ctx));
  const thens = thenCompiled.map((t) => t.evaluate);
  /** Index of the branch to take (the number of WHENs for ELSE). */
  let chosen: () => number;
  if (expr.operand === null) {
    const whens = expr.whens.map((w) => compileScalar(w.when, scope, ctx).evaluate);
    const n = whens.length;
    chosen = () => {
      for (let i = 0; i < n; i++) if (truthValue(whens[i]()) === true) return i;
      return n;
    };
  } else {
    const operand = compileScalar(expr.operand, scope, ctx);
    let current: SqlValue = null;
    const cached: CompiledExpr = { ...operand, evaluate: () => current };
    const tests = expr.whens.map((w) => comparison('=', cached, compileScalar(w.when, scope, ctx)));
    const inner = operand.evaluate;
    const n = tests.length;
    chosen = () => {
      current = inner();
      for (let i = 0; i < n; i++) if (tests[i]() === 1) return i;
      return n;
    };
  }
  const n = thens.length;
  const branchSubtypes = [...thenCompiled, ...(elseCompiled !== null ? [elseCompiled] : [])].map((c) => c.subtype);
  if (branchSubtypes.every((s) => s === NO_SUBTYPE)) {
    return plain(() => {
      const i = chosen();
      return i < n ? thens[i]() : elseEval();
    }, false);
  }
  // A branch that can carry a subtype (a JSON function result) passes it on.
  const subtypes = elseCompiled !== null ? branchSubtypes : [...branchSubtypes, NO_SUBTYPE];
  let taken = n;
  const evaluate: Evaluate = () => {
    taken = chosen();
    return taken < n ? thens[taken]() : elseEval();
  };
  return { ...plain(evaluate, false), subtype: () => subtypes[taken]() };
}

function castFunction(affinity: Affinity): (v: SqlValue) => SqlValue {
  switch (affinity) {
    case Affinity.INTEGER:
      return castToInteger;
    case Affinity.REAL:
      return castToReal;
    case Affinity.TEXT:
      return castToText;
    case Affinity.NUMERIC:
      return castToNumeric;
    default:
      return castToBlob;
  }
}

/**
 * A closure calling a scalar function through `call`, with one reused
 * argument array per call site. Before each call the arguments that can
 * carry a subtype refill `call.argSubtypes`, and `call.resultSubtype` is
 * reset, so that afterwards it holds the subtype of this result.
 */
export function callFunction(impl: ScalarImpl, compiledArgs: readonly CompiledExpr[], call: FunctionCall): Evaluate {
  const n = compiledArgs.length;
  const args: SqlValue[] = new Array(n).fill(null);
  const evaluators = compiledArgs.map((a) => a.evaluate);
  if (compiledArgs.some((a) => a.subtype !== NO_SUBTYPE)) {
    const subtypes = compiledArgs.map((a) => a.subtype);
    const argSubtypes = call.argSubtypes;
    return () => {
      for (let i = 0; i < n; i++) {
        args[i] = evaluators[i]();
        argSubtypes[i] = subtypes[i]();
      }
      call.resultSubtype = 0;
      return impl(args, call);
    };
  }
  if (n === 1) {
    const a = evaluators[0];
    return () => {
      args[0] = a();
      call.resultSubtype = 0;
      return impl(args, call);
    };
  }
  if (n === 2) {
    const a = evaluators[0];
    const b = evaluators[1];
    return () => {
      args[0] = a();
      args[1] = b();
      call.resultSubtype = 0;
      return impl(args, call);
    };
  }
  return () => {
    for (let i = 0; i < n; i++) args[i] = evaluators[i]();
    call.resultSubtype = 0;
    return impl(args, call);
  };
}

function compileFunctionCall(expr: AstFunctionCall, scope: Scope, ctx: ExpressionContext): CompiledExpr {
  const name = expr.name.name;
  if (expr.over !== null || windowBuiltin(name) !== null) {
    if (expr.over === null || !ctx.windows) throw new SqliteError(`misuse of window function ${name}()`, 'SQLITE_ERROR');
    return ctx.windows.call(expr, ctx, scope);
  }
  const argc = expr.star ? 0 : expr.args.length;
  const def = ctx.functions.lookup(name, argc);
  if (def.kind === 'aggregate') {
    if (ctx.aggregates === null) throw new SqliteError(`misuse of aggregate function ${name}()`, 'SQLITE_ERROR');
    const windows = ctx.windows ?? null;
    ctx.windows = null;
    let result: ReturnType<AggregateCollector['aggregate']>;
    try {
      result = ctx.aggregates.aggregate(expr, ctx, scope);
    } finally {
      ctx.windows = windows;
    }
    let collation: string | null = null;
    const lower = name.toLowerCase();
    if ((lower === 'min' || lower === 'max') && expr.args.length === 1) collation = staticCollation(expr.args[0], scope);
    const evaluate = windows !== null ? windows.capture(result.evaluate) : result.evaluate;
    return { evaluate, affinity: Affinity.NONE, collation, explicitCollation: false, constant: false, column: null, subtype: windows !== null ? NO_SUBTYPE : result.subtype };
  }
  if (expr.star) throw new SqliteError(`wrong number of arguments to function ${name}()`, 'SQLITE_ERROR');
  if (expr.quantifier === 'DISTINCT') throw new SqliteError(`DISTINCT aggregates must have exactly one argument`, 'SQLITE_ERROR');
  if (expr.filter !== null) throw new SqliteError(`FILTER may not be used with non-aggregate ${name}()`, 'SQLITE_ERROR');
  return compileScalarCall(def, expr.args.map((a) => compileScalar(a, scope, ctx)), ctx);
}

/** A call of a scalar function (also the `->` and `->>` operators) with compiled arguments. */
function compileScalarCall(def: ScalarFunctionDef, args: readonly CompiledExpr[], ctx: ExpressionContext): CompiledExpr {
  const explicit = args.find((a) => a.explicitCollation);
  // SQLite hands the collating functions the collation of their first argument that has one (a column's counts, BINARY included).
  const collating = def.needsCollation === true ? args.find((a) => a.collation !== null) : undefined;
  const call = newFunctionCall(ctx.functionContext, args.length, collating !== undefined ? collationFunction(collating.collation) : undefined);
  return {
    evaluate: callFunction(def.impl, args, call),
    affinity: Affinity.NONE,
    collation: explicit ? explicit.collation : null,
    explicitCollation: explicit !== undefined,
    constant: def.deterministic && args.every((a) => a.constant),
    column: null,
    subtype: () => call.resultSubtype,
  };
}

/** The collation of an expression without compiling it (for min()/max() results). */
function staticCollation(expr: Expr, scope: Scope): string | null {
  if (expr.kind === 'Collate') return checkCollationName(expr.collation.name);
  if (expr.kind === 'ColumnRef') {
    try {
      const resolved = scope.resolve(expr.table ? expr.table.name : null, expr.column.name);
      return resolved && resolved.column.collation !== 'BINARY' ? resolved.column.collation : null;
    } catch {
      return null;
    }
  }
  return null;
}

/** Text of an expression, used for result column names and messages. */
export function exprText(ctx: { sql: string }, expr: Expr): string {
  return sqlText(ctx.sql, expr);
}

/**
 * Collects the window function calls of one SELECT while its result list
 * and ORDER BY compile, and builds the WindowOperator that computes them
 * after WHERE, GROUP BY and HAVING.
 *
 * While the collector is active, every value those clauses read from the
 * query's rows (columns, aggregate results, bare aggregate columns) is
 * `capture`d: the operator stores it per row and later stages read the
 * stored copy, since the rows are buffered and reordered. A call's
 * arguments, FILTER, PARTITION BY and ORDER BY compile against the live
 * row (window calls are not allowed inside them). Calls over the same
 * window (same PARTITION BY, ORDER BY and frame text) share one pass.
 *
 * Named windows, `OVER name` and `OVER (base ...)`, resolve as SQLite
 * does, with its errors ("no such window: w", "cannot override ... of
 * window: w"), and so do the checks of calls and frames ("misuse of window
 * function f()", "f() may not be used as a window function", "unsupported
 * frame specification", "RANGE with offset PRECEDING/FOLLOWING requires one
 * ORDER BY expression", ...).
 */
import { SqliteError } from '../sqlite-error.js';
import type { Expr, FrameBound, FunctionCall as AstFunctionCall, Identifier, OrderingTerm, SelectCore, WindowDefinition, WindowFrame, WindowSpec } from '../sql/ast.js';
import { sqlText } from '../sql/ast.js';
import type { Evaluate } from '../exec/evaluate.js';
import type { Operator } from '../exec/operator.js';
import { newFunctionCall } from '../exec/functions/function-types.js';
import { acceptsArgumentCount, windowBuiltin } from '../exec/functions/window-functions.js';
import { WindowOperator, WindowOutput, type FrameBoundSpec, type FrameSpec, type WindowCallSpec, type WindowPassSpec } from '../exec/operators/window.js';
import { Affinity } from '../exec/values/affinity.js';
import { checkCollationName } from '../schema/collation-names.js';
import { collationFunction, compileScalar, NO_SUBTYPE, type CompiledExpr, type ExpressionContext, type WindowCollector } from './expression-compiler.js';
import type { Scope } from './scope.js';

interface ResolvedWindow {
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderingTerm[];
  readonly frame: WindowFrame | null;
}

interface PassDraft {
  readonly signature: string;
  readonly spec: {
    partition: Evaluate[];
    partitionCollations: ReturnType<typeof collationFunction>[];
    order: Evaluate[];
    orderKeys: { collation: ReturnType<typeof collationFunction>; descending: boolean; nullsFirst: boolean }[];
    frame: FrameSpec;
    calls: { spec: WindowCallSpec; values: Evaluate[] }[];
  };
}

const DEFAULT_FRAME_START: FrameBoundSpec = { type: 'UNBOUNDED PRECEDING', offset: null };
const CURRENT_ROW: FrameBoundSpec = { type: 'CURRENT ROW', offset: null };

export class QueryWindows implements WindowCollector {
  private readonly output = new WindowOutput();
  private readonly captures: Evaluate[] = [];
  private readonly passes: PassDraft[] = [];
  private resultCount = 0;

  constructor(private readonly definitions: readonly WindowDefinition[]) {}

  capture(read: Evaluate): Evaluate {
    const k = this.captures.length;
    this.captures.push(read);
    const output = this.output;
    return () => output.captured[k];
  }

  call(expr: AstFunctionCall, ctx: ExpressionContext, scope: Scope): CompiledExpr {
    const name = expr.name.name;
    const argc = expr.star ? 0 : expr.args.length;
    const builtin = windowBuiltin(name);
    let aggregate = null;
    if (builtin !== null) {
      if (!acceptsArgumentCount(builtin, argc) || expr.star) throw new SqliteError(`wrong number of arguments to function ${name}()`, 'SQLITE_ERROR');
      if (expr.filter !== null) throw new SqliteError('FILTER clause may only be used with aggregate window functions', 'SQLITE_ERROR');
    } else {
      const def = ctx.functions.lookup(name, argc);
      if (def.kind !== 'aggregate') throw new SqliteError(`${name}() may not be used as a window function`, 'SQLITE_ERROR');
      if (expr.quantifier === 'DISTINCT') throw new SqliteError('DISTINCT is not supported for window functions', 'SQLITE_ERROR');
      if (expr.orderBy !== null) throw new SqliteError('ORDER BY in aggregate arguments is not supported by this engine', 'SQLITE_ERROR');
      aggregate = def;
    }
    const window = this.resolve(expr.over!);
    const saved = ctx.windows;
    ctx.windows = null;
    try {
      const args = expr.star ? [] : expr.args.map((a) => compileScalar(a, scope, ctx));
      const filter = expr.filter !== null ? compileScalar(expr.filter, scope, ctx).evaluate : null;
      const pass = this.pass(window, ctx, scope);
      const result = this.resultCount++;
      const collation = args.length > 0 ? args[0].collation : null;
      const spec: WindowCallSpec = {
        builtin,
        aggregate,
        call: newFunctionCall(ctx.functionContext, args.length, collationFunction(collation)),
        argCount: args.length,
        hasFilter: filter !== null,
        result,
      };
      pass.spec.calls.push({ spec, values: [...args.map((a) => a.evaluate), ...(filter !== null ? [filter] : [])] });
      const output = this.output;
      const lower = name.toLowerCase();
      const subtype = aggregate !== null && aggregate.resultSubtype !== undefined ? aggregate.resultSubtype : 0;
      return {
        evaluate: () => output.results[result],
        affinity: Affinity.NONE,
        collation: lower === 'min' || lower === 'max' ? collation : null,
        explicitCollation: false,
        constant: false,
        column: null,
        subtype: subtype === 0 ? NO_SUBTYPE : () => subtype,
      };
    } finally {
      ctx.windows = saved;
    }
  }

  /** The operator computing every collected call over `input`'s rows. */
  operator(input: Operator): Operator {
    const passes: WindowPassSpec[] = this.passes.map((p) => p.spec);
    return new WindowOperator(input, this.captures, passes, this.resultCount, this.output);
  }

  private resolve(over: WindowSpec | Identifier): ResolvedWindow {
    if (over.kind === 'Identifier') return this.named(over.name, this.definitions.length);
    return this.withBase(over, this.definitions.length);
  }

  /** The definition of window `name` among the first `limit` definitions. */
  private named(name: string, limit: number): ResolvedWindow {
    const lower = name.toLowerCase();
    const index = this.definitions.findIndex((d, i) => i < limit && d.name.name.toLowerCase() === lower);
    if (index < 0) throw new SqliteError(`no such window: ${name}`, 'SQLITE_ERROR');
    return this.withBase(this.definitions[index].spec, index);
  }

  private withBase(spec: WindowSpec, limit: number): ResolvedWindow {
    if (spec.base === null) return { partitionBy: spec.partitionBy ?? [], orderBy: spec.orderBy ?? [], frame: spec.frame };
    const baseName = spec.base.name;
    const base = this.named(baseName, limit);
    if (spec.partitionBy !== null) throw new SqliteError(`cannot override PARTITION clause of window: ${baseName}`, 'SQLITE_ERROR');
    if (spec.orderBy !== null && base.orderBy.length > 0) throw new SqliteError(`cannot override ORDER BY clause of window: ${baseName}`, 'SQLITE_ERROR');
    if (base.frame !== null) throw new SqliteError(`cannot override frame specification of window: ${baseName}`, 'SQLITE_ERROR');
    return { partitionBy: base.partitionBy, orderBy: spec.orderBy ?? base.orderBy, frame: spec.frame };
  }

  private pass(window: ResolvedWindow, ctx: ExpressionContext, scope: Scope): PassDraft {
    const signature = windowSignature(window, ctx.sql);
    const existing = this.passes.find((p) => p.signature === signature);
    if (existing !== undefined) return existing;
    const frame = compileFrame(window, ctx, scope);
    const partition = window.partitionBy.map((e) => compileScalar(e, scope, ctx));
    const order = window.orderBy.map((term) => ({ term, compiled: compileScalar(term.expr, scope, ctx) }));
    const draft: PassDraft = {
      signature,
      spec: {
        partition: partition.map((p) => p.evaluate),
        partitionCollations: partition.map((p) => collationFunction(p.collation)),
        order: order.map((o) => o.compiled.evaluate),
        orderKeys: order.map(({ term, compiled }) => {
          const descending = term.direction === 'DESC';
          const explicit = term.expr.kind === 'Collate' ? checkCollationName(term.expr.collation.name) : null;
          return { collation: collationFunction(explicit ?? compiled.collation), descending, nullsFirst: term.nulls === null ? !descending : term.nulls === 'FIRST' };
        }),
        frame,
        calls: [],
      },
    };
    this.passes.push(draft);
    return draft;
  }
}

function windowSignature(window: ResolvedWindow, sql: string): string {
  const frame = window.frame;
  const bound = (b: FrameBound | null): string => (b === null ? '' : `${b.type}:${b.expr !== null ? sqlText(sql, b.expr) : ''}`);
  return JSON.stringify([
    window.partitionBy.map((e) => sqlText(sql, e)),
    window.orderBy.map((t) => [sqlText(sql, t.expr), t.direction, t.nulls]),
    frame === null ? null : [frame.units, bound(frame.startBound), bound(frame.endBound), frame.exclude],
  ]);
}

const BOUND_RANK: Record<FrameBound['type'], number> = {
  'UNBOUNDED PRECEDING': 0,
  PRECEDING: 1,
  'CURRENT ROW': 2,
  FOLLOWING: 3,
  'UNBOUNDED FOLLOWING': 4,
};

function compileFrame(window: ResolvedWindow, ctx: ExpressionContext, scope: Scope): FrameSpec {
  const frame = window.frame;
  if (frame === null) return { units: 'RANGE', start: DEFAULT_FRAME_START, end: CURRENT_ROW, exclude: 'NO OTHERS' };
  const start = frame.startBound;
  const end = frame.endBound;
  const endType = end === null ? 'CURRENT ROW' : end.type;
  if ((start.type === 'CURRENT ROW' && endType === 'PRECEDING') || (start.type === 'FOLLOWING' && (endType === 'PRECEDING' || endType === 'CURRENT ROW'))) {
    throw new SqliteError('unsupported frame specification', 'SQLITE_ERROR');
  }
  if (BOUND_RANK[start.type] === 4 || (end !== null && BOUND_RANK[end.type] === 0)) throw new SqliteError('unsupported frame specification', 'SQLITE_ERROR');
  const hasOffset = start.type === 'PRECEDING' || start.type === 'FOLLOWING' || endType === 'PRECEDING' || endType === 'FOLLOWING';
  if (frame.units === 'RANGE' && hasOffset && window.orderBy.length !== 1) {
    throw new SqliteError('RANGE with offset PRECEDING/FOLLOWING requires one ORDER BY expression', 'SQLITE_ERROR');
  }
  return {
    units: frame.units,
    start: compileBound(start, frame.units, 'starting', ctx, scope),
    end: end === null ? CURRENT_ROW : compileBound(end, frame.units, 'ending', ctx, scope),
    exclude: frame.exclude ?? 'NO OTHERS',
  };
}

/** A frame bound; an offset must be a constant expression (parameters allowed). */
function compileBound(bound: FrameBound, units: FrameSpec['units'], which: string, ctx: ExpressionContext, scope: Scope): FrameBoundSpec {
  if (bound.expr === null) return { type: bound.type, offset: null };
  const compiled = compileScalar(bound.expr, scope, ctx);
  if (!compiled.constant && !isParameter(bound.expr)) {
    throw new SqliteError(`frame ${which} offset must be a non-negative ${units === 'RANGE' ? 'number' : 'integer'}`, 'SQLITE_ERROR');
  }
  return { type: bound.type, offset: compiled.evaluate };
}

function isParameter(expr: Expr): boolean {
  if (expr.kind === 'Parameter') return true;
  return expr.kind === 'Unary' && (expr.op === '-' || expr.op === '+') && isParameter(expr.operand);
}

/** True when the result list or ORDER BY of `core` calls a window function (subqueries aside). */
export function usesWindowFunctions(core: SelectCore, orderBy: readonly OrderingTerm[] | null): boolean {
  return core.columns.some((c) => c.kind === 'ResultExpr' && containsWindowCall(c.expr)) || (orderBy !== null && orderBy.some((t) => containsWindowCall(t.expr)));
}

function containsWindowCall(expr: Expr | null): boolean {
  if (expr === null) return false;
  switch (expr.kind) {
    case 'FunctionCall':
      return expr.over !== null || expr.args.some(containsWindowCall) || containsWindowCall(expr.filter);
    case 'Unary':
      return containsWindowCall(expr.operand);
    case 'Binary':
      return containsWindowCall(expr.left) || containsWindowCall(expr.right);
    case 'Like':
      return containsWindowCall(expr.left) || containsWindowCall(expr.right) || containsWindowCall(expr.escape);
    case 'Between':
      return containsWindowCall(expr.expr) || containsWindowCall(expr.low) || containsWindowCall(expr.high);
    case 'NullTest':
    case 'Cast':
    case 'Collate':
    case 'InSelect':
    case 'InTable':
      return containsWindowCall(expr.expr);
    case 'InList':
      return containsWindowCall(expr.expr) || expr.list.some(containsWindowCall);
    case 'Case':
      return containsWindowCall(expr.operand) || expr.whens.some((w) => containsWindowCall(w.when) || containsWindowCall(w.then)) || containsWindowCall(expr.else);
    case 'Vector':
      return expr.items.some(containsWindowCall);
    default:
      return false;
  }
}

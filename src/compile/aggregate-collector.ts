/**
 * Collects the aggregate calls and bare column reads of one aggregate query
 * while its result list, HAVING and ORDER BY compile, and hands the
 * AggregateOperator what it must compute per group. Aggregate arguments
 * compile against the FROM scope with aggregates disallowed (so
 * `sum(sum(x))` is "misuse of aggregate function sum()"). A call's result
 * subtype is its definition's (JSON for json_group_array) or, for min/max,
 * the one its accumulator kept; its collation is its first argument's.
 */
import { SqliteError } from '../sqlite-error.js';
import type { FunctionCall } from '../sql/ast.js';
import type { Evaluate } from '../exec/evaluate.js';
import { AggregateOutput, type AggregateCall } from '../exec/operators/aggregate.js';
import { newFunctionCall, type AggregateFunctionDef, type FunctionContext } from '../exec/functions/function-types.js';
import { keyCollation } from '../exec/value-key.js';
import { compileScalar, collationFunction, NO_SUBTYPE, type AggregateCollector, type ExpressionContext, type Subtype } from './expression-compiler.js';
import type { Scope } from './scope.js';

interface PendingCall {
  readonly def: AggregateFunctionDef;
  readonly name: string;
  readonly args: Evaluate[];
  readonly argSubtypes: Subtype[] | null;
  readonly distinct: boolean;
  readonly collation: string | null;
  readonly filter: Evaluate | null;
  readonly context: FunctionContext;
}

export class QueryAggregates implements AggregateCollector {
  readonly output = new AggregateOutput();
  readonly bareReads: Evaluate[] = [];
  private readonly pending: PendingCall[] = [];

  aggregate(call: FunctionCall, ctx: ExpressionContext, scope: Scope): { evaluate: Evaluate; subtype: Subtype } {
    const name = call.name.name;
    const argc = call.star ? 0 : call.args.length;
    const def = ctx.functions.lookup(name, argc);
    if (def.kind !== 'aggregate') throw new SqliteError(`no such function: ${name}`, 'SQLITE_ERROR');
    if (call.orderBy !== null) throw new SqliteError('ORDER BY in aggregate arguments is not supported by this engine', 'SQLITE_ERROR');
    const distinct = call.quantifier === 'DISTINCT';
    if (distinct && argc !== 1) throw new SqliteError('DISTINCT aggregates must have exactly one argument', 'SQLITE_ERROR');
    const saved = ctx.aggregates;
    ctx.aggregates = null;
    let args: Evaluate[];
    let argSubtypes: Subtype[] | null;
    let collation: string | null = null;
    let filter: Evaluate | null = null;
    try {
      const compiled = call.star ? [] : call.args.map((a) => compileScalar(a, scope, ctx));
      args = compiled.map((c) => c.evaluate);
      argSubtypes = compiled.some((c) => c.subtype !== NO_SUBTYPE) ? compiled.map((c) => c.subtype) : null;
      if (compiled.length > 0) collation = compiled[0].collation;
      if (call.filter !== null) filter = compileScalar(call.filter, scope, ctx).evaluate;
    } finally {
      ctx.aggregates = saved;
    }
    const k = this.pending.length;
    this.pending.push({ def, name: name.toLowerCase(), args, argSubtypes, distinct, collation, filter, context: ctx.functionContext });
    const output = this.output;
    const evaluate: Evaluate = () => output.results[k];
    if (def.resultSubtype !== undefined) {
      const subtype = def.resultSubtype;
      return { evaluate, subtype: () => subtype };
    }
    return { evaluate, subtype: () => output.subtypes[k] };
  }

  bare(read: Evaluate): Evaluate {
    const k = this.bareReads.length;
    this.bareReads.push(read);
    const output = this.output;
    return () => output.bare[k];
  }

  /** True when at least one aggregate call was compiled. */
  get hasCalls(): boolean {
    return this.pending.length > 0;
  }

  /** The calls for the operator; a lone min()/max() drives the bare columns. */
  calls(): AggregateCall[] {
    const lone = this.pending.length === 1 && (this.pending[0].name === 'min' || this.pending[0].name === 'max') && this.pending[0].args.length === 1;
    return this.pending.map((p) => ({
      def: p.def,
      args: p.args,
      argSubtypes: p.argSubtypes,
      distinct: p.distinct,
      distinctCollation: keyCollation(p.collation),
      filter: p.filter,
      call: newFunctionCall(p.context, p.args.length, collationFunction(p.collation)),
      extreme: lone ? (p.name as 'min' | 'max') : null,
      extremeCollation: collationFunction(p.collation),
    }));
  }
}

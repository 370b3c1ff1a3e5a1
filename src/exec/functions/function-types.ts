/**
 * The contract between the expression evaluator and SQL functions, built-in
 * or registered by the user (better-sqlite3's `db.function()` and
 * `db.aggregate()`).
 *
 * Calling convention: the evaluator owns one `FunctionCall` per call site
 * and one argument array per call site, refills them for every row and
 * calls `impl(args, call)`. Implementations must not keep `args`; they may
 * keep derived state in `call.auxData` (for example a compiled LIKE
 * pattern, reused while the pattern argument stays the same).
 *
 * Subtypes: SQLite tags values that JSON functions produce so that
 * `json_object('a', json_array(1))` nests instead of quoting. The evaluator
 * fills `call.argSubtypes[i]` with the subtype the i-th argument expression
 * produced (0 when it is not a direct function result), resets
 * `call.resultSubtype` to 0 before each call, and reads it afterwards.
 *
 * Collation: SQLite hands scalar min(), max() and nullif() (the
 * definitions with `needsCollation`) the collating sequence of the first
 * argument expression that has one (an explicit COLLATE, or a column's
 * collation, BINARY included), BINARY when none has. The evaluator puts
 * it in `call.collation` when it builds the call site.
 *
 * Errors: implementations throw `SqliteError` (SQLite's wording, code
 * `SQLITE_ERROR` unless SQLite uses another), which aborts the statement.
 */
import type { Collation } from '../values/collation.js';
import type { SqlValue } from '../values/value.js';

/** Connection state some functions read. */
export interface FunctionContext {
  /** sqlite3_last_insert_rowid(). */
  lastInsertRowid(): number | bigint;
  /** sqlite3_changes64(). */
  changes(): number | bigint;
  /** sqlite3_total_changes64(). */
  totalChanges(): number | bigint;
  /** Milliseconds since the Unix epoch for 'now'; constant within one statement step. */
  currentTimeMs(): number;
}

/** Subtype SQLite's JSON functions put on the JSON text they return ('J'). */
export const JSON_SUBTYPE = 74;

/** Per-call-site state shared by the evaluator and the function. */
export interface FunctionCall {
  readonly context: FunctionContext;
  /** Subtype of each argument, 0 = none. */
  argSubtypes: number[];
  /** Subtype of the result, set by the function (0 = none). */
  resultSubtype: number;
  /** Free slot for state derived from constant arguments. */
  auxData: unknown;
  /** The call site's collating sequence for `needsCollation` functions; undefined = BINARY. */
  collation?: Collation | undefined;
}

export type ScalarImpl = (args: readonly SqlValue[], call: FunctionCall) => SqlValue;

/** The running state of one aggregate group. */
export interface Accumulator {
  /** Adds one row. */
  step(args: readonly SqlValue[], call: FunctionCall): void;
  /** The aggregate's value so far; calling it does not end the group. */
  result(): SqlValue;
  /** The subtype of `result()` when it passes on an argument's (min/max); absent = the definition's `resultSubtype`. */
  resultSubtype?(): number;
  /**
   * Removes one row stepped earlier (the oldest still in), for window
   * frames that slide (SQLite's xInverse); absent = the window operator
   * recomputes such frames.
   */
  inverse?(args: readonly SqlValue[], call: FunctionCall): void;
}

interface FunctionDefBase {
  /** Lower-case name. */
  readonly name: string;
  /** Number of arguments, or -1 for any number. */
  readonly argCount: number;
  /** For argCount -1: the fewest arguments accepted. */
  readonly minArgs?: number;
  /** Same arguments always give the same result (allowed in indexes, constant folding). */
  readonly deterministic: boolean;
  /** Compares its arguments as text and wants the call site's collation in `call.collation`. */
  readonly needsCollation?: boolean;
}

export interface ScalarFunctionDef extends FunctionDefBase {
  readonly kind: 'scalar';
  readonly impl: ScalarImpl;
}

export interface AggregateFunctionDef extends FunctionDefBase {
  readonly kind: 'aggregate';
  /** A fresh accumulator for one group. */
  readonly create: () => Accumulator;
  /** Subtype of every result (JSON_SUBTYPE for json_group_array/json_group_object); absent = none. */
  readonly resultSubtype?: number;
}

export type FunctionDef = ScalarFunctionDef | AggregateFunctionDef;

/** Makes a standalone FunctionCall (for callers outside the evaluator and for tests). */
export function newFunctionCall(context: FunctionContext, argCount: number, collation?: Collation): FunctionCall {
  return { context, argSubtypes: new Array<number>(argCount).fill(0), resultSubtype: 0, auxData: undefined, collation };
}

/** Declares a built-in or user scalar function. */
export function scalarFunction(name: string, argCount: number, impl: ScalarImpl, deterministic = true, minArgs = 0): ScalarFunctionDef {
  return { kind: 'scalar', name: name.toLowerCase(), argCount, minArgs, deterministic, impl };
}

/** Declares a built-in or user aggregate function. */
export function aggregateFunction(name: string, argCount: number, create: () => Accumulator, deterministic = true): AggregateFunctionDef {
  return { kind: 'aggregate', name: name.toLowerCase(), argCount, deterministic, create };
}

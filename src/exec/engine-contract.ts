/**
 * The contract between the SQL engine (`src/compile`, `src/exec`,
 * `src/schema`) and the better-sqlite3-shaped API layer (`src/api`).
 *
 * The engine compiles one statement at a time and runs it; the API layer
 * owns argument checking, binding rules, row shaping (objects, `raw`,
 * `pluck`, `expand`) and `transaction()`. Values cross the boundary in the
 * forms better-sqlite3 uses:
 *  - bound parameters: `null`, `number` (always bound as REAL, exactly as
 *    better-sqlite3 binds JS numbers), `bigint` (INTEGER; the API has already
 *    checked the int64 range), `string` (TEXT), `Uint8Array` (BLOB);
 *  - result values: `null`, `number` (REAL, or INTEGER when `safeIntegers`
 *    is off), `bigint` (INTEGER when `safeIntegers` is on), `string`,
 *    `Buffer` (BLOB).
 * Errors are `SqliteError`s with SQLite's codes and wording.
 */

export type BindValue = null | number | bigint | string | Uint8Array;
export type ResultValue = null | number | bigint | string | Buffer;

/** What better-sqlite3's `statement.columns()` reports for one result column. */
export interface ColumnDescription {
  readonly name: string;
  /** Origin column name, or null for an expression. */
  readonly column: string | null;
  readonly table: string | null;
  readonly database: string | null;
  /** Declared type of the origin column, or null. */
  readonly type: string | null;
}

export interface RunOutcome {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

/** A compiled statement. It may be executed many times, one execution at a time. */
export interface PreparedStatement {
  /** The statement's own SQL text (without the tail). */
  readonly source: string;
  /** True when the statement returns rows (SELECT, RETURNING, row-returning PRAGMAs). */
  readonly reader: boolean;
  /** True when the statement cannot change the database. */
  readonly readonly: boolean;
  /** Highest parameter index used (`?`, `?NNN`, `:x`, `@x`, `$x`). */
  readonly parameterCount: number;
  /** The name of parameter `index` (1-based) including its prefix (`:x`), or null for `?`/`?NNN`. */
  parameterName(index: number): string | null;
  /** Result columns; empty when `reader` is false. */
  columns(): ColumnDescription[];
  /** Changes whenever the statement was recompiled (after a schema change), so `columns()` may differ. */
  readonly columnsVersion: number;
  /**
   * Starts an execution with `parameters[i - 1]` bound to parameter i.
   * Throws `SQLITE_MISUSE`-free errors only: the API has validated counts.
   */
  execute(parameters: readonly BindValue[], safeIntegers: boolean): RowCursor;
}

/**
 * One execution of a statement. Once it is done (closed, or `next()`
 * returned null) the statement may hand the same object out again for its
 * next execution, so a caller must not touch it after starting another.
 */
export interface RowCursor {
  /** The next row (a fresh array the caller may keep), or null when the statement is done. */
  next(): ResultValue[] | null;
  /**
   * Like `next()`, but the row is an array the cursor reuses: valid only
   * until the next call (for callers that copy the values out at once).
   */
  nextShared(): ResultValue[] | null;
  /** Ends the execution early (like sqlite3_reset); idempotent. Runs statement-end work. */
  close(): void;
  /** Rows changed by this execution (valid once `next()` returned null, until the statement's next execution). */
  readonly outcome: RunOutcome;
}

/** A user-defined scalar function (better-sqlite3 `db.function`). */
export interface ScalarFunctionDefinition {
  readonly name: string;
  /** Number of arguments, or -1 for varargs. */
  readonly argumentCount: number;
  readonly deterministic: boolean;
  readonly safeIntegers: boolean;
  readonly call: (...args: ResultValue[]) => unknown;
}

/** A user-defined aggregate (better-sqlite3 `db.aggregate`). */
export interface AggregateFunctionDefinition {
  readonly name: string;
  readonly argumentCount: number;
  readonly deterministic: boolean;
  readonly safeIntegers: boolean;
  readonly start: () => unknown;
  readonly step: (total: unknown, ...args: ResultValue[]) => unknown;
  readonly inverse?: (total: unknown, ...args: ResultValue[]) => unknown;
  readonly result?: (total: unknown) => unknown;
}

export interface EngineOpenOptions {
  readonly readonly: boolean;
  readonly fileMustExist: boolean;
  /** Busy timeout in milliseconds. */
  readonly timeout: number;
  /** Multi-process coordination through `-tshm` (ignored for `:memory:`). */
  readonly multiProcess: boolean;
}

/** One open database connection. */
export interface EngineConnection {
  /** Compiles the first statement of `sql`; `statement` is null when `sql` holds only whitespace/comments. */
  prepare(sql: string): { statement: PreparedStatement | null; tail: string };
  /** True inside BEGIN ... COMMIT (or a SAVEPOINT opened outside a transaction). */
  readonly inTransaction: boolean;
  readonly memory: boolean;
  readonly readonly: boolean;
  defineFunction(definition: ScalarFunctionDefinition): void;
  defineAggregate(definition: AggregateFunctionDefinition): void;
  /** Closes the connection; further use throws. */
  close(): void;
}

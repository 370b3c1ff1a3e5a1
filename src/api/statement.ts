/**
 * Statement: better-sqlite3's prepared statement over one engine
 * `PreparedStatement`.
 *
 * It owns the per-statement settings (row mode, `safeIntegers`, values fixed
 * by `bind()`), runs executions through the engine's `RowCursor`, and keeps
 * better-sqlite3's rules: the same argument checks in the same order with the
 * same errors, `busy` on the connection while the engine steps (so a user
 * function cannot re-enter the database), one open iterator per statement
 * (the statement is "busy" while it is open), and no writes on a connection
 * with open iterators unless `unsafeMode` is on. Every execution ends with
 * `RowCursor.close()`, whether it finished, stopped early, or failed; on a
 * database that is not shared through `-tshm`, how it ended is reported to
 * the owner's in-process commit counting (`in-process-commits.ts`).
 */
import type { BindValue, PreparedStatement, RowCursor } from '../exec/engine-contract.js';
import { ConnectionState, toggleArgument } from './connection-state.js';
import { bindParameters, ParameterLayout } from './parameter-binding.js';
import { RowShaper, type RowMode, type ShapedRow } from './row-shapes.js';
import { expandSql } from './expanded-sql.js';
import type { Database } from './database.js';
import type { InProcessCommits } from './in-process-commits.js';

/** What `run()` returns. */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** What `columns()` reports for one result column. */
export interface ColumnDefinition {
  name: string;
  column: string | null;
  table: string | null;
  database: string | null;
  type: string | null;
}

/** The statement's owner as far as a statement needs to know it. */
export interface StatementOwner {
  readonly state: ConnectionState;
  readonly logger: ((sql: string) => unknown) | null;
  /** Where finished statements are reported when the database is not shared; null when it is. */
  readonly commits: InProcessCommits | null;
}

/** Everything `Database.prepare()` hands a new statement. Internal: user code cannot construct statements. */
export interface StatementSetup {
  readonly owner: StatementOwner;
  readonly prepared: PreparedStatement;
  readonly source: string;
  /** `pragma()` statements always return data, even when the pragma sets a value. */
  readonly alwaysReader: boolean;
}

const constructionToken: unique symbol = Symbol('Statement construction');

export function createStatement(database: Database, setup: StatementSetup): Statement {
  return new Statement(constructionToken, database, setup);
}

export class Statement<BindParameters extends unknown[] = unknown[], Result = unknown> {
  readonly database: Database;
  readonly source: string;
  readonly reader: boolean;
  readonly readonly: boolean;

  #state: ConnectionState;
  #owner: StatementOwner;
  #prepared: PreparedStatement;
  #layout: ParameterLayout | null = null;
  #shaper: RowShaper;
  #mode: RowMode = 'flat';
  #safeIntegers: boolean;
  #boundValues: readonly BindValue[] | null = null;
  #locked = false;
  /** Whether the connection was in a transaction when the current execution started (kept only for `commits`). */
  #startedInTransaction = false;

  /** Statements come from `db.prepare()`; calling this constructor directly throws a `TypeError`. */
  constructor(token: symbol, database: Database, setup: StatementSetup) {
    if (token !== constructionToken) throw new TypeError('Statements can only be constructed by the db.prepare() method');
    this.database = database;
    this.source = setup.source;
    this.reader = setup.alwaysReader || setup.prepared.reader;
    this.readonly = setup.prepared.readonly;
    this.#owner = setup.owner;
    this.#state = setup.owner.state;
    this.#prepared = setup.prepared;
    this.#safeIntegers = this.#state.defaultSafeIntegers;
    this.#shaper = new RowShaper(setup.prepared);
  }

  /** True while an iterator of this statement is open. */
  get busy(): boolean {
    return this.#locked;
  }

  run(...params: BindParameters): RunResult {
    const values = this.#start(params, true);
    const cursor = this.#execute(values);
    let completed = false;
    try {
      while (cursor.next() !== null);
      completed = true;
      const outcome = cursor.outcome;
      const rowid = outcome.lastInsertRowid;
      return {
        changes: outcome.changes,
        lastInsertRowid: this.#safeIntegers ? BigInt(rowid) : Number(rowid),
      };
    } finally {
      this.#finish(cursor, completed);
    }
  }

  get(...params: BindParameters): Result | undefined {
    this.#requireReader();
    const values = this.#start(params, false);
    const cursor = this.#execute(values);
    let completed = false;
    try {
      const mode = this.#mode;
      const row = mode === 'raw' ? cursor.next() : cursor.nextShared();
      completed = true;
      return row === null ? undefined : (this.#shaper.shape(row, mode) as Result);
    } finally {
      this.#finish(cursor, completed);
    }
  }

  all(...params: BindParameters): Result[] {
    this.#requireReader();
    const values = this.#start(params, false);
    const cursor = this.#execute(values);
    const mode = this.#mode;
    const shaper = this.#shaper;
    const rows: Result[] = [];
    let completed = false;
    try {
      if (mode === 'raw') for (let row = cursor.next(); row !== null; row = cursor.next()) rows.push(row as Result);
      else for (let row = cursor.nextShared(); row !== null; row = cursor.nextShared()) rows.push(shaper.shape(row, mode) as Result);
      completed = true;
      return rows;
    } finally {
      this.#finish(cursor, completed);
    }
  }

  iterate(...params: BindParameters): IterableIterator<Result> {
    this.#requireReader();
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    this.#requireNotLocked();
    const values = this.#bindFor(params);
    return new StatementIterator<Result>(this.#openIteration(values), state);
  }

  bind(...params: BindParameters): this {
    if (this.#boundValues !== null) throw new TypeError('The bind() method can only be invoked once per statement object');
    this.#state.requireOpen();
    this.#state.requireNotBusy();
    this.#requireNotLocked();
    this.#boundValues = bindParameters(this.#parameterLayout(), params);
    return this;
  }

  pluck(...toggle: [boolean?]): this {
    return this.#setMode('pluck', 'The pluck() method is only for statements that return data', toggle);
  }

  expand(...toggle: [boolean?]): this {
    return this.#setMode('expand', 'The expand() method is only for statements that return data', toggle);
  }

  raw(...toggle: [boolean?]): this {
    return this.#setMode('raw', 'The raw() method is only for statements that return data', toggle);
  }

  safeIntegers(...toggle: [boolean?]): this {
    this.#state.requireNotBusy();
    this.#requireNotLocked();
    this.#safeIntegers = toggleArgument(toggle);
    return this;
  }

  columns(): ColumnDefinition[] {
    if (!this.reader) throw new TypeError('The columns() method is only for statements that return data');
    this.#state.requireOpen();
    this.#state.requireNotBusy();
    return this.#prepared.columns().map((c) => ({
      name: c.name,
      column: c.column,
      table: c.table,
      database: c.database,
      type: c.type,
    }));
  }

  #setMode(mode: RowMode, notReaderMessage: string, toggle: [boolean?]): this {
    if (!this.reader) throw new TypeError(notReaderMessage);
    this.#state.requireNotBusy();
    this.#requireNotLocked();
    const use = toggleArgument(toggle);
    this.#mode = use ? mode : this.#mode === mode ? 'flat' : this.#mode;
    return this;
  }

  #requireReader(): void {
    if (!this.reader) throw new TypeError('This statement does not return data. Use run() instead');
  }

  #requireNotLocked(): void {
    if (this.#locked) throw new TypeError('This statement is busy executing a query');
  }

  /** The checks every execution makes before binding, in better-sqlite3's order; returns the values to bind. */
  #start(params: ArrayLike<unknown>, mutates: boolean): readonly BindValue[] {
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    this.#requireNotLocked();
    if (mutates) state.requireNoIteratorsUnlessUnsafe();
    return this.#bindFor(params);
  }

  #bindFor(params: ArrayLike<unknown>): readonly BindValue[] {
    if (this.#boundValues === null) return bindParameters(this.#parameterLayout(), params);
    if (params.length > 0) throw new TypeError('This statement already has bound parameters');
    return this.#boundValues;
  }

  #parameterLayout(): ParameterLayout {
    return this.#layout ?? (this.#layout = new ParameterLayout(this.#prepared));
  }

  /** Marks the connection busy, logs, and starts the engine; the caller must `#finish` the cursor. */
  #execute(values: readonly BindValue[]): RowCursor {
    const state = this.#state;
    state.busy = true;
    try {
      this.#log(values);
      if (this.#owner.commits !== null) this.#startedInTransaction = this.database.inTransaction;
      return this.#prepared.execute(values, this.#safeIntegers);
    } catch (error) {
      state.busy = false;
      throw error;
    }
  }

  /** Ends an execution; `completed` says whether it ran without error up to here. */
  #finish(cursor: RowCursor, completed: boolean): void {
    let closed = false;
    try {
      cursor.close();
      closed = true;
    } finally {
      this.#state.busy = false;
      this.#reportEnd(completed && closed);
    }
  }

  #reportEnd(succeeded: boolean): void {
    const commits = this.#owner.commits;
    if (commits !== null) commits.statementEnded(this.#prepared, this.#startedInTransaction, this.database.inTransaction, succeeded);
  }

  #log(values: readonly BindValue[]): void {
    const logger = this.#owner.logger;
    if (logger === null) return;
    const prepared = this.#prepared;
    logger(expandSql(this.source, values, (name) => indexOfParameter(prepared, name)));
  }

  /** Starts the execution an iterator walks; the statement stays locked until the iterator ends. */
  #openIteration(values: readonly BindValue[]): Iteration {
    const state = this.#state;
    const mode = this.#mode;
    const shaper = this.#shaper;
    const safeIntegers = this.#safeIntegers;
    const prepared = this.#prepared;
    let cursor: RowCursor | null = null;
    this.#locked = true;
    state.iterators++;
    return {
      step: (): { row: ShapedRow } | null => {
        if (cursor === null) {
          this.#log(values);
          if (this.#owner.commits !== null) this.#startedInTransaction = this.database.inTransaction;
          cursor = prepared.execute(values, safeIntegers);
        }
        const row = mode === 'raw' ? cursor.next() : cursor.nextShared();
        return row === null ? null : { row: shaper.shape(row, mode) };
      },
      end: (completed: boolean): void => {
        this.#locked = false;
        state.iterators--;
        if (cursor === null) return;
        let closed = false;
        try {
          cursor.close();
          closed = true;
        } finally {
          this.#reportEnd(completed && closed);
        }
      },
    };
  }
}

function indexOfParameter(prepared: PreparedStatement, name: string): number {
  for (let index = 1; index <= prepared.parameterCount; index++) {
    if (prepared.parameterName(index) === name) return index;
  }
  return 0;
}

/** One open iteration: `step` returns the next shaped row or null when done; `end` releases it, saying whether it ran without error. */
interface Iteration {
  step(): { row: ShapedRow } | null;
  end(completed: boolean): void;
}

/** The iterator `iterate()` returns; it walks rows lazily, one engine step per `next()`. */
class StatementIterator<Result> implements IterableIterator<Result> {
  #iteration: Iteration;
  #state: ConnectionState;
  #alive = true;

  constructor(iteration: Iteration, state: ConnectionState) {
    this.#iteration = iteration;
    this.#state = state;
  }

  next(): IteratorResult<Result> {
    this.#state.requireNotBusy();
    if (!this.#alive) return { value: undefined, done: true };
    const state = this.#state;
    state.busy = true;
    let step: { row: ShapedRow } | null;
    try {
      step = this.#iteration.step();
    } catch (error) {
      state.busy = false;
      this.#end(false);
      throw error;
    }
    state.busy = false;
    if (step === null) {
      this.#end(true);
      return { value: undefined, done: true };
    }
    return { value: step.row as Result, done: false };
  }

  return(): IteratorResult<Result> {
    this.#state.requireNotBusy();
    if (this.#alive) this.#end(true);
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  #end(completed: boolean): void {
    this.#alive = false;
    this.#iteration.end(completed);
  }
}

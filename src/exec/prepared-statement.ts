/**
 * The engine's prepared statement (engine-contract `PreparedStatement`) and
 * its executions (`RowCursor`).
 *
 * An execution starts on its first `next()`: it opens the transaction the
 * program needs through TransactionControl (which reloads the catalog when
 * another connection changed the schema), recompiles the statement when the
 * catalog it was compiled against is no longer the connection's (the
 * transparent re-prepare of SQLite's SQLITE_SCHEMA handling), binds the
 * parameters and starts the program. The execution holds its statement
 * scope until the program runs out of rows or the cursor is closed; an
 * error undoes the statement's changes (see TransactionControl) and closes
 * the execution. `outcome` follows better-sqlite3: `changes` is the
 * connection's changes() if this execution changed any row (total_changes
 * moved), else 0.
 *
 * A statement runs one execution at a time, so a finished execution object
 * (with its parameter array, outcome and shared row buffer) is reset and
 * handed out again by the next `execute()`; only when the previous one is
 * still open does a new one get built.
 */
import { SqliteError } from '../sqlite-error.js';
import type { ParsedStatement } from '../sql/ast.js';
import { fromBindValue, toResultRow, toResultValue } from './boundary-values.js';
import type { ChangeCounters } from './change-counters.js';
import type { BindValue, ColumnDescription, PreparedStatement, ResultValue, RowCursor } from './engine-contract.js';
import type { Program, ProgramRun } from './program.js';
import { StatementRuntime } from './runtime.js';
import { StatementScope, type TransactionControl } from './transaction-control.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { SqlValue } from './values/value.js';

/** What a statement needs from its connection. */
export interface StatementHost {
  readonly transactions: TransactionControl;
  readonly counters: ChangeCounters;
  /** The connection's current catalog. */
  readonly schema: Schema;
  /** Bumped when user functions change, so statements recompile. */
  readonly functionsVersion: number;
  compile(parsed: ParsedStatement, sql: string, runtime: StatementRuntime): Program;
  checkOpen(): void;
}

export class EnginePreparedStatement implements PreparedStatement {
  readonly source: string;
  readonly parameterCount: number;
  private program: Program;
  private functionsVersion: number;
  private readonly runtime = new StatementRuntime();
  private lastExecution: Execution | null = null;
  columnsVersion = 0;

  constructor(
    private readonly host: StatementHost,
    private readonly parsed: ParsedStatement,
    private readonly sql: string,
  ) {
    this.source = parsed.text;
    this.parameterCount = parsed.parameterCount;
    this.functionsVersion = host.functionsVersion;
    this.program = host.compile(parsed, sql, this.runtime);
  }

  get reader(): boolean {
    return this.program.reader;
  }

  get readonly(): boolean {
    return this.program.readonly;
  }

  parameterName(index: number): string | null {
    return this.parsed.parameterNames[index - 1] ?? null;
  }

  columns(): ColumnDescription[] {
    return this.program.columns.slice();
  }

  /** The program to run, recompiled when the catalog or the functions changed since it was built. */
  currentProgram(): Program {
    const program = this.program;
    const stale = (program.schema !== null && program.schema !== this.host.schema) || this.functionsVersion !== this.host.functionsVersion;
    if (stale) {
      this.functionsVersion = this.host.functionsVersion;
      this.program = this.host.compile(this.parsed, this.sql, this.runtime);
      this.columnsVersion++;
    }
    return this.program;
  }

  execute(parameters: readonly BindValue[], safeIntegers: boolean): RowCursor {
    this.host.checkOpen();
    let execution = this.lastExecution;
    if (execution === null || !execution.finished) {
      execution = new Execution(this, this.host, this.runtime);
      this.lastExecution = execution;
    }
    execution.reset(parameters, safeIntegers);
    return execution;
  }
}

class Execution implements RowCursor {
  private state: 'pending' | 'running' | 'done' = 'done';
  private run: ProgramRun | null = null;
  /** The statement scope, held (`scoped`) from beginStatement to endStatement. */
  private readonly scope = new StatementScope();
  private scoped = false;
  private totalBefore = 0;
  private safeIntegers = false;
  private readonly parameters: SqlValue[] = [];
  private readonly sharedRow: ResultValue[] = [];
  readonly outcome = { changes: 0, lastInsertRowid: 0 as number | bigint };

  constructor(
    private readonly statement: EnginePreparedStatement,
    private readonly host: StatementHost,
    private readonly runtime: StatementRuntime,
  ) {}

  /** True once the execution ended: it may be reset for the next one. */
  get finished(): boolean {
    return this.state === 'done';
  }

  reset(parameters: readonly BindValue[], safeIntegers: boolean): void {
    const values = this.parameters;
    if (values.length !== parameters.length) values.length = parameters.length;
    for (let i = 0; i < parameters.length; i++) values[i] = fromBindValue(parameters[i]);
    this.safeIntegers = safeIntegers;
    this.run = null;
    this.scoped = false;
    this.outcome.changes = 0;
    this.outcome.lastInsertRowid = 0;
    this.state = 'pending';
  }

  private start(): void {
    this.host.checkOpen();
    this.totalBefore = this.host.counters.totalChanges;
    const transactions = this.host.transactions;
    let program = this.statement.currentProgram();
    if (program.access === 'read' || program.access === 'write') {
      transactions.beginStatement(this.scope, program.access === 'write', program.partialFailure ?? true);
      this.scoped = true;
      try {
        const recompiled = this.statement.currentProgram();
        if (recompiled !== program && recompiled.access === 'write' && !this.scope.write) {
          throw new SqliteError('statement changed from reading to writing after a schema change', 'SQLITE_SCHEMA');
        }
        program = recompiled;
      } catch (error) {
        this.end(false);
        throw error;
      }
    }
    this.state = 'running';
    this.runtime.begin(this.parameters);
    this.run = program.start();
  }

  /** The next program row, or null (the execution then ends). */
  private step(): SqlValue[] | null {
    if (this.state === 'done') return null;
    let row;
    try {
      if (this.state === 'pending') this.start();
      row = this.run!.next();
    } catch (error) {
      this.run?.close();
      this.end(false);
      throw error;
    }
    if (row === null) {
      this.run!.close();
      this.end(true);
    }
    return row;
  }

  next(): ResultValue[] | null {
    const row = this.step();
    return row === null ? null : toResultRow(row, this.safeIntegers);
  }

  nextShared(): ResultValue[] | null {
    const row = this.step();
    if (row === null) return null;
    const out = this.sharedRow;
    const safeIntegers = this.safeIntegers;
    if (out.length !== row.length) out.length = row.length;
    for (let i = 0; i < row.length; i++) out[i] = toResultValue(row[i], safeIntegers);
    return out;
  }

  close(): void {
    if (this.state === 'done') return;
    if (this.state === 'running') this.run!.close();
    this.end(true);
  }

  private end(ok: boolean): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.run = null;
    if (this.scoped) {
      this.scoped = false;
      this.host.transactions.endStatement(this.scope, ok);
    }
    const counters = this.host.counters;
    this.outcome.changes = counters.totalChanges !== this.totalBefore ? counters.changes : 0;
    this.outcome.lastInsertRowid = counters.lastInsertRowid;
  }
}

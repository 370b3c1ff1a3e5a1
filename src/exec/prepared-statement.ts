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
 */
import { SqliteError } from '../sqlite-error.js';
import type { ParsedStatement } from '../sql/ast.js';
import { fromBindValue, toResultRow } from './boundary-values.js';
import type { ChangeCounters } from './change-counters.js';
import type { BindValue, ColumnDescription, PreparedStatement, ResultValue, RowCursor, RunOutcome } from './engine-contract.js';
import type { Program, ProgramRun } from './program.js';
import { StatementRuntime } from './runtime.js';
import type { StatementScope, TransactionControl } from './transaction-control.js';
import type { Schema } from '../schema/schema-catalog.js';

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
    }
    return this.program;
  }

  execute(parameters: readonly BindValue[], safeIntegers: boolean): RowCursor {
    this.host.checkOpen();
    const values = parameters.map(fromBindValue);
    return new Execution(this, this.host, this.runtime, values, safeIntegers);
  }
}

class Execution implements RowCursor {
  private state: 'pending' | 'running' | 'done' = 'pending';
  private run: ProgramRun | null = null;
  private scope: StatementScope | null = null;
  private totalBefore = 0;
  outcome: RunOutcome = { changes: 0, lastInsertRowid: 0 };

  constructor(
    private readonly statement: EnginePreparedStatement,
    private readonly host: StatementHost,
    private readonly runtime: StatementRuntime,
    private readonly parameters: import('./values/value.js').SqlValue[],
    private readonly safeIntegers: boolean,
  ) {}

  private start(): void {
    this.host.checkOpen();
    this.totalBefore = this.host.counters.totalChanges;
    const transactions = this.host.transactions;
    let program = this.statement.currentProgram();
    if (program.access === 'read' || program.access === 'write') {
      this.scope = transactions.beginStatement(program.access === 'write', program.partialFailure ?? true);
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

  next(): ResultValue[] | null {
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
      return null;
    }
    return toResultRow(row, this.safeIntegers);
  }

  close(): void {
    if (this.state === 'done') return;
    if (this.state === 'running') this.run!.close();
    this.end(true);
  }

  private end(ok: boolean): void {
    if (this.state === 'done') return;
    this.state = 'done';
    const scope = this.scope;
    this.scope = null;
    if (scope !== null) this.host.transactions.endStatement(scope, ok);
    const counters = this.host.counters;
    this.outcome = {
      changes: counters.totalChanges !== this.totalBefore ? counters.changes : 0,
      lastInsertRowid: counters.lastInsertRowid,
    };
  }
}

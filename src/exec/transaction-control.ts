/**
 * TransactionControl: one connection's transaction state machine over its
 * Pager, as SQLite defines it.
 *
 * Autocommit: each statement runs in its own transaction. A reading
 * statement opens a read transaction (or shares the one other active
 * statements hold) and keeps it until its cursor is done or closed; a
 * writing statement takes the writer lock, runs, and commits at its end.
 *
 * Explicit transactions: BEGIN [DEFERRED] opens nothing until the first
 * statement (a read starts a read transaction, a write upgrades it);
 * IMMEDIATE and EXCLUSIVE take the writer lock at once. COMMIT/END and
 * ROLLBACK end it. SAVEPOINT outside a transaction starts one that the
 * RELEASE of that outermost savepoint commits.
 *
 * Named savepoints map onto pager savepoints lazily: the pager only has
 * savepoints inside a write transaction, and nothing can change before the
 * write transaction starts, so every named savepoint gets its pager level
 * when the transaction first writes. Inside an explicit transaction each
 * writing statement runs under its own pager savepoint, so a failing
 * statement undoes only its own changes (ABORT); a conflict resolution of
 * FAIL keeps them and ROLLBACK undoes the whole transaction
 * (`failMode`). The catalog in use is remembered at every level so that a
 * rollback also rolls back schema changes.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Pager } from '../pager/pager.js';
import type { Schema } from '../schema/schema-catalog.js';

/** The connection's current catalog, which rollbacks restore. */
export interface SchemaHolder {
  schema: Schema;
  /** Called when a transaction starts on a fresh snapshot: reload the catalog if the cookie moved. */
  refreshSchema(): void;
}

interface NamedSavepoint {
  readonly name: string;
  level: number | null;
  readonly schema: Schema;
}

/**
 * What a statement holds while it runs: filled by `beginStatement`, handed
 * back to `endStatement`. Each execution owns one and reuses it.
 */
export class StatementScope {
  write = false;
  /** Pager savepoint of a writing statement, or 0 when it has none. */
  level = 0;
  /** The catalog when the statement began (restored when it fails). */
  schema: Schema | null = null;
}

export type StatementFailMode = 'abort' | 'fail' | 'rollback';

export class TransactionControl {
  private explicit = false;
  private startedBySavepoint = false;
  private readonly savepoints: NamedSavepoint[] = [];
  private transactionSchema: Schema | null = null;
  /** Statements currently holding the transaction open. */
  private active = 0;
  /** The scope of the writing statement that began last and has not ended. */
  private writeScope: StatementScope | null = null;
  /** How the running statement's failure is undone (set by conflict resolution). */
  failMode: StatementFailMode = 'abort';

  constructor(
    private readonly pager: Pager,
    private readonly holder: SchemaHolder,
  ) {}

  /** True inside BEGIN ... COMMIT or a SAVEPOINT opened outside a transaction. */
  get inTransaction(): boolean {
    return this.explicit;
  }

  /** Opens a read transaction when none is open (prepare, pragmas). Returns true when it opened one. */
  ensureRead(): boolean {
    if (this.pager.transactionState !== 'none') return false;
    this.pager.beginRead();
    this.began();
    return true;
  }

  /** Ends a read transaction opened by `ensureRead` if no statement needs it. */
  releaseRead(): void {
    if (this.active === 0 && !this.explicit && this.pager.transactionState === 'read') this.pager.endRead();
  }

  private began(): void {
    try {
      this.holder.refreshSchema();
    } catch (error) {
      if (!this.explicit && this.active === 0) this.pager.rollback();
      throw error;
    }
    this.transactionSchema = this.holder.schema;
  }

  private ensureWrite(): void {
    const state = this.pager.transactionState;
    if (state === 'write') return;
    this.pager.beginWrite();
    if (state === 'none') this.began();
    for (const savepoint of this.savepoints) savepoint.level ??= this.pager.savepoint();
  }

  /**
   * Starts a statement that reads (`write` false) or writes. A writing
   * statement runs under a pager savepoint unless nothing needs one: in
   * autocommit with no other statement active a failure rolls the whole
   * transaction back anyway, and a statement that cannot fail halfway
   * (`partialFailure` false) has nothing to undo.
   */
  beginStatement(scope: StatementScope, write: boolean, partialFailure = true): void {
    this.failMode = 'abort';
    if (write) this.ensureWrite();
    else this.ensureRead();
    const journaled = write && partialFailure && (this.explicit || this.active > 0);
    scope.write = write;
    scope.level = journaled ? this.pager.savepoint() : 0;
    scope.schema = this.holder.schema;
    this.active++;
    if (write) this.writeScope = scope;
  }

  /**
   * Called by a writing statement that began without a statement savepoint
   * (`partialFailure` false) and found, before its first change, that it
   * may fail halfway after all (several rows to change, triggers to run):
   * gives it the savepoint it would otherwise have had.
   */
  journalStatement(): void {
    const scope = this.writeScope;
    if (scope === null || scope.level > 0) return;
    if (this.explicit || this.active > 1) scope.level = this.pager.savepoint();
  }

  /** Ends a statement: keeps (`ok`) or undoes its changes, and commits or releases as autocommit requires. */
  endStatement(scope: StatementScope, ok: boolean): void {
    this.active--;
    if (scope === this.writeScope) this.writeScope = null;
    if (scope.write) this.finishWrite(scope, ok);
    if (!this.explicit && this.active === 0 && this.pager.transactionState === 'read') this.pager.endRead();
  }

  private finishWrite(scope: StatementScope, ok: boolean): void {
    const pager = this.pager;
    if (pager.transactionState !== 'write') return;
    if (!ok && this.failMode === 'rollback') {
      this.rollbackAll();
      return;
    }
    const journaled = scope.level > 0 && scope.level <= pager.savepointDepth;
    if (!ok && this.failMode === 'abort') {
      if (journaled) pager.rollbackTo(scope.level);
      if (scope.schema !== null) this.holder.schema = scope.schema;
    }
    if (journaled) pager.release(scope.level);
    if (this.explicit) return;
    if (!ok && this.failMode === 'abort' && !journaled && this.active === 0) {
      pager.rollback();
      this.transactionSchema = null;
      return;
    }
    this.commitNow();
  }

  private commitNow(): void {
    this.pager.commit(this.active > 0);
    this.transactionSchema = null;
    if (this.active > 0) {
      this.pager.beginRead();
      this.began();
    }
  }

  private rollbackAll(): void {
    const schema = this.transactionSchema;
    this.pager.rollback();
    this.explicit = false;
    this.startedBySavepoint = false;
    this.savepoints.length = 0;
    if (schema !== null) this.holder.schema = schema;
    this.transactionSchema = null;
    if (this.active > 0) {
      this.pager.beginRead();
      this.began();
    }
  }

  // ---- transaction statements ------------------------------------------------

  begin(mode: 'DEFERRED' | 'IMMEDIATE' | 'EXCLUSIVE' | null): void {
    if (this.explicit) throw new SqliteError('cannot start a transaction within a transaction', 'SQLITE_ERROR');
    if (mode === 'IMMEDIATE' || mode === 'EXCLUSIVE') this.ensureWrite();
    this.explicit = true;
    this.startedBySavepoint = false;
  }

  commit(): void {
    if (!this.explicit) throw new SqliteError('cannot commit - no transaction is active', 'SQLITE_ERROR');
    this.explicit = false;
    this.startedBySavepoint = false;
    this.savepoints.length = 0;
    if (this.pager.transactionState === 'none') return;
    if (this.pager.transactionState === 'read' && this.active > 0) return;
    this.commitNow();
  }

  rollback(): void {
    if (!this.explicit) throw new SqliteError('cannot rollback - no transaction is active', 'SQLITE_ERROR');
    this.rollbackAll();
  }

  savepoint(name: string): void {
    if (!this.explicit) {
      this.explicit = true;
      this.startedBySavepoint = true;
    }
    const level = this.pager.transactionState === 'write' ? this.pager.savepoint() : null;
    this.savepoints.push({ name, level, schema: this.holder.schema });
  }

  private findSavepoint(name: string): number {
    const lower = name.toLowerCase();
    for (let i = this.savepoints.length - 1; i >= 0; i--) if (this.savepoints[i].name.toLowerCase() === lower) return i;
    throw new SqliteError(`no such savepoint: ${name}`, 'SQLITE_ERROR');
  }

  release(name: string): void {
    const at = this.findSavepoint(name);
    const savepoint = this.savepoints[at];
    if (at === 0 && this.startedBySavepoint) {
      this.commit();
      return;
    }
    if (savepoint.level !== null && savepoint.level <= this.pager.savepointDepth) this.pager.release(savepoint.level);
    this.savepoints.length = at;
  }

  rollbackTo(name: string): void {
    const at = this.findSavepoint(name);
    const savepoint = this.savepoints[at];
    if (savepoint.level !== null && savepoint.level <= this.pager.savepointDepth) this.pager.rollbackTo(savepoint.level);
    this.savepoints.length = at + 1;
    this.holder.schema = savepoint.schema;
  }

  /** Rolls back whatever is open (connection close). */
  abandon(): void {
    this.explicit = false;
    this.savepoints.length = 0;
    this.active = 0;
    this.writeScope = null;
    this.pager.rollback();
  }
}

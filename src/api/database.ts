/**
 * Database: better-sqlite3's `Database` over one engine connection.
 *
 * It owns the connection's lifetime and the better-sqlite3 surface around
 * it: `prepare`, `exec`, `pragma`, `transaction`, user functions and
 * aggregates, `serialize`/`backup`, the safe-integer and unsafe-mode
 * switches, and the `open/inTransaction/readonly/memory/name` properties.
 * Every method checks its arguments and the connection state in
 * better-sqlite3's order and throws its errors; database conditions surface
 * as `SqliteError`s from the engine.
 *
 * Anonymous databases (`''` or no filename, and `':memory:'`) live in
 * memory. A Buffer filename is deserialized: the image is written to a
 * private temporary file that is opened alone (no other process can see it)
 * and deleted on `close()`, so the database behaves like `':memory:'`.
 *
 * Two members go beyond better-sqlite3: `onCommit()` (commit notifications
 * from every process, `commit-watch.ts`) and `coordination()` (the live
 * `-tshm` state of a shared database, from the coordination inspector).
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { access } from 'node:fs/promises';
import type { EngineConnection } from '../exec/engine-contract.js';
import { openConnection } from '../exec/open-connection.js';
import { SqliteError } from '../sqlite-error.js';
import { ConnectionState, toggleArgument } from './connection-state.js';
import { booleanOption, interpretOpenArguments, type DatabaseOptions } from './database-options.js';
import { createStatement, Statement, type StatementOwner } from './statement.js';
import { createTransaction, type Transaction, type TransactionControl, type TransactionKind } from './transaction.js';
import { aggregateDefinition, scalarDefinition, type AggregateOptions, type RegistrationOptions, type UserFunction } from './user-functions.js';
import { copyDatabase } from './database-copy.js';
import { CommitWatch, type CommitListener } from './commit-watch.js';
import { InProcessCommits } from './in-process-commits.js';
import { SharedCommitCounter } from './shared-commit-counter.js';
import { inspectCoordination, type CoordinationStatus } from '../coord/shared/coordination-inspector.js';
import { coordinationPathFor } from '../coord/shared/tshm-layout.js';

export interface PragmaOptions {
  simple?: boolean | undefined;
}

export interface SerializeOptions {
  attached?: string;
}

export interface BackupMetadata {
  totalPages: number;
  remainingPages: number;
}

export interface BackupOptions {
  attached?: string;
  progress?: (info: BackupMetadata) => number | undefined;
}

const BEGIN_SQL: Record<TransactionKind, string> = {
  default: 'BEGIN',
  deferred: 'BEGIN DEFERRED',
  immediate: 'BEGIN IMMEDIATE',
  exclusive: 'BEGIN EXCLUSIVE',
};
const SAVEPOINT_NAME = '"\t_shoal.\t"';

export class Database {
  /** The filename as given to the constructor (`':memory:'` for a Buffer). */
  readonly name: string;
  /** True for `':memory:'`, temporary (`''`) and deserialized databases. */
  readonly memory: boolean;
  readonly readonly: boolean;

  #state = new ConnectionState();
  #owner: StatementOwner;
  #connection: EngineConnection;
  #privateDirectory: string | null = null;
  #controls = new Map<TransactionKind, TransactionControl>();
  /** The `-tshm` of a database shared with other processes; null when the database is not shared. */
  #tshmPath: string | null;
  /** Commit counting for a database that is not shared; null when the `-tshm` counts. */
  #inProcessCommits: InProcessCommits | null;
  #commitWatch: CommitWatch;

  constructor(filename?: string | Buffer, options?: DatabaseOptions) {
    const open = interpretOpenArguments(filename, options);
    this.name = open.name;
    this.memory = open.anonymous;
    this.readonly = open.readonly;
    let path = open.path;
    if (open.buffer !== null) {
      this.#privateDirectory = mkdtempSync(join(tmpdir(), 'shoal-deserialized-'));
      path = join(this.#privateDirectory, 'image.db');
      writeFileSync(path, open.buffer);
    }
    try {
      this.#connection = openConnection(path, {
        readonly: open.readonly,
        fileMustExist: open.fileMustExist,
        timeout: open.timeout,
        multiProcess: open.multiProcess && open.buffer === null,
      });
    } catch (error) {
      this.#removePrivateFiles();
      throw error;
    }
    if (open.multiProcess && open.buffer === null && !open.anonymous) {
      const tshmPath = coordinationPathFor(`${resolve(path)}-wal`);
      this.#tshmPath = tshmPath;
      this.#inProcessCommits = null;
      this.#commitWatch = new CommitWatch(() => new SharedCommitCounter(tshmPath));
    } else {
      const commits = new InProcessCommits(open.anonymous || open.buffer !== null ? null : realpathSync(path));
      this.#tshmPath = null;
      this.#inProcessCommits = commits;
      this.#commitWatch = new CommitWatch(() => commits);
    }
    this.#owner = { state: this.#state, logger: open.verbose, commits: this.#inProcessCommits };
  }

  get open(): boolean {
    return this.#state.open;
  }

  get inTransaction(): boolean {
    return this.#state.open && this.#connection.inTransaction;
  }

  prepare<BindParameters extends unknown[] | object = unknown[], Result = unknown>(
    source: string,
  ): BindParameters extends unknown[] ? Statement<BindParameters, Result> : Statement<[BindParameters], Result> {
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    return this.#prepare(source, false) as never;
  }

  exec(source: string): this {
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    state.requireNoIteratorsUnlessUnsafe();
    state.busy = true;
    const commits = this.#inProcessCommits;
    try {
      let rest = source;
      for (;;) {
        const { statement, tail } = this.#connection.prepare(rest);
        if (statement === null) break;
        if (this.#owner.logger !== null) this.#owner.logger(statement.source);
        const wasInTransaction = commits !== null && this.#connection.inTransaction;
        let succeeded = false;
        try {
          const cursor = statement.execute([], false);
          try {
            while (cursor.next() !== null);
          } finally {
            cursor.close();
          }
          succeeded = true;
        } finally {
          commits?.statementEnded(statement, wasInTransaction, this.#connection.inTransaction, succeeded);
        }
        rest = tail;
      }
    } finally {
      state.busy = false;
    }
    return this;
  }

  close(): this {
    const state = this.#state;
    if (state.open) {
      state.requireNotBusy();
      state.requireNoIterators();
      state.open = false;
      this.#commitWatch.close();
      this.#inProcessCommits?.detach();
      try {
        this.#connection.close();
      } finally {
        this.#removePrivateFiles();
      }
    }
    return this;
  }

  pragma(source: string, options?: PragmaOptions): unknown {
    const settings: unknown = options == null ? {} : options;
    if (typeof source !== 'string') throw new TypeError('Expected first argument to be a string');
    if (typeof settings !== 'object' || settings === null) throw new TypeError('Expected second argument to be an options object');
    const simple = booleanOption(settings, 'simple');
    const statement = this.#prepare(`PRAGMA ${source}`, true);
    return simple ? statement.pluck().get() : statement.all();
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F, Database> {
    if (typeof fn !== 'function') throw new TypeError('Expected first argument to be a function');
    return createTransaction(fn, this, () => this.inTransaction, (kind) => this.#transactionControl(kind));
  }

  function(name: string, fn: UserFunction): this;
  function(name: string, options: RegistrationOptions, fn: UserFunction): this;
  function(name: string, optionsOrFn: RegistrationOptions | UserFunction, fn?: UserFunction): this {
    const definition = scalarDefinition(name, optionsOrFn, fn, this.#state.defaultSafeIntegers);
    this.#requireIdle();
    this.#connection.defineFunction(definition);
    return this;
  }

  aggregate<T>(name: string, options: AggregateOptions<T>): this {
    const definition = aggregateDefinition(name, options, this.#state.defaultSafeIntegers);
    this.#requireIdle();
    this.#connection.defineAggregate(definition);
    return this;
  }

  /** Virtual tables: validated like better-sqlite3, then refused, since the engine has no virtual-table support yet. */
  table(name: string, factory: object | ((...args: string[]) => object)): this {
    if (typeof name !== 'string') throw new TypeError('Expected first argument to be a string');
    if (!name) throw new TypeError('Virtual table module name cannot be an empty string');
    if (typeof factory !== 'function' && (typeof factory !== 'object' || factory === null)) {
      throw new TypeError('Expected second argument to be a function or a table definition object');
    }
    this.#requireIdle();
    throw new SqliteError(`virtual tables are not supported by Shoal: cannot register module "${name}"`, 'SQLITE_ERROR');
  }

  /** Native extensions cannot be loaded: Shoal is TypeScript and has no SQLite C API to load them into. */
  loadExtension(path: string, entryPoint?: string): this {
    if (typeof path !== 'string') throw new TypeError('Expected first argument to be a string');
    if (arguments.length > 1 && typeof entryPoint !== 'string') throw new TypeError('Expected second argument to be a string');
    this.#requireIdle();
    throw new SqliteError(
      `cannot load extension "${path}": Shoal is written in TypeScript and cannot load native SQLite extensions`,
      'SQLITE_ERROR',
    );
  }

  defaultSafeIntegers(...toggle: [boolean?]): this {
    this.#state.defaultSafeIntegers = toggleArgument(toggle);
    return this;
  }

  unsafeMode(...toggle: [boolean?]): this {
    this.#state.unsafeMode = toggleArgument(toggle);
    return this;
  }

  /**
   * The database as the bytes of a database file. The copy is logical: it is
   * read inside one read transaction and written as a fresh database with the
   * same schema, rows (rowids included), page size, user_version and
   * application_id, so its page layout may differ from the original file.
   * The image is marked as a rollback-journal database (header bytes 18-19 =
   * 1), since it has no WAL beside it: SQLite cannot deserialize an image
   * marked WAL.
   */
  serialize(options?: SerializeOptions): Buffer {
    const settings: unknown = options == null ? {} : options;
    if (typeof settings !== 'object' || settings === null) throw new TypeError('Expected first argument to be an options object');
    this.#requireAttachedMain(settings);
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    state.requireNoIterators();
    const directory = mkdtempSync(join(tmpdir(), 'shoal-serialize-'));
    try {
      const path = join(directory, 'image.db');
      this.#copyTo(path);
      const image = readFileSync(path);
      if (image.length >= 100 && image[18] === 2 && image[19] === 2) {
        image[18] = 1;
        image[19] = 1;
      }
      return image;
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  /**
   * Writes a consistent copy of the database to `filename` (replacing it) and
   * resolves with better-sqlite3's `{ totalPages, remainingPages }`. The copy
   * is made in one step inside one read transaction (see `serialize()`), so
   * `progress` is never called.
   */
  async backup(filename: string, options?: BackupOptions): Promise<BackupMetadata> {
    const settings: unknown = options == null ? {} : options;
    if (typeof filename !== 'string') throw new TypeError('Expected first argument to be a string');
    if (typeof settings !== 'object' || settings === null) throw new TypeError('Expected second argument to be an options object');
    const target = filename.trim();
    const record = settings as Record<string, unknown>;
    const handler = 'progress' in record ? record.progress : null;
    if (!target) throw new TypeError('Backup filename cannot be an empty string');
    if (target === ':memory:') throw new TypeError('Invalid backup filename ":memory:"');
    this.#requireAttachedMain(record);
    if (handler != null && typeof handler !== 'function') throw new TypeError('Expected the "progress" option to be a function');
    await access(dirname(target)).catch(() => {
      throw new TypeError('Cannot save backup because the directory does not exist');
    });
    await new Promise((resolve) => setImmediate(resolve));
    this.#state.requireOpen();
    this.#state.requireNotBusy();
    const totalPages = this.#copyTo(target);
    return { totalPages, remainingPages: 0 };
  }

  /**
   * Calls `listener(transactionCount)` soon after any connection in any
   * process commits to this database (within about 10 ms; commits that land
   * close together are reported once, with the newest count). Returns the
   * function that unsubscribes. For a database that is not shared (in
   * memory, or `multiProcess: false`) it reports the commits of this
   * process's connections, counted from 0 (`in-process-commits.ts`).
   */
  onCommit(listener: CommitListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('Expected first argument to be a function');
    this.#state.requireOpen();
    return this.#commitWatch.subscribe(listener);
  }

  /**
   * The live state of the `-tshm` this database is shared through: the
   * snapshot (WAL frames, backfilled frames, transaction count), the writer
   * and checkpointer owners, the reader slots in use with their pinned
   * frames, and the frame index. Read without joining or locking anything.
   */
  coordination(): CoordinationStatus {
    this.#state.requireOpen();
    if (this.#tshmPath === null) {
      const why = this.memory ? 'it is an in-memory database' : 'it was opened with multiProcess: false';
      throw new SqliteError(`db.coordination() needs a database shared through -tshm, and ${why}`, 'SQLITE_MISUSE');
    }
    return inspectCoordination(this.#tshmPath);
  }

  #prepare(source: string, pragmaMode: boolean): Statement {
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    if (pragmaMode) state.requireNoIteratorsUnlessUnsafe();
    const { statement, tail } = this.#connection.prepare(source);
    if (statement === null) throw new RangeError('The supplied SQL string contains no statements');
    if (!isOnlyCommentsAndSpace(tail)) throw new RangeError('The supplied SQL string contains more than one statement');
    return createStatement(this, { owner: this.#owner, prepared: statement, source, alwaysReader: pragmaMode });
  }

  #requireIdle(): void {
    this.#state.requireOpen();
    this.#state.requireNotBusy();
    this.#state.requireNoIterators();
  }

  #requireAttachedMain(options: object): void {
    const attached = 'attached' in options ? (options as Record<string, unknown>).attached : 'main';
    if (typeof attached !== 'string') throw new TypeError('Expected the "attached" option to be a string');
    if (!attached) throw new TypeError('The "attached" option cannot be an empty string');
    if (attached !== 'main') throw new SqliteError(`unknown database ${attached}`, 'SQLITE_ERROR');
  }

  #transactionControl(kind: TransactionKind): TransactionControl {
    let control = this.#controls.get(kind);
    if (control === undefined) {
      const shared = this.#controls.values().next().value;
      control = {
        begin: this.#prepare(BEGIN_SQL[kind], false),
        commit: shared?.commit ?? this.#prepare('COMMIT', false),
        rollback: shared?.rollback ?? this.#prepare('ROLLBACK', false),
        savepoint: shared?.savepoint ?? this.#prepare(`SAVEPOINT ${SAVEPOINT_NAME}`, false),
        release: shared?.release ?? this.#prepare(`RELEASE ${SAVEPOINT_NAME}`, false),
        rollbackTo: shared?.rollbackTo ?? this.#prepare(`ROLLBACK TO ${SAVEPOINT_NAME}`, false),
      };
      this.#controls.set(kind, control);
    }
    return control;
  }

  /** Copies this database into a fresh file at `path`; returns the copy's page count. */
  #copyTo(path: string): number {
    const canBegin = this.#state.iterators === 0 || this.#state.unsafeMode;
    return copyDatabase(this, canBegin, path, (target) => new Database(target, { multiProcess: false }));
  }

  #removePrivateFiles(): void {
    if (this.#privateDirectory !== null) {
      rmSync(this.#privateDirectory, { recursive: true, force: true });
      this.#privateDirectory = null;
    }
  }
}

/** better-sqlite3's tail rule: after the first statement only whitespace, `;` and comments may follow. */
function isOnlyCommentsAndSpace(tail: string): boolean {
  let k = 0;
  const n = tail.length;
  while (k < n) {
    const c = tail.charCodeAt(k);
    if (c === 32 || c === 59 || (c >= 9 && c <= 13)) {
      k++;
    } else if (c === 47 && tail.charCodeAt(k + 1) === 42) {
      const end = tail.indexOf('*/', k + 2);
      k = end < 0 ? n : end + 2;
    } else if (c === 45 && tail.charCodeAt(k + 1) === 45) {
      const end = tail.indexOf('\n', k + 2);
      k = end < 0 ? n : end + 1;
    } else {
      return false;
    }
  }
  return true;
}

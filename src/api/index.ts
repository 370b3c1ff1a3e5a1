/**
 * The public API: `Database` as better-sqlite3 exports it. The constructor
 * may be called with or without `new`, and carries `Database.SqliteError`.
 */
import { Database as DatabaseClass } from './database.js';
import type { DatabaseOptions } from './database-options.js';
import { SqliteError } from '../sqlite-error.js';

export interface DatabaseConstructor {
  new (filename?: string | Buffer, options?: DatabaseOptions): DatabaseClass;
  (filename?: string | Buffer, options?: DatabaseOptions): DatabaseClass;
  readonly prototype: DatabaseClass;
  readonly SqliteError: typeof SqliteError;
}

export type Database = DatabaseClass;

export const Database = new Proxy(DatabaseClass, {
  apply: (target, _receiver, args: [string | Buffer | undefined, DatabaseOptions | undefined]) => new target(...args),
}) as unknown as DatabaseConstructor;

Object.defineProperty(DatabaseClass, 'SqliteError', { value: SqliteError, enumerable: true });

export type { DatabaseOptions } from './database-options.js';
export type { Statement, RunResult, ColumnDefinition } from './statement.js';
export type { Transaction } from './transaction.js';
export type { PragmaOptions, SerializeOptions, BackupOptions, BackupMetadata } from './database.js';
export type { RegistrationOptions, AggregateOptions, UserFunction, SqlValue } from './user-functions.js';
export type { CommitListener } from './commit-watch.js';
export type { CoordinationStatus, OwnerStatus, ReaderSlotStatus } from '../coord/shared/coordination-inspector.js';
export type { WalSnapshot } from '../coord/coordination.js';
export type { BackfillProof } from '../coord/shared/backfill-proof.js';

/**
 * ConnectionServices: what compiled statements may use of the connection
 * they belong to, beyond the read-only compiler context: the current
 * catalog (which DDL replaces), the sqlite_schema rows, the transaction
 * state machine (BEGIN/COMMIT/SAVEPOINT, statement failure modes), the
 * change counters, and the connection-level settings that PRAGMAs read and
 * change.
 */
import type { ChangeCounters } from '../exec/change-counters.js';
import type { DatabaseStorage } from '../exec/database-storage.js';
import type { FunctionRegistry } from '../exec/functions/registry.js';
import type { TransactionControl } from '../exec/transaction-control.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { SchemaStore } from '../schema/schema-store.js';
import type { ViewSchema } from '../schema/schema-objects.js';

/** Settings held per connection (not in the file). */
export interface ConnectionSettings {
  /** `PRAGMA foreign_keys` (stored, not enforced); on by default, as better-sqlite3 builds SQLite. */
  foreignKeys: boolean;
  /** `PRAGMA cache_size` as last set (pages, or negative KiB). */
  cacheSize: number;
  /** `PRAGMA recursive_triggers`. */
  recursiveTriggers: boolean;
}

export interface ConnectionServices {
  readonly storage: DatabaseStorage;
  readonly schemaStore: SchemaStore;
  readonly functions: FunctionRegistry;
  readonly transactions: TransactionControl;
  readonly counters: ChangeCounters;
  readonly settings: ConnectionSettings;
  /** True for `:memory:` databases. */
  readonly memory: boolean;
  /** The database file's path as opened ('' for `:memory:`). */
  readonly path: string;
  /** The catalog statements compile against; DDL publishes a new one. */
  schema: Schema;
  /** TEMP views: private to the connection, kept in every catalog it loads, never stored. */
  readonly temporaryViews: Map<string, ViewSchema>;
}

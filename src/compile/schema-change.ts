/**
 * The shared steps of every DDL statement: checking a new object's name
 * against the catalog with SQLite's messages, and publishing a change —
 * copy the catalog, apply the change, bump the schema cookie in the file so
 * other connections reload, and make the copy the connection's catalog
 * (a rollback restores the previous one; see TransactionControl); and the
 * program shape every DDL statement compiles to.
 */
import { SqliteError } from '../sqlite-error.js';
import type { Identifier } from '../sql/ast.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { ConnectionServices } from './connection-services.js';
import { EMPTY_RUN, type Program } from '../exec/program.js';

/** A statement that writes when it runs (`run`, once per execution) and returns no rows. */
export function schemaWriteProgram(schema: Schema, run: () => void): Program {
  return {
    access: 'write',
    reader: false,
    readonly: false,
    columns: [],
    schema,
    start: () => {
      run();
      return EMPTY_RUN;
    },
  };
}

export function publishSchemaChange(services: ConnectionServices, change: (schema: Schema) => void): void {
  const next = services.schema.clone();
  change(next);
  next.cookie = services.schemaStore.bumpCookie();
  services.schema = next;
}

/** Publishes a change to connection-private objects (TEMP views): nothing in the file changes. */
export function publishPrivateChange(services: ConnectionServices, change: (schema: Schema) => void): void {
  const next = services.schema.clone();
  change(next);
  services.schema = next;
}

/**
 * Rejects `schema.` qualifiers other than `main` (this engine has no
 * attached databases), and TEMP objects unless the statement supports them
 * (`tempAllowed`: only views, which need no storage).
 */
export function checkSchemaName(schema: Identifier | null, temp = false, tempAllowed = false): void {
  if (temp && !tempAllowed) throw new SqliteError('TEMP objects other than views are not supported by this engine', 'SQLITE_ERROR');
  if (schema === null) return;
  const lower = schema.name.toLowerCase();
  if (lower === 'main') return;
  if (lower === 'temp' && tempAllowed) return;
  if (lower === 'temp') throw new SqliteError('TEMP objects other than views are not supported by this engine', 'SQLITE_ERROR');
  throw new SqliteError(`unknown database ${schema.name}`, 'SQLITE_ERROR');
}

/** SQLite reserves names starting with "sqlite_" for itself. */
export function checkNotReserved(name: string): void {
  if (name.length >= 7 && name.slice(0, 7).toLowerCase() === 'sqlite_') {
    throw new SqliteError(`object name reserved for internal use: ${name}`, 'SQLITE_ERROR');
  }
}

/** True for the built-in schema table and the names SQLite keeps for itself. */
export function isSystemTable(name: string): boolean {
  return name.length >= 7 && name.slice(0, 7).toLowerCase() === 'sqlite_';
}

/** A system table's name as SQLite's messages spell it (the schema table is "sqlite_master"). */
export function systemTableName(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'sqlite_schema' || lower === 'sqlite_master' ? 'sqlite_master' : name;
}

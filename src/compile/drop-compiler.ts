/**
 * DROP TABLE / INDEX / VIEW / TRIGGER with SQLite's checks and messages
 * ("no such table: t", "use DROP VIEW to delete view v", "table sqlite_master
 * may not be dropped", "index associated with UNIQUE or PRIMARY KEY
 * constraint cannot be dropped", IF EXISTS). Execution frees the B-trees of
 * a table and its indexes, deletes the sqlite_schema rows of the object
 * (for a table: its indexes and triggers too, and its sqlite_sequence
 * entry), and bumps the schema cookie.
 */
import { SqliteError } from '../sqlite-error.js';
import type { DropStmt } from '../sql/ast.js';
import type { Program } from '../exec/program.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { TableSchema } from '../schema/schema-objects.js';
import type { ConnectionServices } from './connection-services.js';
import { checkSchemaName, isSystemTable, publishPrivateChange, systemTableName, publishSchemaChange, schemaWriteProgram } from './schema-change.js';

export function dropProgram(stmt: DropStmt, schema: Schema, services: ConnectionServices): Program {
  checkSchemaName(stmt.schema, false, stmt.objectType === 'VIEW');
  const run = dropAction(stmt, schema, services);
  return schemaWriteProgram(schema, run);
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function dropAction(stmt: DropStmt, schema: Schema, services: ConnectionServices): () => void {
  const name = stmt.name.name;
  const nothing = (): void => undefined;
  switch (stmt.objectType) {
    case 'TABLE': {
      const table = schema.table(name);
      if (table === undefined) {
        if (schema.view(name) !== undefined) throw new SqliteError(`use DROP VIEW to delete view ${name}`, 'SQLITE_ERROR');
        if (stmt.ifExists) return nothing;
        throw new SqliteError(`no such table: ${name}`, 'SQLITE_ERROR');
      }
      if (isSystemTable(table.name)) throw new SqliteError(`table ${systemTableName(table.name)} may not be dropped`, 'SQLITE_ERROR');
      return () => dropTable(services, table);
    }
    case 'INDEX': {
      const index = schema.index(name);
      if (index === undefined) {
        if (stmt.ifExists) return nothing;
        throw new SqliteError(`no such index: ${name}`, 'SQLITE_ERROR');
      }
      if (index.origin !== 'c') {
        throw new SqliteError('index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped', 'SQLITE_ERROR');
      }
      return () => {
        services.storage.dropTree(index.rootPage);
        services.schemaStore.delete((type, n) => type === 'index' && sameName(n, index.name));
        publishSchemaChange(services, (next) => next.removeIndex(index.name));
      };
    }
    case 'VIEW': {
      const view = schema.view(name);
      if (view === undefined) {
        if (schema.table(name) !== undefined) throw new SqliteError(`use DROP TABLE to delete table ${name}`, 'SQLITE_ERROR');
        if (stmt.ifExists) return nothing;
        throw new SqliteError(`no such view: ${name}`, 'SQLITE_ERROR');
      }
      if (services.temporaryViews.has(view.name.toLowerCase())) {
        return () => {
          services.temporaryViews.delete(view.name.toLowerCase());
          publishPrivateChange(services, (next) => next.views.delete(view.name.toLowerCase()));
        };
      }
      return () => {
        services.schemaStore.delete((type, n, t) => (type === 'view' && sameName(n, view.name)) || (type === 'trigger' && sameName(t, view.name)));
        publishSchemaChange(services, (next) => {
          next.views.delete(view.name.toLowerCase());
          for (const trigger of next.triggersOn(view.name)) next.triggers.delete(trigger.name.toLowerCase());
        });
      };
    }
    case 'TRIGGER': {
      const trigger = schema.trigger(name);
      if (trigger === undefined) {
        if (stmt.ifExists) return nothing;
        throw new SqliteError(`no such trigger: ${name}`, 'SQLITE_ERROR');
      }
      return () => {
        services.schemaStore.delete((type, n) => type === 'trigger' && sameName(n, trigger.name));
        publishSchemaChange(services, (next) => next.triggers.delete(trigger.name.toLowerCase()));
      };
    }
  }
}

function dropTable(services: ConnectionServices, table: TableSchema): void {
  const storage = services.storage;
  for (const index of table.indexes) storage.dropTree(index.rootPage);
  storage.dropTree(table.rootPage);
  services.schemaStore.delete((type, n, t) => sameName(t, table.name) || (type === 'table' && sameName(n, table.name)));
  const sequence = services.schema.table('sqlite_sequence');
  if (table.autoincrement && sequence !== undefined) deleteSequenceRow(services, sequence, table.name);
  publishSchemaChange(services, (next) => next.removeTable(table.name));
}

/** Removes `name`'s row from sqlite_sequence. */
function deleteSequenceRow(services: ConnectionServices, sequence: TableSchema, name: string): void {
  const cursor = services.storage.btree.openTableCursor(sequence.rootPage);
  try {
    for (let more = cursor.first(); more; more = cursor.next()) {
      const value = cursor.record().column(0);
      if (typeof value === 'string' && sameName(value, name)) cursor.delete();
    }
  } finally {
    cursor.close();
  }
}

/**
 * CREATE VIEW and CREATE TRIGGER: objects that are only their SQL. Prepare
 * checks names and targets with SQLite's messages (a trigger needs an
 * existing table, or a view for INSTEAD OF; a view's query is only checked
 * when the view is used, as in SQLite); execution stores the row in sqlite_schema
 * (root page 0) and bumps the schema cookie. A TEMP view is kept by the
 * connection only (TEMP tables and triggers are not supported).
 */
import { SqliteError } from '../sqlite-error.js';
import type { CreateTriggerStmt, CreateViewStmt } from '../sql/ast.js';
import type { Program } from '../exec/program.js';
import type { TriggerSchema, ViewSchema } from '../schema/schema-objects.js';
import { storedCreateSql } from '../schema/schema-sql-text.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { tableNameConflict } from './create-table-compiler.js';
import { checkNotReserved, checkSchemaName, isSystemTable, publishPrivateChange, publishSchemaChange, schemaWriteProgram } from './schema-change.js';


export function createViewProgram(stmt: CreateViewStmt, ctx: CompilerContext, services: ConnectionServices): Program {
  checkSchemaName(stmt.schema, stmt.temp, true);
  const temporary = stmt.temp || (stmt.schema !== null && stmt.schema.name.toLowerCase() === 'temp');
  const name = stmt.name.name;
  const conflict = tableNameConflict(ctx.schema, name);
  if (conflict !== null) {
    if (stmt.ifNotExists) return schemaWriteProgram(ctx.schema, () => undefined);
    throw conflict;
  }
  checkNotReserved(name);
  const sql = storedCreateSql(ctx.sql, stmt, stmt.name, 'VIEW');
  const view: ViewSchema = {
    name,
    columnNames: stmt.columns ? stmt.columns.map((c) => c.name) : null,
    select: stmt.select,
    source: ctx.sql,
    sql,
  };
  if (temporary) {
    return schemaWriteProgram(ctx.schema, () => {
      services.temporaryViews.set(name.toLowerCase(), view);
      publishPrivateChange(services, (next) => next.views.set(name.toLowerCase(), view));
    });
  }
  return schemaWriteProgram(ctx.schema, () => {
    services.schemaStore.insert('view', name, name, 0, sql);
    publishSchemaChange(services, (next) => next.views.set(name.toLowerCase(), view));
  });
}

export function createTriggerProgram(stmt: CreateTriggerStmt, ctx: CompilerContext, services: ConnectionServices): Program {
  checkSchemaName(stmt.schema, stmt.temp);
  checkSchemaName(stmt.tableSchema);
  const schema = ctx.schema;
  const name = stmt.name.name;
  if (schema.trigger(name) !== undefined) {
    if (stmt.ifNotExists) return schemaWriteProgram(schema, () => undefined);
    throw new SqliteError(`trigger ${name} already exists`, 'SQLITE_ERROR');
  }
  checkNotReserved(name);
  const targetName = stmt.table.name;
  const table = schema.table(targetName);
  const view = table === undefined ? schema.view(targetName) : undefined;
  if (table === undefined && view === undefined) throw new SqliteError(`no such table: main.${targetName}`, 'SQLITE_ERROR');
  if (table !== undefined && isSystemTable(table.name)) throw new SqliteError('cannot create trigger on system table', 'SQLITE_ERROR');
  if (view !== undefined && stmt.time !== 'INSTEAD OF') {
    throw new SqliteError(`cannot create ${stmt.time ?? 'BEFORE'} trigger on view: ${view.name}`, 'SQLITE_ERROR');
  }
  if (table !== undefined && stmt.time === 'INSTEAD OF') {
    throw new SqliteError(`cannot create INSTEAD OF trigger on table: ${table.name}`, 'SQLITE_ERROR');
  }
  const sql = storedCreateSql(ctx.sql, stmt, stmt.name, 'TRIGGER');
  const tableName = table !== undefined ? table.name : view!.name;
  const trigger: TriggerSchema = { name, tableName, definition: stmt, source: ctx.sql, sql };
  return schemaWriteProgram(schema, () => {
    services.schemaStore.insert('trigger', name, tableName, 0, sql);
    publishSchemaChange(services, (next) => next.triggers.set(name.toLowerCase(), trigger));
  });
}

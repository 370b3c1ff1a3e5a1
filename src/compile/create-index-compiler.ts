/**
 * CREATE [UNIQUE] INDEX: prepare-time checks with SQLite's messages (the
 * table must exist and be a real, non-system table; the name must be free
 * and not reserved; index expressions must resolve against the table), then
 * at execution: a new index tree filled from every existing row (a UNIQUE
 * index over duplicate rows fails with the UNIQUE constraint error), the
 * sqlite_schema row, and a schema cookie bump.
 */
import { SqliteError } from '../sqlite-error.js';
import type { CreateIndexStmt } from '../sql/ast.js';
import { fillIndex } from '../exec/index-builder.js';
import type { Program } from '../exec/program.js';
import type { SqlValue } from '../exec/values/value.js';
import { buildIndexSchema } from '../schema/index-definition.js';
import type { TableSchema } from '../schema/schema-objects.js';
import { storedCreateSql } from '../schema/schema-sql-text.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { indexRowLogic } from './index-row-logic.js';
import { checkNotReserved, checkSchemaName, isSystemTable, publishSchemaChange, systemTableName, schemaWriteProgram } from './schema-change.js';

export function createIndexProgram(stmt: CreateIndexStmt, ctx: CompilerContext, services: ConnectionServices): Program {
  checkSchemaName(stmt.schema);
  const schema = ctx.schema;
  const tableName = stmt.table.name;
  const table = schema.table(tableName);
  if (table === undefined) {
    if (schema.view(tableName) !== undefined) throw new SqliteError('views may not be indexed', 'SQLITE_ERROR');
    throw new SqliteError(`no such table: main.${tableName}`, 'SQLITE_ERROR');
  }
  if (isSystemTable(table.name)) throw new SqliteError(`table ${systemTableName(table.name)} may not be indexed`, 'SQLITE_ERROR');
  const name = stmt.name.name;
  const kind = schema.kindOf(name);
  if (kind === 'index' || (kind === null && primaryIndexNamed(schema.tables.values(), name))) {
    if (stmt.ifNotExists) return schemaWriteProgram(schema, () => {});
    throw new SqliteError(`index ${name} already exists`, 'SQLITE_ERROR');
  }
  if (kind !== null) throw new SqliteError(`there is already a ${kind} named ${name}`, 'SQLITE_ERROR');
  checkNotReserved(name);
  const sql = storedCreateSql(ctx.sql, stmt, stmt.name, stmt.unique ? 'UNIQUE INDEX' : 'INDEX');
  const index = buildIndexSchema(stmt, ctx.sql, sql, table);
  const building: TableSchema = { ...table, indexes: [index] };
  const logic = indexRowLogic(building, ctx);
  // Compile the expression terms and WHERE now, so that errors show at prepare time.
  const probe: SqlValue[] = new Array(table.columns.length).fill(null);
  index.keyTerms.forEach((term, k) => {
    if (term.column === -2) logic.termValue(index, k, probe, null);
  });
  logic.includes(index, probe, null);
  return schemaWriteProgram(schema, () => {
    index.rootPage = services.storage.btree.createTree('index');
    fillIndex(services.storage, table, index, logic);
    services.schemaStore.insert('index', index.name, table.name, index.rootPage, sql);
    publishSchemaChange(services, (next) => next.addIndex(index));
  });
}

function primaryIndexNamed(tables: Iterable<TableSchema>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const table of tables) if (table.primaryIndex !== null && table.primaryIndex.name.toLowerCase() === lower) return true;
  return false;
}

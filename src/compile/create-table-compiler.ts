/**
 * CREATE TABLE (and CREATE TABLE ... AS SELECT).
 *
 * Prepare-time work, as in SQLite: the name checks ("table t already
 * exists", "there is already an index named t", reserved `sqlite_` names)
 * and building the table model (column and constraint errors). Execution
 * creates the table's B-tree (an index tree for WITHOUT ROWID), one index
 * tree per PRIMARY KEY/UNIQUE automatic index, and `sqlite_sequence` the
 * first time an AUTOINCREMENT table appears; it writes the rows into
 * sqlite_schema in SQLite's order (table, then its automatic indexes, then
 * sqlite_sequence) and bumps the schema cookie. AS SELECT fills the new
 * table from the query, with the stored SQL SQLite generates for it.
 */
import { SqliteError } from '../sqlite-error.js';
import type { CreateTableStmt } from '../sql/ast.js';
import { parseStatement } from '../sql/parser.js';
import type { Program } from '../exec/program.js';
import { collectRows } from '../exec/operators/materialized-rows.js';
import { RowWriter } from '../exec/row-writer.js';
import { Affinity, applyAffinity } from '../exec/values/affinity.js';
import type { SqlValue } from '../exec/values/value.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { TableSchema } from '../schema/schema-objects.js';
import { createTableAsSelectSql, storedCreateSql } from '../schema/schema-sql-text.js';
import { buildTableSchema } from '../schema/table-definition.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { indexRowLogic } from './index-row-logic.js';
import { checkNotReserved, checkSchemaName, publishSchemaChange, schemaWriteProgram } from './schema-change.js';
import { compileSelect } from './select-compiler.js';
import { uniqueNames } from './from-clause.js';

export const SQLITE_SEQUENCE_SQL = 'CREATE TABLE sqlite_sequence(name,seq)';

/** "table t already exists" and its relatives, or null when the name is free. */
export function tableNameConflict(schema: Schema, name: string): SqliteError | null {
  const kind = schema.kindOf(name);
  if (kind === 'table' || kind === 'view') return new SqliteError(`${kind} ${name} already exists`, 'SQLITE_ERROR');
  if (kind === 'index') return new SqliteError(`there is already an index named ${name}`, 'SQLITE_ERROR');
  return null;
}

export function createTableProgram(stmt: CreateTableStmt, ctx: CompilerContext, services: ConnectionServices): Program {
  checkSchemaName(stmt.schema, stmt.temp);
  const name = stmt.name.name;
  const conflict = tableNameConflict(ctx.schema, name);
  if (conflict !== null) {
    if (stmt.ifNotExists && ctx.schema.kindOf(name) !== 'index') return noChange(ctx.schema);
    throw conflict;
  }
  checkNotReserved(name);
  if (stmt.asSelect !== null) return createTableAsSelect(stmt, ctx, services);
  const sql = storedCreateSql(ctx.sql, stmt, stmt.name, 'TABLE');
  const table = buildTableSchema(stmt, ctx.sql, sql);
  return schemaWriteProgram(ctx.schema, () => {
    createTable(services, table);
  });
}

function noChange(schema: Schema): Program {
  return schemaWriteProgram(schema, () => {});
}

/** Creates the trees and schema rows of `table` and publishes it. */
function createTable(services: ConnectionServices, table: TableSchema): void {
  const btree = services.storage.btree;
  const store = services.schemaStore;
  const root = btree.createTree(table.withoutRowid ? 'index' : 'table');
  table.rootPage = root;
  if (table.primaryIndex !== null) table.primaryIndex.rootPage = root;
  store.insert('table', table.name, table.name, root, table.sql);
  for (const index of table.indexes) {
    index.rootPage = btree.createTree('index');
    store.insert('index', index.name, table.name, index.rootPage, null);
  }
  let sequence: TableSchema | null = null;
  if (table.autoincrement && services.schema.table('sqlite_sequence') === undefined) {
    const parsed = parseStatement(SQLITE_SEQUENCE_SQL).statement!.stmt as CreateTableStmt;
    sequence = buildTableSchema(parsed, SQLITE_SEQUENCE_SQL, SQLITE_SEQUENCE_SQL);
    sequence.rootPage = btree.createTree('table');
    store.insert('table', sequence.name, sequence.name, sequence.rootPage, SQLITE_SEQUENCE_SQL);
  }
  publishSchemaChange(services, (schema) => {
    schema.addTable(table);
    if (sequence !== null) schema.addTable(sequence);
  });
}

function createTableAsSelect(stmt: CreateTableStmt, ctx: CompilerContext, services: ConnectionServices): Program {
  const query = compileSelect(stmt.asSelect!, null, ctx);
  const names = uniqueNames(query.names);
  const columns = names.map((n, i) => ({ name: n, affinity: query.affinities[i] === Affinity.NONE ? Affinity.BLOB : query.affinities[i] }));
  const sql = createTableAsSelectSql(stmt.name.name, columns);
  const definition = parseStatement(sql).statement!.stmt as CreateTableStmt;
  const table = buildTableSchema(definition, sql, sql);
  return schemaWriteProgram(ctx.schema, () => {
    const rows = collectRows(query.operator, query.columns);
    createTable(services, table);
    const published = services.schema.table(table.name)!;
    const writer = new RowWriter(services.storage, published, indexRowLogic(published, ctx));
    writer.open();
    try {
      let rowid = 0;
      for (const row of rows) {
        const values: SqlValue[] = row.map((v, i) => applyAffinity(v, published.columns[i].affinity));
        writer.insert(values, ++rowid);
      }
    } finally {
      writer.close();
    }
  });
}

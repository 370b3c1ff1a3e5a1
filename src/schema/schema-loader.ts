/**
 * Builds a Schema from the rows of `sqlite_schema` by parsing each stored
 * CREATE statement: tables first (so their automatic indexes exist), then
 * indexes (an automatic index row only supplies its root page), views and
 * triggers. A row whose SQL does not parse, or that contradicts the others,
 * makes the schema malformed (SQLITE_CORRUPT), as in SQLite.
 */
import { corruptError, SqliteError } from '../sqlite-error.js';
import { parseStatement } from '../sql/parser.js';
import type { Statement } from '../sql/ast.js';
import { Schema } from './schema-catalog.js';
import { buildIndexSchema } from './index-definition.js';
import { buildTableSchema } from './table-definition.js';

export interface SchemaRow {
  readonly type: string;
  readonly name: string;
  readonly tableName: string;
  readonly rootPage: number;
  readonly sql: string | null;
}

function parseStored(sql: string, name: string): Statement {
  try {
    const parsed = parseStatement(sql).statement;
    if (parsed === null) throw corruptError(`malformed database schema (${name})`);
    return parsed.stmt;
  } catch (error) {
    if (error instanceof SqliteError && error.code === 'SQLITE_CORRUPT') throw error;
    throw new SqliteError(`malformed database schema (${name}) - ${(error as Error).message}`, 'SQLITE_CORRUPT');
  }
}

export function loadSchema(rows: readonly SchemaRow[], cookie: number): Schema {
  const schema = new Schema(cookie);
  for (const row of rows) {
    if (row.type !== 'table' || row.sql === null) continue;
    const stmt = parseStored(row.sql, row.name);
    if (stmt.kind !== 'CreateTable') throw corruptError(`malformed database schema (${row.name})`);
    const table = buildTableSchema(stmt, row.sql, row.sql);
    table.rootPage = row.rootPage;
    if (table.primaryIndex !== null) table.primaryIndex.rootPage = row.rootPage;
    schema.addTable(table);
  }
  for (const row of rows) {
    if (row.type !== 'index') continue;
    const table = schema.tables.get(row.tableName.toLowerCase());
    if (table === undefined) throw corruptError(`malformed database schema (${row.name})`);
    if (row.sql === null) {
      const index = table.indexes.find((i) => i.name.toLowerCase() === row.name.toLowerCase());
      if (index === undefined) throw corruptError(`malformed database schema (${row.name})`);
      index.rootPage = row.rootPage;
      continue;
    }
    const stmt = parseStored(row.sql, row.name);
    if (stmt.kind !== 'CreateIndex') throw corruptError(`malformed database schema (${row.name})`);
    const index = buildIndexSchema(stmt, row.sql, row.sql, table);
    index.rootPage = row.rootPage;
    schema.addIndex(index);
  }
  for (const row of rows) {
    if ((row.type !== 'view' && row.type !== 'trigger') || row.sql === null) continue;
    const stmt = parseStored(row.sql, row.name);
    if (stmt.kind === 'CreateView') {
      schema.views.set(row.name.toLowerCase(), {
        name: row.name,
        columnNames: stmt.columns ? stmt.columns.map((c) => c.name) : null,
        select: stmt.select,
        source: row.sql,
        sql: row.sql,
      });
    } else if (stmt.kind === 'CreateTrigger') {
      schema.triggers.set(row.name.toLowerCase(), { name: row.name, tableName: row.tableName, definition: stmt, source: row.sql, sql: row.sql });
    } else {
      throw corruptError(`malformed database schema (${row.name})`);
    }
  }
  return schema;
}

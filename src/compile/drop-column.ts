/**
 * ALTER TABLE ... DROP COLUMN, with SQLite's rules and messages: the
 * column must exist and be neither (part of) the PRIMARY KEY nor a
 * single-column UNIQUE column, and must not be the only column; once the
 * column is gone, the table's CHECK and generated expressions, table-level
 * foreign keys and indexes must still make sense ("error in table t after
 * drop column: no such column: c", "error in index i after drop column:
 * ..."). Views and triggers that mention the column's name are refused
 * (SQLite re-resolves them; this engine does not yet).
 *
 * The stored CREATE TABLE text loses the column the way SQLite cuts it:
 * from the column's name to the next column's name, or, for the last
 * column, from the comma before it to the end of the column list. Every
 * row is rewritten without the column; indexes keep their B-trees.
 */
import { SqliteError } from '../sqlite-error.js';
import type { CreateIndexStmt, CreateTableStmt } from '../sql/ast.js';
import { parseStatement } from '../sql/parser.js';
import type { Program } from '../exec/program.js';
import { RowWriter } from '../exec/row-writer.js';
import type { SqlValue } from '../exec/values/value.js';
import { buildIndexSchema } from '../schema/index-definition.js';
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';
import { buildTableSchema } from '../schema/table-definition.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { indexRowLogic } from './index-row-logic.js';
import { isSystemTable, publishSchemaChange, systemTableName, schemaWriteProgram } from './schema-change.js';

export function dropColumnProgram(tableName: string, columnName: string, ctx: CompilerContext, services: ConnectionServices): Program {
  const table = ctx.schema.table(tableName);
  if (table === undefined) {
    if (ctx.schema.view(tableName) !== undefined) throw new SqliteError(`cannot drop column from view "${tableName}"`, 'SQLITE_ERROR');
    throw new SqliteError(`no such table: ${tableName}`, 'SQLITE_ERROR');
  }
  if (isSystemTable(table.name)) throw new SqliteError(`table ${systemTableName(table.name)} may not be altered`, 'SQLITE_ERROR');
  const lower = columnName.toLowerCase();
  const dropped = table.columns.findIndex((c) => c.name.toLowerCase() === lower);
  if (dropped < 0) throw new SqliteError(`no such column: "${columnName}"`, 'SQLITE_ERROR');
  const column = table.columns[dropped];
  if (column.primaryKeyPosition > 0 || table.rowidAlias === dropped) throw new SqliteError(`cannot drop PRIMARY KEY column: "${column.name}"`, 'SQLITE_ERROR');
  const uniqueAlone = table.indexes.some((index) => index.sql === null && index.terms.length === 1 && index.terms[0].column === dropped);
  if (uniqueAlone) throw new SqliteError(`cannot drop UNIQUE column: "${column.name}"`, 'SQLITE_ERROR');
  if (table.columns.length === 1) throw new SqliteError(`cannot drop column "${column.name}": no other columns exist`, 'SQLITE_ERROR');

  const stored = parseStatement(table.sql).statement!.stmt as CreateTableStmt;
  const sql = cutColumn(table.sql, stored, dropped);
  const parsed = parseStatement(sql).statement!.stmt as CreateTableStmt;
  const notFound = (): SqliteError => new SqliteError(`error in table ${table.name} after drop column: no such column: ${column.name}`, 'SQLITE_ERROR');
  const expressions = [...parsed.columns.flatMap((c) => c.constraints), ...parsed.constraints].filter((c) => c.kind !== 'TableForeignKey');
  if (mentionsColumn(expressions, lower)) throw notFound();
  for (const constraint of parsed.constraints) {
    if (constraint.kind === 'TableForeignKey' && constraint.columns.some((c) => c.name.toLowerCase() === lower)) {
      throw new SqliteError(`error in table ${table.name} after drop column: unknown column "${column.name}" in foreign key definition`, 'SQLITE_ERROR');
    }
  }
  const mention = new RegExp(`(^|[^A-Za-z0-9_$])${column.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_$])`, 'i');
  const mentioned = [...ctx.schema.views.values()].some((view) => mention.test(view.sql)) || [...ctx.schema.triggers.values()].some((trigger) => mention.test(trigger.sql));
  if (mentioned) throw new SqliteError('ALTER TABLE ... DROP COLUMN is not supported by this engine for a column that views or triggers may refer to', 'SQLITE_ERROR');

  const built = buildTableSchema(parsed, sql, sql);
  const withRoots = (index: IndexSchema, old: readonly IndexSchema[]): IndexSchema => ({ ...index, rootPage: old.find((o) => o.name === index.name)!.rootPage });
  const altered: TableSchema = {
    ...built,
    rootPage: table.rootPage,
    indexes: built.indexes.map((index) => withRoots(index, table.indexes)),
    primaryIndex: built.primaryIndex === null ? null : { ...built.primaryIndex, rootPage: table.primaryIndex!.rootPage },
  };
  for (const index of table.indexes) {
    if (index.sql === null) continue;
    const statement = parseStatement(index.sql).statement!.stmt as CreateIndexStmt;
    const uses = index.terms.some((t) => t.column === dropped) || mentionsColumn([statement.columns, statement.where], lower);
    if (uses) throw new SqliteError(`error in index ${index.name} after drop column: no such column: ${column.name}`, 'SQLITE_ERROR');
    altered.indexes.push({ ...buildIndexSchema(statement, index.sql, index.sql, altered), rootPage: index.rootPage });
  }
  return schemaWriteProgram(ctx.schema, () => {
    rewriteRows(table, altered, dropped, ctx, services);
    services.schemaStore.updateRow('table', table.name, { name: table.name, tableName: table.name, sql });
    publishSchemaChange(services, (schema) => schema.addTable(altered));
  });
}

/** `sql` without column `dropped`, cut as SQLite cuts it. */
function cutColumn(sql: string, stored: CreateTableStmt, dropped: number): string {
  const columns = stored.columns;
  if (dropped < columns.length - 1) return sql.slice(0, columns[dropped].name.start) + sql.slice(columns[dropped + 1].name.start);
  let start = columns[dropped].name.start;
  while (start > 0 && sql[start] !== ',') start--;
  return sql.slice(0, start) + sql.slice(columnListEnd(sql, columns[dropped].end));
}

/** The position of the `,` before the table constraints, or of the `)` closing the column list, at or after `from` (comments skipped). */
function columnListEnd(sql: string, from: number): number {
  let i = from;
  while (i < sql.length && sql[i] !== ',' && sql[i] !== ')') {
    if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline + 1;
    } else {
      i++;
    }
  }
  return i;
}

/** True when a column reference to `lower` occurs anywhere in the syntax trees `nodes`. */
function mentionsColumn(nodes: unknown, lower: string): boolean {
  if (Array.isArray(nodes)) return nodes.some((n) => mentionsColumn(n, lower));
  if (nodes === null || typeof nodes !== 'object') return false;
  const node = nodes as { kind?: unknown; column?: { name?: unknown } };
  if (node.kind === 'ColumnRef' && typeof node.column?.name === 'string' && node.column.name.toLowerCase() === lower) return true;
  return Object.values(nodes).some((value) => typeof value === 'object' && mentionsColumn(value, lower));
}

/** Rewrites every row of the table without column `dropped`. */
function rewriteRows(table: TableSchema, altered: TableSchema, dropped: number, ctx: CompilerContext, services: ConnectionServices): void {
  const rows: { values: SqlValue[]; rowid: number | bigint | null }[] = [];
  const reader = new RowWriter(services.storage, table, indexRowLogic(table, ctx));
  reader.open();
  try {
    const cursor = reader.cursor;
    for (let more = cursor.first(); more; more = cursor.next()) rows.push({ values: reader.readCurrent(), rowid: table.withoutRowid ? null : (cursor.rowid() as number | bigint) });
    for (const row of rows) {
      const found = table.withoutRowid ? reader.seekPrimaryKey(row.values) : reader.seekRowid(row.rowid!);
      if (found) reader.deleteCurrent(row.values, row.rowid);
    }
  } finally {
    reader.close();
  }
  const writer = new RowWriter(services.storage, altered, indexRowLogic(altered, ctx));
  writer.open();
  try {
    for (const row of rows) {
      row.values.splice(dropped, 1);
      writer.insert(row.values, row.rowid);
    }
  } finally {
    writer.close();
  }
}

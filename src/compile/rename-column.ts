/**
 * ALTER TABLE ... RENAME COLUMN, with SQLite's rules and messages ("no
 * such column: "x"", "error in table t after rename: duplicate column
 * name: y", "cannot rename columns of view "v"").
 *
 * Every stored text that names the column is edited in place, token by
 * token, as SQLite edits it: the table's column definition and the column
 * references in its CHECK, generated-column and key constraints, its own
 * foreign-key column lists, the column references of its indexes
 * (columns, expressions, WHERE), and the parent-column lists of foreign
 * keys in any table that references it. A replaced token is written bare
 * when both the old token and the new name as given were bare, else as a
 * double-quoted identifier. Views and triggers that mention the column's
 * name are refused (SQLite re-resolves them; this engine does not yet).
 * The rows do not change.
 */
import { SqliteError } from '../sqlite-error.js';
import type { CreateIndexStmt, CreateTableStmt, Identifier } from '../sql/ast.js';
import { parseStatement } from '../sql/parser.js';
import type { Program } from '../exec/program.js';
import { buildIndexSchema } from '../schema/index-definition.js';
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';
import { buildTableSchema } from '../schema/table-definition.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { isSystemTable, publishSchemaChange, systemTableName, schemaWriteProgram } from './schema-change.js';

interface Rename {
  readonly table: string;
  readonly column: string;
  readonly newName: string;
  readonly quoteAlways: boolean;
}

export function renameColumnProgram(tableName: string, columnName: string, newName: Identifier, ctx: CompilerContext, services: ConnectionServices): Program {
  const table = ctx.schema.table(tableName);
  if (table === undefined) {
    if (ctx.schema.view(tableName) !== undefined) throw new SqliteError(`cannot rename columns of view "${tableName}"`, 'SQLITE_ERROR');
    throw new SqliteError(`no such table: ${tableName}`, 'SQLITE_ERROR');
  }
  if (isSystemTable(table.name)) throw new SqliteError(`table ${systemTableName(table.name)} may not be altered`, 'SQLITE_ERROR');
  const lower = columnName.toLowerCase();
  const renamed = table.columns.findIndex((c) => c.name.toLowerCase() === lower);
  if (renamed < 0) throw new SqliteError(`no such column: "${columnName}"`, 'SQLITE_ERROR');
  const newLower = newName.name.toLowerCase();
  if (table.columns.some((c, i) => i !== renamed && c.name.toLowerCase() === newLower)) {
    throw new SqliteError(`error in table ${table.name} after rename: duplicate column name: ${newName.name}`, 'SQLITE_ERROR');
  }
  const mention = new RegExp(`(^|[^A-Za-z0-9_$])${table.columns[renamed].name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_$])`, 'i');
  const mentioned = [...ctx.schema.views.values()].some((view) => mention.test(view.sql)) || [...ctx.schema.triggers.values()].some((trigger) => mention.test(trigger.sql));
  if (mentioned) throw new SqliteError('ALTER TABLE ... RENAME COLUMN is not supported by this engine for a column that views or triggers may refer to', 'SQLITE_ERROR');
  const rename: Rename = { table: table.name.toLowerCase(), column: lower, newName: newName.name, quoteAlways: newName.quoted };

  const sql = editTableSql(table.sql, rename, true);
  const built = buildTableSchema(parseStatement(sql).statement!.stmt as CreateTableStmt, sql, sql);
  const altered: TableSchema = {
    ...built,
    rootPage: table.rootPage,
    indexes: built.indexes.map((index) => ({ ...index, rootPage: table.indexes.find((o) => o.name === index.name)!.rootPage })),
    primaryIndex: built.primaryIndex === null ? null : { ...built.primaryIndex, rootPage: table.primaryIndex!.rootPage },
  };
  const changedIndexes: IndexSchema[] = [];
  for (const index of table.indexes) {
    if (index.sql === null) continue;
    const indexSql = editIndexSql(index.sql, rename);
    const rebuilt: IndexSchema = { ...buildIndexSchema(parseStatement(indexSql).statement!.stmt as CreateIndexStmt, indexSql, indexSql, altered), rootPage: index.rootPage };
    altered.indexes.push(rebuilt);
    if (indexSql !== index.sql) changedIndexes.push(rebuilt);
  }
  const children: TableSchema[] = [];
  for (const other of ctx.schema.tables.values()) {
    if (other.name.toLowerCase() === rename.table || other.internal) continue;
    const otherSql = editTableSql(other.sql, rename, false);
    if (otherSql === other.sql) continue;
    const rebuilt = buildTableSchema(parseStatement(otherSql).statement!.stmt as CreateTableStmt, otherSql, otherSql);
    children.push({ ...rebuilt, rootPage: other.rootPage, indexes: other.indexes.slice(), primaryIndex: other.primaryIndex });
  }
  return schemaWriteProgram(ctx.schema, () => {
    const store = services.schemaStore;
    store.updateRow('table', table.name, { name: table.name, tableName: table.name, sql });
    for (const index of changedIndexes) store.updateRow('index', index.name, { name: index.name, tableName: table.name, sql: index.sql });
    for (const child of children) store.updateRow('table', child.name, { name: child.name, tableName: child.name, sql: child.sql });
    publishSchemaChange(services, (schema) => {
      schema.addTable(altered);
      for (const child of children) schema.addTable(child);
    });
  });
}

/** The token that replaces `identifier`. */
function replacement(sql: string, identifier: Identifier, rename: Rename): string {
  const quoted = rename.quoteAlways || identifier.quoted || !/^[A-Za-z_]/.test(sql[identifier.start]);
  return quoted ? `"${rename.newName.replace(/"/g, '""')}"` : rename.newName;
}

function applyEdits(sql: string, identifiers: readonly Identifier[], rename: Rename): string {
  const sorted = [...identifiers].sort((a, b) => b.start - a.start);
  let out = sql;
  for (const identifier of sorted) out = out.slice(0, identifier.start) + replacement(sql, identifier, rename) + out.slice(identifier.end);
  return out;
}

/**
 * A CREATE TABLE text with the renamed column's tokens edited: in the
 * renamed table itself (`own`) its definition, column references and
 * foreign-key column lists; in any table, the parent columns of foreign
 * keys that reference the renamed table.
 */
function editTableSql(sql: string, rename: Rename, own: boolean): string {
  const stmt = parseStatement(sql).statement!.stmt as CreateTableStmt;
  const found: Identifier[] = [];
  const matches = (identifier: Identifier): boolean => identifier.name.toLowerCase() === rename.column;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const kind = (node as { kind?: unknown }).kind;
    if (kind === 'ForeignKeyClause') {
      const clause = node as { table: Identifier; columns: Identifier[] | null };
      if (clause.table.name.toLowerCase() === rename.table && clause.columns !== null) found.push(...clause.columns.filter(matches));
      return;
    }
    if (own && kind === 'ColumnRef') {
      const ref = node as { table: Identifier | null; column: Identifier };
      if ((ref.table === null || ref.table.name.toLowerCase() === rename.table) && matches(ref.column)) found.push(ref.column);
      return;
    }
    if (own && kind === 'TableForeignKey') found.push(...(node as { columns: Identifier[] }).columns.filter(matches));
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  if (own) {
    const definition = stmt.columns.find((c) => matches(c.name));
    if (definition !== undefined) found.push(definition.name);
  }
  visit(stmt.columns.map((c) => c.constraints));
  visit(stmt.constraints);
  return found.length === 0 ? sql : applyEdits(sql, found, rename);
}

/** A CREATE INDEX text (on the renamed table) with its references to the column edited. */
function editIndexSql(sql: string, rename: Rename): string {
  const stmt = parseStatement(sql).statement!.stmt as CreateIndexStmt;
  const found: Identifier[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if ((node as { kind?: unknown }).kind === 'ColumnRef') {
      const ref = node as { table: Identifier | null; column: Identifier };
      if ((ref.table === null || ref.table.name.toLowerCase() === rename.table) && ref.column.name.toLowerCase() === rename.column) found.push(ref.column);
      return;
    }
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit([stmt.columns, stmt.where]);
  return found.length === 0 ? sql : applyEdits(sql, found, rename);
}

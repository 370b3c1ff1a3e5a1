/**
 * ALTER TABLE ... ADD [COLUMN] and RENAME TO, the forms schema migrations
 * use most (drizzle-kit rebuilds a table as `__new_t` and renames it).
 *
 * ADD COLUMN follows SQLite's rules and messages: no PRIMARY KEY or UNIQUE column, no STORED
 * generated column, a NOT NULL column needs a non-NULL default, and the
 * default must be a constant (a literal or a signed number). Views and the
 * `sqlite_` tables cannot be altered.
 *
 * The stored CREATE TABLE text gets `, <column definition>` after its last
 * column definition (before any table constraint), as SQLite writes it; the table keeps its B-tree,
 * indexes and triggers. Rows already in the table get the new column's
 * default: with a non-NULL default they are rewritten to hold it (SQLite
 * leaves them short and supplies the default on read; both are valid
 * files), with none they read NULL from their shorter records.
 *
 * RENAME TO rewrites the table's CREATE text with the new name quoted, its
 * indexes' table name (and `ON` clause), its automatic indexes' names
 * (`sqlite_autoindex_<new>_<n>`) and its sqlite_sequence row, as SQLite
 * does. SQLite also rewrites the views and triggers that mention the table;
 * this engine does not yet, so it refuses the rename when any does.
 *
 * DROP COLUMN and RENAME COLUMN live in drop-column.ts and
 * rename-column.ts. The constraint-changing forms are not supported yet
 * and say so.
 */
import { SqliteError } from '../sqlite-error.js';
import type { AlterTableStmt, ColumnDef, CreateIndexStmt, CreateTableStmt, Expr } from '../sql/ast.js';
import { RecordEncoder } from '../btree/record.js';
import { parseStatement } from '../sql/parser.js';
import type { Program } from '../exec/program.js';
import { RowWriter } from '../exec/row-writer.js';
import { applyAffinity } from '../exec/values/affinity.js';
import type { SqlValue } from '../exec/values/value.js';
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';
import { buildTableSchema } from '../schema/table-definition.js';
import type { CompilerContext } from './compiler-context.js';
import type { ConnectionServices } from './connection-services.js';
import { indexRowLogic } from './index-row-logic.js';
import { compileDefaults } from './modification-target.js';
import { dropColumnProgram } from './drop-column.js';
import { renameColumnProgram } from './rename-column.js';
import { checkNotReserved, checkSchemaName, isSystemTable, publishSchemaChange, systemTableName, schemaWriteProgram } from './schema-change.js';

const ACTION_NAMES = {
  AddCheck: 'ADD CHECK',
  DropConstraint: 'DROP CONSTRAINT',
  SetNotNull: 'SET NOT NULL',
  DropNotNull: 'DROP NOT NULL',
} as const;

export function alterTableProgram(stmt: AlterTableStmt, ctx: CompilerContext, services: ConnectionServices): Program {
  checkSchemaName(stmt.schema);
  const action = stmt.action;
  if (action.kind === 'RenameTable') return renameProgram(stmt.table.name, action.newName.name, ctx, services);
  if (action.kind === 'DropColumn') return dropColumnProgram(stmt.table.name, action.column.name, ctx, services);
  if (action.kind === 'RenameColumn') return renameColumnProgram(stmt.table.name, action.column.name, action.newName, ctx, services);
  if (action.kind !== 'AddColumn') throw new SqliteError(`ALTER TABLE ... ${ACTION_NAMES[action.kind]} is not supported by this engine`, 'SQLITE_ERROR');
  const name = stmt.table.name;
  const table = ctx.schema.table(name);
  if (table === undefined) {
    if (ctx.schema.view(name) !== undefined) throw new SqliteError('Cannot add a column to a view', 'SQLITE_ERROR');
    throw new SqliteError(`no such table: ${name}`, 'SQLITE_ERROR');
  }
  if (isSystemTable(table.name)) throw new SqliteError(`table ${systemTableName(table.name)} may not be altered`, 'SQLITE_ERROR');
  const altered = addColumn(table, action.column, ctx.sql);
  const added = altered.columns.length - 1;
  const defaultValue = compileDefaults(altered, ctx)[added];
  const fill = defaultValue === null ? null : applyAffinity(defaultValue(), altered.columns[added].affinity);
  return schemaWriteProgram(ctx.schema, () => {
    if (fill !== null) fillColumn(altered, added, fill, ctx, services);
    services.schemaStore.updateRow('table', table.name, { name: table.name, tableName: table.name, sql: altered.sql });
    publishSchemaChange(services, (schema) => schema.addTable(altered));
  });
}

function renameProgram(name: string, newName: string, ctx: CompilerContext, services: ConnectionServices): Program {
  const table = ctx.schema.table(name);
  if (table === undefined) {
    if (ctx.schema.view(name) !== undefined) throw new SqliteError(`view ${name} may not be altered`, 'SQLITE_ERROR');
    throw new SqliteError(`no such table: ${name}`, 'SQLITE_ERROR');
  }
  if (isSystemTable(table.name)) throw new SqliteError(`table ${systemTableName(table.name)} may not be altered`, 'SQLITE_ERROR');
  if (ctx.schema.kindOf(newName) === 'table' || ctx.schema.kindOf(newName) === 'index' || ctx.schema.kindOf(newName) === 'view') {
    throw new SqliteError(`there is already another table or index with this name: ${newName}`, 'SQLITE_ERROR');
  }
  checkNotReserved(newName);
  // Any word equal to the name (quoted or not) counts as a mention, even in a string: refusing too often is safe.
  const mention = new RegExp(`(^|[^A-Za-z0-9_$])${table.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_$])`, 'i');
  const mentioned = [...ctx.schema.views.values()].some((view) => mention.test(view.sql)) || [...ctx.schema.triggers.values()].some((trigger) => trigger.tableName.toLowerCase() === table.name.toLowerCase() || mention.test(trigger.sql));
  if (mentioned) throw new SqliteError('ALTER TABLE ... RENAME TO is not supported by this engine for a table that views or triggers refer to', 'SQLITE_ERROR');
  const quoted = `"${newName.replace(/"/g, '""')}"`;
  const created = parseStatement(table.sql).statement!.stmt as CreateTableStmt;
  const sql = table.sql.slice(0, created.name.start) + quoted + table.sql.slice(created.name.end);
  const renamed = buildTableSchema(parseStatement(sql).statement!.stmt as CreateTableStmt, sql, sql);
  const renameIndex = (index: IndexSchema): IndexSchema => {
    const autoName = index.name.toLowerCase().startsWith('sqlite_autoindex_') ? `sqlite_autoindex_${newName}${index.name.slice(17 + table.name.length)}` : index.name;
    let indexSql = index.sql;
    if (indexSql !== null) {
      const parsed = parseStatement(indexSql).statement!.stmt as CreateIndexStmt;
      indexSql = indexSql.slice(0, parsed.table.start) + quoted + indexSql.slice(parsed.table.end);
    }
    return { ...index, name: autoName, tableName: newName, sql: indexSql };
  };
  const indexes = table.indexes.map(renameIndex);
  const primaryIndex = table.primaryIndex === null ? null : renameIndex(table.primaryIndex);
  const result: TableSchema = { ...renamed, rootPage: table.rootPage, indexes, primaryIndex };
  return schemaWriteProgram(ctx.schema, () => {
    const store = services.schemaStore;
    store.updateRow('table', table.name, { name: newName, tableName: newName, sql });
    table.indexes.forEach((index, i) => store.updateRow('index', index.name, { name: indexes[i].name, tableName: newName, sql: indexes[i].sql }));
    if (table.primaryIndex !== null) store.updateRow('index', table.primaryIndex.name, { name: primaryIndex!.name, tableName: newName, sql: null });
    const sequence = services.schema.table('sqlite_sequence');
    if (sequence !== undefined) renameSequenceRow(sequence, table.name, newName, services);
    publishSchemaChange(services, (schema) => {
      schema.removeTable(table.name);
      schema.addTable(result);
    });
  });
}

/** Moves the sqlite_sequence row of `name` to `newName` (same rowid and value). */
function renameSequenceRow(sequence: TableSchema, name: string, newName: string, services: ConnectionServices): void {
  const cursor = services.storage.btree.openTableCursor(sequence.rootPage);
  try {
    for (let more = cursor.first(); more; more = cursor.next()) {
      const record = cursor.record();
      if (record.column(0) !== name) continue;
      cursor.insertRow(cursor.rowid, new RecordEncoder().encode([newName, record.column(1)]));
      return;
    }
  } finally {
    cursor.close();
  }
}

/** The table with `column` appended, checked as SQLite checks an added column. */
function addColumn(table: TableSchema, column: ColumnDef, source: string): TableSchema {
  let notNull = false;
  let defaultExpr: Expr | null = null;
  for (const constraint of column.constraints) {
    switch (constraint.kind) {
      case 'PrimaryKey':
        throw new SqliteError('Cannot add a PRIMARY KEY column', 'SQLITE_ERROR');
      case 'Unique':
        throw new SqliteError('Cannot add a UNIQUE column', 'SQLITE_ERROR');
      case 'Generated':
        if (constraint.storage !== null && constraint.storage.name.toUpperCase() === 'STORED') throw new SqliteError('cannot add a STORED column', 'SQLITE_ERROR');
        break;
      case 'NotNull':
        notNull = true;
        break;
      case 'Default':
        defaultExpr = constraint.expr;
        break;
    }
  }
  const nullDefault = defaultExpr === null || (defaultExpr.kind === 'Literal' && defaultExpr.type === 'null');
  if (notNull && nullDefault) throw new SqliteError('Cannot add a NOT NULL column with default value NULL', 'SQLITE_ERROR');
  if (defaultExpr !== null && !isConstant(defaultExpr)) throw new SqliteError('Cannot add a column with non-constant default', 'SQLITE_ERROR');
  const definition = source.slice(column.start, column.end).replace(/[\s;]+$/, '');
  const stored = parseStatement(table.sql).statement!.stmt as CreateTableStmt;
  const lower = column.name.name.toLowerCase();
  if (stored.columns.some((c) => c.name.name.toLowerCase() === lower)) throw new SqliteError(`duplicate column name: ${column.name.name}`, 'SQLITE_ERROR');
  const end = stored.columns[stored.columns.length - 1].end;
  const sql = `${table.sql.slice(0, end)}, ${definition}${table.sql.slice(end)}`;
  const parsed = parseStatement(sql).statement!.stmt as CreateTableStmt;
  const built = buildTableSchema(parsed, sql, sql);
  return { ...built, rootPage: table.rootPage, indexes: table.indexes.slice(), primaryIndex: table.primaryIndex };
}

/** A default SQLite can evaluate once for every existing row: a literal, possibly signed. */
function isConstant(expr: Expr): boolean {
  if (expr.kind === 'Literal') return true;
  return expr.kind === 'Unary' && (expr.op === '-' || expr.op === '+') && expr.operand.kind === 'Literal';
}

/** Rewrites every row of `table` with `value` in column `column` (the rows' records lack it). */
function fillColumn(table: TableSchema, column: number, value: SqlValue, ctx: CompilerContext, services: ConnectionServices): void {
  const writer = new RowWriter(services.storage, table, indexRowLogic(table, ctx));
  writer.open();
  try {
    const rows: { values: SqlValue[]; rowid: SqlValue }[] = [];
    const cursor = writer.cursor;
    for (let more = cursor.first(); more; more = cursor.next()) rows.push({ values: writer.readCurrent(), rowid: table.withoutRowid ? null : cursor.rowid() });
    for (const row of rows) {
      const found = table.withoutRowid ? writer.seekPrimaryKey(row.values) : writer.seekRowid(row.rowid as number | bigint);
      if (!found) continue;
      writer.deleteCurrent(row.values, row.rowid);
      row.values[column] = value;
      writer.insert(row.values, row.rowid as number | bigint | null);
    }
  } finally {
    writer.close();
  }
}

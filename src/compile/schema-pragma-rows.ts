/**
 * The rows of the schema-describing pragmas, shared by `PRAGMA x(arg)` and
 * the table-valued functions `pragma_x(arg)`: table_info
 * (cid, name, type, notnull, dflt_value, pk), index_list
 * (seq, name, unique, origin, partial) and index_info (seqno, cid, name).
 * Each returns no rows for an unknown object, as SQLite does. A view's
 * table_info lists the columns its SELECT yields, typed by their origin
 * column's declared type ('' for expressions).
 */
import type { SqlValue } from '../exec/values/value.js';
import type { Schema } from '../schema/schema-catalog.js';
import type { ViewSchema } from '../schema/schema-objects.js';
import type { CompilerContext } from './compiler-context.js';
import { uniqueNames } from './from-clause.js';
import { compileSelect } from './select-compiler.js';

export const TABLE_INFO_COLUMNS = ['cid', 'name', 'type', 'notnull', 'dflt_value', 'pk'];
export const INDEX_LIST_COLUMNS = ['seq', 'name', 'unique', 'origin', 'partial'];
export const INDEX_INFO_COLUMNS = ['seqno', 'cid', 'name'];

export function tableInfoRows(schema: Schema, name: string, ctx: CompilerContext): SqlValue[][] {
  const table = schema.table(name);
  if (table !== undefined) {
    return table.columns.map((c, i) => [i, c.name, c.declaredType, c.notNull ? 1 : 0, c.defaultText, c.primaryKeyPosition]);
  }
  const view = schema.view(name);
  if (view !== undefined) return viewInfoRows(view, ctx);
  return [];
}

function viewInfoRows(view: ViewSchema, ctx: CompilerContext): SqlValue[][] {
  const query = compileSelect(view.select, null, ctx.expandingView(view.name, view.source));
  const names = view.columnNames !== null ? view.columnNames : uniqueNames(query.names);
  return names.map((n, i) => [i, n, query.descriptions[i]?.type ?? '', 0, null, 0]);
}

export function indexListRows(schema: Schema, name: string): SqlValue[][] {
  const table = schema.table(name);
  if (table === undefined) return [];
  const indexes = [...table.indexes];
  if (table.primaryIndex !== null) indexes.push(table.primaryIndex);
  // SQLite lists the most recently created index first.
  return indexes.reverse().map((index, seq) => [seq, index.name, index.unique ? 1 : 0, index.origin, index.where !== null ? 1 : 0]);
}

export function indexInfoRows(schema: Schema, name: string): SqlValue[][] {
  const index = schema.index(name) ?? primaryIndexNamed(schema, name);
  if (index === undefined) return [];
  const table = schema.table(index.tableName);
  return index.terms.map((term, seq) => [seq, term.column, term.column >= 0 && table ? table.columns[term.column].name : null]);
}

function primaryIndexNamed(schema: Schema, name: string) {
  const lower = name.toLowerCase();
  for (const table of schema.tables.values()) {
    if (table.primaryIndex !== null && table.primaryIndex.name.toLowerCase() === lower) return table.primaryIndex;
  }
  return undefined;
}

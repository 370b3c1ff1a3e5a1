/**
 * Builds the schema model of an index from its CREATE INDEX tree: each term
 * is a column of the table (by name, with its collation unless the term
 * overrides it) or an expression; the record key appends the row key. The
 * table's own checks (existence, views, names) are the DDL compiler's job.
 */
import { SqliteError } from '../sqlite-error.js';
import type { CreateIndexStmt } from '../sql/ast.js';
import { checkCollationName } from './collation-names.js';
import type { IndexSchema, IndexTerm, TableSchema } from './schema-objects.js';
import { withRowKey } from './table-definition.js';

export function buildIndexSchema(stmt: CreateIndexStmt, source: string, sql: string, table: TableSchema): IndexSchema {
  const terms: IndexTerm[] = stmt.columns.map((term) => {
    let expr = term.expr;
    let collation: string | null = null;
    while (expr.kind === 'Collate') {
      collation ??= checkCollationName(expr.collation.name);
      expr = expr.expr;
    }
    const descending = term.direction === 'DESC';
    if (expr.kind === 'ColumnRef' && expr.table === null) {
      const lower = expr.column.name.toLowerCase();
      const ci = table.columns.findIndex((c) => c.name.toLowerCase() === lower);
      if (ci >= 0) {
        return { column: ci, expr: null, collation: collation ?? table.columns[ci].collation, descending, name: table.columns[ci].name };
      }
      if (lower === 'rowid' || lower === 'oid' || lower === '_rowid_') {
        if (!table.withoutRowid) return { column: -1, expr: null, collation: 'BINARY', descending, name: null };
      }
      if (!expr.column.quoted) throw new SqliteError(`no such column: ${expr.column.name}`, 'SQLITE_ERROR');
    }
    return { column: -2, expr, collation: collation ?? 'BINARY', descending, name: null };
  });
  const primaryKeyTerms = table.primaryIndex ? table.primaryIndex.terms : [];
  return {
    name: stmt.name.name,
    tableName: table.name,
    terms,
    keyTerms: withRowKey(terms, table.withoutRowid, primaryKeyTerms, table.columns),
    unique: stmt.unique,
    onConflict: null,
    origin: 'c',
    where: stmt.where,
    source,
    rootPage: 0,
    sql,
  };
}

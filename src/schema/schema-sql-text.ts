/**
 * The SQL text SQLite stores in `sqlite_schema.sql` for a CREATE statement:
 * the keywords up to the object type are rewritten as `CREATE TABLE `,
 * `CREATE INDEX `, `CREATE UNIQUE INDEX `, `CREATE VIEW ` or
 * `CREATE TRIGGER `, and everything from the object's name (after any
 * `schema.` qualifier, and dropping TEMP and IF NOT EXISTS) to the end of the
 * statement is kept verbatim. Tables made by CREATE TABLE ... AS SELECT get
 * the text SQLite generates for them instead.
 */
import type { Span } from '../sql/ast.js';
import { keywordCode, TK_ID } from '../sql/tokens.js';
import { Affinity } from '../exec/values/affinity.js';

export type StoredObjectType = 'TABLE' | 'INDEX' | 'UNIQUE INDEX' | 'VIEW' | 'TRIGGER';

/** `statement` is the statement's span and `name` the object name's span, both in `source`. */
export function storedCreateSql(source: string, statement: Span, name: Span, type: StoredObjectType): string {
  return `CREATE ${type} ${source.slice(name.start, statement.end)}`;
}

/**
 * The identifier as SQLite writes it into generated SQL (identPut): bare
 * when it is a plain word that is not a keyword, else in double quotes with
 * inner quotes doubled.
 */
export function quotedIdentifier(name: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && (!/^[A-Za-z_]+$/.test(name) || keywordCode(name, 0, name.length) === TK_ID);
  return plain ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The column type SQLite writes for each affinity in CREATE TABLE ... AS SELECT. */
function affinityTypeText(affinity: Affinity): string {
  switch (affinity) {
    case Affinity.TEXT:
      return ' TEXT';
    case Affinity.NUMERIC:
      return ' NUM';
    case Affinity.INTEGER:
      return ' INT';
    case Affinity.REAL:
      return ' REAL';
    default:
      return '';
  }
}

/** identLength: the name's length with quotes counted as SQLite sizes it. */
function identifierLength(name: string): number {
  let n = 2;
  for (const ch of name) n += ch === '"' ? 2 : 1;
  return n;
}

/** The SQL SQLite stores for a table made by CREATE TABLE ... AS SELECT (createTableStmt). */
export function createTableAsSelectSql(tableName: string, columns: readonly { name: string; affinity: Affinity }[]): string {
  let size = identifierLength(tableName);
  for (const c of columns) size += identifierLength(c.name) + 5;
  const compact = size < 50;
  const first = compact ? '' : '\n  ';
  const separator = compact ? ',' : ',\n  ';
  const end = compact ? ')' : '\n)';
  let sql = `CREATE TABLE ${quotedIdentifier(tableName)}(`;
  columns.forEach((c, i) => {
    sql += (i === 0 ? first : separator) + quotedIdentifier(c.name) + affinityTypeText(c.affinity);
  });
  return sql + end;
}

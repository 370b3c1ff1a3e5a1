/**
 * Reading `sqlite_schema`, the table B-tree rooted at page 1.
 *
 * Each row is (type, name, tbl_name, rootpage, sql). `readSchema` lists the
 * rows in rowid order; `findTable` / `findIndex` look one up by name with
 * SQLite's ASCII case-insensitive name matching. Rows whose columns have the
 * wrong storage class raise SQLITE_CORRUPT ("malformed database schema"),
 * as SQLite does; writing the schema belongs to the schema layer.
 */
import { SqliteError } from '../sqlite-error.js';
import type { BTree } from './btree.js';

/** One row of `sqlite_schema`. */
export interface SchemaEntry {
  readonly rowid: number | bigint;
  /** 'table', 'index', 'view' or 'trigger'. */
  readonly type: string;
  readonly name: string;
  readonly tableName: string;
  /** Root page of the table or index; 0 for views, triggers and virtual tables. */
  readonly rootPage: number;
  /** The CREATE statement; null for automatic indexes (e.g. sqlite_autoindex_*). */
  readonly sql: string | null;
}

function malformed(name: string): SqliteError {
  return new SqliteError(`malformed database schema (${name})`, 'SQLITE_CORRUPT');
}

function textOrNull(value: unknown, name: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw malformed(name);
  return value;
}

/** Lists every row of `sqlite_schema` in rowid order. */
export function readSchema(tree: BTree): SchemaEntry[] {
  const entries: SchemaEntry[] = [];
  const cursor = tree.openTableCursor(1);
  try {
    for (let more = cursor.first(); more; more = cursor.next()) {
      const record = cursor.record();
      const name = record.column(1);
      const label = typeof name === 'string' ? name : '?';
      const type = textOrNull(record.column(0), label);
      const tableName = textOrNull(record.column(2), label);
      const root = record.column(3);
      const sql = textOrNull(record.column(4), label);
      if (type === null || typeof name !== 'string' || tableName === null) throw malformed(label);
      let rootPage = 0;
      if (typeof root === 'number') rootPage = root;
      else if (root !== null) throw malformed(label);
      if (rootPage < 0 || rootPage > tree.store.pageCount()) throw malformed(label);
      entries.push({ rowid: cursor.rowid, type, name, tableName, rootPage, sql });
    }
  } finally {
    cursor.close();
  }
  return entries;
}

function sameName(a: string, b: string): boolean {
  return a.length === b.length && a.replace(/[A-Z]/g, (c) => c.toLowerCase()) === b.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The table (type 'table') named `name`, or undefined. */
export function findTable(entries: readonly SchemaEntry[], name: string): SchemaEntry | undefined {
  return entries.find((entry) => entry.type === 'table' && sameName(entry.name, name));
}

/** The index named `name`, or undefined. */
export function findIndex(entries: readonly SchemaEntry[], name: string): SchemaEntry | undefined {
  return entries.find((entry) => entry.type === 'index' && sameName(entry.name, name));
}

/** Every index on table `tableName`. */
export function indexesOf(entries: readonly SchemaEntry[], tableName: string): SchemaEntry[] {
  return entries.filter((entry) => entry.type === 'index' && sameName(entry.tableName, tableName));
}

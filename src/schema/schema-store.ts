/**
 * SchemaStore: reads and writes the rows of `sqlite_schema` (the table
 * B-tree on page 1) for one connection, and keeps the schema cookie.
 *
 * Reading builds a fresh catalog (`Schema`) from every row. Writing adds a
 * row with the next rowid, deletes rows by name, or rewrites a row in place;
 * every DDL change ends with `bumpCookie`, which increments the header's
 * schema cookie so that other connections (and processes) notice the change
 * at their next transaction and reload. All calls need the transaction the
 * caller holds: a read transaction to read, a write transaction to write.
 */
import type { BTree } from '../btree/btree.js';
import { readSchema } from '../btree/schema-table.js';
import type { Pager } from '../pager/pager.js';
import { RecordEncoder } from '../btree/record.js';
import { Schema } from './schema-catalog.js';
import { loadSchema } from './schema-loader.js';

export type SchemaRowType = 'table' | 'index' | 'view' | 'trigger';

export class SchemaStore {
  private readonly encoder = new RecordEncoder();

  constructor(
    private readonly pager: Pager,
    private readonly btree: BTree,
  ) {}

  /** The header's schema cookie in the current transaction. */
  cookie(): number {
    return this.pager.schemaCookie();
  }

  /** Builds the catalog from the stored rows. */
  load(): Schema {
    const cookie = this.cookie();
    const rows = readSchema(this.btree);
    if (rows.length === 0) return new Schema(cookie);
    return loadSchema(rows, cookie);
  }

  /** Appends a row (the caller updates its catalog itself). */
  insert(type: SchemaRowType, name: string, tableName: string, rootPage: number, sql: string | null): void {
    const cursor = this.btree.openTableCursor(1);
    try {
      const rowid = cursor.last() ? Number(cursor.rowid) + 1 : 1;
      cursor.insertRow(rowid, this.encoder.encode([type, name, tableName, rootPage, sql]));
    } finally {
      cursor.close();
    }
  }

  /** Rewrites the `type` row named `name` in place (same rowid and root page): its name, table name and SQL. */
  updateRow(type: SchemaRowType, name: string, next: { name: string; tableName: string; sql: string | null }): void {
    const cursor = this.btree.openTableCursor(1);
    const lower = name.toLowerCase();
    try {
      for (let more = cursor.first(); more; more = cursor.next()) {
        const record = cursor.record();
        if (String(record.column(0)) !== type || String(record.column(1)).toLowerCase() !== lower) continue;
        cursor.insertRow(cursor.rowid, this.encoder.encode([type, next.name, next.tableName, record.column(3), next.sql]));
        return;
      }
    } finally {
      cursor.close();
    }
  }

  /** Deletes every row for which `match(type, name, tableName)` holds. */
  delete(match: (type: string, name: string, tableName: string) => boolean): void {
    const cursor = this.btree.openTableCursor(1);
    try {
      let more = cursor.first();
      while (more) {
        const record = cursor.record();
        if (match(String(record.column(0)), String(record.column(1)), String(record.column(2)))) cursor.delete();
        more = cursor.next();
      }
    } finally {
      cursor.close();
    }
  }

  /** Increments the schema cookie; returns the new value. */
  bumpCookie(): number {
    const next = (this.cookie() + 1) >>> 0;
    this.pager.setSchemaCookie(next);
    return next;
  }
}

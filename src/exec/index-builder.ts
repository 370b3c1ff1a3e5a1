/**
 * Fills an index tree from every row of its table (CREATE INDEX, REINDEX).
 * A UNIQUE index over rows whose keys collide fails with SQLite's UNIQUE
 * constraint error, leaving the caller to undo the statement.
 */
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';
import { uniqueError } from './constraint-errors.js';
import type { DatabaseStorage } from './database-storage.js';
import { RowWriter, type IndexRowLogic } from './row-writer.js';
import { TableCursor } from './table-cursor.js';
import type { SqlValue } from './values/value.js';

export function fillIndex(storage: DatabaseStorage, table: TableSchema, index: IndexSchema, logic: IndexRowLogic): void {
  const building: TableSchema = { ...table, indexes: [index] };
  const writer = new RowWriter(storage, building, logic);
  const rows = new TableCursor(storage, table);
  const values: SqlValue[] = new Array(table.columns.length).fill(null);
  writer.open();
  rows.open();
  try {
    for (let more = rows.first(); more; more = rows.next()) {
      for (let i = 0; i < values.length; i++) values[i] = rows.column(i);
      const rowid = table.withoutRowid ? null : rows.rowid();
      if (index.unique && writer.uniqueConflict(0, values, rowid, null) !== null) throw uniqueError(table, index);
      writer.insertIndexEntry(0, values, rowid);
    }
  } finally {
    rows.close();
    writer.close();
  }
}

/**
 * RowWriter: writes rows of one table together with every index entry, and
 * finds the rows a new row would collide with.
 *
 * Rows are handled as arrays of column values in declaration order plus a
 * rowid (rowid tables). The table record stores the columns in storage
 * order, with an INTEGER PRIMARY KEY column stored as NULL (its value is the
 * rowid); an index entry holds the index's key terms (expression terms are
 * evaluated by `termValue`) followed by the row key. Partial indexes only
 * hold rows for which their WHERE clause is true (`includes`).
 */
import { corruptError } from '../sqlite-error.js';
import type { IndexSchema, TableSchema } from '../schema/schema-objects.js';
import type { DatabaseStorage } from './database-storage.js';
import { RecordBuilder } from './record-values.js';
import { IndexEntryCursor, TableCursor } from './table-cursor.js';
import { compareRecords } from '../btree/record-compare.js';
import type { SqlValue } from './values/value.js';
import { compareValues } from './values/compare.js';

/** Per-index evaluation of expression terms and partial-index predicates over a row. */
export interface IndexRowLogic {
  /** Value of term `k` of `index` for the row (only called for expression terms). */
  termValue(index: IndexSchema, k: number, values: readonly SqlValue[], rowid: SqlValue): SqlValue;
  /** Whether a partial index holds the row. */
  includes(index: IndexSchema, values: readonly SqlValue[], rowid: SqlValue): boolean;
}

export class RowWriter {
  readonly table: TableSchema;
  readonly cursor: TableCursor;
  private readonly indexCursors: IndexEntryCursor[];
  private readonly builder = new RecordBuilder();
  private readonly recordValues: SqlValue[];
  /** Record position of each column (declaration order). */
  private readonly storagePositions: Int32Array;
  private readonly keyValues: SqlValue[][];

  constructor(
    readonly storage: DatabaseStorage,
    table: TableSchema,
    private readonly logic: IndexRowLogic,
  ) {
    this.table = table;
    this.cursor = new TableCursor(storage, table);
    this.indexCursors = table.indexes.map(
      (index) => new IndexEntryCursor(storage, () => index.rootPage, index.keyTerms, index.keyTerms.length - 1),
    );
    this.recordValues = new Array(table.columns.length).fill(null);
    this.storagePositions = Int32Array.from(table.columns, (column) => column.storage);
    this.keyValues = table.indexes.map((index) => new Array(index.keyTerms.length).fill(null));
  }

  open(): void {
    this.cursor.open();
    for (const c of this.indexCursors) c.open();
  }

  close(): void {
    this.cursor.close();
    for (const c of this.indexCursors) c.close();
  }

  /** The largest rowid in the table, or 0 when it is empty. */
  maxRowid(): number | bigint {
    if (!this.cursor.last()) return 0;
    return this.cursor.rowid() as number | bigint;
  }

  /** Positions the table cursor on `rowid`; true when the row exists. */
  seekRowid(rowid: number | bigint): boolean {
    return this.cursor.seekRowid(rowid, 'eq');
  }

  /** Reads every column of the row the table cursor is on. */
  readCurrent(): SqlValue[] {
    const n = this.table.columns.length;
    const out: SqlValue[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.cursor.column(i);
    return out;
  }

  private tableRecord(values: readonly SqlValue[]): Uint8Array {
    const storage = this.storagePositions;
    const alias = this.table.rowidAlias;
    const record = this.recordValues;
    for (let i = 0; i < storage.length; i++) record[storage[i]] = i === alias ? null : values[i];
    return this.builder.encode(record);
  }

  private indexKey(i: number, values: readonly SqlValue[], rowid: SqlValue, termsOnly: boolean): SqlValue[] {
    const index = this.table.indexes[i];
    const key = this.keyValues[i];
    const terms = termsOnly ? index.terms.length : index.keyTerms.length;
    if (key.length !== terms) key.length = terms;
    for (let k = 0; k < terms; k++) {
      const term = index.keyTerms[k];
      if (term.column === -1) key[k] = rowid;
      else if (term.column === -2) key[k] = this.logic.termValue(index, k, values, rowid);
      else key[k] = term.column === this.table.rowidAlias ? rowid : values[term.column];
    }
    return key;
  }

  /** Inserts a row (replacing a row with the same key in the table tree) and its index entries. */
  insert(values: readonly SqlValue[], rowid: number | bigint | null): void {
    this.storage.writes++;
    const table = this.table;
    if (table.withoutRowid) {
      this.cursor.cursor!.insertKey(this.tableRecord(values));
    } else {
      this.cursor.cursor!.insertRow(rowid!, this.tableRecord(values));
    }
    this.cursor.moved();
    for (let i = 0; i < table.indexes.length; i++) this.insertIndexEntry(i, values, rowid);
  }

  /**
   * Rewrites the existing row `rowid` of a rowid table from `oldValues` to
   * `values`: index entries are replaced only where they differ (or where a
   * partial index's membership changes), then the table record is
   * overwritten in one B-tree insert.
   */
  rewrite(oldValues: readonly SqlValue[], values: readonly SqlValue[], rowid: number | bigint): void {
    this.storage.writes++;
    const table = this.table;
    for (let i = 0; i < table.indexes.length; i++) {
      const index = table.indexes[i];
      const held = index.where === null || this.logic.includes(index, oldValues, rowid);
      const holds = index.where === null || this.logic.includes(index, values, rowid);
      const oldKey = held ? this.builder.encodeCopy(this.indexKey(i, oldValues, rowid, false)) : null;
      const newKey = holds ? this.builder.encode(this.indexKey(i, values, rowid, false)) : null;
      if (oldKey !== null && newKey !== null && sameBytes(oldKey, newKey)) continue;
      const cursor = this.indexCursors[i];
      if (oldKey !== null) {
        if (!cursor.seek(oldKey, 'eq')) throw corruptError(`index ${index.name} is missing an entry`);
        cursor.cursor!.delete();
      }
      if (newKey !== null) cursor.cursor!.insertKey(newKey);
    }
    this.cursor.cursor!.insertRow(rowid, this.tableRecord(values));
    this.cursor.moved();
  }

  /** Adds the row's entry to index `i` (nothing when a partial index excludes the row). */
  insertIndexEntry(i: number, values: readonly SqlValue[], rowid: SqlValue): void {
    const index = this.table.indexes[i];
    if (index.where !== null && !this.logic.includes(index, values, rowid)) return;
    const key = this.indexKey(i, values, rowid, false);
    this.indexCursors[i].cursor!.insertKey(this.builder.encode(key));
  }

  /** Deletes the row with these values (the table cursor must be on it) and its index entries. */
  deleteCurrent(values: readonly SqlValue[], rowid: SqlValue): void {
    this.storage.writes++;
    const table = this.table;
    for (let i = 0; i < table.indexes.length; i++) {
      const index = table.indexes[i];
      if (index.where !== null && !this.logic.includes(index, values, rowid)) continue;
      const key = this.builder.encodeCopy(this.indexKey(i, values, rowid, false));
      const cursor = this.indexCursors[i];
      if (!cursor.seek(key, 'eq')) throw corruptError(`index ${index.name} is missing an entry`);
      cursor.cursor!.delete();
    }
    this.cursor.cursor!.delete();
    this.cursor.moved();
  }

  /**
   * The row key of a row other than `selfKey` whose entry in unique index
   * `i` equals the new row's, or null: `[rowid]` for rowid tables, the
   * primary-key values for WITHOUT ROWID tables. Keys with a NULL term never
   * collide.
   */
  uniqueConflict(i: number, values: readonly SqlValue[], rowid: SqlValue, selfKey: readonly SqlValue[] | null): SqlValue[] | null {
    const index = this.table.indexes[i];
    if (index.where !== null && !this.logic.includes(index, values, rowid)) return null;
    const key = this.indexKey(i, values, rowid, true);
    for (const v of key) if (v === null) return null;
    const cursor = this.indexCursors[i];
    const encoded = this.builder.encodeCopy(key);
    if (!cursor.seek(encoded, 'ge')) return null;
    const rowKeyPositions = this.rowKeyPositions(index);
    for (;;) {
      if (compareRecords(cursor.payload(), encoded, cursor.keyInfo, key.length) !== 0) return null;
      const other = rowKeyPositions.map((p) => cursor.column(p));
      if (selfKey === null || !sameKey(other, selfKey)) return other;
      if (!cursor.next()) return null;
    }
  }

  /** Where the row key sits in an entry of `index`. */
  private rowKeyPositions(index: IndexSchema): number[] {
    if (!this.table.withoutRowid) return [index.keyTerms.length - 1];
    return this.table.primaryIndex!.keyTerms.map((pk) => index.keyTerms.findIndex((t) => t.column === pk.column));
  }

  /** For WITHOUT ROWID tables: true when a row with the primary key of `values` exists (cursor left on it). */
  seekPrimaryKey(values: readonly SqlValue[]): boolean {
    const pk = this.table.primaryIndex!;
    const key = pk.keyTerms.map((t) => values[t.column]);
    return this.cursor.seekKey(this.builder.encodeCopy(key), 'eq');
  }

  /** Index of `index` in the table's index list. */
  indexPosition(index: IndexSchema): number {
    return this.table.indexes.indexOf(index);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameKey(a: readonly SqlValue[], b: readonly SqlValue[]): boolean {
  for (let i = 0; i < a.length; i++) if (compareValues(a[i], b[i]) !== 0) return false;
  return true;
}

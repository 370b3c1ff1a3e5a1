/**
 * TableCursor: the executor's cursor on one table, shared by every closure
 * that reads the table's columns in a compiled statement.
 *
 * It wraps a B-tree cursor (the table tree, or for WITHOUT ROWID tables the
 * primary-key index tree) and decodes the current record lazily: the record
 * header is parsed once per row and only as far as the columns asked for.
 * Column reads follow SQLite: the rowid alias reads the rowid, a REAL stored
 * as an integer in a REAL column reads as REAL, a float body reads as REAL
 * even when integral, and columns missing from short records (rows written
 * before ALTER TABLE ADD COLUMN) read as the column's default.
 *
 * `nullRow` makes every column read NULL (the unmatched side of a LEFT JOIN).
 * A table cursor can be "covered" by an index cursor: its reads are then
 * served from the index entry (`coverWith`), so no table lookup is needed.
 */
import type { Cursor } from '../btree/cursor.js';
import { KeyInfo, type Collation as KeyCollationName } from '../btree/record-compare.js';
import type { RecordReader } from '../btree/record.js';
import type { TableSchema } from '../schema/schema-objects.js';
import { Affinity } from './values/affinity.js';
import { realValue, SqlReal, type SqlValue } from './values/value.js';
import type { DatabaseStorage } from './database-storage.js';
import { shortRecordDefaults } from './short-record-defaults.js';

/** The KeyInfo of an index's record key terms. */
export function keyInfoOf(terms: readonly { collation: string; descending: boolean }[]): KeyInfo {
  return new KeyInfo(
    terms.map((t) => t.collation as KeyCollationName),
    terms.map((t) => t.descending),
  );
}

/** Reads column `i` of a record, turning float bodies into REAL values. */
export function readRecordColumn(reader: RecordReader, i: number): SqlValue {
  const type = reader.serialType(i);
  if (type === 7) return realValue(reader.column(i) as number);
  return reader.column(i) as SqlValue;
}

export class TableCursor {
  cursor: Cursor | null = null;
  nullRow = false;
  private reader: RecordReader | null = null;
  private moves = 0;
  private readerMoves = -1;
  private readerWrites = -1;
  private readonly storageOf: Int32Array;
  private readonly realColumn: Uint8Array;
  private readonly recordWidth: number;
  private coverCursor: IndexEntryCursor | null = null;
  private coverMap: Int32Array | null = null;
  /** Values of columns missing from short records (ALTER TABLE ADD COLUMN defaults). */
  private readonly missingDefaults: SqlValue[] | null;
  /** WITHOUT ROWID tables: the primary-key order, built on first open. */
  private primaryKeyInfo: KeyInfo | null = null;

  constructor(
    readonly storage: DatabaseStorage,
    readonly table: TableSchema,
  ) {
    const n = table.columns.length;
    this.missingDefaults = shortRecordDefaults(table);
    this.storageOf = new Int32Array(n);
    this.realColumn = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const column = table.columns[i];
      this.storageOf[i] = i === table.rowidAlias ? -1 : column.storage;
      this.realColumn[i] = column.affinity === Affinity.REAL ? 1 : 0;
    }
    this.recordWidth = n;
  }

  /** Opens the B-tree cursor (idempotent within one execution). */
  open(): void {
    if (this.cursor !== null) return;
    const table = this.table;
    const cursors = this.storage.cursors;
    this.cursor = table.withoutRowid
      ? cursors.index(table.rootPage, (this.primaryKeyInfo ??= keyInfoOf(table.primaryIndex!.keyTerms)))
      : cursors.table(table.rootPage);
    // A fresh B-tree cursor: never serve a record decoded from an earlier one's pages.
    this.moves++;
    this.nullRow = false;
  }

  /** Gives the B-tree cursor back to the connection's pool. */
  close(): void {
    if (this.cursor !== null) {
      this.storage.cursors.release(this.cursor);
      this.cursor = null;
    }
    this.nullRow = false;
  }

  /** Serves column reads from an index entry (covering index scan), or stops doing so (null). */
  coverWith(cursor: IndexEntryCursor | null, map: Int32Array | null): void {
    this.coverCursor = cursor;
    this.coverMap = map;
  }

  /** Notes that the B-tree cursor moved (the next read re-decodes). */
  moved(): void {
    this.moves++;
  }

  first(): boolean {
    this.moves++;
    return this.cursor!.first();
  }

  last(): boolean {
    this.moves++;
    return this.cursor!.last();
  }

  next(): boolean {
    this.moves++;
    return this.cursor!.next();
  }

  prev(): boolean {
    this.moves++;
    return this.cursor!.prev();
  }

  seekRowid(rowid: number | bigint, op: 'eq' | 'ge' | 'gt' | 'le' | 'lt' = 'eq'): boolean {
    this.moves++;
    return this.cursor!.seekRowid(rowid, op);
  }

  /** Seeks a WITHOUT ROWID table by an encoded primary-key prefix. */
  seekKey(key: Uint8Array, op: 'eq' | 'ge' | 'gt' | 'le' | 'lt'): boolean {
    this.moves++;
    return this.cursor!.seek(key, op);
  }

  private record(): RecordReader {
    const writes = this.storage.writes;
    if (this.readerMoves !== this.moves || this.readerWrites !== writes || this.reader === null) {
      this.reader = this.cursor!.record();
      this.readerMoves = this.moves;
      this.readerWrites = writes;
    }
    return this.reader;
  }

  /** The value of table column `i` (schema order) in the current row. */
  column(i: number): SqlValue {
    if (this.nullRow) return null;
    if (this.coverCursor !== null) return this.coverCursor.column(this.coverMap![i]);
    const at = this.storageOf[i];
    if (at < 0) return this.rowid();
    const reader = this.record();
    const type = reader.serialType(at);
    if (type === 0) {
      if (this.missingDefaults !== null && at >= reader.columnCount) return this.missingDefaults[i];
      return null;
    }
    if (type === 7) return realValue(reader.column(at) as number);
    const v = reader.column(at) as SqlValue;
    if (this.realColumn[i] === 1 && type < 7) return new SqlReal(Number(v));
    return v;
  }

  /** The rowid of the current row (NULL on the null row). */
  rowid(): SqlValue {
    if (this.nullRow) return null;
    if (this.coverCursor !== null) return this.coverCursor.rowid();
    return this.cursor!.rowid;
  }

  /** The current row's record width (columns stored). */
  get width(): number {
    return this.recordWidth;
  }

  /** The raw record bytes of the current row. */
  payload(): Uint8Array {
    return this.cursor!.payload();
  }
}

/**
 * IndexEntryCursor: a cursor on an index tree; reads the terms of the
 * current entry (the last term of a rowid table's index is the rowid).
 */
export class IndexEntryCursor {
  cursor: Cursor | null = null;
  private reader: RecordReader | null = null;
  private moves = 0;
  private readerMoves = -1;
  private readerWrites = -1;
  readonly keyInfo: KeyInfo;

  constructor(
    readonly storage: DatabaseStorage,
    readonly rootPage: () => number,
    terms: readonly { collation: string; descending: boolean }[],
    private readonly rowidTerm: number,
  ) {
    this.keyInfo = keyInfoOf(terms);
  }

  open(): void {
    if (this.cursor !== null) return;
    this.cursor = this.storage.cursors.index(this.rootPage(), this.keyInfo);
    this.moves++;
  }

  /** Gives the B-tree cursor back to the connection's pool. */
  close(): void {
    if (this.cursor !== null) {
      this.storage.cursors.release(this.cursor);
      this.cursor = null;
    }
  }

  first(): boolean {
    this.moves++;
    return this.cursor!.first();
  }

  last(): boolean {
    this.moves++;
    return this.cursor!.last();
  }

  next(): boolean {
    this.moves++;
    return this.cursor!.next();
  }

  prev(): boolean {
    this.moves++;
    return this.cursor!.prev();
  }

  seek(key: Uint8Array, op: 'eq' | 'ge' | 'gt' | 'le' | 'lt'): boolean {
    this.moves++;
    return this.cursor!.seek(key, op);
  }

  private record(): RecordReader {
    const writes = this.storage.writes;
    if (this.readerMoves !== this.moves || this.readerWrites !== writes || this.reader === null) {
      this.reader = this.cursor!.record();
      this.readerMoves = this.moves;
      this.readerWrites = writes;
    }
    return this.reader;
  }

  /** Term `i` of the current entry. */
  column(i: number): SqlValue {
    return readRecordColumn(this.record(), i);
  }

  /** The row key of a rowid table's index entry. */
  rowid(): SqlValue {
    return this.column(this.rowidTerm);
  }

  /** The raw record of the current entry. */
  payload(): Uint8Array {
    return this.cursor!.payload();
  }
}

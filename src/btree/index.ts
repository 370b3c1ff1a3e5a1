/**
 * The B-tree layer's public surface: SQLite table and index B-trees over a
 * PageStore, the record format, record comparison, the freelist, the
 * integrity check, and reading sqlite_schema. See each module's header for
 * its promises; `record.ts` documents the value convention (number, bigint
 * only outside the safe-integer range, string, Uint8Array, null).
 */
export { BTree, type TreeKind } from './btree.js';
export { Cursor, type Rowid, type SeekOp } from './cursor.js';
export { BulkLoader } from './bulk-load.js';
export { Freelist } from './freelist.js';
export { integrityCheck, type IndexCheck, type IntegrityCheckOptions, type TableCheck } from './integrity-check.js';
export { compareRecords, compareRecordRanges, compareRecordToKey, KeyInfo, recordFieldCount, UnpackedKey, type Collation } from './record-compare.js';
export { decodeRecord, encodeRecord, RecordEncoder, RecordReader, serialTypeSize, type SqlValue } from './record.js';
export { findIndex, findTable, indexesOf, readSchema, type SchemaEntry } from './schema-table.js';
export { PAGE_INDEX_INTERIOR, PAGE_INDEX_LEAF, PAGE_TABLE_INTERIOR, PAGE_TABLE_LEAF } from './page-format.js';

/**
 * integrityCheck: the B-tree part of `PRAGMA integrity_check`.
 *
 * It walks every tree the caller names (sqlite_schema at page 1 always) and
 * the freelist, and reports problems as SQLite-style message strings; an
 * empty list means the database is sound. Checked, per SQLite's
 * checkTreePage/checkList: every page is referenced exactly once (by a tree,
 * an overflow chain or the freelist) and no page is "never used"; each tree
 * page has a valid header and a type matching its tree; cell pointers and
 * cells stay inside the page; cells, freeblocks and fragment bytes cover the
 * content area exactly once; rowids increase and respect their interior
 * dividers; all leaves of a tree are at the same depth; overflow chains have
 * the length their payload needs; the freelist count in the header matches
 * the chain. Index entries are checked for order when the caller supplies the
 * index's KeyInfo, and against their table's rows when it supplies the
 * column mapping: every row must have its entry ("row N missing from index
 * X") and the counts must agree ("wrong # of entries in index X").
 *
 * The walk is bounded: a page already seen is reported and not entered
 * again, depth is limited, and at most `maxErrors` messages are produced.
 * It never throws SQLITE_CORRUPT for what it inspects; it reports it.
 */
import { SqliteError } from '../sqlite-error.js';
import type { BTree } from './btree.js';
import { checkPayloadFits, readOverflow } from './overflow.js';
import {
  CellInfo,
  cellCount,
  contentStart,
  headerOffset,
  isLeafType,
  isTableType,
  isValidPageType,
  MAX_TREE_DEPTH,
  pageHeaderSize,
  parseCell,
  rightChild,
} from './page-format.js';
import { compareRecords, KeyInfo } from './record-compare.js';
import { RecordEncoder, type SqlValue } from './record.js';
import { readUint16, readUint32 } from './varint.js';

/** An index to check against its table. */
export interface IndexCheck {
  readonly name: string;
  readonly root: number;
  /** Collations and directions of the key columns (default BINARY ascending). */
  readonly keyInfo?: KeyInfo;
  /** Table column feeding each index column, in key order; -1 means the rowid (usually last). */
  readonly columns: readonly number[];
}

/** A rowid table and its indexes. */
export interface TableCheck {
  readonly name: string;
  readonly root: number;
  readonly indexes: readonly IndexCheck[];
}

export interface IntegrityCheckOptions {
  /** Root pages of every tree in the database besides page 1 (tables, indexes, WITHOUT ROWID tables). */
  readonly roots: readonly number[];
  /** Rowid tables whose indexes should be cross-checked. */
  readonly tables?: readonly TableCheck[];
  /** KeyInfo of index trees listed in `roots` but not in `tables` (for order checks). */
  readonly keyInfos?: ReadonlyMap<number, KeyInfo>;
  /** Stop after this many messages (default 100, like SQLite). */
  readonly maxErrors?: number;
}

class Checker {
  readonly messages: string[] = [];
  private readonly referenced: Uint8Array;
  private readonly info = new CellInfo();
  private readonly pageCount: number;
  private previousRowid: number | bigint | null = null;
  private previousKey: Uint8Array | null = null;
  private keyInfo: KeyInfo | null = null;
  private root = 0;

  constructor(
    private readonly tree: BTree,
    private readonly maxErrors: number,
  ) {
    this.pageCount = tree.store.pageCount();
    this.referenced = new Uint8Array(this.pageCount + 1);
  }

  get full(): boolean {
    return this.messages.length >= this.maxErrors;
  }

  add(message: string): void {
    if (!this.full) this.messages.push(message);
  }

  /** Marks a page referenced; reports and returns false when it is invalid or already used. */
  checkRef(pgno: number): boolean {
    if (pgno < 1 || pgno > this.pageCount) {
      this.add(`invalid page number ${pgno}`);
      return false;
    }
    if (this.referenced[pgno] === 1) {
      this.add(`2nd reference to page ${pgno}`);
      return false;
    }
    this.referenced[pgno] = 1;
    return true;
  }

  markUsed(pgno: number): void {
    if (pgno >= 1 && pgno <= this.pageCount) this.referenced[pgno] = 1;
  }

  checkOverflowChain(first: number, expected: number, prefix: string): void {
    let pgno = first;
    let remaining = expected;
    const startErrors = this.messages.length;
    while (pgno !== 0 && !this.full && remaining > 0) {
      if (!this.checkRef(pgno)) break;
      remaining--;
      pgno = readUint32(this.tree.store.page(pgno), 0);
    }
    if (remaining !== 0 && this.messages.length === startErrors) {
      this.add(`${prefix}overflow list length is ${expected - remaining} but should be ${expected}`);
    }
  }

  checkTree(root: number, keyInfo: KeyInfo | null): void {
    this.root = root;
    this.keyInfo = keyInfo;
    this.previousRowid = null;
    this.previousKey = null;
    this.checkPage(root, 0, null);
  }

  /** Checks one tree page and its subtree; returns the subtree depth (-1 on error). */
  private checkPage(pgno: number, depth: number, tableType: boolean | null): number {
    if (this.full) return -1;
    if (!this.checkRef(pgno)) return -1;
    const prefix = `Tree ${this.root} page ${pgno}: `;
    if (depth >= MAX_TREE_DEPTH) {
      this.add(`${prefix}tree too deep`);
      return -1;
    }
    const store = this.tree.store;
    const geometry = this.tree.geometry;
    const usable = geometry.usableSize;
    const page = store.page(pgno);
    const hdr = headerOffset(pgno);
    const flags = page[hdr];
    const count = cellCount(page, hdr);
    const pointers = hdr + (isValidPageType(flags) ? pageHeaderSize(flags) : 8);
    const top = contentStart(page, hdr);
    if (!isValidPageType(flags) || count > geometry.maxCells || pointers + 2 * count > usable || top < pointers + 2 * count || top > usable) {
      this.add(`${prefix}btreeInitPage() returns error code 11`);
      return -1;
    }
    if (tableType !== null && isTableType(flags) !== tableType) {
      this.add(`${prefix}page type does not match its tree`);
      return -1;
    }
    const leaf = isLeafType(flags);
    const table = isTableType(flags);
    if (depth > 0 && count === 0) {
      this.add(`${prefix}empty non-root page`);
    }
    const spans: number[] = [];
    let coverage = true;
    let childDepth = -2;
    for (let i = 0; i < count && !this.full; i++) {
      const cellPrefix = `Tree ${this.root} page ${pgno} cell ${i}: `;
      const offset = readUint16(page, pointers + 2 * i);
      if (offset < top || offset > usable - 4) {
        this.add(`${cellPrefix}Offset ${offset} out of range ${top}..${usable - 4}`);
        coverage = false;
        continue;
      }
      let info: CellInfo;
      try {
        info = parseCell(page, offset, flags, geometry, this.info);
      } catch (error) {
        if (!(error instanceof SqliteError)) throw error;
        this.add(`${cellPrefix}Extends off end of page`);
        coverage = false;
        continue;
      }
      spans.push(offset, offset + info.size);
      const key = info.key;
      const childPage = info.childPage;
      const payloadSize = info.payloadSize;
      const localSize = info.localSize;
      const payloadOffset = info.payloadOffset;
      if (info.overflowPage !== 0 || payloadSize > localSize) {
        const expected = geometry.overflowPageCount(payloadSize, localSize);
        this.checkOverflowChain(info.overflowPage, expected, cellPrefix);
      }
      if (!leaf) {
        const d = this.checkPage(childPage, depth + 1, table);
        if (childDepth === -2) childDepth = d;
        else if (d !== childDepth && d >= 0 && childDepth >= 0) this.add(`${cellPrefix}Child page depth differs`);
      }
      if (table) {
        if (this.previousRowid !== null && (leaf ? key <= this.previousRowid : key < this.previousRowid)) {
          this.add(`${cellPrefix}Rowid ${key} out of order`);
        }
        this.previousRowid = key;
      } else if (this.keyInfo !== null) {
        this.checkIndexOrder(page, payloadOffset, payloadSize, localSize, offset, flags, cellPrefix);
      }
    }
    if (!leaf && !this.full) {
      const d = this.checkPage(rightChild(page, hdr), depth + 1, table);
      if (childDepth === -2) childDepth = d;
      else if (d !== childDepth && d >= 0 && childDepth >= 0) this.add(`Tree ${this.root} page ${pgno} right child: Child page depth differs`);
    }
    if (coverage && !this.full) this.checkCoverage(page, pgno, hdr, top, spans);
    return leaf ? 0 : childDepth < 0 ? childDepth : childDepth + 1;
  }

  private checkIndexOrder(page: Uint8Array, payloadOffset: number, payloadSize: number, localSize: number, cellOffset: number, flags: number, prefix: string): void {
    const store = this.tree.store;
    const geometry = this.tree.geometry;
    let key: Uint8Array;
    try {
      if (payloadSize === localSize) {
        key = page.slice(payloadOffset, payloadOffset + payloadSize);
      } else {
        checkPayloadFits(store, geometry, payloadSize, localSize);
        key = new Uint8Array(payloadSize);
        key.set(page.subarray(payloadOffset, payloadOffset + localSize));
        const info = parseCell(page, cellOffset, flags, geometry, new CellInfo());
        readOverflow(store, geometry, info.overflowPage, payloadSize - localSize, key, localSize);
      }
      if (this.previousKey !== null && compareRecords(this.previousKey, key, this.keyInfo ?? KeyInfo.BINARY) >= 0) {
        this.add(`${prefix}Index entry out of order`);
      }
    } catch (error) {
      if (!(error instanceof SqliteError)) throw error;
      this.add(`${prefix}${error.message}`);
      return;
    }
    this.previousKey = key;
  }

  /** Cells, freeblocks and fragments must cover [contentStart, usable) exactly once. */
  private checkCoverage(page: Uint8Array, pgno: number, hdr: number, top: number, spans: number[]): void {
    const usable = this.tree.geometry.usableSize;
    let block = readUint16(page, hdr + 1);
    let guard = 0;
    while (block !== 0) {
      if (block < top || block > usable - 4 || ++guard > usable / 4) {
        this.add(`Tree ${this.root} page ${pgno}: free space corruption`);
        return;
      }
      const size = readUint16(page, block + 2);
      if (block + size > usable || size < 4) {
        this.add(`Tree ${this.root} page ${pgno}: free space corruption`);
        return;
      }
      spans.push(block, block + size);
      const next = readUint16(page, block);
      if (next !== 0 && next <= block) {
        this.add(`Tree ${this.root} page ${pgno}: free space corruption`);
        return;
      }
      block = next;
    }
    const order: number[] = [];
    for (let i = 0; i < spans.length; i += 2) order.push(i);
    order.sort((a, b) => spans[a] - spans[b]);
    let fragments = 0;
    let covered = top;
    for (const i of order) {
      const start = spans[i];
      const end = spans[i + 1];
      if (start < covered) {
        this.add(`Multiple uses for byte ${start} of page ${pgno}`);
        return;
      }
      fragments += start - covered;
      covered = end;
    }
    fragments += usable - covered;
    if (fragments !== page[hdr + 7]) {
      this.add(`Fragmentation of ${fragments} bytes reported as ${page[hdr + 7]} on page ${pgno}`);
    }
  }

  checkFreelist(): void {
    const store = this.tree.store;
    const expected = readUint32(store.page(1), 36);
    let trunk = readUint32(store.page(1), 32);
    let seen = 0;
    const startErrors = this.messages.length;
    while (trunk !== 0 && !this.full) {
      if (!this.checkRef(trunk)) break;
      seen++;
      const page = store.page(trunk);
      const leaves = readUint32(page, 4);
      if (leaves > store.usableSize / 4 - 2) {
        this.add(`Freelist: freelist leaf count too big on page ${trunk}`);
        break;
      }
      for (let i = 0; i < leaves; i++) this.checkRef(readUint32(page, 8 + 4 * i));
      seen += leaves;
      if (seen > this.pageCount) break;
      trunk = readUint32(page, 0);
    }
    if (seen !== expected && this.messages.length === startErrors) {
      this.add(`Freelist: size is ${seen} but should be ${expected}`);
    }
  }

  checkNeverUsed(): void {
    for (let pgno = 1; pgno <= this.pageCount && !this.full; pgno++) {
      if (this.referenced[pgno] === 0) this.add(`Page ${pgno}: never used`);
    }
  }
}

/** Page numbers SQLite never uses for content: the lock-byte page and, in auto-vacuum files, pointer-map pages. */
function reservedPages(tree: BTree, pageCount: number): number[] {
  const pages: number[] = [];
  const lockBytePage = Math.floor(0x40000000 / tree.store.pageSize) + 1;
  if (lockBytePage <= pageCount) pages.push(lockBytePage);
  if (readUint32(tree.store.page(1), 52) !== 0) {
    const perMap = Math.floor(tree.store.usableSize / 5);
    for (let pgno = 2; pgno <= pageCount; pgno += perMap + 1) {
      if (pgno === lockBytePage) pgno++;
      pages.push(pgno);
    }
  }
  return pages;
}

function crossCheckTable(tree: BTree, table: TableCheck, checker: Checker): void {
  const rows = tree.openTableCursor(table.root);
  const indexCursors = table.indexes.map((index) => tree.openIndexCursor(index.root, index.keyInfo ?? KeyInfo.BINARY));
  const encoder = new RecordEncoder();
  const key: SqlValue[] = [];
  const realColumns: boolean[] = [];
  let rowCount = 0;
  try {
    for (let more = rows.first(); more && !checker.full; more = rows.next()) {
      rowCount++;
      const rowid = rows.rowid;
      const record = rows.record();
      for (let x = 0; x < table.indexes.length; x++) {
        const index = table.indexes[x];
        key.length = index.columns.length;
        realColumns.length = index.columns.length;
        for (let c = 0; c < index.columns.length; c++) {
          const column = index.columns[c];
          key[c] = column < 0 ? rowid : record.column(column);
          realColumns[c] = column >= 0 && record.serialType(column) === 7;
        }
        const encoded = encoder.encode(key, realColumns);
        if (!indexCursors[x].seek(encoded, 'eq')) checker.add(`row ${rowCount} missing from index ${index.name}`);
      }
    }
    for (let x = 0; x < table.indexes.length && !checker.full; x++) {
      let entries = 0;
      for (let more = indexCursors[x].first(); more; more = indexCursors[x].next()) entries++;
      if (entries !== rowCount) checker.add(`wrong # of entries in index ${table.indexes[x].name}`);
    }
  } finally {
    rows.close();
    for (const cursor of indexCursors) cursor.close();
  }
}

/** Runs the check; returns the problems found (empty when the database is sound). */
export function integrityCheck(tree: BTree, options: IntegrityCheckOptions): string[] {
  const checker = new Checker(tree, options.maxErrors ?? 100);
  const keyInfos = new Map<number, KeyInfo>(options.keyInfos ?? []);
  for (const table of options.tables ?? []) {
    for (const index of table.indexes) keyInfos.set(index.root, index.keyInfo ?? KeyInfo.BINARY);
  }
  for (const pgno of reservedPages(tree, tree.store.pageCount())) checker.markUsed(pgno);
  checker.checkFreelist();
  checker.checkTree(1, null);
  for (const root of options.roots) {
    if (root === 1) continue;
    checker.checkTree(root, keyInfos.get(root) ?? null);
  }
  checker.checkNeverUsed();
  if (checker.messages.length === 0) {
    for (const table of options.tables ?? []) {
      try {
        crossCheckTable(tree, table, checker);
      } catch (error) {
        if (!(error instanceof SqliteError) || error.code !== 'SQLITE_CORRUPT') throw error;
        checker.add(error.message);
      }
    }
  }
  return checker.messages;
}

/**
 * Cursor: a position in one table or index B-tree, for reading and writing.
 *
 * Navigation: `first`, `last`, `next`, `prev`, `seekRowid(rowid, op)` on
 * tables and `seek(key, op)` on indexes, where `op` is 'eq', 'ge', 'gt',
 * 'le' or 'lt' and an index key may be a prefix (fewer columns than the
 * entries): 'ge' finds the first entry whose leading columns are >= the key,
 * 'gt' the first entry > it (all prefix matches skipped), 'le' the last entry
 * <= it (prefix matches included), 'lt' the last entry < it. Every move
 * returns true when the cursor is on an entry.
 *
 * Reading: `rowid` (tables), `payloadSize`, `payload()` (the record bytes:
 * a view into the page, or into a reusable buffer when the payload spills
 * into overflow pages; valid until the cursor moves or the tree changes) and
 * `record()` (a RecordReader over those bytes, same validity).
 *
 * Writing: `insertRow(rowid, record)` (tables; replaces an existing row),
 * `insertKey(record)` (indexes; an entry equal in every column is replaced)
 * and `delete()` (the current entry). After a delete the cursor sits "between"
 * entries: `next()` returns the entry after the deleted one and `prev()` the
 * one before. After an insert the cursor is on the new entry.
 *
 * Appending: after an insert that leaves a table cursor on the tree's last
 * row, the cursor keeps that right-most path as an append hint while the
 * tree (`BTree.lastChange`) and the page store (`generation`) stay
 * unchanged, across statements too (parked cursors keep it). A seek for a
 * larger rowid, or `last()`, then lands on that leaf without a descent, as
 * SQLite's BTREE_APPEND does; so do the probe and insert of each new row of
 * an ascending bulk insert.
 *
 * Stability: when another cursor changes the same tree, this cursor's
 * position is saved as its key first and restored by seeking on next use; if
 * its entry was deleted meanwhile, `next()`/`prev()` continue from where it
 * was. Walks are bounded: depth is limited to 20 levels, a scan may enter at
 * most as many leaves as the file has pages before a fresh seek, and corrupt
 * pages raise SQLITE_CORRUPT.
 */
import { corruptError, SqliteError } from '../sqlite-error.js';
import type { PageStore } from '../pager/page-store.js';
import type { BTree } from './btree.js';
import { checkPayloadFits, freeOverflow, readOverflow, writeOverflow } from './overflow.js';
import { CellList, dropCell, freeBytes, insertCell, buildPage, copyBytes } from './page-edit.js';
import {
  CellInfo,
  cellCount,
  cellPointer,
  checkPageHeader,
  headerOffset,
  isLeafType,
  isTableType,
  MAX_TREE_DEPTH,
  PAGE_TABLE_LEAF,
  type PageGeometry,
  parseCell,
  rightChild,
} from './page-format.js';
import { compareRecordToKey, KeyInfo, recordFieldCount, UnpackedKey } from './record-compare.js';
import { RecordReader } from './record.js';
import { readUint32, readVarint, readVarintSize, varintLength, writeUint32, writeVarint } from './varint.js';

/** Seek comparison: the entry sought relative to the key. */
export type SeekOp = 'eq' | 'ge' | 'gt' | 'le' | 'lt';

/** A rowid: a number when it is a safe integer, a bigint otherwise. */
export type Rowid = number | bigint;

const STATE_INVALID: number = 0;
const STATE_VALID: number = 1;
const STATE_SAVED: number = 2;

const EMPTY = new Uint8Array(0);

export class Cursor {
  readonly tree: BTree;
  readonly root: number;
  readonly isTable: boolean;
  readonly keyInfo: KeyInfo;
  private readonly store: PageStore;
  private readonly geometry: PageGeometry;

  private state: number = STATE_INVALID;
  private depth = 0;
  private readonly pgnos: number[] = new Array<number>(MAX_TREE_DEPTH + 1).fill(0);
  private readonly pages: Uint8Array[] = new Array<Uint8Array>(MAX_TREE_DEPTH + 1).fill(EMPTY);
  private readonly flags: number[] = new Array<number>(MAX_TREE_DEPTH + 1).fill(0);
  private readonly counts: number[] = new Array<number>(MAX_TREE_DEPTH + 1).fill(0);
  private readonly index: number[] = new Array<number>(MAX_TREE_DEPTH + 1).fill(0);
  private leavesEntered = 0;

  private savedRowid: Rowid = 0;
  private savedKey: Uint8Array = EMPTY;
  /** After a restore: 0 on the saved entry, 1 on its successor, -1 on its predecessor. */
  private skip = 0;

  /**
   * The last `seekRowid(rowid, 'eq')` left the page stack on `seekedRowid`'s
   * leaf slot (found: `seekedExact`) at `tree.changes === seekedAt`; -1 once
   * the cursor moved or was saved. `insertRow` of that rowid then skips its
   * descent: the usual probe-then-insert of a new row descends once.
   */
  private seekedAt = -1;
  private seekedRowid = 0;
  private seekedExact = false;

  /**
   * Append hint: the page stack's levels 0..`appendDepth` are the tree's
   * right-most path, its leaf ending with the tree's largest rowid, as of
   * `tree.lastChange(root) === appendStamp` and `store.generation ===
   * appendGeneration`; -1 when there is no hint. Anything that rebuilds the
   * stack (a descent, next/prev) drops it.
   */
  private appendStamp = -1;
  private appendGeneration = -1;
  private appendDepth = 0;

  private readonly cell = new CellInfo();
  /** The current entry parsed; valid while `currentPage`/`currentIndex` match the position. */
  private readonly current = new CellInfo();
  private currentPage: Uint8Array = EMPTY;
  private currentIndex = -1;
  private overflowBuffer: Uint8Array = EMPTY;
  /** The divider cell balance_quick adds to the parent: u32 child and a rowid varint. */
  private readonly dividerBuffer = new Uint8Array(13);
  private readonly singleCell = new CellList();
  private readonly reader = new RecordReader();
  /** The key of the current index seek, header parsed once. */
  private readonly searchKey = new UnpackedKey();
  private closed = false;

  /** @internal Use `BTree.openTableCursor` / `BTree.openIndexCursor`. */
  constructor(tree: BTree, root: number, isTable: boolean, keyInfo: KeyInfo) {
    this.tree = tree;
    this.root = root;
    this.isTable = isTable;
    this.keyInfo = keyInfo;
    this.store = tree.store;
    this.geometry = tree.geometry;
  }

  /** Releases the cursor; it must not be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.state = STATE_INVALID;
    this.tree.unregister(this);
  }

  /** True when the cursor is on an entry (restoring a saved position if needed). */
  get valid(): boolean {
    if (this.state === STATE_SAVED) this.restore();
    return this.state === STATE_VALID;
  }

  // ---- page stack -------------------------------------------------------

  private loadLevel(level: number, pgno: number): void {
    const page = this.store.page(pgno);
    const flags = checkPageHeader(page, pgno, this.geometry);
    if (isTableType(flags) !== this.isTable) throw corruptError(`page ${pgno} has the wrong tree type`);
    const count = cellCount(page, headerOffset(pgno));
    if (level > 0 && count === 0) throw corruptError(`empty non-root page ${pgno}`);
    this.pgnos[level] = pgno;
    this.pages[level] = page;
    this.flags[level] = flags;
    this.counts[level] = count;
  }

  private moveToRoot(): void {
    this.seekedAt = -1;
    this.appendStamp = -1;
    this.currentIndex = -1;
    this.leavesEntered = 0;
    this.depth = 0;
    this.loadLevel(0, this.root);
  }

  private cellOffset(level: number, i: number): number {
    return cellPointer(this.pages[level], headerOffset(this.pgnos[level]), this.flags[level], i);
  }

  private moveToChild(childIndex: number): void {
    this.appendStamp = -1;
    const level = this.depth;
    const page = this.pages[level];
    let child: number;
    if (childIndex < this.counts[level]) {
      const offset = this.cellOffset(level, childIndex);
      if (offset + 4 > this.geometry.usableSize) throw corruptError('cell offset out of range');
      child = readUint32(page, offset);
    } else {
      child = rightChild(page, headerOffset(this.pgnos[level]));
    }
    if (level + 1 >= MAX_TREE_DEPTH) throw corruptError('tree too deep');
    // Page numbers past the end are refused by the store itself (SQLITE_CORRUPT).
    if (child < 2) throw corruptError(`child page ${child} out of range`);
    this.index[level] = childIndex;
    this.loadLevel(level + 1, child);
    this.depth = level + 1;
    if (isLeafType(this.flags[level + 1]) && ++this.leavesEntered > this.store.pageCount()) {
      throw corruptError('tree walk revisits pages');
    }
  }

  private moveToLeftmost(): void {
    while (!isLeafType(this.flags[this.depth])) this.moveToChild(0);
    this.index[this.depth] = 0;
  }

  private moveToRightmost(): void {
    while (!isLeafType(this.flags[this.depth])) this.moveToChild(this.counts[this.depth]);
    this.index[this.depth] = this.counts[this.depth] - 1;
  }

  private isLeaf(): boolean {
    return isLeafType(this.flags[this.depth]);
  }

  // ---- navigation ---------------------------------------------------------

  /** Moves to the first entry; false when the tree is empty. */
  first(): boolean {
    this.moveToRoot();
    if (this.counts[0] === 0 && this.isLeaf()) return this.setInvalid();
    this.moveToLeftmost();
    this.state = STATE_VALID;
    return true;
  }

  /** Moves to the last entry; false when the tree is empty. */
  last(): boolean {
    if (this.appendHintHolds()) {
      const leaf = this.appendDepth;
      this.enterAppendLeaf();
      this.index[leaf] = this.counts[leaf] - 1;
      this.state = STATE_VALID;
      return true;
    }
    this.moveToRoot();
    if (this.counts[0] === 0 && this.isLeaf()) return this.setInvalid();
    this.moveToRightmost();
    this.state = STATE_VALID;
    return true;
  }

  private setInvalid(): false {
    this.state = STATE_INVALID;
    return false;
  }

  /** Moves to the next entry; false (and invalid) past the last one. */
  next(): boolean {
    this.seekedAt = -1;
    this.appendStamp = -1;
    this.currentIndex = -1;
    if (this.state === STATE_SAVED) {
      this.restore();
      if (this.state !== STATE_VALID) return false;
      if (this.skip > 0) {
        this.skip = 0;
        return true;
      }
    }
    if (this.state !== STATE_VALID) return false;
    this.skip = 0;
    let level = this.depth;
    if (!this.isLeaf()) {
      // Index cursor on an interior entry: the successor is the leftmost entry of the next subtree.
      this.moveToChild(this.index[level] + 1);
      this.moveToLeftmost();
      return true;
    }
    if (++this.index[level] < this.counts[level]) return true;
    return this.climbForward();
  }

  /** From one past the end of a leaf, finds the next entry up and to the right. */
  private climbForward(): boolean {
    for (;;) {
      if (this.depth === 0) return this.setInvalid();
      this.depth--;
      const level = this.depth;
      const i = this.index[level];
      if (i < this.counts[level]) {
        if (this.isTable) {
          this.moveToChild(i + 1);
          this.moveToLeftmost();
        }
        return true;
      }
    }
  }

  /** Moves to the previous entry; false (and invalid) before the first one. */
  prev(): boolean {
    this.seekedAt = -1;
    this.appendStamp = -1;
    this.currentIndex = -1;
    if (this.state === STATE_SAVED) {
      this.restore();
      if (this.state !== STATE_VALID) return false;
      if (this.skip < 0) {
        this.skip = 0;
        return true;
      }
    }
    if (this.state !== STATE_VALID) return false;
    this.skip = 0;
    const level = this.depth;
    if (!this.isLeaf()) {
      this.moveToChild(this.index[level]);
      this.moveToRightmost();
      return true;
    }
    if (--this.index[level] >= 0) return true;
    for (;;) {
      if (this.depth === 0) return this.setInvalid();
      this.depth--;
      const up = this.depth;
      const i = this.index[up];
      if (i > 0) {
        if (this.isTable) {
          this.moveToChild(i - 1);
          this.moveToRightmost();
        } else {
          this.index[up] = i - 1;
        }
        return true;
      }
    }
  }

  /**
   * Descends to the leaf slot of `rowid`: first entry >= rowid (> when
   * strict). Returns true on an exact match.
   *
   * Each page is searched by interpolation before bisection: the first and
   * last keys bound the page, a few guesses proportional to the key's place
   * between the known bounds narrow the range, and bisection finishes it.
   * Rowids are unique, so an equal key ends the search at once. Dense rowids
   * (the usual case) take three probes per page instead of about log2(cells),
   * and appending past the end takes one; each probe saved is a cache miss
   * saved on large trees.
   */
  private descendRowid(rowid: Rowid, strict: boolean): boolean {
    if (this.appendHintHolds() && this.pastLastRow(rowid)) {
      this.enterAppendLeaf();
      this.index[this.appendDepth] = this.counts[this.appendDepth];
      return false;
    }
    this.moveToRoot();
    const usable = this.geometry.usableSize;
    const numeric = typeof rowid === 'number';
    for (;;) {
      const level = this.depth;
      const page = this.pages[level];
      const leaf = isLeafType(this.flags[level]);
      const pointers = headerOffset(this.pgnos[level]) + (leaf ? 8 : 12);
      const count = this.counts[level];
      // Invariant: the answer is in [lo, hi]; `exact` says the key at hi equals rowid.
      let lo = 0;
      let hi = count;
      let exact = false;
      if (numeric && count >= 4) {
        let lowKey = rowidKeyAt(page, pointers, 0, leaf, usable);
        let highKey = rowidKeyAt(page, pointers, count - 1, leaf, usable);
        const target = rowid as number;
        if (lowKey === lowKey && highKey === highKey) {
          if (lowKey > target || (lowKey === target && !strict)) {
            hi = 0;
            exact = lowKey === target;
          } else if (highKey < target || (highKey === target && strict)) {
            lo = count;
          } else {
            // key(lo - 1) = lowKey goes right of the answer's left side, key(hi) = highKey is the answer or beyond.
            lo = 1;
            hi = count - 1;
            exact = highKey === target;
            for (let round = 0; round < 3 && hi - lo > 4; round++) {
              let guess = lo - 1 + ((((target - lowKey) * (hi - lo + 1)) / (highKey - lowKey)) | 0);
              if (guess < lo) guess = lo;
              else if (guess > hi - 1) guess = hi - 1;
              const key = rowidKeyAt(page, pointers, guess, leaf, usable);
              if (key !== key) break;
              if (key === target) {
                lo = hi = strict ? guess + 1 : guess;
                exact = !strict;
                break;
              }
              if (key < target) {
                lo = guess + 1;
                lowKey = key;
              } else {
                hi = guess;
                highKey = key;
                exact = false;
              }
            }
          }
        }
      }
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const c = compareRowidAt(page, pointers, mid, leaf, rowid, usable);
        if (c === 0) {
          lo = hi = strict ? mid + 1 : mid;
          exact = !strict;
          break;
        }
        if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
          exact = false;
        }
      }
      if (leaf) {
        this.index[level] = lo;
        return exact && lo < count && !strict;
      }
      this.moveToChild(lo);
    }
  }

  /** True when the append hint is still good (neither the tree nor the page store changed since it was noted). */
  private appendHintHolds(): boolean {
    if (this.appendStamp < 0) return false;
    if (this.appendStamp === this.tree.lastChange(this.root) && this.appendGeneration === this.store.generation) return true;
    this.appendStamp = -1;
    return false;
  }

  /** True when `rowid` is larger than the last rowid of the append hint's leaf (the tree's largest). */
  private pastLastRow(rowid: Rowid): boolean {
    const leaf = this.appendDepth;
    const pointers = headerOffset(this.pgnos[leaf]) + 8;
    return compareRowidAt(this.pages[leaf], pointers, this.counts[leaf] - 1, true, rowid, this.geometry.usableSize) < 0;
  }

  /** Puts the cursor on the append hint's leaf (the caller sets the slot), as a descent to it would. */
  private enterAppendLeaf(): void {
    this.seekedAt = -1;
    this.currentIndex = -1;
    this.leavesEntered = 1;
    this.depth = this.appendDepth;
  }

  /** Notes the append hint when the cursor is on the tree's last row, the right-most path on its stack. */
  private noteAppendPosition(): void {
    this.appendStamp = -1;
    if (this.state !== STATE_VALID) return;
    const leaf = this.depth;
    if (this.index[leaf] !== this.counts[leaf] - 1) return;
    for (let level = 0; level < leaf; level++) if (this.index[level] !== this.counts[level]) return;
    this.appendStamp = this.tree.lastChange(this.root);
    this.appendGeneration = this.store.generation;
    this.appendDepth = leaf;
  }

  /**
   * Compares the entry at (level, i) of an index tree with `searchKey`. A
   * payload held whole on the page is compared where it lies; one that
   * spills into overflow pages is assembled first.
   */
  private compareEntry(level: number, i: number): number {
    const page = this.pages[level];
    const flags = this.flags[level];
    const geometry = this.geometry;
    const usable = geometry.usableSize;
    const offset = this.cellOffset(level, i);
    if (offset + 4 > usable) throw corruptError('cell offset out of range');
    let pos = (flags & 0x08) === 0 ? offset + 4 : offset;
    let payloadSize = page[pos];
    if (payloadSize < 0x80) {
      pos++;
    } else {
      payloadSize = readVarintSize(page, pos);
      pos += varintLength(page, pos);
    }
    if (payloadSize <= geometry.maxLocalIndex) {
      const end = pos + payloadSize;
      if (end > usable) throw corruptError('cell extends past page');
      return compareRecordToKey(page, pos, end, this.searchKey, this.keyInfo);
    }
    const info = parseCell(page, offset, flags, geometry, this.cell);
    const full = this.assemblePayload(page, info);
    return compareRecordToKey(full, 0, info.payloadSize, this.searchKey, this.keyInfo);
  }

  /**
   * Descends to the first entry >= key (> when strict) over the key's
   * columns. Stops on an interior entry that equals the key exactly when
   * `stopOnEqualInterior` is set. Returns 0 on an exact stop, else 1.
   */
  private descendKey(key: Uint8Array, fields: number, strict: boolean, stopOnEqualInterior: boolean): number {
    this.searchKey.unpack(key, 0, key.length, fields);
    this.moveToRoot();
    for (;;) {
      const level = this.depth;
      let lo = 0;
      let hi = this.counts[level];
      let equalAt = -1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const c = this.compareEntry(level, mid);
        if (c < 0 || (strict && c === 0)) {
          lo = mid + 1;
        } else {
          if (c === 0) equalAt = mid;
          hi = mid;
        }
      }
      if (this.isLeaf()) {
        this.index[level] = lo;
        return equalAt === lo ? 0 : 1;
      }
      if (stopOnEqualInterior && equalAt === lo) {
        this.index[level] = lo;
        return 0;
      }
      this.moveToChild(lo);
    }
  }

  /** From a leaf slot (possibly one past the end), settles on that entry or its successor. */
  private settleForward(): boolean {
    if (this.index[this.depth] < this.counts[this.depth]) {
      this.state = STATE_VALID;
      return true;
    }
    this.state = STATE_VALID;
    return this.climbForward();
  }

  /** Finishes a seek for 'le'/'lt': the entry before the settled position. */
  private settleBackward(): boolean {
    if (this.settleForward()) {
      this.skip = 0;
      return this.prev();
    }
    return this.last();
  }

  /** Positions a table cursor relative to `rowid`. */
  seekRowid(rowid: Rowid, op: SeekOp = 'eq'): boolean {
    this.requireTable();
    this.skip = 0;
    switch (op) {
      case 'eq': {
        const exact = this.descendRowid(rowid, false);
        this.state = exact ? STATE_VALID : STATE_INVALID;
        if (typeof rowid === 'number') {
          this.seekedAt = this.tree.changes;
          this.seekedRowid = rowid;
          this.seekedExact = exact;
        }
        return exact;
      }
      case 'ge':
        this.descendRowid(rowid, false);
        return this.settleForward();
      case 'gt':
        this.descendRowid(rowid, true);
        return this.settleForward();
      case 'le':
        this.descendRowid(rowid, true);
        return this.settleBackward();
      case 'lt':
        this.descendRowid(rowid, false);
        return this.settleBackward();
    }
  }

  /** Positions an index cursor relative to the record `key` (possibly a prefix of the entries). */
  seek(key: Uint8Array, op: SeekOp = 'ge'): boolean {
    this.requireIndex();
    this.skip = 0;
    const fields = recordFieldCount(key);
    switch (op) {
      case 'eq': {
        this.descendKey(key, fields, false, false);
        if (!this.settleForward()) return false;
        if (this.compareCurrent(key, fields) === 0) return true;
        return this.setInvalid();
      }
      case 'ge':
        this.descendKey(key, fields, false, false);
        return this.settleForward();
      case 'gt':
        this.descendKey(key, fields, true, false);
        return this.settleForward();
      case 'le':
        this.descendKey(key, fields, true, false);
        return this.settleBackward();
      case 'lt':
        this.descendKey(key, fields, false, false);
        return this.settleBackward();
    }
  }

  private compareCurrent(key: Uint8Array, fields: number): number {
    this.searchKey.unpack(key, 0, key.length, fields);
    return this.compareEntry(this.depth, this.index[this.depth]);
  }

  private requireTable(): void {
    if (!this.isTable) throw new SqliteError('not a table cursor', 'SQLITE_MISUSE');
  }

  private requireIndex(): void {
    if (this.isTable) throw new SqliteError('not an index cursor', 'SQLITE_MISUSE');
  }

  // ---- reading -------------------------------------------------------------

  private currentCell(): CellInfo {
    if (this.state === STATE_SAVED) this.restore();
    if (this.state !== STATE_VALID) throw new SqliteError('cursor is not on an entry', 'SQLITE_MISUSE');
    const level = this.depth;
    const page = this.pages[level];
    const i = this.index[level];
    if (i === this.currentIndex && page === this.currentPage) return this.current;
    parseCell(page, this.cellOffset(level, i), this.flags[level], this.geometry, this.current);
    this.currentPage = page;
    this.currentIndex = i;
    return this.current;
  }

  /** Rowid of the current row (table cursors). */
  get rowid(): Rowid {
    this.requireTable();
    return this.currentCell().key;
  }

  /** Size in bytes of the current entry's record. */
  get payloadSize(): number {
    return this.currentCell().payloadSize;
  }

  /** The current entry's record bytes; valid until the cursor moves or the tree changes. */
  payload(): Uint8Array {
    const info = this.currentCell();
    const page = this.pages[this.depth];
    if (info.overflowPage === 0) return page.subarray(info.payloadOffset, info.payloadOffset + info.payloadSize);
    return this.assemblePayload(page, info).subarray(0, info.payloadSize);
  }

  /** A RecordReader over the current entry's record; same validity as `payload()`. */
  record(): RecordReader {
    const info = this.currentCell();
    const page = this.pages[this.depth];
    if (info.overflowPage === 0) return this.reader.reset(page, info.payloadOffset, info.payloadOffset + info.payloadSize);
    return this.reader.reset(this.assemblePayload(page, info), 0, info.payloadSize);
  }

  private assemblePayload(page: Uint8Array, info: CellInfo): Uint8Array {
    const store = this.tree.store;
    const geometry = this.tree.geometry;
    checkPayloadFits(store, geometry, info.payloadSize, info.localSize);
    if (this.overflowBuffer.length < info.payloadSize) this.overflowBuffer = new Uint8Array(Math.max(info.payloadSize, this.overflowBuffer.length * 2));
    const out = this.overflowBuffer;
    copyBytes(out, 0, page, info.payloadOffset, info.localSize);
    readOverflow(store, geometry, info.overflowPage, info.payloadSize - info.localSize, out, info.localSize);
    return out;
  }

  // ---- saving and restoring positions ---------------------------------------

  /** @internal Saves the position as a key; the next use re-seeks. */
  savePosition(): void {
    this.seekedAt = -1;
    if (this.state !== STATE_VALID) return;
    if (this.isTable) this.savedRowid = this.currentRowid();
    else this.savedKey = this.payload().slice();
    this.state = STATE_SAVED;
  }

  /** The rowid of the current table entry, read straight from its cell. */
  private currentRowid(): Rowid {
    const level = this.depth;
    if (isLeafType(this.flags[level])) {
      const pointers = headerOffset(this.pgnos[level]) + 8;
      const key = rowidKeyAt(this.pages[level], pointers, this.index[level], true, this.geometry.usableSize);
      if (key === key) return key;
    }
    return this.currentCell().key;
  }

  private restore(): void {
    this.skip = 0;
    let onEntry: boolean;
    let exact: boolean;
    if (this.isTable) {
      exact = this.descendRowid(this.savedRowid, false);
      onEntry = this.settleForward();
    } else {
      const key = this.savedKey;
      this.descendKey(key, Number.MAX_SAFE_INTEGER, false, false);
      onEntry = this.settleForward();
      exact = onEntry && this.compareCurrent(key, Number.MAX_SAFE_INTEGER) === 0;
    }
    if (onEntry) {
      this.skip = exact ? 0 : 1;
      return;
    }
    if (this.last()) this.skip = -1;
  }

  // ---- writing ---------------------------------------------------------------

  /** Builds a leaf cell for a payload in the tree's cell buffer; returns its length. */
  private buildLeafCell(rowid: Rowid | null, payload: Uint8Array): number {
    const tree = this.tree;
    const geometry = tree.geometry;
    const cell = tree.cellBuffer;
    const size = payload.length;
    let pos = writeVarint(cell, 0, size);
    if (rowid !== null) pos += writeVarint(cell, pos, rowid);
    const local = geometry.localSize(size, rowid !== null);
    copyBytes(cell, pos, payload, 0, local);
    pos += local;
    if (local < size) {
      const first = writeOverflow(tree.store, tree.freelist, geometry, payload, local, size - local);
      writeUint32(cell, pos, first);
      pos += 4;
    }
    return pos;
  }

  /** Inserts or replaces the row `rowid` (table cursors). */
  insertRow(rowid: Rowid, record: Uint8Array): void {
    this.requireTable();
    if (typeof rowid === 'bigint' && rowid >= -9007199254740991n && rowid <= 9007199254740991n) rowid = Number(rowid);
    const onSlot = this.seekedAt === this.tree.changes && this.seekedRowid === rowid;
    this.tree.beginChange(this.root, this);
    let exact: boolean;
    if (onSlot) {
      this.seekedAt = -1;
      this.currentIndex = -1;
      exact = this.seekedExact;
    } else {
      exact = this.descendRowid(rowid, false);
    }
    this.insertAtLeaf(exact, this.buildLeafCell(rowid, record));
    if (this.state !== STATE_VALID) {
      this.savedRowid = rowid;
      this.state = STATE_SAVED;
    }
    this.noteAppendPosition();
  }

  /** Inserts the index entry `record`, replacing an entry equal in every column (index cursors). */
  insertKey(record: Uint8Array): void {
    this.requireIndex();
    this.tree.beginChange(this.root, this);
    const exactCode = this.descendKey(record, Number.MAX_SAFE_INTEGER, false, true);
    const length = this.buildLeafCell(null, record);
    if (exactCode === 0 && !this.isLeaf()) {
      this.replaceInteriorEntry(length);
    } else {
      this.insertAtLeaf(exactCode === 0, length);
    }
    if (this.state !== STATE_VALID) {
      this.savedKey = record.slice();
      this.state = STATE_SAVED;
    }
  }

  /** Frees the overflow chain of the cell at (level, i), if any; returns the cell's size. */
  private releaseCell(level: number, i: number): number {
    const tree = this.tree;
    const info = parseCell(this.pages[level], this.cellOffset(level, i), this.flags[level], tree.geometry, this.cell);
    if (info.overflowPage !== 0) freeOverflow(tree.store, tree.freelist, tree.geometry, info.overflowPage, info.payloadSize - info.localSize);
    return info.size;
  }

  /** Puts the cell in the cell buffer at the cursor's leaf slot, replacing the entry there when `replace`. */
  private insertAtLeaf(replace: boolean, length: number): void {
    const tree = this.tree;
    const geometry = tree.geometry;
    const level = this.depth;
    const pgno = this.pgnos[level];
    const flags = this.flags[level];
    const slot = this.index[level];
    const page = this.store.writable(pgno);
    this.pages[level] = page;
    const cell = tree.cellBuffer;
    if (replace) {
      const oldSize = this.releaseCell(level, slot);
      const offset = this.cellOffset(level, slot);
      if (oldSize === (length < 4 ? 4 : length)) {
        copyBytes(page, offset, cell, 0, length);
        this.state = STATE_VALID;
        return;
      }
      dropCell(page, pgno, flags, slot, oldSize, geometry);
      this.counts[level]--;
    }
    if (insertCell(page, pgno, flags, slot, cell, 0, length, geometry, tree.scratch)) {
      this.counts[level]++;
      this.state = STATE_VALID;
      return;
    }
    this.state = STATE_INVALID;
    if (flags === PAGE_TABLE_LEAF && level > 0 && slot === this.counts[level] && this.index[level - 1] === this.counts[level - 1]) {
      this.appendQuick(length);
      return;
    }
    const balancer = tree.balancer;
    balancer.begin(this.pgnos, this.index, level);
    const held = balancer.takeList();
    balancer.loadCells(pgno, held);
    held.insert(slot, cell, 0, length);
    balancer.setPending(level, held, 0, flags);
    balancer.run();
  }

  /**
   * balance_quick: a row appended past the end of the right-most leaf goes
   * alone onto a new right-most leaf, so sequential inserts leave full pages.
   * The parent gains one divider (the old leaf's largest rowid) and the new
   * leaf as its right child; when the parent has no room for the divider it
   * is rebalanced as usual. The cursor ends on the new row when the parent
   * took the divider in place.
   */
  private appendQuick(length: number): void {
    const tree = this.tree;
    const store = this.store;
    const geometry = this.geometry;
    const level = this.depth;
    const leafPgno = this.pgnos[level];
    const leaf = this.pages[level];
    const newPgno = tree.freelist.allocate();
    const newPage = store.writable(newPgno);
    const single = this.singleCell;
    single.clear();
    single.push(tree.cellBuffer, 0, length);
    buildPage(newPage, newPgno, PAGE_TABLE_LEAF, single, 0, 1, 0, geometry);

    const lastOffset = this.cellOffset(level, this.counts[level] - 1);
    const keyAt = lastOffset + varintLength(leaf, lastOffset);
    const keyLength = varintLength(leaf, keyAt);
    const divider = this.dividerBuffer;
    writeUint32(divider, 0, leafPgno);
    copyBytes(divider, 4, leaf, keyAt, keyLength);
    const dividerLength = 4 + keyLength;

    const parentLevel = level - 1;
    const parentPgno = this.pgnos[parentLevel];
    const parentFlags = this.flags[parentLevel];
    const parentSlot = this.counts[parentLevel];
    const parent = store.writable(parentPgno);
    this.pages[parentLevel] = parent;
    if (insertCell(parent, parentPgno, parentFlags, parentSlot, divider, 0, dividerLength, geometry, tree.scratch)) {
      writeUint32(parent, headerOffset(parentPgno) + 8, newPgno);
      this.counts[parentLevel] = parentSlot + 1;
      this.index[parentLevel] = parentSlot + 1;
      this.pgnos[level] = newPgno;
      this.pages[level] = newPage;
      this.flags[level] = PAGE_TABLE_LEAF;
      this.counts[level] = 1;
      this.index[level] = 0;
      this.state = STATE_VALID;
      return;
    }
    const balancer = tree.balancer;
    balancer.begin(this.pgnos, this.index, parentLevel);
    const cells = balancer.takeList();
    balancer.loadCells(parentPgno, cells);
    cells.push(divider, 0, dividerLength);
    balancer.setPending(parentLevel, cells, newPgno, parentFlags);
    balancer.run();
  }

  /** Replaces the interior index entry under the cursor with the cell in the cell buffer. */
  private replaceInteriorEntry(length: number): void {
    const tree = this.tree;
    const level = this.depth;
    const pgno = this.pgnos[level];
    const slot = this.index[level];
    const oldSize = this.releaseCell(level, slot);
    const child = readUint32(this.pages[level], this.cellOffset(level, slot));
    const cell = new Uint8Array(length + 4);
    writeUint32(cell, 0, child);
    cell.set(tree.cellBuffer.subarray(0, length), 4);
    const page = tree.store.writable(pgno);
    this.pages[level] = page;
    dropCell(page, pgno, this.flags[level], slot, oldSize, tree.geometry);
    this.state = STATE_INVALID;
    const balancer = tree.balancer;
    balancer.begin(this.pgnos, this.index, level);
    if (!insertCell(page, pgno, this.flags[level], slot, cell, 0, cell.length, tree.geometry, tree.scratch)) {
      const cells = balancer.takeList();
      const flags = balancer.loadCells(pgno, cells);
      const right = balancer.lastLoadedRight;
      const held = balancer.takeList();
      held.pushRange(cells, 0, slot);
      held.push(cell, 0, cell.length);
      held.pushRange(cells, slot, cells.count);
      balancer.setPending(level, held, right, flags);
    } else {
      balancer.touch(level);
    }
    balancer.run();
  }

  /** Deletes the current entry. */
  delete(): void {
    if (this.state === STATE_SAVED) {
      this.restore();
      if (this.state === STATE_VALID && this.skip !== 0) throw new SqliteError('cursor entry was already deleted', 'SQLITE_MISUSE');
    }
    if (this.state !== STATE_VALID) throw new SqliteError('cursor is not on an entry', 'SQLITE_MISUSE');
    const tree = this.tree;
    const geometry = tree.geometry;
    tree.beginChange(this.root, this);
    if (this.isTable) this.savedRowid = this.currentCell().key;
    else this.savedKey = this.payload().slice();

    let level = this.depth;
    const balancer = tree.balancer;
    if (this.isLeaf()) {
      const pgno = this.pgnos[level];
      const size = this.releaseCell(level, this.index[level]);
      const page = tree.store.writable(pgno);
      dropCell(page, pgno, this.flags[level], this.index[level], size, geometry);
      this.state = STATE_SAVED;
      if (level === 0) return;
      const remaining = this.counts[level] - 1;
      if (remaining > 0 && freeBytes(page, pgno, this.flags[level], geometry) <= Math.floor((geometry.usableSize * 2) / 3)) return;
      balancer.begin(this.pgnos, this.index, level);
      balancer.touch(level);
      balancer.run();
      return;
    }

    // Interior index entry: replace it with its predecessor (the last entry of its left subtree).
    const interiorLevel = level;
    const interiorPgno = this.pgnos[interiorLevel];
    const interiorFlags = this.flags[interiorLevel];
    const slot = this.index[interiorLevel];
    const oldSize = this.releaseCell(interiorLevel, slot);
    const child = readUint32(this.pages[interiorLevel], this.cellOffset(interiorLevel, slot));
    this.moveToChild(slot);
    this.moveToRightmost();
    level = this.depth;
    const leafPgno = this.pgnos[level];
    const leafSlot = this.index[level];
    const leafInfo = parseCell(this.pages[level], this.cellOffset(level, leafSlot), this.flags[level], geometry, this.cell);
    const leafCellOffset = this.cellOffset(level, leafSlot);
    const leafCellSize = leafInfo.size;
    const leafCellLength = leafInfo.payloadOffset - leafCellOffset + leafInfo.localSize + (leafInfo.overflowPage !== 0 ? 4 : 0);
    const replacement = new Uint8Array(leafCellLength + 4);
    writeUint32(replacement, 0, child);
    replacement.set(this.pages[level].subarray(leafCellOffset, leafCellOffset + leafCellLength), 4);

    balancer.begin(this.pgnos, this.index, level);
    const interiorPage = tree.store.writable(interiorPgno);
    dropCell(interiorPage, interiorPgno, interiorFlags, slot, oldSize, geometry);
    if (insertCell(interiorPage, interiorPgno, interiorFlags, slot, replacement, 0, replacement.length, geometry, tree.scratch)) {
      balancer.touch(interiorLevel);
    } else {
      const cells = balancer.takeList();
      balancer.loadCells(interiorPgno, cells);
      const right = balancer.lastLoadedRight;
      const held = balancer.takeList();
      held.pushRange(cells, 0, slot);
      held.push(replacement, 0, replacement.length);
      held.pushRange(cells, slot, cells.count);
      balancer.setPending(interiorLevel, held, right, interiorFlags);
    }
    const leafPage = tree.store.writable(leafPgno);
    dropCell(leafPage, leafPgno, this.flags[level], leafSlot, leafCellSize, geometry);
    balancer.touch(level);
    balancer.run();
    this.state = STATE_SAVED;
  }
}

/**
 * Where the rowid varint of cell `i` starts, on a table leaf (after the
 * payload-size varint) or a table interior page (after the child pointer).
 */
function rowidOffsetAt(page: Uint8Array, pointers: number, i: number, leaf: boolean, usable: number): number {
  const offset = (page[pointers + 2 * i] << 8) | page[pointers + 2 * i + 1];
  if (offset + 4 > usable) throw corruptError('cell offset out of range');
  if (!leaf) return offset + 4;
  let n = 0;
  while (n < 8 && page[offset + n] >= 0x80) n++;
  return offset + n + 1;
}

/**
 * The rowid of cell `i` as a number when its varint has at most 7 bytes
 * (49 bits, exact in number arithmetic), NaN otherwise.
 */
function rowidKeyAt(page: Uint8Array, pointers: number, i: number, leaf: boolean, usable: number): number {
  const offset = rowidOffsetAt(page, pointers, i, leaf, usable);
  let key = 0;
  for (let n = 0; n < 7; n++) {
    const byte = page[offset + n];
    key = key * 128 + (byte & 0x7f);
    if (byte < 0x80) return key;
  }
  return NaN;
}

/**
 * Compares the rowid of cell `i` (table leaf or interior page whose cell
 * pointers start at `pointers`) with `rowid`: negative when the cell's key is
 * smaller, 0 when equal, positive when larger. Keys of up to 7 varint bytes
 * (49 bits) decode exactly in number arithmetic; longer ones go through the
 * general varint reader.
 */
function compareRowidAt(page: Uint8Array, pointers: number, i: number, leaf: boolean, rowid: Rowid, usable: number): number {
  const offset = rowidOffsetAt(page, pointers, i, leaf, usable);
  if (typeof rowid === 'number') {
    let key = 0;
    for (let n = 0; n < 7; n++) {
      const byte = page[offset + n];
      key = key * 128 + (byte & 0x7f);
      if (byte < 0x80) return key - rowid;
    }
  }
  const wide = readVarint(page, offset);
  return wide < rowid ? -1 : wide > rowid ? 1 : 0;
}

/**
 * BulkLoader: builds a tree from entries supplied in strictly increasing key
 * order (rowids for tables, records under the KeyInfo for indexes), the fast
 * path for INSERT ... SELECT into an empty table and for CREATE INDEX.
 *
 * Leaves are filled completely from left to right; each full page is
 * written once and its divider goes to the level above, whose pages fill the
 * same way (an interior page that cannot take the next child's divider takes
 * that child as its right child and passes the divider up). For tables the
 * divider is the page's largest rowid; for indexes the entry that did not
 * fit a leaf moves up as the divider. `finish()` closes every level, builds
 * the top level directly in the root page, so the root page number stays the
 * same, and then rebalances the right edge, where the last page of a level
 * can be left without cells. On page 1 a top level that does not fit becomes
 * the only child of an interior root with no cells, which is valid. The tree
 * must be empty when loading starts; keys out of order raise SQLITE_MISUSE.
 */
import { SqliteError } from '../sqlite-error.js';
import type { BTree } from './btree.js';
import { interiorTypeOf } from './balance.js';
import { writeOverflow } from './overflow.js';
import { buildPage, CellList, copyBytes, pageCapacity } from './page-edit.js';
import {
  cellCount,
  checkPageHeader,
  headerOffset,
  isLeafType,
  isTableType,
  MAX_TREE_DEPTH,
  PAGE_INDEX_LEAF,
  PAGE_TABLE_LEAF,
  rightChild,
} from './page-format.js';
import { compareRecordRanges, KeyInfo } from './record-compare.js';
import type { Rowid } from './cursor.js';
import { varintLength, writeUint32, writeVarint } from './varint.js';

/** The page being filled at one level of the tree under construction. */
class LevelBuilder {
  readonly cells = new CellList();
  readonly arena: Uint8Array;
  used = 0;
  space = 0;

  constructor(pageSize: number) {
    this.arena = new Uint8Array(pageSize);
  }

  reset(): void {
    this.cells.clear();
    this.used = 0;
    this.space = 0;
  }

  /** Bytes a cell of `length` bytes adds to the page, pointer included. */
  static spaceFor(length: number): number {
    return (length < 4 ? 4 : length) + 2;
  }

  /** Copies `prefixChild` (when non-zero, as a u32 left-child pointer) and a cell body into the page. */
  append(prefixChild: number, source: Uint8Array, offset: number, length: number): void {
    const start = this.used;
    let at = start;
    if (prefixChild !== 0) {
      writeUint32(this.arena, at, prefixChild);
      at += 4;
    }
    copyBytes(this.arena, at, source, offset, length);
    at += length;
    this.cells.push(this.arena, start, at - start);
    this.used = at;
    this.space += LevelBuilder.spaceFor(at - start);
  }
}

export class BulkLoader {
  private readonly tree: BTree;
  private readonly root: number;
  private readonly isTable: boolean;
  private readonly keyInfo: KeyInfo;
  private readonly leafType: number;
  private readonly interiorType: number;
  private readonly levels: LevelBuilder[] = [];
  private readonly cell: Uint8Array;
  private readonly capacityLeaf: number;
  private readonly capacityInterior: number;
  private previousRowid: Rowid | null = null;
  private previousKey = new Uint8Array(64);
  private previousKeyLength = -1;
  private finished = false;

  /** Starts loading into the empty tree rooted at `root` (index trees ordered by `keyInfo`). */
  constructor(tree: BTree, root: number, keyInfo: KeyInfo = KeyInfo.BINARY) {
    this.tree = tree;
    this.root = root;
    this.keyInfo = keyInfo;
    const page = tree.store.page(root);
    const flags = checkPageHeader(page, root, tree.geometry);
    if (!isLeafType(flags) || cellCount(page, headerOffset(root)) !== 0) {
      throw new SqliteError('bulk load needs an empty tree', 'SQLITE_MISUSE');
    }
    this.isTable = isTableType(flags);
    this.leafType = this.isTable ? PAGE_TABLE_LEAF : PAGE_INDEX_LEAF;
    this.interiorType = interiorTypeOf(this.leafType);
    this.cell = new Uint8Array(tree.store.pageSize);
    this.capacityLeaf = tree.geometry.usableSize - 8;
    this.capacityInterior = tree.geometry.usableSize - 12;
    tree.beginChange(root, null);
    this.levels.push(new LevelBuilder(tree.store.pageSize));
  }

  private buildCell(rowid: Rowid | null, payload: Uint8Array): number {
    const tree = this.tree;
    const geometry = tree.geometry;
    const cell = this.cell;
    let pos = writeVarint(cell, 0, payload.length);
    if (rowid !== null) pos += writeVarint(cell, pos, rowid);
    const local = geometry.localSize(payload.length, rowid !== null);
    copyBytes(cell, pos, payload, 0, local);
    pos += local;
    if (local < payload.length) {
      writeUint32(cell, pos, writeOverflow(tree.store, tree.freelist, geometry, payload, local, payload.length - local));
      pos += 4;
    }
    return pos;
  }

  private checkOpen(table: boolean): void {
    if (this.finished) throw new SqliteError('bulk load already finished', 'SQLITE_MISUSE');
    if (table !== this.isTable) throw new SqliteError(table ? 'not a table tree' : 'not an index tree', 'SQLITE_MISUSE');
  }

  /** Appends a row (table trees); rowids must increase strictly. */
  addRow(rowid: Rowid, record: Uint8Array): void {
    this.checkOpen(true);
    if (typeof rowid === 'bigint' && rowid >= -9007199254740991n && rowid <= 9007199254740991n) rowid = Number(rowid);
    if (this.previousRowid !== null && rowid <= this.previousRowid) throw new SqliteError('bulk load rowids out of order', 'SQLITE_MISUSE');
    this.previousRowid = rowid;
    const length = this.buildCell(rowid, record);
    const leaf = this.levels[0];
    if (leaf.space + LevelBuilder.spaceFor(length) > this.capacityLeaf) {
      const last = leaf.cells.count - 1;
      const buffer = leaf.cells.buffers[last];
      const keyAt = leaf.cells.offsets[last] + varintLength(buffer, leaf.cells.offsets[last]);
      const divider = buffer.slice(keyAt, keyAt + varintLength(buffer, keyAt));
      const pgno = this.writePage(0, 0);
      this.addChild(1, pgno, divider);
    }
    leaf.append(0, this.cell, 0, length);
  }

  /** Appends an index entry (index trees); entries must increase strictly under the KeyInfo. */
  addKey(record: Uint8Array): void {
    this.checkOpen(false);
    if (this.previousKeyLength >= 0) {
      if (compareRecordRanges(this.previousKey, 0, this.previousKeyLength, record, 0, record.length, this.keyInfo, Number.MAX_SAFE_INTEGER) >= 0) {
        throw new SqliteError('bulk load keys out of order', 'SQLITE_MISUSE');
      }
    }
    if (this.previousKey.length < record.length) this.previousKey = new Uint8Array(record.length * 2);
    this.previousKey.set(record);
    this.previousKeyLength = record.length;
    const length = this.buildCell(null, record);
    const leaf = this.levels[0];
    if (leaf.cells.count > 0 && leaf.space + LevelBuilder.spaceFor(length) > this.capacityLeaf) {
      const pgno = this.writePage(0, 0);
      this.addChild(1, pgno, this.cell.slice(0, length));
      return;
    }
    leaf.append(0, this.cell, 0, length);
  }

  /** Gives level `n` a child page and the divider body that follows it. */
  private addChild(n: number, child: number, divider: Uint8Array): void {
    if (n >= MAX_TREE_DEPTH) throw new SqliteError('bulk load tree too deep', 'SQLITE_FULL');
    if (this.levels[n] === undefined) this.levels.push(new LevelBuilder(this.tree.store.pageSize));
    const level = this.levels[n];
    if (level.space + LevelBuilder.spaceFor(4 + divider.length) > this.capacityInterior) {
      const pgno = this.writePage(n, child);
      this.addChild(n + 1, pgno, divider);
      return;
    }
    level.append(child, divider, 0, divider.length);
  }

  /** Writes level `n`'s page to a new page and starts a new one; returns the page number. */
  private writePage(n: number, right: number): number {
    const tree = this.tree;
    const level = this.levels[n];
    const pgno = tree.freelist.allocate();
    buildPage(tree.store.writable(pgno), pgno, n === 0 ? this.leafType : this.interiorType, level.cells, 0, level.cells.count, right, tree.geometry);
    level.reset();
    return pgno;
  }

  /** Closes every level into the root, then rebalances the right edge. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const tree = this.tree;
    const root = this.root;
    let child = 0;
    for (let n = 0; n < this.levels.length; n++) {
      const level = this.levels[n];
      const flags = n === 0 ? this.leafType : this.interiorType;
      if (n < this.levels.length - 1) {
        child = this.writePage(n, child);
        continue;
      }
      if (level.space <= pageCapacity(root, flags, tree.geometry)) {
        buildPage(tree.store.writable(root), root, flags, level.cells, 0, level.cells.count, child, tree.geometry);
      } else {
        const top = this.writePage(n, child);
        buildPage(tree.store.writable(root), root, this.interiorType, new CellList(), 0, 0, top, tree.geometry);
      }
    }
    this.repairRightEdge();
  }

  /** Rebalances the deepest page without cells on the right-most path, until none is left. */
  private repairRightEdge(): void {
    const tree = this.tree;
    const pgnos: number[] = [];
    const childIndex: number[] = [];
    for (let attempt = 0; attempt <= MAX_TREE_DEPTH; attempt++) {
      let pgno = this.root;
      let emptyLevel = -1;
      for (let depth = 0; ; depth++) {
        const page = tree.store.page(pgno);
        const flags = checkPageHeader(page, pgno, tree.geometry);
        const count = cellCount(page, headerOffset(pgno));
        pgnos[depth] = pgno;
        childIndex[depth] = count;
        if (depth > 0 && count === 0) emptyLevel = depth;
        if (isLeafType(flags)) break;
        pgno = rightChild(page, headerOffset(pgno));
      }
      if (emptyLevel < 0) return;
      const balancer = tree.balancer;
      balancer.begin(pgnos, childIndex, emptyLevel);
      balancer.touch(emptyLevel);
      balancer.run();
    }
  }
}

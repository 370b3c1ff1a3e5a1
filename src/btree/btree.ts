/**
 * BTree: the table and index B-trees of one database, on top of a PageStore.
 *
 * It owns tree creation and removal, page allocation through the freelist,
 * and the registry of open cursors. Trees are named by their root page
 * number, which never changes for the life of a tree. A table tree (intkey)
 * maps 64-bit rowids to record payloads; an index tree holds records ordered
 * by `compareRecords` under the index's KeyInfo.
 *
 * Cursor safety: before any change to a tree, every other open cursor on
 * that tree saves its position as a key (rowid or a copy of the index
 * record) and re-seeks on its next use, so a loop reading through one cursor
 * may modify the same tree through another. `saveAllCursors()` does the same
 * for every cursor, for callers about to roll pages back. `lastChange(root)`
 * stamps each tree's latest change, so a cursor can tell that a tree is
 * unchanged since it last looked (together with the store's `generation`).
 *
 * Walks over whole trees (drop, clear) are bounded: each page may be reached
 * once, depth is limited, and anything else raises SQLITE_CORRUPT.
 */
import { corruptError, SqliteError } from '../sqlite-error.js';
import type { PageStore } from '../pager/page-store.js';
import { TreeBalancer } from './balance.js';
import { Cursor } from './cursor.js';
import { Freelist } from './freelist.js';
import { freeOverflow } from './overflow.js';
import {
  CellInfo,
  cellCount,
  cellPointer,
  checkPageHeader,
  headerOffset,
  isLeafType,
  isTableType,
  MAX_TREE_DEPTH,
  PAGE_INDEX_LEAF,
  PAGE_TABLE_LEAF,
  PageGeometry,
  parseCell,
  rightChild,
} from './page-format.js';
import { KeyInfo } from './record-compare.js';
import { readUint32, writeUint16 } from './varint.js';

/** Header offset of the largest root page in auto-vacuum mode (0 when auto-vacuum is off). */
const AUTO_VACUUM_OFFSET = 52;

/** The two kinds of B-tree. */
export type TreeKind = 'table' | 'index';

export class BTree {
  readonly store: PageStore;
  readonly geometry: PageGeometry;
  readonly freelist: Freelist;
  /** @internal Rebalancing engine shared by all cursors of this BTree. */
  readonly balancer: TreeBalancer;
  /** @internal A page-sized buffer for defragmenting pages. */
  readonly scratch: Uint8Array;
  /** @internal A page-sized buffer for new cells. */
  readonly cellBuffer: Uint8Array;
  private readonly cursors = new Map<number, Set<Cursor>>();
  /** @internal Counts `beginChange` and `saveAllCursors` calls: a cursor position noted at one count holds while it is unchanged. */
  changes = 0;
  /** The value of `changes` at each tree's latest `beginChange` (absent: none since the last `saveAllCursors`). */
  private readonly lastChanges = new Map<number, number>();

  constructor(store: PageStore) {
    this.store = store;
    this.geometry = new PageGeometry(store.usableSize, store.pageSize);
    this.freelist = new Freelist(store);
    this.scratch = new Uint8Array(store.pageSize);
    this.cellBuffer = new Uint8Array(store.pageSize);
    this.balancer = new TreeBalancer(store, this.freelist, this.geometry);
  }

  /** Creates an empty tree and returns its root page number. */
  createTree(kind: TreeKind): number {
    this.checkWritable();
    const pgno = this.freelist.allocate();
    this.initializeEmptyPage(pgno, kind === 'table' ? PAGE_TABLE_LEAF : PAGE_INDEX_LEAF);
    return pgno;
  }

  /** Writes an empty leaf of type `flags` onto page `pgno` (page 1 keeps its database header). */
  initializeEmptyPage(pgno: number, flags: number): void {
    const page = this.store.writable(pgno);
    const hdr = headerOffset(pgno);
    page.fill(0, hdr, this.geometry.usableSize);
    page[hdr] = flags;
    const usable = this.geometry.usableSize;
    writeUint16(page, hdr + 5, usable === 65536 ? 0 : usable);
  }

  /** Opens a cursor on the table tree rooted at `root`. */
  openTableCursor(root: number): Cursor {
    return this.register(new Cursor(this, root, true, KeyInfo.BINARY));
  }

  /** Opens a cursor on the index tree rooted at `root`, ordered by `keyInfo`. */
  openIndexCursor(root: number, keyInfo: KeyInfo = KeyInfo.BINARY): Cursor {
    return this.register(new Cursor(this, root, false, keyInfo));
  }

  private register(cursor: Cursor): Cursor {
    let set = this.cursors.get(cursor.root);
    if (set === undefined) {
      set = new Set();
      this.cursors.set(cursor.root, set);
    }
    set.add(cursor);
    return cursor;
  }

  /** @internal Called by `Cursor.close()`. */
  unregister(cursor: Cursor): void {
    const set = this.cursors.get(cursor.root);
    if (set === undefined) return;
    set.delete(cursor);
    if (set.size === 0) this.cursors.delete(cursor.root);
  }

  /**
   * @internal Called before every change to tree `root`: refuses databases
   * this layer cannot keep consistent (auto-vacuum pointer maps), then saves
   * the position of every other cursor on the tree.
   */
  beginChange(root: number, except: Cursor | null): void {
    this.checkWritable();
    this.lastChanges.set(root, ++this.changes);
    const set = this.cursors.get(root);
    if (set === undefined) return;
    for (const cursor of set) if (cursor !== except) cursor.savePosition();
  }

  /**
   * @internal A stamp of tree `root`'s latest change through this BTree: it
   * differs from every earlier stamp once the tree changes (or
   * `saveAllCursors` runs), and is 0 while neither happened.
   */
  lastChange(root: number): number {
    return this.lastChanges.get(root) ?? 0;
  }

  /** Throws unless this layer can write the database (auto-vacuum files keep pointer maps it does not maintain). */
  checkWritable(): void {
    if (readUint32(this.store.page(1), AUTO_VACUUM_OFFSET) !== 0) {
      throw new SqliteError('writing auto-vacuum databases is not supported', 'SQLITE_READONLY');
    }
  }

  /** Saves every open cursor's position (call before rolling pages back). */
  saveAllCursors(): void {
    this.changes++;
    this.lastChanges.clear();
    for (const set of this.cursors.values()) for (const cursor of set) cursor.savePosition();
  }

  /** Removes every entry of a tree, keeping its (now empty) root page. */
  clearTree(root: number): void {
    this.beginChange(root, null);
    const flags = checkPageHeader(this.store.page(root), root, this.geometry);
    this.freeTreePages(root, false);
    this.initializeEmptyPage(root, isTableType(flags) ? PAGE_TABLE_LEAF : PAGE_INDEX_LEAF);
  }

  /** Frees every page of a tree, its root included. The tree must have no open cursors. */
  dropTree(root: number): void {
    if (root === 1) throw new SqliteError('cannot drop the schema table', 'SQLITE_MISUSE');
    const open = this.cursors.get(root);
    if (open !== undefined && open.size > 0) throw new SqliteError('database table is locked', 'SQLITE_LOCKED');
    this.checkWritable();
    this.freeTreePages(root, true);
    this.lastChanges.delete(root);
  }

  /** Frees all pages below `root` (and `root` itself when `includeRoot`). */
  private freeTreePages(root: number, includeRoot: boolean): void {
    const store = this.store;
    const geometry = this.geometry;
    const seen = new Uint8Array(store.pageCount() + 1);
    const toFree: number[] = [];
    const overflow: { first: number; bytes: number }[] = [];
    const info = new CellInfo();
    const stack: { pgno: number; depth: number }[] = [{ pgno: root, depth: 0 }];
    while (stack.length > 0) {
      const { pgno, depth } = stack.pop() as { pgno: number; depth: number };
      if (pgno < 1 || pgno > store.pageCount() || seen[pgno] === 1) throw corruptError(`bad page reference ${pgno} in tree ${root}`);
      if (depth >= MAX_TREE_DEPTH) throw corruptError(`tree ${root} too deep`);
      seen[pgno] = 1;
      const page = store.page(pgno);
      const flags = checkPageHeader(page, pgno, geometry);
      const hdr = headerOffset(pgno);
      const count = cellCount(page, hdr);
      for (let i = 0; i < count; i++) {
        parseCell(page, cellPointer(page, hdr, flags, i), flags, geometry, info);
        if (info.overflowPage !== 0) overflow.push({ first: info.overflowPage, bytes: info.payloadSize - info.localSize });
        if (!isLeafType(flags)) stack.push({ pgno: info.childPage, depth: depth + 1 });
      }
      if (!isLeafType(flags)) stack.push({ pgno: rightChild(page, hdr), depth: depth + 1 });
      if (pgno !== root || includeRoot) toFree.push(pgno);
    }
    for (const chain of overflow) freeOverflow(store, this.freelist, geometry, chain.first, chain.bytes);
    for (const pgno of toFree) this.freelist.free(pgno);
  }
}

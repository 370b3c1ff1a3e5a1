/**
 * The freelist: pages no tree uses, kept for reuse.
 *
 * Page 1's header holds the first trunk page (offset 32) and the total number
 * of freelist pages, trunks included (offset 36). A trunk page holds the next
 * trunk (u32), a leaf count (u32) and that many leaf page numbers. Freeing a
 * page appends it as a leaf of the first trunk while that trunk has room
 * (usableSize/4 - 8 leaves, the limit SQLite writes for compatibility with
 * old readers), otherwise the page becomes the new first trunk. Allocation
 * takes the first trunk's last leaf, or the trunk itself when it has none,
 * and grows the file with `growByOnePage()` only when the freelist is empty.
 * Leaf pages' contents are never read or written while they are free.
 *
 * Every walk is bounded by the page count; a trunk or leaf number outside
 * the file, an oversized leaf count, or a count that disagrees with the chain
 * raises SQLITE_CORRUPT.
 */
import { corruptError } from '../sqlite-error.js';
import type { PageStore } from '../pager/page-store.js';
import { readUint32, writeUint32 } from './varint.js';

const FIRST_TRUNK_OFFSET = 32;
const FREE_COUNT_OFFSET = 36;

export class Freelist {
  private readonly store: PageStore;

  constructor(store: PageStore) {
    this.store = store;
  }

  /** Total number of freelist pages (header offset 36). */
  get count(): number {
    return readUint32(this.store.page(1), FREE_COUNT_OFFSET);
  }

  /** First trunk page (header offset 32), 0 when the list is empty. */
  get firstTrunk(): number {
    return readUint32(this.store.page(1), FIRST_TRUNK_OFFSET);
  }

  private checkPageNumber(pgno: number): void {
    if (pgno < 2 || pgno > this.store.pageCount()) throw corruptError(`freelist page ${pgno} out of range`);
  }

  /** Returns a page for a new use: zero-filled and already writable. */
  allocate(): number {
    const store = this.store;
    const count = this.count;
    if (count === 0) {
      const pgno = store.growByOnePage();
      store.writable(pgno);
      return pgno;
    }
    const trunk = this.firstTrunk;
    this.checkPageNumber(trunk);
    const trunkPage = store.page(trunk);
    const leaves = readUint32(trunkPage, 4);
    if (leaves > store.usableSize / 4 - 2) throw corruptError(`freelist trunk ${trunk} has too many leaves`);
    let pgno: number;
    if (leaves > 0) {
      pgno = readUint32(trunkPage, 8 + 4 * (leaves - 1));
      this.checkPageNumber(pgno);
      if (pgno === trunk) throw corruptError('freelist leaf equals its trunk');
      writeUint32(store.writable(trunk), 4, leaves - 1);
    } else {
      const next = readUint32(trunkPage, 0);
      if (next !== 0) this.checkPageNumber(next);
      writeUint32(store.writable(1), FIRST_TRUNK_OFFSET, next);
      pgno = trunk;
    }
    writeUint32(store.writable(1), FREE_COUNT_OFFSET, count - 1);
    store.writable(pgno).fill(0);
    return pgno;
  }

  /** Puts page `pgno` on the freelist. The caller guarantees no tree refers to it any more. */
  free(pgno: number): void {
    const store = this.store;
    this.checkPageNumber(pgno);
    const count = this.count;
    const trunk = this.firstTrunk;
    if (trunk !== 0) {
      this.checkPageNumber(trunk);
      const leaves = readUint32(store.page(trunk), 4);
      if (leaves < store.usableSize / 4 - 8) {
        const trunkPage = store.writable(trunk);
        writeUint32(trunkPage, 8 + 4 * leaves, pgno);
        writeUint32(trunkPage, 4, leaves + 1);
        writeUint32(store.writable(1), FREE_COUNT_OFFSET, count + 1);
        return;
      }
    }
    const page = store.writable(pgno);
    writeUint32(page, 0, trunk);
    writeUint32(page, 4, 0);
    const header = store.writable(1);
    writeUint32(header, FIRST_TRUNK_OFFSET, pgno);
    writeUint32(header, FREE_COUNT_OFFSET, count + 1);
  }

  /**
   * Calls `visit(pgno, isTrunk)` for every freelist page, trunks first in
   * chain order. Bounded by the page count; raises SQLITE_CORRUPT when the
   * chain is malformed or its length disagrees with the header count.
   */
  forEachPage(visit: (pgno: number, isTrunk: boolean) => void): void {
    const store = this.store;
    const expected = this.count;
    const limit = store.pageCount();
    let seen = 0;
    let trunk = this.firstTrunk;
    while (trunk !== 0) {
      this.checkPageNumber(trunk);
      if (++seen > limit) throw corruptError('freelist loops');
      visit(trunk, true);
      const page = store.page(trunk);
      const leaves = readUint32(page, 4);
      if (leaves > store.usableSize / 4 - 2) throw corruptError(`freelist trunk ${trunk} has too many leaves`);
      for (let i = 0; i < leaves; i++) {
        const leaf = readUint32(page, 8 + 4 * i);
        this.checkPageNumber(leaf);
        seen++;
        visit(leaf, false);
      }
      if (seen > limit) throw corruptError('freelist loops');
      trunk = readUint32(page, 0);
    }
    if (seen !== expected) throw corruptError(`freelist size is ${seen} but should be ${expected}`);
  }
}

/**
 * Rebalancing after a cell was inserted into or removed from a page: the
 * equivalent of SQLite's balance(), balance_nonroot(), balance_deeper() and
 * balance_shallower(). (The append fast path, balance_quick, lives with the
 * insert code in cursor.ts.)
 *
 * The writer hands over the path from the root to the modified page (page
 * number and child index per level) and marks the levels it changed. A level
 * whose new content does not fit its page is "pending": its cells are held
 * as a CellList instead of being written. Walking from the deepest level up,
 * every changed non-root level that is pending or underfull (more than 2/3
 * of the usable size free) is redistributed together with up to two
 * siblings: all their cells, plus the parent's dividers when the page type
 * keeps them (index pages and table interior pages; table leaves only copy
 * the largest rowid up), are packed left to right into as few pages as
 * needed and then evened out from the right, so every page is reasonably
 * full and no page is empty. Old sibling page numbers are reused, extra pages
 * come from the freelist, surplus pages return to it. The parent's dividers
 * are replaced; if the parent no longer fits it becomes pending in turn.
 *
 * The root page number never changes: a pending root moves its content to a
 * new child and becomes an interior page with no cells (balance_deeper),
 * which the next step splits; an interior root left with no cells absorbs
 * its only child when the child fits (always, except on page 1 whose header
 * takes 100 bytes), so the tree shrinks.
 *
 * All cell bytes being moved are copies (pages are copied into a pool
 * first), so rewriting a page never clobbers cells still to be placed.
 */
import { corruptError } from '../sqlite-error.js';
import type { PageStore } from '../pager/page-store.js';
import type { Freelist } from './freelist.js';
import { buildPage, CellList, freeBytes, pageCapacity } from './page-edit.js';
import {
  cellCount,
  checkPageHeader,
  headerOffset,
  isLeafType,
  MAX_TREE_DEPTH,
  PAGE_INDEX_INTERIOR,
  PAGE_INDEX_LEAF,
  PAGE_TABLE_INTERIOR,
  PAGE_TABLE_LEAF,
  rightChild,
  type PageGeometry,
} from './page-format.js';
import { readUint32, varintLength, writeUint32 } from './varint.js';

/** Interior page type for a page type (interior types map to themselves). */
export function interiorTypeOf(flags: number): number {
  return flags === PAGE_TABLE_LEAF || flags === PAGE_TABLE_INTERIOR ? PAGE_TABLE_INTERIOR : PAGE_INDEX_INTERIOR;
}

/** Leaf page type for a page type. */
export function leafTypeOf(flags: number): number {
  return flags === PAGE_TABLE_LEAF || flags === PAGE_TABLE_INTERIOR ? PAGE_TABLE_LEAF : PAGE_INDEX_LEAF;
}

export class TreeBalancer {
  private readonly store: PageStore;
  private readonly freelist: Freelist;
  private readonly geometry: PageGeometry;
  private readonly pool: Uint8Array[] = [];
  private poolUsed = 0;

  private depth = 0;
  private readonly pgnos: number[] = [];
  private readonly childIndex: number[] = [];
  private readonly pending: (CellList | null)[] = [];
  private readonly pendingRight: number[] = [];
  private readonly pendingFlags: number[] = [];
  private readonly touched: boolean[] = [];
  private readonly sizes: number[] = [];
  private readonly ends: number[] = [];
  /** Right child of the page most recently read by `loadCells`. */
  private loadedRight = 0;

  constructor(store: PageStore, freelist: Freelist, geometry: PageGeometry) {
    this.store = store;
    this.freelist = freelist;
    this.geometry = geometry;
  }

  /** Starts an operation on the path `pgnos[0..depth]` (child index per level in `childIndex`). */
  begin(pgnos: readonly number[], childIndex: readonly number[], depth: number): void {
    this.poolUsed = 0;
    this.depth = depth;
    for (let level = 0; level <= depth; level++) {
      this.pgnos[level] = pgnos[level];
      this.childIndex[level] = childIndex[level];
      this.pending[level] = null;
      this.touched[level] = false;
    }
  }

  /** Marks a level whose page the writer changed. */
  touch(level: number): void {
    this.touched[level] = true;
  }

  /** Holds `cells` as the content of `level`'s page instead of its current bytes. */
  setPending(level: number, cells: CellList, right: number, flags: number): void {
    this.pending[level] = cells;
    this.pendingRight[level] = right;
    this.pendingFlags[level] = flags;
    this.touched[level] = true;
  }

  /** Copies page `pgno` into the pool and appends its cells to `list`; returns its page type. */
  loadCells(pgno: number, list: CellList): number {
    const source = this.store.page(pgno);
    let copy = this.pool[this.poolUsed];
    if (copy === undefined) {
      copy = new Uint8Array(this.store.pageSize);
      this.pool[this.poolUsed] = copy;
    }
    this.poolUsed++;
    copy.set(source);
    const flags = checkPageHeader(copy, pgno, this.geometry);
    this.loadedRight = isLeafType(flags) ? 0 : rightChild(copy, headerOffset(pgno));
    list.pushPageCells(copy, pgno, flags, this.geometry);
    return flags;
  }

  /** Right child read by the latest `loadCells`. */
  get lastLoadedRight(): number {
    return this.loadedRight;
  }

  /** Rebalances every changed level, deepest first, then the root. */
  run(): void {
    for (let level = this.depth; level >= 1; level--) {
      if (!this.touched[level]) continue;
      if (this.pending[level] === null && !this.isUnderfull(this.pgnos[level])) continue;
      this.balanceNonroot(level);
    }
    while (this.pending[0] !== null) this.balanceDeeper();
  }

  private isUnderfull(pgno: number): boolean {
    const page = this.store.page(pgno);
    const flags = checkPageHeader(page, pgno, this.geometry);
    return cellCount(page, headerOffset(pgno)) === 0 || freeBytes(page, pgno, flags, this.geometry) > Math.floor((this.geometry.usableSize * 2) / 3);
  }

  /** Moves the pending root content into a new child and splits that child. */
  private balanceDeeper(): void {
    if (this.depth + 1 >= MAX_TREE_DEPTH) throw corruptError('tree too deep');
    for (let level = this.depth; level >= 1; level--) {
      this.pgnos[level + 1] = this.pgnos[level];
      this.childIndex[level + 1] = this.childIndex[level];
      this.pending[level + 1] = this.pending[level];
      this.pendingRight[level + 1] = this.pendingRight[level];
      this.pendingFlags[level + 1] = this.pendingFlags[level];
      this.touched[level + 1] = this.touched[level];
    }
    const child = this.freelist.allocate();
    this.pgnos[1] = child;
    this.pending[1] = this.pending[0];
    this.pendingRight[1] = this.pendingRight[0];
    this.pendingFlags[1] = this.pendingFlags[0];
    this.touched[1] = true;
    this.childIndex[0] = 0;
    this.pending[0] = new CellList();
    this.pendingRight[0] = child;
    this.pendingFlags[0] = interiorTypeOf(this.pendingFlags[1]);
    this.depth++;
    this.balanceNonroot(1);
  }

  /** Content of a level: pending cells or the page's cells; sets `loadedRight`, returns the page type. */
  private contentOf(level: number, list: CellList): number {
    const held = this.pending[level];
    if (held !== null) {
      list.pushRange(held, 0, held.count);
      this.loadedRight = this.pendingRight[level];
      return this.pendingFlags[level];
    }
    return this.loadCells(this.pgnos[level], list);
  }

  private balanceNonroot(level: number): void {
    const geometry = this.geometry;
    const parentLevel = level - 1;
    const parentCells = new CellList();
    const parentFlags = this.contentOf(parentLevel, parentCells);
    const parentRight = this.loadedRight;
    if (isLeafType(parentFlags)) throw corruptError('parent page is a leaf');
    const parentCount = parentCells.count;
    const childIdx = this.childIndex[parentLevel];
    if (childIdx > parentCount) throw corruptError('child index out of range');

    const siblingCount = parentCount + 1 < 3 ? parentCount + 1 : 3;
    let first: number;
    if (siblingCount < 3 || childIdx === 0) first = 0;
    else if (childIdx === parentCount) first = parentCount - 2;
    else first = childIdx - 1;

    const siblingPgnos: number[] = [];
    const siblingRights: number[] = [];
    const combined = new CellList();
    let flags = -1;
    for (let s = 0; s < siblingCount; s++) {
      const position = first + s;
      const pgno = position < parentCount ? readUint32(parentCells.buffers[position], parentCells.offsets[position]) : parentRight;
      if (pgno < 2 || pgno > this.store.pageCount() || siblingPgnos.includes(pgno) || pgno === this.pgnos[parentLevel]) {
        throw corruptError('bad child page pointer');
      }
      const before = combined.count;
      const siblingFlags = position === childIdx ? this.contentOf(level, combined) : this.loadCells(pgno, combined);
      if (flags === -1) flags = siblingFlags;
      else if (siblingFlags !== flags) throw corruptError('sibling pages of different types');
      if (position !== childIdx && combined.count === before) throw corruptError('empty non-root page');
      siblingPgnos.push(pgno);
      siblingRights.push(this.loadedRight);
      if (s === siblingCount - 1 || flags === PAGE_TABLE_LEAF) continue;
      // The divider between this sibling and the next joins the cells (index trees, interior pages).
      const buffer = parentCells.buffers[position];
      const offset = parentCells.offsets[position];
      const length = parentCells.lengths[position];
      if (isLeafType(flags)) {
        combined.push(buffer, offset + 4, length - 4);
      } else {
        const cell = new Uint8Array(length);
        cell.set(buffer.subarray(offset, offset + length));
        writeUint32(cell, 0, this.loadedRight);
        combined.push(cell, 0, length);
      }
    }
    if (interiorTypeOf(flags) !== parentFlags) throw corruptError('child page type differs from parent');
    const leafData = flags === PAGE_TABLE_LEAF;
    const leaf = isLeafType(flags);

    const pageCount = this.distribute(combined, flags, leafData);
    const ends = this.ends;

    const newPgnos: number[] = [];
    for (let j = 0; j < pageCount; j++) newPgnos.push(j < siblingCount ? siblingPgnos[j] : this.freelist.allocate());
    for (let j = pageCount; j < siblingCount; j++) this.freelist.free(siblingPgnos[j]);

    const dividers = new CellList();
    let start = 0;
    for (let j = 0; j < pageCount; j++) {
      const end = ends[j];
      const pgno = newPgnos[j];
      let right = 0;
      if (!leaf) right = j < pageCount - 1 ? readUint32(combined.buffers[end], combined.offsets[end]) : siblingRights[siblingCount - 1];
      buildPage(this.store.writable(pgno), pgno, flags, combined, start, end, right, geometry);
      if (j < pageCount - 1) {
        if (leafData) {
          const last = end - 1;
          const buffer = combined.buffers[last];
          const keyAt = combined.offsets[last] + varintLength(buffer, combined.offsets[last]);
          const keyLength = varintLength(buffer, keyAt);
          const cell = new Uint8Array(4 + keyLength);
          writeUint32(cell, 0, pgno);
          cell.set(buffer.subarray(keyAt, keyAt + keyLength), 4);
          dividers.push(cell, 0, cell.length);
        } else {
          const buffer = combined.buffers[end];
          const offset = combined.offsets[end];
          const length = combined.lengths[end];
          if (leaf) {
            const cell = new Uint8Array(length + 4);
            writeUint32(cell, 0, pgno);
            cell.set(buffer.subarray(offset, offset + length), 4);
            dividers.push(cell, 0, cell.length);
          } else {
            const cell = new Uint8Array(length);
            cell.set(buffer.subarray(offset, offset + length));
            writeUint32(cell, 0, pgno);
            dividers.push(cell, 0, length);
          }
        }
        start = leafData ? end : end + 1;
      }
    }

    const newParent = new CellList();
    newParent.pushRange(parentCells, 0, first);
    newParent.pushRange(dividers, 0, dividers.count);
    const lastPosition = first + siblingCount - 1;
    let newParentRight = parentRight;
    if (lastPosition < parentCount) {
      const offset = parentCells.offsets[lastPosition];
      const length = parentCells.lengths[lastPosition];
      const cell = new Uint8Array(length);
      cell.set(parentCells.buffers[lastPosition].subarray(offset, offset + length));
      writeUint32(cell, 0, newPgnos[pageCount - 1]);
      newParent.push(cell, 0, length);
      newParent.pushRange(parentCells, lastPosition + 1, parentCount);
    } else {
      newParentRight = newPgnos[pageCount - 1];
    }
    this.storeLevel(parentLevel, newParent, newParentRight, parentFlags);
  }

  /**
   * Splits `cells` into pages; fills `this.ends` (index past each page's
   * last cell; for non-leafData trees the cell at that index is the divider)
   * and returns the page count.
   */
  private distribute(cells: CellList, flags: number, leafData: boolean): number {
    const capacity = this.geometry.usableSize - (isLeafType(flags) ? 8 : 12);
    const count = cells.count;
    const sizes = this.sizes;
    for (let i = 0; i < count; i++) sizes[i] = cells.spaceOf(i);
    const ends = this.ends;
    let pages = 0;
    let i = 0;
    for (;;) {
      let total = 0;
      const pageStart = i;
      while (i < count && total + sizes[i] <= capacity) total += sizes[i++];
      if (i === pageStart && i < count) throw corruptError('cell larger than a page');
      ends[pages++] = i;
      if (i >= count) break;
      if (!leafData) {
        i++;
        if (i >= count) {
          ends[pages++] = count;
          break;
        }
      }
    }
    const gap = leafData ? 0 : 1;
    for (let j = pages - 1; j > 0; j--) {
      const leftStart = j === 1 ? 0 : ends[j - 2] + gap;
      let leftSize = 0;
      for (let c = leftStart; c < ends[j - 1]; c++) leftSize += sizes[c];
      let rightSize = 0;
      for (let c = ends[j - 1] + gap; c < ends[j]; c++) rightSize += sizes[c];
      for (;;) {
        const last = ends[j - 1] - 1;
        if (last <= leftStart) break;
        const entering = leafData ? last : ends[j - 1];
        if (rightSize !== 0 && rightSize + sizes[entering] > leftSize - sizes[last]) break;
        if (rightSize + sizes[entering] > capacity) break;
        rightSize += sizes[entering];
        leftSize -= sizes[last];
        ends[j - 1]--;
      }
      if (rightSize === 0) throw new Error('internal error: balance left an empty page');
    }
    return pages;
  }

  /** Writes a level's new content, or holds it as pending when it does not fit. */
  private storeLevel(level: number, cells: CellList, right: number, flags: number): void {
    const pgno = this.pgnos[level];
    let needed = 0;
    for (let i = 0; i < cells.count; i++) needed += cells.spaceOf(i);
    this.touched[level] = true;
    if (needed > pageCapacity(pgno, flags, this.geometry)) {
      this.setPending(level, cells, right, flags);
      return;
    }
    this.pending[level] = null;
    if (level === 0 && cells.count === 0 && !isLeafType(flags)) {
      const childCells = new CellList();
      const childFlags = this.loadCells(right, childCells);
      const childRight = this.loadedRight;
      let childNeeded = 0;
      for (let i = 0; i < childCells.count; i++) childNeeded += childCells.spaceOf(i);
      if (childNeeded <= pageCapacity(pgno, childFlags, this.geometry)) {
        buildPage(this.store.writable(pgno), pgno, childFlags, childCells, 0, childCells.count, childRight, this.geometry);
        this.freelist.free(right);
        return;
      }
    }
    buildPage(this.store.writable(pgno), pgno, flags, cells, 0, cells.count, right, this.geometry);
  }
}

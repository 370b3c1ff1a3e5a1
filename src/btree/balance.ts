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
 * for those siblings are replaced in place on its page (drop the old ones,
 * insert the new ones, repoint the child after them), so a balance costs
 * the siblings' cells and not the parent's; if the new dividers do not fit,
 * the parent's content becomes pending in turn. Cell lists come from a pool
 * reused by every operation.
 *
 * The root page number never changes: a pending root moves its content to a
 * new child and becomes an interior page with no cells (balance_deeper),
 * which the next step splits; an interior root left with no cells absorbs
 * its only child when the child fits (always, except on page 1 whose header
 * takes 100 bytes), so the tree shrinks.
 *
 * All sibling cell bytes being moved are copies (pages are copied into a
 * pool first), so rewriting a page never clobbers cells still to be placed;
 * the parent is only read until every new divider has been copied out.
 */
import { corruptError } from '../sqlite-error.js';
import type { PageStore } from '../pager/page-store.js';
import type { Freelist } from './freelist.js';
import { buildPage, CellList, copyBytes, dropCell, freeBytes, insertCell, pageCapacity } from './page-edit.js';
import {
  cellCount,
  cellSizeAt,
  checkPageHeader,
  headerOffset,
  isLeafType,
  MAX_TREE_DEPTH,
  PAGE_INDEX_INTERIOR,
  PAGE_INDEX_LEAF,
  PAGE_TABLE_INTERIOR,
  PAGE_TABLE_LEAF,
  pageHeaderSize,
  rightChild,
  type PageGeometry,
} from './page-format.js';
import { readUint16, readUint32, varintLength, writeUint32 } from './varint.js';

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
  private readonly lists: CellList[] = [];
  private listsUsed = 0;
  private readonly scratch: Uint8Array;

  private depth = 0;
  private readonly pgnos: number[] = [];
  private readonly childIndex: number[] = [];
  private readonly pending: (CellList | null)[] = [];
  private readonly pendingRight: number[] = [];
  private readonly pendingFlags: number[] = [];
  private readonly touched: boolean[] = [];
  private readonly sizes: number[] = [];
  private readonly ends: number[] = [];
  private readonly siblingPgnos: number[] = [];
  private readonly siblingRights: number[] = [];
  private readonly newPgnos: number[] = [];
  /** Right child of the page most recently read by `loadCells`. */
  private loadedRight = 0;

  constructor(store: PageStore, freelist: Freelist, geometry: PageGeometry) {
    this.store = store;
    this.freelist = freelist;
    this.geometry = geometry;
    this.scratch = new Uint8Array(store.pageSize);
  }

  /** Starts an operation on the path `pgnos[0..depth]` (child index per level in `childIndex`). */
  begin(pgnos: readonly number[], childIndex: readonly number[], depth: number): void {
    this.poolUsed = 0;
    this.listsUsed = 0;
    this.depth = depth;
    for (let level = 0; level <= depth; level++) {
      this.pgnos[level] = pgnos[level];
      this.childIndex[level] = childIndex[level];
      this.pending[level] = null;
      this.touched[level] = false;
    }
  }

  /** An empty cell list that stays valid until the next `begin`. */
  takeList(): CellList {
    let list = this.lists[this.listsUsed];
    if (list === undefined) {
      list = new CellList();
      this.lists[this.listsUsed] = list;
    }
    this.listsUsed++;
    list.clear();
    return list;
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
    this.pending[0] = this.takeList();
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

  /**
   * Redistributes the cells of `level`'s page and up to two siblings. The
   * parent is edited in place (its dividers for the siblings replaced) when
   * it is a real page; a pending parent (a root being split) is rebuilt from
   * its cell list.
   */
  private balanceNonroot(level: number): void {
    const geometry = this.geometry;
    const parentLevel = level - 1;
    const parentPgno = this.pgnos[parentLevel];
    const parentHeld = this.pending[parentLevel];
    // The parent's cells as a list (pending parent), or read in place from its page.
    let parentCells: CellList | null = null;
    let parentPage: Uint8Array = this.scratch;
    let parentFlags: number;
    let parentCount: number;
    let parentRight: number;
    let parentPointers = 0;
    if (parentHeld !== null) {
      parentCells = parentHeld;
      parentFlags = this.pendingFlags[parentLevel];
      parentRight = this.pendingRight[parentLevel];
      parentCount = parentHeld.count;
    } else {
      parentPage = this.store.page(parentPgno);
      parentFlags = checkPageHeader(parentPage, parentPgno, geometry);
      const hdr = headerOffset(parentPgno);
      parentCount = cellCount(parentPage, hdr);
      parentPointers = hdr + pageHeaderSize(parentFlags);
      parentRight = isLeafType(parentFlags) ? 0 : rightChild(parentPage, hdr);
    }
    if (isLeafType(parentFlags)) throw corruptError('parent page is a leaf');
    const childIdx = this.childIndex[parentLevel];
    if (childIdx > parentCount) throw corruptError('child index out of range');

    const siblingCount = parentCount + 1 < 3 ? parentCount + 1 : 3;
    let first: number;
    if (siblingCount < 3 || childIdx === 0) first = 0;
    else if (childIdx === parentCount) first = parentCount - 2;
    else first = childIdx - 1;

    // Where parent cell `position` lives: (buffer, offset, length).
    const pointerEnd = parentPointers + 2 * parentCount;
    let dividerBuffer: Uint8Array = parentPage;
    let dividerOffset = 0;
    let dividerLength = 0;
    const locateParentCell = (position: number): void => {
      if (parentCells !== null) {
        dividerBuffer = parentCells.buffers[position];
        dividerOffset = parentCells.offsets[position];
        dividerLength = parentCells.lengths[position];
        return;
      }
      const offset = readUint16(parentPage, parentPointers + 2 * position);
      if (offset < pointerEnd) throw corruptError(`cell pointer out of range on page ${parentPgno}`);
      dividerBuffer = parentPage;
      dividerOffset = offset;
      dividerLength = cellSizeAt(parentPage, offset, parentFlags, geometry);
    };

    const siblingPgnos = this.siblingPgnos;
    const siblingRights = this.siblingRights;
    siblingPgnos.length = 0;
    siblingRights.length = 0;
    const combined = this.takeList();
    let flags = -1;
    for (let s = 0; s < siblingCount; s++) {
      const position = first + s;
      let pgno: number;
      if (position < parentCount) {
        locateParentCell(position);
        pgno = readUint32(dividerBuffer, dividerOffset);
      } else {
        pgno = parentRight;
      }
      if (pgno < 2 || pgno > this.store.pageCount() || siblingPgnos.includes(pgno) || pgno === parentPgno) {
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
      locateParentCell(position);
      if (isLeafType(flags)) {
        combined.push(dividerBuffer, dividerOffset + 4, dividerLength - 4);
      } else {
        const cell = new Uint8Array(dividerLength);
        copyBytes(cell, 0, dividerBuffer, dividerOffset, dividerLength);
        writeUint32(cell, 0, this.loadedRight);
        combined.push(cell, 0, dividerLength);
      }
    }
    if (interiorTypeOf(flags) !== parentFlags) throw corruptError('child page type differs from parent');
    const leafData = flags === PAGE_TABLE_LEAF;
    const leaf = isLeafType(flags);

    const pageCount = this.distribute(combined, flags, leafData);
    const ends = this.ends;

    const newPgnos = this.newPgnos;
    newPgnos.length = 0;
    for (let j = 0; j < pageCount; j++) newPgnos.push(j < siblingCount ? siblingPgnos[j] : this.freelist.allocate());
    for (let j = pageCount; j < siblingCount; j++) this.freelist.free(siblingPgnos[j]);

    const dividers = this.takeList();
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
          copyBytes(cell, 4, buffer, keyAt, keyLength);
          dividers.push(cell, 0, cell.length);
        } else {
          const buffer = combined.buffers[end];
          const offset = combined.offsets[end];
          const length = combined.lengths[end];
          if (leaf) {
            const cell = new Uint8Array(length + 4);
            writeUint32(cell, 0, pgno);
            copyBytes(cell, 4, buffer, offset, length);
            dividers.push(cell, 0, cell.length);
          } else {
            const cell = new Uint8Array(length);
            copyBytes(cell, 0, buffer, offset, length);
            writeUint32(cell, 0, pgno);
            dividers.push(cell, 0, length);
          }
        }
        start = leafData ? end : end + 1;
      }
    }

    const lastPosition = first + siblingCount - 1;
    const lastPgno = newPgnos[pageCount - 1];
    if (parentCells === null) {
      this.editParent(parentLevel, parentFlags, first, siblingCount - 1, dividers, lastPosition < parentCount, lastPgno);
      return;
    }
    const newParent = this.takeList();
    newParent.pushRange(parentCells, 0, first);
    newParent.pushRange(dividers, 0, dividers.count);
    let newParentRight = parentRight;
    if (lastPosition < parentCount) {
      const offset = parentCells.offsets[lastPosition];
      const length = parentCells.lengths[lastPosition];
      const cell = new Uint8Array(length);
      copyBytes(cell, 0, parentCells.buffers[lastPosition], offset, length);
      writeUint32(cell, 0, lastPgno);
      newParent.push(cell, 0, length);
      newParent.pushRange(parentCells, lastPosition + 1, parentCount);
    } else {
      newParentRight = lastPgno;
    }
    this.storeLevel(parentLevel, newParent, newParentRight, parentFlags);
  }

  /**
   * Replaces, in the real page of `level`, the `dropCount` dividers starting
   * at cell `first` with `dividers`, and points the child after them (the
   * cell then at `first + dividers.count`, or the right child when
   * `lastIsCell` is false) at `lastPgno`. When the dividers do not fit, the
   * page's remaining content becomes the level's pending cell list.
   */
  private editParent(level: number, flags: number, first: number, dropCount: number, dividers: CellList, lastIsCell: boolean, lastPgno: number): void {
    const geometry = this.geometry;
    const pgno = this.pgnos[level];
    const page = this.store.writable(pgno);
    const hdr = headerOffset(pgno);
    const pointers = hdr + pageHeaderSize(flags);
    this.touched[level] = true;
    for (let k = 0; k < dropCount; k++) {
      const offset = readUint16(page, pointers + 2 * first);
      dropCell(page, pgno, flags, first, cellSizeAt(page, offset, flags, geometry), geometry);
    }
    if (lastIsCell) writeUint32(page, readUint16(page, pointers + 2 * first), lastPgno);
    else writeUint32(page, hdr + 8, lastPgno);
    let placed = 0;
    while (placed < dividers.count) {
      if (!insertCell(page, pgno, flags, first + placed, dividers.buffers[placed], dividers.offsets[placed], dividers.lengths[placed], geometry, this.scratch)) break;
      placed++;
    }
    if (placed < dividers.count) {
      const cells = this.takeList();
      this.loadCells(pgno, cells);
      const right = this.loadedRight;
      const held = this.takeList();
      held.pushRange(cells, 0, first + placed);
      held.pushRange(dividers, placed, dividers.count);
      held.pushRange(cells, first + placed, cells.count);
      this.setPending(level, held, right, flags);
      return;
    }
    if (level === 0 && cellCount(page, hdr) === 0) this.absorbOnlyChild(pgno, rightChild(page, hdr));
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
    buildPage(this.store.writable(pgno), pgno, flags, cells, 0, cells.count, right, this.geometry);
    if (level === 0 && cells.count === 0 && !isLeafType(flags)) this.absorbOnlyChild(pgno, right);
  }

  /**
   * balance_shallower: the root `pgno`, an interior page left with no cells,
   * takes over the content of its only child `child` when it fits (always,
   * except on page 1 whose header takes 100 bytes); the child is freed.
   */
  private absorbOnlyChild(pgno: number, child: number): void {
    const childCells = this.takeList();
    const childFlags = this.loadCells(child, childCells);
    const childRight = this.loadedRight;
    let childNeeded = 0;
    for (let i = 0; i < childCells.count; i++) childNeeded += childCells.spaceOf(i);
    if (childNeeded > pageCapacity(pgno, childFlags, this.geometry)) return;
    buildPage(this.store.writable(pgno), pgno, childFlags, childCells, 0, childCells.count, childRight, this.geometry);
    this.freelist.free(child);
  }
}

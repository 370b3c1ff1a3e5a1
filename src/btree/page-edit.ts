/**
 * Editing one B-tree page in place: free-space accounting, allocating and
 * freeing cell space, inserting and dropping cells, defragmenting, and
 * rebuilding a page from a list of cells.
 *
 * Free space on a page is the gap between the cell pointer array and the
 * cell content area, plus the freeblock chain (each block: u16 next, u16
 * size, ascending offsets), plus the fragmented-byte count (free runs of 1..3
 * bytes that cannot be chained). Allocation first tries a freeblock (first
 * fit, taking the block's tail; a remainder under 4 bytes becomes fragments
 * while the page has no more than 57 of them), then the gap, and
 * defragments when only the total is large enough. Freeing merges the block
 * with neighbours that touch it or are separated only by fragment bytes, and
 * gives space back to the gap when it borders the content area; a page whose
 * last cell goes is reset to empty. Every walk of a freeblock chain is
 * bounded by strictly increasing offsets; a malformed chain raises
 * SQLITE_CORRUPT.
 */
import { corruptError } from '../sqlite-error.js';
import {
  cellCount,
  cellSizeAt,
  contentStart,
  headerOffset,
  pageHeaderSize,
  type PageGeometry,
} from './page-format.js';
import { readUint16, writeUint16, writeUint32 } from './varint.js';

/** Copies `length` bytes between buffers (short runs by hand, long ones with `set`). */
export function copyBytes(target: Uint8Array, targetOffset: number, source: Uint8Array, sourceOffset: number, length: number): void {
  if (length <= 64) {
    for (let i = 0; i < length; i++) target[targetOffset + i] = source[sourceOffset + i];
  } else {
    target.set(source.subarray(sourceOffset, sourceOffset + length), targetOffset);
  }
}

/**
 * An ordered list of cells, each a byte range of some buffer. Used to move
 * cells between pages without allocating one object per cell.
 */
export class CellList {
  count = 0;
  buffers: Uint8Array[] = [];
  offsets: number[] = [];
  lengths: number[] = [];

  clear(): void {
    this.count = 0;
  }

  push(buffer: Uint8Array, offset: number, length: number): void {
    const i = this.count++;
    this.buffers[i] = buffer;
    this.offsets[i] = offset;
    this.lengths[i] = length;
  }

  /** Bytes cell `i` needs on a page, its pointer included. */
  spaceOf(i: number): number {
    const length = this.lengths[i];
    return (length < 4 ? 4 : length) + 2;
  }

  /** Inserts a cell at position `index`, shifting later cells up. */
  insert(index: number, buffer: Uint8Array, offset: number, length: number): void {
    for (let i = this.count; i > index; i--) {
      this.buffers[i] = this.buffers[i - 1];
      this.offsets[i] = this.offsets[i - 1];
      this.lengths[i] = this.lengths[i - 1];
    }
    this.buffers[index] = buffer;
    this.offsets[index] = offset;
    this.lengths[index] = length;
    this.count++;
  }

  /** Appends cells `[from, to)` of `other`. */
  pushRange(other: CellList, from: number, to: number): void {
    for (let i = from; i < to; i++) this.push(other.buffers[i], other.offsets[i], other.lengths[i]);
  }

  /** Appends every cell of page `pgno` (ranges point into `page`). */
  pushPageCells(page: Uint8Array, pgno: number, flags: number, geometry: PageGeometry): void {
    const hdr = headerOffset(pgno);
    const count = cellCount(page, hdr);
    const pointers = hdr + pageHeaderSize(flags);
    const pointerEnd = pointers + 2 * count;
    for (let i = 0; i < count; i++) {
      const offset = readUint16(page, pointers + 2 * i);
      if (offset < pointerEnd) throw corruptError(`cell pointer out of range on page ${pgno}`);
      this.push(page, offset, cellSizeAt(page, offset, flags, geometry));
    }
  }
}

/** Total free bytes on a page (gap + freeblocks + fragments), validating the freeblock chain. */
export function freeBytes(page: Uint8Array, pgno: number, flags: number, geometry: PageGeometry): number {
  const hdr = headerOffset(pgno);
  const usable = geometry.usableSize;
  const pointerEnd = hdr + pageHeaderSize(flags) + 2 * cellCount(page, hdr);
  const top = contentStart(page, hdr);
  if (top < pointerEnd || top > usable) throw corruptError(`bad content area on page ${pgno}`);
  let total = top - pointerEnd + page[hdr + 7];
  let block = readUint16(page, hdr + 1);
  let previousEnd = top;
  while (block !== 0) {
    if (block < previousEnd || block > usable - 4) throw corruptError(`bad freeblock on page ${pgno}`);
    const size = readUint16(page, block + 2);
    if (size < 4 || block + size > usable) throw corruptError(`bad freeblock on page ${pgno}`);
    total += size;
    previousEnd = block + size;
    block = readUint16(page, block);
  }
  return total;
}

/** Takes `size` bytes from the first fitting freeblock; returns the offset or 0. */
function takeFromFreeblock(page: Uint8Array, hdr: number, size: number, usable: number): number {
  let previous = hdr + 1;
  let block = readUint16(page, previous);
  while (block !== 0) {
    if (block > usable - 4) throw corruptError('bad freeblock');
    const blockSize = readUint16(page, block + 2);
    const rest = blockSize - size;
    if (rest >= 0) {
      if (rest < 4) {
        if (page[hdr + 7] > 57) return 0;
        writeUint16(page, previous, readUint16(page, block));
        page[hdr + 7] += rest;
        return block;
      }
      if (block + blockSize > usable) throw corruptError('bad freeblock');
      writeUint16(page, block + 2, rest);
      return block + rest;
    }
    previous = block;
    block = readUint16(page, block);
    if (block !== 0 && block <= previous) throw corruptError('bad freeblock order');
  }
  return 0;
}

/** Rewrites the cells of a page contiguously at the end of the usable area. */
export function defragment(page: Uint8Array, pgno: number, flags: number, geometry: PageGeometry, scratch: Uint8Array): void {
  const hdr = headerOffset(pgno);
  const usable = geometry.usableSize;
  const count = cellCount(page, hdr);
  const pointers = hdr + pageHeaderSize(flags);
  const pointerEnd = pointers + 2 * count;
  scratch.set(page.subarray(0, usable));
  let top = usable;
  for (let i = 0; i < count; i++) {
    const offset = readUint16(scratch, pointers + 2 * i);
    if (offset < pointerEnd || offset > usable - 4) throw corruptError(`cell pointer out of range on page ${pgno}`);
    const size = cellSizeAt(scratch, offset, flags, geometry);
    top -= size;
    if (top < pointerEnd) throw corruptError(`cells overflow page ${pgno}`);
    copyBytes(page, top, scratch, offset, size);
    writeUint16(page, pointers + 2 * i, top);
  }
  writeUint16(page, hdr + 1, 0);
  writeUint16(page, hdr + 5, top === 65536 ? 0 : top);
  page[hdr + 7] = 0;
}

/** Reserves `size` bytes of cell space (the caller checked the page has size + 2 free). */
function allocateSpace(page: Uint8Array, pgno: number, flags: number, size: number, geometry: PageGeometry, scratch: Uint8Array): number {
  const hdr = headerOffset(pgno);
  const pointerEnd = hdr + pageHeaderSize(flags) + 2 * cellCount(page, hdr);
  let top = contentStart(page, hdr);
  if (pointerEnd + 2 <= top && (page[hdr + 1] !== 0 || page[hdr + 2] !== 0)) {
    const slot = takeFromFreeblock(page, hdr, size, geometry.usableSize);
    if (slot !== 0) return slot;
  }
  if (pointerEnd + 2 + size > top) {
    defragment(page, pgno, flags, geometry, scratch);
    top = contentStart(page, hdr);
    if (pointerEnd + 2 + size > top) throw corruptError(`free space miscounted on page ${pgno}`);
  }
  top -= size;
  writeUint16(page, hdr + 5, top);
  return top;
}

/** Returns `size` bytes at `start` to the page's free space. */
function releaseSpace(page: Uint8Array, pgno: number, start: number, size: number, usable: number): void {
  const hdr = headerOffset(pgno);
  let previous = hdr + 1;
  let next = readUint16(page, previous);
  while (next !== 0 && next < start) {
    if (next <= previous && previous !== hdr + 1) throw corruptError(`bad freeblock order on page ${pgno}`);
    previous = next;
    next = readUint16(page, next);
  }
  if (next !== 0 && next <= previous && previous !== hdr + 1) throw corruptError(`bad freeblock order on page ${pgno}`);
  if (next > usable - 4) throw corruptError(`bad freeblock on page ${pgno}`);
  let end = start + size;
  let fragments = 0;
  if (next !== 0 && end + 3 >= next) {
    if (end > next) throw corruptError(`freeblock overlaps cell on page ${pgno}`);
    fragments = next - end;
    end = next + readUint16(page, next + 2);
    if (end > usable) throw corruptError(`bad freeblock on page ${pgno}`);
    next = readUint16(page, next);
  }
  let blockStart = start;
  if (previous > hdr + 1) {
    const previousEnd = previous + readUint16(page, previous + 2);
    if (previousEnd + 3 >= start) {
      if (previousEnd > start) throw corruptError(`freeblock overlaps cell on page ${pgno}`);
      fragments += start - previousEnd;
      blockStart = previous;
    }
  }
  if (fragments > page[hdr + 7]) throw corruptError(`fragment count wrong on page ${pgno}`);
  page[hdr + 7] -= fragments;
  if (blockStart === contentStart(page, hdr)) {
    if (previous !== hdr + 1) throw corruptError(`bad freeblock order on page ${pgno}`);
    writeUint16(page, hdr + 1, next);
    writeUint16(page, hdr + 5, end);
    return;
  }
  if (blockStart !== previous) writeUint16(page, previous, blockStart);
  writeUint16(page, blockStart, next);
  writeUint16(page, blockStart + 2, end - blockStart);
}

/**
 * Inserts a cell (bytes `[offset, offset+length)` of `cell`) as cell number
 * `index` of a page. Returns false, changing nothing, when it does not fit.
 */
export function insertCell(
  page: Uint8Array,
  pgno: number,
  flags: number,
  index: number,
  cell: Uint8Array,
  offset: number,
  length: number,
  geometry: PageGeometry,
  scratch: Uint8Array,
): boolean {
  const size = length < 4 ? 4 : length;
  const hdr = headerOffset(pgno);
  const count = cellCount(page, hdr);
  const pointers = hdr + pageHeaderSize(flags);
  const top = contentStart(page, hdr);
  let at: number;
  if (page[hdr + 1] === 0 && page[hdr + 2] === 0 && top <= geometry.usableSize && top - (pointers + 2 * count) >= size + 2) {
    // No freeblocks and room in the gap: take the space just below the content area.
    if (count >= geometry.maxCells) return false;
    at = top - size;
    writeUint16(page, hdr + 5, at);
  } else {
    if (freeBytes(page, pgno, flags, geometry) < size + 2) return false;
    if (count >= geometry.maxCells) return false;
    at = allocateSpace(page, pgno, flags, size, geometry, scratch);
  }
  copyBytes(page, at, cell, offset, length);
  if (index < count) page.copyWithin(pointers + 2 * index + 2, pointers + 2 * index, pointers + 2 * count);
  writeUint16(page, pointers + 2 * index, at);
  writeUint16(page, hdr + 3, count + 1);
  return true;
}

/** Removes cell number `index` (occupying `size` bytes) from a page. */
export function dropCell(page: Uint8Array, pgno: number, flags: number, index: number, size: number, geometry: PageGeometry): void {
  const hdr = headerOffset(pgno);
  const count = cellCount(page, hdr);
  const pointers = hdr + pageHeaderSize(flags);
  const at = readUint16(page, pointers + 2 * index);
  if (at < pointers + 2 * count || at + size > geometry.usableSize) throw corruptError(`cell pointer out of range on page ${pgno}`);
  if (count === 1) {
    writeUint16(page, hdr + 1, 0);
    writeUint16(page, hdr + 3, 0);
    writeUint16(page, hdr + 5, geometry.usableSize === 65536 ? 0 : geometry.usableSize);
    page[hdr + 7] = 0;
    return;
  }
  releaseSpace(page, pgno, at, size, geometry.usableSize);
  page.copyWithin(pointers + 2 * index, pointers + 2 * index + 2, pointers + 2 * count);
  writeUint16(page, hdr + 3, count - 1);
}

/** Space for cells on an empty page of type `flags` (pointers included). */
export function pageCapacity(pgno: number, flags: number, geometry: PageGeometry): number {
  return geometry.usableSize - headerOffset(pgno) - pageHeaderSize(flags);
}

/**
 * Rewrites page `pgno` to hold exactly cells `[from, to)` of `cells` with
 * page type `flags` (and `right` as right-most child on interior pages).
 * The cells must not point into the page being rewritten (balancing works
 * on copies). The database header on page 1 is left untouched.
 */
export function buildPage(
  page: Uint8Array,
  pgno: number,
  flags: number,
  cells: CellList,
  from: number,
  to: number,
  right: number,
  geometry: PageGeometry,
): void {
  const hdr = headerOffset(pgno);
  const usable = geometry.usableSize;
  const pointers = hdr + pageHeaderSize(flags);
  const count = to - from;
  let needed = 0;
  for (let i = from; i < to; i++) needed += cells.spaceOf(i);
  if (pointers + needed > usable) throw new Error(`internal error: cells overflow page ${pgno}`);
  // Cells are laid out downwards from the end of the usable area. Runs of
  // cells that sit the same way in their source (each one just below the
  // previous one, as on any page built here) move with one block copy.
  const buffers = cells.buffers;
  const offsets = cells.offsets;
  const lengths = cells.lengths;
  let top = usable;
  let i = from;
  while (i < to) {
    const buffer = buffers[i];
    const runEnd = offsets[i] + (lengths[i] < 4 ? 4 : lengths[i]);
    let runStart = offsets[i];
    let j = i + 1;
    while (j < to && buffers[j] === buffer && lengths[j] >= 4 && offsets[j] + lengths[j] === runStart) runStart = offsets[j++];
    const runBytes = runEnd - runStart;
    top -= runBytes;
    if (j === i + 1) {
      copyBytes(page, top, buffer, runStart, lengths[i]);
    } else {
      copyBytes(page, top, buffer, runStart, runBytes);
    }
    const shift = top - runStart;
    for (let k = i; k < j; k++) writeUint16(page, pointers + 2 * (k - from), offsets[k] + shift);
    i = j;
  }
  page[hdr] = flags;
  writeUint16(page, hdr + 1, 0);
  writeUint16(page, hdr + 3, count);
  writeUint16(page, hdr + 5, top === 65536 ? 0 : top);
  page[hdr + 7] = 0;
  if ((flags & 0x08) === 0) writeUint32(page, hdr + 8, right);
  page.fill(0, pointers + 2 * count, top);
}

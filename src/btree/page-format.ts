/**
 * The on-page layout of B-tree pages: page types, the page header, cell
 * pointers, and how a cell splits its payload between the page and an
 * overflow chain.
 *
 * Page header (at offset 100 on page 1, 0 elsewhere): flags (0x02 index
 * interior, 0x05 table interior, 0x0A index leaf, 0x0D table leaf), first
 * freeblock (u16), cell count (u16), cell content start (u16, 0 means
 * 65536), fragmented free bytes (u8), and on interior pages the right-most
 * child (u32). The cell pointer array (u16 per cell, in key order) follows.
 *
 * Cells: table leaf = varint payload size, varint rowid, local payload,
 * [u32 first overflow page]; table interior = u32 left child, varint rowid;
 * index leaf = varint payload size, local payload, [u32 overflow]; index
 * interior = u32 left child, then as index leaf. With U the usable size, a
 * payload P is stored whole when P <= maxLocal, else K = minLocal +
 * (P - minLocal) % (U - 4) bytes stay local when K <= maxLocal, else
 * minLocal; maxLocal is U - 35 on table leaves and (U-12)*64/255 - 23 on
 * index pages; minLocal is (U-12)*32/255 - 23 for both. A cell occupies at
 * least 4 bytes so it can become a freeblock.
 *
 * Parsing validates that a cell stays inside the usable area and that
 * payload sizes are plausible; anything else raises SQLITE_CORRUPT.
 */
import { corruptError } from '../sqlite-error.js';
import { readUint16, readUint32, readVarint, readVarintSize, varintLength } from './varint.js';

export const PAGE_INDEX_INTERIOR = 0x02;
export const PAGE_TABLE_INTERIOR = 0x05;
export const PAGE_INDEX_LEAF = 0x0a;
export const PAGE_TABLE_LEAF = 0x0d;

/** Largest payload SQLite accepts (SQLITE_MAX_LENGTH ceiling of 2^31 - 1). */
export const MAX_PAYLOAD_SIZE = 0x7fffffff;

/** Deepest tree a walk will descend (SQLite's BTCURSOR_MAX_DEPTH). */
export const MAX_TREE_DEPTH = 20;

/** Offset of the B-tree page header within page `pgno`. */
export function headerOffset(pgno: number): number {
  return pgno === 1 ? 100 : 0;
}

/** True for the four valid page-type bytes. */
export function isValidPageType(flags: number): boolean {
  return flags === PAGE_TABLE_LEAF || flags === PAGE_TABLE_INTERIOR || flags === PAGE_INDEX_LEAF || flags === PAGE_INDEX_INTERIOR;
}

export function isLeafType(flags: number): boolean {
  return (flags & 0x08) !== 0;
}

export function isTableType(flags: number): boolean {
  return (flags & 0x01) !== 0;
}

/** Size of the page header for a page type: 8 for leaves, 12 for interior pages. */
export function pageHeaderSize(flags: number): number {
  return (flags & 0x08) !== 0 ? 8 : 12;
}

/** Cell count from the page header. */
export function cellCount(page: Uint8Array, hdr: number): number {
  return (page[hdr + 3] << 8) | page[hdr + 4];
}

/** Start of the cell content area (0 in the header means 65536). */
export function contentStart(page: Uint8Array, hdr: number): number {
  const value = (page[hdr + 5] << 8) | page[hdr + 6];
  return value === 0 ? 65536 : value;
}

/** Right-most child pointer of an interior page. */
export function rightChild(page: Uint8Array, hdr: number): number {
  return readUint32(page, hdr + 8);
}

/** Offset of cell `i` read from the cell pointer array. */
export function cellPointer(page: Uint8Array, hdr: number, flags: number, i: number): number {
  return readUint16(page, hdr + ((flags & 0x08) !== 0 ? 8 : 12) + 2 * i);
}

/** Payload-splitting limits for one usable page size. */
export class PageGeometry {
  readonly usableSize: number;
  readonly maxLocalTableLeaf: number;
  readonly maxLocalIndex: number;
  readonly minLocal: number;
  /** Largest cell count a page can hold (SQLite's MX_CELL). */
  readonly maxCells: number;

  constructor(usableSize: number, pageSize: number) {
    this.usableSize = usableSize;
    this.maxLocalTableLeaf = usableSize - 35;
    this.maxLocalIndex = Math.floor(((usableSize - 12) * 64) / 255) - 23;
    this.minLocal = Math.floor(((usableSize - 12) * 32) / 255) - 23;
    this.maxCells = Math.floor((pageSize - 8) / 6);
  }

  /** Bytes of a `payloadSize`-byte payload kept on the page. */
  localSize(payloadSize: number, tableLeaf: boolean): number {
    const maxLocal = tableLeaf ? this.maxLocalTableLeaf : this.maxLocalIndex;
    if (payloadSize <= maxLocal) return payloadSize;
    const minLocal = this.minLocal;
    const surplus = minLocal + ((payloadSize - minLocal) % (this.usableSize - 4));
    return surplus <= maxLocal ? surplus : minLocal;
  }

  /** Number of overflow pages a payload needs. */
  overflowPageCount(payloadSize: number, localSize: number): number {
    return Math.ceil((payloadSize - localSize) / (this.usableSize - 4));
  }
}

/** A parsed cell. One instance is reused per cursor or walk. */
export class CellInfo {
  /** Rowid (table cells). */
  key: number | bigint = 0;
  /** Left child page (interior cells). */
  childPage = 0;
  /** Total payload size (0 for table interior cells). */
  payloadSize = 0;
  /** Offset in the page of the first payload byte. */
  payloadOffset = 0;
  /** Payload bytes stored on the page. */
  localSize = 0;
  /** First overflow page, 0 when the payload is all local. */
  overflowPage = 0;
  /** Bytes the cell occupies on the page (at least 4). */
  size = 0;
}

/**
 * Parses the cell at `offset` of a page of type `flags` into `info`.
 * Throws SQLITE_CORRUPT when the cell does not fit the usable area.
 */
export function parseCell(page: Uint8Array, offset: number, flags: number, geometry: PageGeometry, info: CellInfo): CellInfo {
  const usable = geometry.usableSize;
  if (offset < 0 || offset + 4 > usable) throw corruptError('cell offset out of range');
  let pos = offset;
  if ((flags & 0x08) === 0) {
    info.childPage = readUint32(page, pos);
    pos += 4;
    if (flags === PAGE_TABLE_INTERIOR) {
      info.key = readVarint(page, pos);
      pos += varintLength(page, pos);
      info.payloadSize = 0;
      info.localSize = 0;
      info.payloadOffset = pos;
      info.overflowPage = 0;
      info.size = pos - offset < 4 ? 4 : pos - offset;
      if (pos > usable) throw corruptError('cell extends past page');
      return info;
    }
  } else {
    info.childPage = 0;
  }
  let payloadSize: number;
  const first = page[pos];
  if (first < 0x80) {
    payloadSize = first;
    pos++;
  } else {
    payloadSize = readVarintSize(page, pos);
    pos += varintLength(page, pos);
  }
  if (payloadSize > MAX_PAYLOAD_SIZE) throw corruptError('payload size out of range');
  const tableLeaf = flags === PAGE_TABLE_LEAF;
  if (tableLeaf) {
    // Rowids of up to 7 varint bytes decode in one pass; longer ones take the general reader.
    let key = 0;
    let n = 0;
    for (; n < 7; n++) {
      const byte = page[pos + n];
      key = key * 128 + (byte & 0x7f);
      if (byte < 0x80) break;
    }
    if (n < 7) {
      info.key = key;
      pos += n + 1;
    } else {
      info.key = readVarint(page, pos);
      pos += varintLength(page, pos);
    }
  }
  info.payloadSize = payloadSize;
  info.payloadOffset = pos;
  const maxLocal = tableLeaf ? geometry.maxLocalTableLeaf : geometry.maxLocalIndex;
  if (payloadSize <= maxLocal) {
    info.localSize = payloadSize;
    info.overflowPage = 0;
    pos += payloadSize;
  } else {
    const local = geometry.localSize(payloadSize, tableLeaf);
    info.localSize = local;
    pos += local;
    if (pos + 4 > usable) throw corruptError('cell extends past page');
    info.overflowPage = readUint32(page, pos);
    pos += 4;
  }
  if (pos > usable) throw corruptError('cell extends past page');
  info.size = pos - offset < 4 ? 4 : pos - offset;
  return info;
}

/** Bytes the cell at `offset` occupies (at least 4), without filling a CellInfo. */
export function cellSizeAt(page: Uint8Array, offset: number, flags: number, geometry: PageGeometry): number {
  let pos = offset;
  if ((flags & 0x08) === 0) {
    pos += 4;
    if (flags === PAGE_TABLE_INTERIOR) {
      pos += varintLength(page, pos);
      return pos - offset < 4 ? 4 : pos - offset;
    }
  }
  let payloadSize = page[pos];
  if (payloadSize < 0x80) {
    pos++;
  } else {
    payloadSize = readVarintSize(page, pos);
    pos += varintLength(page, pos);
    if (payloadSize > MAX_PAYLOAD_SIZE) throw corruptError('payload size out of range');
  }
  const tableLeaf = flags === PAGE_TABLE_LEAF;
  if (tableLeaf) pos += page[pos] < 0x80 ? 1 : varintLength(page, pos);
  const maxLocal = tableLeaf ? geometry.maxLocalTableLeaf : geometry.maxLocalIndex;
  pos += payloadSize <= maxLocal ? payloadSize : geometry.localSize(payloadSize, tableLeaf) + 4;
  const size = pos - offset < 4 ? 4 : pos - offset;
  if (offset + size > geometry.usableSize) throw corruptError('cell extends past page');
  return size;
}

/**
 * Validates the header of tree page `pgno` and returns its flags: a known
 * page type, a cell count the page can hold, and a content start inside the
 * usable area after the cell pointer array.
 */
export function checkPageHeader(page: Uint8Array, pgno: number, geometry: PageGeometry): number {
  const hdr = headerOffset(pgno);
  const flags = page[hdr];
  if (!isValidPageType(flags)) throw corruptError(`invalid page type on page ${pgno}`);
  const count = cellCount(page, hdr);
  const pointerEnd = hdr + pageHeaderSize(flags) + 2 * count;
  if (count > geometry.maxCells || pointerEnd > geometry.usableSize) throw corruptError(`too many cells on page ${pgno}`);
  const start = contentStart(page, hdr);
  if (start < pointerEnd || start > geometry.usableSize) throw corruptError(`bad content area on page ${pgno}`);
  return flags;
}

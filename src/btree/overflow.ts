/**
 * Overflow chains: the part of a payload that does not stay on its B-tree
 * page.
 *
 * Each overflow page starts with the next page's number (0 on the last) and
 * carries up to usableSize - 4 payload bytes. A chain's length follows from
 * the payload size alone, so every walk knows how many pages to expect: it
 * never follows more, and a chain that ends early, points outside the file,
 * or is longer than the file raises SQLITE_CORRUPT before any large buffer
 * is allocated.
 */
import { corruptError } from '../sqlite-error.js';
import type { PageStore } from '../pager/page-store.js';
import type { Freelist } from './freelist.js';
import { copyBytes } from './page-edit.js';
import type { PageGeometry } from './page-format.js';
import { readUint32, writeUint32 } from './varint.js';

/** Number of overflow pages needed to hold `overflowBytes` bytes. */
function chainLength(overflowBytes: number, geometry: PageGeometry): number {
  return Math.ceil(overflowBytes / (geometry.usableSize - 4));
}

/**
 * Copies `length` overflow bytes, starting at chain page `firstPage`, into
 * `target` at `targetOffset`.
 */
export function readOverflow(store: PageStore, geometry: PageGeometry, firstPage: number, length: number, target: Uint8Array, targetOffset: number): void {
  const pages = chainLength(length, geometry);
  if (pages > store.pageCount()) throw corruptError('overflow chain longer than the file');
  const perPage = geometry.usableSize - 4;
  let pgno = firstPage;
  let remaining = length;
  let at = targetOffset;
  for (let i = 0; i < pages; i++) {
    if (pgno < 2) throw corruptError('overflow chain ends early');
    const page = store.page(pgno);
    const take = remaining < perPage ? remaining : perPage;
    copyBytes(target, at, page, 4, take);
    at += take;
    remaining -= take;
    pgno = readUint32(page, 0);
  }
}

/** Throws SQLITE_CORRUPT unless a payload of `payloadSize` bytes can fit the file at all. */
export function checkPayloadFits(store: PageStore, geometry: PageGeometry, payloadSize: number, localSize: number): void {
  if (chainLength(payloadSize - localSize, geometry) > store.pageCount()) throw corruptError('payload larger than the file');
}

/**
 * Writes `source[offset, offset+length)` to a new overflow chain and returns
 * its first page.
 */
export function writeOverflow(store: PageStore, freelist: Freelist, geometry: PageGeometry, source: Uint8Array, offset: number, length: number): number {
  const perPage = geometry.usableSize - 4;
  const first = freelist.allocate();
  let pgno = first;
  let at = offset;
  let remaining = length;
  while (remaining > 0) {
    const page = store.writable(pgno);
    const take = remaining < perPage ? remaining : perPage;
    copyBytes(page, 4, source, at, take);
    at += take;
    remaining -= take;
    const next = remaining > 0 ? freelist.allocate() : 0;
    writeUint32(page, 0, next);
    pgno = next;
  }
  return first;
}

/** Frees the `overflowBytes`-byte chain starting at `firstPage`. */
export function freeOverflow(store: PageStore, freelist: Freelist, geometry: PageGeometry, firstPage: number, overflowBytes: number): void {
  const pages = chainLength(overflowBytes, geometry);
  if (pages > store.pageCount()) throw corruptError('overflow chain longer than the file');
  let pgno = firstPage;
  for (let i = 0; i < pages; i++) {
    if (pgno < 2) throw corruptError('overflow chain ends early');
    const next = readUint32(store.page(pgno), 0);
    freelist.free(pgno);
    pgno = next;
  }
}

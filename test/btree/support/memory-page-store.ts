/**
 * ArrayPageStore: a PageStore kept in an array of page buffers, for B-tree
 * tests that need to load or dump whole database files (bytes written by
 * SQLite, or files for SQLite to read).
 *
 * It has one write transaction at a time: `writable()` copies the committed
 * page on first use (so a rollback restores it), `commit()` keeps the copies
 * and stamps the header as SQLite does (change counter, page count,
 * version-valid-for, writer version), `rollback()` drops them. Reads outside a
 * transaction see the committed pages. `toFile()` returns the database file
 * image for rollback-journal (DELETE) mode.
 */
import { corruptError, SqliteError } from '../../../src/sqlite-error.js';
import type { PageStore } from '../../../src/pager/page-store.js';

const MAGIC = 'SQLite format 3\u0000';

function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

export class ArrayPageStore implements PageStore {
  readonly pageSize: number;
  readonly usableSize: number;
  private committed: Uint8Array[];
  private dirty = new Map<number, Uint8Array>();
  private count: number;
  private inWrite = false;
  /** PageStore `generation`: bumped when a write transaction ends. */
  generation = 0;

  private constructor(pageSize: number, reserved: number, pages: Uint8Array[]) {
    this.pageSize = pageSize;
    this.usableSize = pageSize - reserved;
    this.committed = pages;
    this.generation++;
    this.count = pages.length;
  }

  /** A new database: page 1 with a valid header and an empty sqlite_schema. */
  static create(pageSize: number, reserved = 0): ArrayPageStore {
    const page = new Uint8Array(pageSize);
    for (let i = 0; i < MAGIC.length; i++) page[i] = MAGIC.charCodeAt(i);
    page[16] = pageSize === 65536 ? 0 : pageSize >>> 8;
    page[17] = pageSize === 65536 ? 1 : 0;
    page[18] = 1;
    page[19] = 1;
    page[20] = reserved;
    page[21] = 64;
    page[22] = 32;
    page[23] = 32;
    writeU32(page, 24, 1);
    writeU32(page, 28, 1);
    writeU32(page, 44, 4);
    writeU32(page, 56, 1);
    writeU32(page, 92, 1);
    writeU32(page, 96, 3053000);
    page[100] = 0x0d;
    const usable = pageSize - reserved;
    page[105] = usable === 65536 ? 0 : usable >>> 8;
    page[106] = usable & 0xff;
    return new ArrayPageStore(pageSize, reserved, [page]);
  }

  /** Loads a database file image. */
  static fromFile(bytes: Uint8Array): ArrayPageStore {
    for (let i = 0; i < MAGIC.length; i++) {
      if (bytes[i] !== MAGIC.charCodeAt(i)) throw new SqliteError('file is not a database', 'SQLITE_NOTADB');
    }
    const raw = (bytes[16] << 8) | bytes[17];
    const pageSize = raw === 1 ? 65536 : raw;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0 || bytes.length % pageSize !== 0) {
      throw new SqliteError('file is not a database', 'SQLITE_NOTADB');
    }
    if (readU32(bytes, 56) > 1) throw new SqliteError('unsupported file format', 'SQLITE_NOTADB');
    const pages: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.length; offset += pageSize) pages.push(bytes.slice(offset, offset + pageSize));
    return new ArrayPageStore(pageSize, bytes[20], pages);
  }

  beginWrite(): void {
    if (this.inWrite) throw new SqliteError('a write transaction is already active', 'SQLITE_MISUSE');
    this.inWrite = true;
  }

  commit(): void {
    if (!this.inWrite) return;
    const pages = this.committed.slice(0, this.count);
    for (let pgno = pages.length + 1; pgno <= this.count; pgno++) pages[pgno - 1] = new Uint8Array(this.pageSize);
    for (const [pgno, data] of this.dirty) if (pgno <= this.count) pages[pgno - 1] = data;
    const header = pages[0].slice();
    const changes = readU32(header, 24) + 1;
    writeU32(header, 24, changes);
    writeU32(header, 28, this.count);
    writeU32(header, 92, changes);
    writeU32(header, 96, 3053000);
    pages[0] = header;
    this.committed = pages;
    this.dirty = new Map();
    this.inWrite = false;
  }

  rollback(): void {
    this.generation++;
    this.dirty = new Map();
    this.count = this.committed.length;
    this.inWrite = false;
  }

  pageCount(): number {
    return this.count;
  }

  page(pgno: number): Uint8Array {
    if (!Number.isInteger(pgno) || pgno < 1 || pgno > this.count) throw corruptError(`page ${pgno} out of range`);
    return this.dirty.get(pgno) ?? this.committed[pgno - 1];
  }

  writable(pgno: number): Uint8Array {
    if (!this.inWrite) throw new SqliteError('pages can only be changed in a write transaction', 'SQLITE_MISUSE');
    if (!Number.isInteger(pgno) || pgno < 1 || pgno > this.count) throw corruptError(`page ${pgno} out of range`);
    let copy = this.dirty.get(pgno);
    if (copy === undefined) {
      copy = pgno <= this.committed.length ? this.committed[pgno - 1].slice() : new Uint8Array(this.pageSize);
      this.dirty.set(pgno, copy);
    }
    return copy;
  }

  growByOnePage(): number {
    if (!this.inWrite) throw new SqliteError('pages can only be added in a write transaction', 'SQLITE_MISUSE');
    this.count++;
    this.dirty.set(this.count, new Uint8Array(this.pageSize));
    return this.count;
  }

  truncateTo(pageCount: number): void {
    if (!this.inWrite || pageCount < 1 || pageCount > this.count) throw new SqliteError('bad truncate', 'SQLITE_MISUSE');
    this.count = pageCount;
  }

  /** The committed database file image. */
  toFile(): Uint8Array {
    const out = new Uint8Array(this.committed.length * this.pageSize);
    this.committed.forEach((page, i) => out.set(page, i * this.pageSize));
    return out;
  }

  /** Sets a u32 header field in the current write transaction (schema cookie etc.). */
  setHeaderField(offset: number, value: number): void {
    writeU32(this.writable(1), offset, value);
  }
}

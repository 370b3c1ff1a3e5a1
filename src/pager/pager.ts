/**
 * Pager: the PageStore the B-tree layer works on, plus transactions.
 *
 * A read transaction (`beginRead`) sees one stable snapshot of the database
 * until `endRead`, whatever other connections commit meanwhile. A write
 * transaction (`beginWrite`) holds the writer lock; changed pages live in
 * private copies (the dirty page table) until `commit` hands them to the
 * storage in one atomic commit, or `rollback` drops them. Savepoints nest
 * inside a write transaction: the first change of a page at each level saves
 * the image it had when the level began, so `rollbackTo(n)` restores exactly
 * what changed since savepoint n and `release(n)` folds its saved images into
 * the enclosing level.
 *
 * Waiting: `beginWrite` retries the writer lock with back-off sleeps until the
 * busy timeout, then fails with SQLITE_BUSY; when the read snapshot it was
 * asked to upgrade is no longer the newest commit it fails with
 * SQLITE_BUSY_SNAPSHOT (the caller must restart its read transaction).
 *
 * Buffers: a page read from storage lands in a buffer taken from the spare
 * list when it has one. Images the cache lets go of are retired, and become
 * spare only when a read transaction ends with `endRead`: the engine calls it
 * when no statement is running, so no cursor can still be on those images
 * (the PageStore promise that a page stays valid until the transaction ends
 * holds). A commit recycles the images it replaced the same way when its
 * caller says no statement is running; otherwise they are dropped. New
 * buffers are cut from shared slabs, so a cache miss rarely allocates.
 *
 * Page 1: a database that has no pages yet shows an empty database (an empty
 * `sqlite_schema`) to readers; the first write transaction makes it real. At
 * commit, when page 1 or the page count changed, the header gets the next
 * change counter, the page count, version-valid-for, the writer's version
 * number and (for WAL files) file format versions 2, as SQLite does.
 */
import { SqliteError, corruptError } from '../sqlite-error.js';
import type { CheckpointMode, CheckpointResult } from '../wal/checkpoint.js';
import type { CommitPage } from '../wal/wal.js';
import { retryWithBackoff } from './busy-wait.js';
import {
  HeaderOffset,
  WRITER_VERSION_NUMBER,
  emptyDatabasePageOne,
  inHeaderDatabaseSize,
  parseDatabaseHeader,
  readU32,
  writeU32,
  type DatabaseHeader,
  type HeaderField,
} from './database-header.js';
import { PageCache } from './page-cache.js';
import type { PageStore } from './page-store.js';
import { PageTable } from './page-table.js';
import type { Storage, StorageTuning } from './storage.js';

export type TransactionState = 'none' | 'read' | 'write';

interface SavepointLevel {
  readonly pageCount: number;
  /** Image each page had when the level began; null = the page was not dirty then. */
  readonly saved: Map<number, Uint8Array | null>;
}

/** At most this many retired and this many spare buffers are kept. */
const RECYCLED_BUFFERS = 64;

/** Page buffers are cut from slabs of this many pages. */
const PAGES_PER_SLAB = 32;

export interface PagerSettings {
  readonly cachePages: number;
  /** File format versions written into page 1: 2 for WAL databases, 1 for `:memory:`. */
  readonly fileFormatVersion: 1 | 2;
}

export class Pager implements PageStore {
  readonly pageSize: number;
  readonly usableSize: number;
  private readonly cache: PageCache;
  private readonly fileFormatVersion: 1 | 2;
  private state: TransactionState = 'none';
  /** The transaction's page count; -1 until first asked for in a read transaction. */
  private txPageCount = -1;
  private startPageCount = 0;
  private readonly dirty = new PageTable();
  /** The page-1 image whose header was last validated, so repeated reads skip the check. */
  private validatedPageOne: Uint8Array | null = null;
  private savepoints: SavepointLevel[] = [];
  private closed = false;
  /** PageStore `generation`: bumped when a transaction ends and when a savepoint is rolled back. */
  generation = 0;
  /** Images the cache let go of in the current transaction. */
  private retired: Uint8Array[] = [];
  /** Buffers nobody holds any more, for the next pages read. */
  private spare: Uint8Array[] = [];
  private slab: ArrayBuffer | null = null;
  private slabUsed = 0;

  constructor(
    private readonly storage: Storage,
    reservedBytes: number,
    settings: PagerSettings,
  ) {
    this.pageSize = storage.pageSize;
    this.usableSize = storage.pageSize - reservedBytes;
    this.cache = new PageCache(settings.cachePages, (image) => this.retire(image));
    this.fileFormatVersion = settings.fileFormatVersion;
  }

  get readonly(): boolean {
    return this.storage.readonly;
  }

  /** 'none', 'read' or 'write'. */
  get transactionState(): TransactionState {
    return this.state;
  }

  /** Savepoints open in the current write transaction. */
  get savepointDepth(): number {
    return this.savepoints.length;
  }

  /** synchronous, wal_autocheckpoint and busy timeout; changes apply from the next operation. */
  get tuning(): StorageTuning {
    return this.storage.tuning;
  }

  /** Sets the cache bound in pages. */
  setCachePages(pages: number): void {
    this.cache.setCapacity(pages);
  }

  // ---- transactions --------------------------------------------------------

  /** Starts a read transaction on the newest committed snapshot. */
  beginRead(): void {
    this.checkOpen();
    if (this.state !== 'none') throw misuse('a transaction is already active');
    this.openSnapshot();
    this.state = 'read';
  }

  /** Ends a read transaction (a write transaction must commit or roll back). */
  endRead(): void {
    if (this.state === 'write') throw misuse('cannot end a read while a write transaction is active');
    if (this.state !== 'read') return;
    this.recycleRetired();
    this.finish();
  }

  /**
   * Starts a write transaction: upgrades the current read transaction, or
   * starts one on the newest snapshot. Waits up to the busy timeout for the
   * writer lock (SQLITE_BUSY); fails with SQLITE_BUSY_SNAPSHOT when the read
   * snapshot being upgraded is no longer current.
   */
  beginWrite(): void {
    this.checkOpen();
    if (this.state === 'write') throw misuse('a write transaction is already active');
    if (this.storage.readonly) throw new SqliteError('attempt to write a readonly database', 'SQLITE_READONLY');
    const upgrading = this.state === 'read';
    if (!retryWithBackoff(() => this.storage.tryLockWriter(), this.storage.tuning.busyTimeoutMs)) {
      throw new SqliteError('database is locked', 'SQLITE_BUSY');
    }
    try {
      if (!upgrading) this.openSnapshot();
      else if (!this.storage.isSnapshotCurrent()) throw new SqliteError('database is locked', 'SQLITE_BUSY_SNAPSHOT');
      this.storage.prepareWrite();
      if (this.storage.storedPageCount() === 0) {
        this.storage.createDatabase(emptyDatabasePageOne(this.pageSize, this.fileFormatVersion === 2));
        this.cache.delete(1);
      }
      this.state = 'write';
      this.txPageCount = -1;
      this.startPageCount = this.pageCount();
    } catch (error) {
      this.storage.unlockWriter();
      this.state = upgrading ? 'read' : 'none';
      if (!upgrading) this.storage.endRead();
      throw error;
    }
  }

  /**
   * Makes the write transaction durable and visible, and ends it; ends a read
   * transaction. `statementsRunning` false promises that no statement still
   * holds a page of the transaction, so replaced images can be reused.
   */
  commit(statementsRunning = true): void {
    if (this.state === 'read') return this.endRead();
    if (this.state !== 'write') throw misuse('no transaction is active');
    const pageCount = this.txPageCount;
    const changed = this.dirty.size > 0 || pageCount !== this.startPageCount;
    const pages: CommitPage[] = [];
    if (changed) {
      if (this.headerNeedsStamp(pageCount)) this.stampHeader(pageCount);
      for (const pgno of this.dirty.pageNumbers()) if (pgno <= pageCount) pages.push({ pgno, data: this.dirty.get(pgno)! });
      pages.sort((a, b) => a.pgno - b.pgno);
      this.storage.commit(pages, pageCount);
    }
    // Peers see the commit as soon as it is published: let the next writer in before the local bookkeeping,
    // unless this commit runs the automatic checkpoint, which keeps the lock so it can restart the log.
    const checkpointDue = changed && this.storage.checkpointDue();
    if (!checkpointDue) this.storage.unlockWriter();
    if (changed && !this.storage.readsAreFree) {
      for (const page of pages) this.cache.set(page.pgno, page.data);
      for (const pgno of this.dirty.pageNumbers()) if (pgno > pageCount) this.cache.delete(pgno);
    }
    if (!statementsRunning) this.recycleRetired();
    this.finish();
    if (checkpointDue) this.storage.autoCheckpoint();
  }

  /** Discards the write transaction's changes and ends the transaction (also ends a read transaction). */
  rollback(): void {
    if (this.state === 'none') return;
    if (this.state === 'write') this.storage.unlockWriter();
    this.finish();
  }

  /** Opens a savepoint in the write transaction; returns its number (1 = outermost). */
  savepoint(): number {
    if (this.state !== 'write') throw misuse('savepoints need a write transaction');
    this.savepoints.push({ pageCount: this.pageCount(), saved: new Map() });
    return this.savepoints.length;
  }

  /** Undoes every change made since savepoint `n` began; savepoint `n` stays open, inner ones close. */
  rollbackTo(n: number): void {
    this.checkSavepoint(n);
    this.generation++;
    for (let level = this.savepoints.length; level >= n; level--) {
      const { saved, pageCount } = this.savepoints[level - 1]!;
      for (const [pgno, image] of saved) {
        if (image === null) this.dirty.delete(pgno);
        else this.dirty.get(pgno)!.set(image);
      }
      saved.clear();
      this.txPageCount = pageCount;
    }
    this.savepoints.length = n;
  }

  /** Closes savepoint `n` and every savepoint inside it, keeping their changes. */
  release(n: number): void {
    this.checkSavepoint(n);
    const outer = n >= 2 ? this.savepoints[n - 2]!.saved : null;
    if (outer !== null) {
      for (let level = n; level <= this.savepoints.length; level++) {
        for (const [pgno, image] of this.savepoints[level - 1]!.saved) if (!outer.has(pgno)) outer.set(pgno, image);
      }
    }
    this.savepoints.length = n - 1;
  }

  // ---- PageStore -----------------------------------------------------------

  pageCount(): number {
    if (this.txPageCount < 0) {
      if (this.state === 'none') throw misuse('no transaction is active');
      const stored = this.storage.storedPageCount();
      this.txPageCount = stored === 0 ? 1 : inHeaderDatabaseSize(this.committedPage(1)) || stored;
    }
    return this.txPageCount;
  }

  page(pgno: number): Uint8Array {
    this.checkRange(pgno);
    if (this.state === 'write') {
      const dirty = this.dirty.get(pgno);
      if (dirty !== undefined) return dirty;
    }
    return this.committedPage(pgno);
  }

  writable(pgno: number): Uint8Array {
    if (this.state !== 'write') throw misuse('pages can only be changed in a write transaction');
    this.checkRange(pgno);
    const dirty = this.dirty.get(pgno);
    if (dirty !== undefined) {
      this.journal(pgno, dirty);
      return dirty;
    }
    const copy = this.unheldBuffer();
    copy.set(this.committedPage(pgno));
    this.journal(pgno, null);
    this.dirty.set(pgno, copy);
    return copy;
  }

  growByOnePage(): number {
    if (this.state !== 'write') throw misuse('pages can only be added in a write transaction');
    const pgno = this.pageCount() + 1;
    const existing = this.dirty.get(pgno);
    if (existing !== undefined) {
      this.journal(pgno, existing);
      existing.fill(0);
    } else {
      this.journal(pgno, null);
      this.dirty.set(pgno, new Uint8Array(this.pageSize));
    }
    this.txPageCount = pgno;
    return pgno;
  }

  truncateTo(pageCount: number): void {
    if (this.state !== 'write') throw misuse('the database can only shrink in a write transaction');
    if (pageCount < 1 || pageCount > this.pageCount()) throw misuse(`cannot truncate to ${pageCount} pages`);
    this.txPageCount = pageCount;
  }

  // ---- header --------------------------------------------------------------

  /** The decoded database header as the current transaction sees it. */
  header(): DatabaseHeader {
    return parseDatabaseHeader(this.page(1).subarray(0, 100));
  }

  /** One u32 field of the database header. */
  headerField(field: HeaderField): number {
    return readU32(this.page(1), HeaderOffset[field]);
  }

  /** Sets one u32 field of the database header; requires a write transaction. */
  setHeaderField(field: HeaderField, value: number): void {
    writeU32(this.writable(1), HeaderOffset[field], value >>> 0);
  }

  /** The schema cookie (offset 40). */
  schemaCookie(): number {
    return this.headerField('schemaCookie');
  }

  setSchemaCookie(value: number): void {
    this.setHeaderField('schemaCookie', value);
  }

  // ---- maintenance ---------------------------------------------------------

  /** Runs a checkpoint; the connection must have no active transaction. */
  checkpoint(mode: CheckpointMode = 'PASSIVE'): CheckpointResult {
    this.checkOpen();
    if (this.state !== 'none') throw new SqliteError('database table is locked', 'SQLITE_LOCKED');
    if (this.storage.readonly) throw new SqliteError('attempt to write a readonly database', 'SQLITE_READONLY');
    return this.storage.checkpoint(mode);
  }

  /** Rolls back any transaction and releases the storage. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.rollback();
    this.closed = true;
    this.cache.clear();
    this.storage.close();
  }

  // ---- internals -----------------------------------------------------------

  private openSnapshot(): void {
    const stale = this.storage.beginRead();
    if (stale === null) this.cache.clear();
    else for (const pgno of stale) this.cache.delete(pgno);
    this.txPageCount = -1;
  }

  private finish(): void {
    this.generation++;
    if (this.retired.length > 0) this.retired = [];
    this.dirty.clear();
    if (this.savepoints.length > 0) this.savepoints.length = 0;
    this.txPageCount = -1;
    this.state = 'none';
    this.storage.endRead();
  }

  /** The committed image of `pgno` in the current snapshot. */
  private committedPage(pgno: number): Uint8Array {
    if (this.storage.readsAreFree) return this.loadPage(pgno);
    const cached = this.cache.get(pgno);
    if (cached !== undefined) return cached;
    const page = this.loadPage(pgno);
    this.cache.set(pgno, page);
    return page;
  }

  private loadPage(pgno: number): Uint8Array {
    if (pgno === 1) {
      if (this.storage.storedPageCount() === 0) return emptyDatabasePageOne(this.pageSize, this.fileFormatVersion === 2);
      const page = this.storage.read(1);
      if (page === this.validatedPageOne) return page;
      const header = parseDatabaseHeader(page.subarray(0, 100));
      if (header.pageSize !== this.pageSize || header.pageSize - header.reservedBytes !== this.usableSize) {
        throw corruptError('page 1 disagrees with the page size the database was opened with');
      }
      this.validatedPageOne = page;
      return page;
    }
    if (this.storage.readsAreFree) return this.storage.read(pgno);
    return this.storage.read(pgno, this.freeBuffer());
  }

  /** A zero-filled page-sized buffer nobody holds. */
  private freeBuffer(): Uint8Array {
    const spare = this.spare.pop();
    // Zeroed, as a fresh buffer is: a short read (a page past the end of the file) must not show an older page.
    if (spare !== undefined) return spare.fill(0);
    return this.slabBuffer();
  }

  /** A page-sized buffer nobody holds, with arbitrary content: a spare one, or a fresh cut from the current slab. */
  private unheldBuffer(): Uint8Array {
    return this.spare.pop() ?? this.slabBuffer();
  }

  private slabBuffer(): Uint8Array {
    const pageSize = this.pageSize;
    if (this.slab === null || this.slabUsed === PAGES_PER_SLAB) {
      this.slab = new ArrayBuffer(pageSize * PAGES_PER_SLAB);
      this.slabUsed = 0;
    }
    return new Uint8Array(this.slab, pageSize * this.slabUsed++, pageSize);
  }

  /** Keeps an image the cache let go of, to reuse once the transaction ends. */
  private retire(image: Uint8Array): void {
    if (image.length === this.pageSize && image !== this.validatedPageOne && this.retired.length < RECYCLED_BUFFERS) this.retired.push(image);
  }

  /** At `endRead`: no statement runs, so nobody can still hold the retired images. */
  private recycleRetired(): void {
    const retired = this.retired;
    const spare = this.spare;
    for (let i = 0; i < retired.length && spare.length < RECYCLED_BUFFERS; i++) spare.push(retired[i]);
    this.retired = [];
  }

  /** Saves `image` (or "was clean") as the pre-savepoint state of `pgno`, once per level. */
  private journal(pgno: number, image: Uint8Array | null): void {
    if (this.savepoints.length === 0) return;
    const level = this.savepoints[this.savepoints.length - 1];
    if (level.saved.has(pgno)) return;
    level.saved.set(pgno, image === null ? null : image.slice());
  }

  /** True when page 1 takes part in the commit: it changed, or the size or file format it records is out of date. */
  private headerNeedsStamp(pageCount: number): boolean {
    if (this.dirty.has(1) || pageCount !== this.startPageCount) return true;
    const page1 = this.committedPage(1);
    return inHeaderDatabaseSize(page1) !== pageCount || page1[18] !== this.fileFormatVersion || page1[19] !== this.fileFormatVersion;
  }

  /** Updates the header fields SQLite maintains at every commit that touches page 1. */
  private stampHeader(pageCount: number): void {
    const page1 = this.writable(1);
    const changeCounter = (readU32(page1, HeaderOffset.changeCounter) + 1) >>> 0;
    writeU32(page1, HeaderOffset.changeCounter, changeCounter);
    writeU32(page1, HeaderOffset.databaseSizePages, pageCount);
    writeU32(page1, HeaderOffset.versionValidFor, changeCounter);
    writeU32(page1, HeaderOffset.sqliteVersion, WRITER_VERSION_NUMBER);
    page1[18] = this.fileFormatVersion;
    page1[19] = this.fileFormatVersion;
  }

  private checkRange(pgno: number): void {
    // Fast path: a whole page number within the transaction's known page count.
    if (pgno <= this.txPageCount && pgno >= 1 && (pgno | 0) === pgno) return;
    if (this.state === 'none') throw misuse('no transaction is active');
    if (!Number.isInteger(pgno) || pgno < 1 || pgno > this.pageCount()) {
      throw corruptError(`page ${pgno} is out of range (the database has ${this.pageCount()} pages)`);
    }
  }


  private checkSavepoint(n: number): void {
    if (this.state !== 'write' || !Number.isInteger(n) || n < 1 || n > this.savepoints.length) {
      throw misuse(`no savepoint ${n} is open`);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw misuse('the database connection is closed');
  }
}

function misuse(message: string): SqliteError {
  return new SqliteError(message, 'SQLITE_MISUSE');
}

/**
 * FileStorage: committed pages in a database file plus its WAL, shared with
 * every other connection through a Coordination.
 *
 * A read transaction pins the current snapshot (`coord.pinReader`); each page
 * comes from its newest WAL frame within the snapshot, or from the database
 * file. A fully backfilled snapshot is read from the database file alone
 * (its size too, once the log no longer holds its commit frame), because
 * the log may restart while it is pinned. When the snapshot moved since
 * this connection last read, only the pages written in between
 * (`coord.pagesWrittenBetween`) are reported stale;
 * the whole cache goes only when the WAL generation changed in a way this
 * connection did not witness. Its own commits and restarts are witnessed, so
 * they keep the cache.
 *
 * A brand-new database gets page 1 written into the database file and fsynced
 * before the first WAL commit (spec §16.6 item 5). After a commit, the
 * automatic checkpoint (`runAutoCheckpoint`) runs when the log holds at least
 * `autoCheckpointFrames` frames and some are not yet backfilled (0 disables
 * it): like SQLite, it runs again after every commit until it caught up with
 * the whole log. The committer runs it still holding the writer lock, so
 * that when it copies the whole log it can restart it at once; otherwise a
 * peer's next commit, made while the checkpoint syncs, would keep the log
 * one frame ahead of every checkpoint. A checkpoint that readers hold short
 * of the end lets the lock go before it copies.
 */
import { sameGeneration, type Coordination, type ReaderToken, type WalSnapshot } from '../coord/coordination.js';
import {
  runAutoCheckpoint,
  runCheckpoint,
  type CheckpointMode,
  type CheckpointOutcome,
  type CheckpointResult,
} from '../wal/checkpoint.js';
import type { RandomAccessFile } from '../wal/random-access-file.js';
import type { CommitPage, Wal } from '../wal/wal.js';
import type { Storage, StorageTuning } from './storage.js';
import { retryWithBackoff } from './busy-wait.js';

let nextReaderId = 1;

/**
 * How long the automatic checkpoint waits for readers (`runAutoCheckpoint`).
 * After most commits it only spins, long enough for a peer in a loop of short
 * reads to move to the newest snapshot. Twice per log generation (its first
 * checkpoint, and before restarting the log it copied whole) it waits, also
 * sleeping, up to a few milliseconds: time for a reader that lost its CPU to
 * a scheduler tick to get it back. Both are short against the fsyncs and the
 * log growth they save.
 */
const AUTO_CHECKPOINT_CATCH_UP_MICROS = 100;
const AUTO_CHECKPOINT_READER_WAIT_MS = 2;

export class FileStorage implements Storage {
  readonly readsAreFree = false;
  private readonly reader: ReaderToken = { id: nextReaderId++ };
  /** The pinned snapshot of the current read transaction. */
  private snapshot: WalSnapshot | null = null;
  /** The snapshot the Pager's cache reflects. */
  private cachedAs: WalSnapshot | null = null;
  private writeBase: WalSnapshot | null = null;
  private storedCount: { readonly snapshot: WalSnapshot; readonly pages: number } | null = null;

  constructor(
    private readonly db: RandomAccessFile,
    private readonly wal: Wal,
    private readonly coord: Coordination,
    readonly pageSize: number,
    readonly readonly: boolean,
    readonly tuning: StorageTuning,
    /** Runs after the files and coordination are closed (the open-time guard's release). */
    private readonly afterClose: (() => void) | null = null,
    /** Runs as a write transaction starts (the guard re-claims SQLite's vacant deadman switch). */
    private readonly beforeWrite: (() => void) | null = null,
  ) {}

  beginRead(): readonly number[] | null {
    const snapshot = this.coord.pinReader(this.reader);
    this.snapshot = snapshot;
    const stale = staleSince(this.cachedAs, snapshot, this.coord);
    this.cachedAs = snapshot;
    return stale;
  }

  endRead(): void {
    this.coord.unpinReader(this.reader);
    this.snapshot = null;
  }

  storedPageCount(): number {
    const snapshot = this.current();
    if (snapshot.maxFrame > snapshot.nBackfills) return this.wal.commitSize(snapshot);
    const known = this.storedCount;
    if (known !== null && sameSnapshot(known.snapshot, snapshot)) return known.pages;
    const logged = snapshot.maxFrame > 0 ? this.wal.committedSizeInLog(snapshot) : 0;
    const pages = logged > 0 ? logged : Math.floor(this.db.size() / this.pageSize);
    this.storedCount = { snapshot, pages };
    return pages;
  }

  read(pgno: number, into?: Uint8Array): Uint8Array {
    const snapshot = this.current();
    const page = into ?? new Uint8Array(this.pageSize);
    const frame = this.wal.frameOf(pgno, snapshot);
    if (frame > 0) this.wal.readFrame(frame, page, snapshot);
    else this.db.readAt(page, (pgno - 1) * this.pageSize);
    return page;
  }

  tryLockWriter(): boolean {
    return this.coord.tryLockWriter();
  }

  unlockWriter(): void {
    this.writeBase = null;
    this.coord.unlockWriter();
  }

  isSnapshotCurrent(): boolean {
    const latest = this.coord.snapshot();
    const mine = this.current();
    return (
      latest.maxFrame === mine.maxFrame &&
      latest.transactionCount === mine.transactionCount &&
      latest.checkpointSeq === mine.checkpointSeq &&
      latest.salt1 === mine.salt1 &&
      latest.salt2 === mine.salt2 &&
      latest.checksum1 === mine.checksum1 &&
      latest.checksum2 === mine.checksum2
    );
  }

  prepareWrite(): void {
    this.beforeWrite?.();
    const base = this.wal.prepareWrite(this.current(), this.reader);
    if (base !== this.snapshot) {
      this.snapshot = base;
      this.cachedAs = base;
    }
    this.writeBase = base;
  }

  createDatabase(pageOne: Uint8Array): void {
    this.db.writeAt(pageOne, 0);
    if (this.wal.synchronous !== 'OFF') this.db.sync();
    this.storedCount = null;
  }

  commit(pages: readonly CommitPage[], dbSizePages: number): void {
    const base = this.writeBase;
    if (base === null) throw new Error('commit without prepareWrite');
    const published = this.wal.appendCommit(base, pages, dbSizePages);
    this.writeBase = published;
    this.snapshot = published;
    this.cachedAs = published;
  }

  checkpointDue(): boolean {
    const limit = this.tuning.autoCheckpointFrames;
    const published = this.writeBase;
    return limit > 0 && published !== null && published.maxFrame >= limit && published.maxFrame > published.nBackfills;
  }

  autoCheckpoint(): void {
    const waitBriefly = (attempt: () => boolean): boolean => retryWithBackoff(attempt, AUTO_CHECKPOINT_READER_WAIT_MS);
    const releaseWriter = (): void => this.unlockWriter();
    this.adopt(runAutoCheckpoint(this.wal, this.db, AUTO_CHECKPOINT_CATCH_UP_MICROS, waitBriefly, releaseWriter));
  }

  checkpoint(mode: CheckpointMode): CheckpointResult {
    return this.adopt(runCheckpoint(this.wal, this.db, mode, (attempt) => retryWithBackoff(attempt, this.tuning.busyTimeoutMs)));
  }

  /** Keeps the page cache across a restart this connection made from the snapshot it caches. */
  private adopt(outcome: CheckpointOutcome): CheckpointResult {
    const restartedFrom = outcome.restartedFrom;
    if (restartedFrom !== null && this.cachedAs !== null && sameGeneration(this.cachedAs, restartedFrom) && this.cachedAs.maxFrame === restartedFrom.maxFrame) {
      this.cachedAs = this.coord.snapshot();
    }
    return { busy: outcome.busy, logFrames: outcome.logFrames, checkpointedFrames: outcome.checkpointedFrames };
  }

  /**
   * Releases the files and the coordination. The last connection first runs a
   * TRUNCATE checkpoint (no waiting) when the log holds committed frames; a
   * log that holds none is left exactly as it was.
   */
  close(): void {
    try {
      if (!this.readonly && this.coord.snapshot().maxFrame > 0 && this.coord.isLastConnection()) {
        runCheckpoint(this.wal, this.db, 'TRUNCATE', (attempt) => attempt());
      }
    } finally {
      this.releaseResources();
    }
  }

  private releaseResources(): void {
    try {
      this.wal.file?.close();
      this.db.close();
    } finally {
      try {
        this.coord.close();
      } finally {
        this.afterClose?.();
      }
    }
  }

  private current(): WalSnapshot {
    const snapshot = this.snapshot;
    if (snapshot === null) throw new Error('no read transaction is active');
    return snapshot;
  }
}

function sameSnapshot(a: WalSnapshot, b: WalSnapshot): boolean {
  return a === b || (sameGeneration(a, b) && a.maxFrame === b.maxFrame && a.nBackfills === b.nBackfills && a.transactionCount === b.transactionCount);
}

/** Pages whose cached images `previous` allowed but `next` does not; null = all of them. */
function staleSince(previous: WalSnapshot | null, next: WalSnapshot, coord: Coordination): readonly number[] | null {
  if (previous === null) return null;
  if (previous === next) return [];
  if (!sameGeneration(previous, next) || next.maxFrame < previous.maxFrame) return null;
  if (next.maxFrame === previous.maxFrame) return next.transactionCount === previous.transactionCount ? [] : null;
  return coord.pagesWrittenBetween(previous.maxFrame, next.maxFrame);
}

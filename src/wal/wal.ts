/**
 * Wal: one connection's view of the database's write-ahead log, driven by the
 * Coordination that every connection agrees on.
 *
 * Opening (spec §7.5): an initialized coordination state is trusted when it
 * validates against the log file (size exactly `32 + maxFrame·(24+pageSize)`,
 * matching header, commit frame at `maxFrame` carrying the snapshot's salts and
 * checksum); a live state shared with other connections is always adopted.
 * Otherwise the log is scanned (spec §16.5) and the result installed, under
 * the writer lock (spec §17.3 item 6), together with a frame index that
 * matches the scan (the shared one is kept when it already does, so readers
 * of other processes never see it emptied underneath them). The same
 * rebuild finishes a snapshot write a dead peer abandoned (registered with
 * `Coordination.setSnapshotRecovery`), with `nBackfills` 0 and the counters
 * moved on. A log with a bad header counts as empty and is not written to
 * by opening, reading or closing.
 *
 * Readers of a fully backfilled snapshot (`maxFrame === nBackfills`) read
 * only the database file and never look at the log or the index: the log
 * may restart under them (their pin is 0).
 *
 * Writing (spec §10), for the holder of the writer lock: stale index entries of
 * a crashed writer are trimmed; a fully backfilled log that no reader needs a
 * frame of (every pin is 0) is restarted (§12.1); the first append of a
 * generation (snapshot `maxFrame` 0) rewrites the header in place and fsyncs it; frames chain their checksums
 * from the snapshot's and the last one is the commit frame; only then are the
 * frames indexed, immediately before the commit is published. As in SQLite, a
 * commit never truncates or stats the file: frames past the committed end
 * (an older generation's, or a killed writer's) fail the salt or checksum
 * chain, so every scan stops before them; the cost is that an exclusive
 * reopen after a crash scans instead of trusting (§7.5 asks for the exact
 * length), while a clean last close truncates the log anyway. Indexing last
 * keeps the window in which a killed writer leaves index entries past the
 * committed tail as short as possible: Shoal's next writer trims them, but a
 * Turso 0.7.2 writer aborts its process on them (spec §19 H6). Readers
 * locate a page's newest frame through the coordination's index, bounded by
 * their snapshot.
 */
import { randomBytes } from 'node:crypto';
import { sameGeneration, type Coordination, type ReaderToken, type WalSnapshot } from '../coord/coordination.js';
import { FrameIndex } from '../coord/frame-index.js';
import { SqliteError, corruptError } from '../sqlite-error.js';
import type { RandomAccessFile } from './random-access-file.js';
import type { Synchronous } from './synchronous.js';
import {
  WAL_FRAME_HEADER_SIZE,
  WAL_HEADER_SIZE,
  decodeWalHeader,
  encodeWalHeader,
  frameOffset,
  sealFrame,
  usesBigEndianChecksums,
} from './wal-format.js';
import { scanWal, type WalScan } from './wal-scan.js';

/** One page of a commit: its number and its full image. */
export interface CommitPage {
  readonly pgno: number;
  readonly data: Uint8Array;
}

const WRITE_CHUNK_BYTES = 1 << 20;

export class Wal {
  /** Page-to-frame map built from a private scan, for snapshots the shared index cannot answer. */
  private privateIndex: { readonly snapshot: WalSnapshot; readonly index: FrameIndex } | null = null;
  private commitSizeCache: { readonly snapshot: WalSnapshot; readonly dbSizePages: number } | null = null;
  /**
   * The whole commit frame (header and page) that `commitSize` last read, and
   * the snapshot it is the verified commit frame of: a reader that learns the
   * size of a new snapshot usually reads that frame's page next (a peer's
   * last change), and gets it from here instead of a second read.
   */
  private commitFrame: { readonly image: Uint8Array; of: WalSnapshot | null } | null = null;
  /** Checksum word order of the log's generation, learned from its header: [checkpointSeq, salt1, salt2, bigEndian]. */
  private wordOrder: readonly [number, number, number, boolean] | null = null;
  private writeBuffer = new Uint8Array(0);
  private readonly sums = new Uint32Array(2);
  private readonly frameHeader = new Uint8Array(WAL_FRAME_HEADER_SIZE);

  private constructor(
    /** The log file; null only for a read-only connection whose log does not exist. */
    readonly file: RandomAccessFile | null,
    readonly coord: Coordination,
    /** The database page size; every frame holds one page of this size. */
    readonly pageSize: number,
    /** Shared with the connection's settings, so a later change of `synchronous` applies here. */
    private readonly durability: { readonly synchronous: Synchronous },
  ) {}

  get synchronous(): Synchronous {
    return this.durability.synchronous;
  }

  /**
   * Attaches to the log: trusts or rebuilds the coordination state (spec §7.5).
   * `pageSize` is the database's page size. A rebuild waits for the writer
   * lock through `waitFor` (the caller's busy timeout; default: one try) and
   * fails with `SQLITE_BUSY` when it cannot have it.
   */
  static open(
    file: RandomAccessFile | null,
    coord: Coordination,
    pageSize: number,
    durability: { readonly synchronous: Synchronous },
    waitFor: (attempt: () => boolean) => boolean = (attempt) => attempt(),
  ): Wal {
    const wal = new Wal(file, coord, pageSize, durability);
    coord.setSnapshotRecovery((torn) => wal.recoverAbandonedSnapshot(torn));
    if (wal.needsRebuild()) {
      if (!waitFor(() => coord.tryLockWriter())) throw new SqliteError('database is locked', 'SQLITE_BUSY');
      try {
        if (wal.needsRebuild()) wal.rebuildFromScan();
      } finally {
        coord.unlockWriter();
      }
    }
    return wal;
  }

  /** True unless the coordination state is live and shared, or validates against the file (spec §7.5). */
  private needsRebuild(): boolean {
    const coord = this.coord;
    const adoptLiveState = coord.openMode === 'multiprocess' && !coord.isUninitialized();
    return !adoptLiveState && (coord.isUninitialized() || !this.validates(coord.snapshot()));
  }

  /** The page size a log file on disk declares when it is valid, else 0 (used when the database file is empty). */
  static declaredPageSize(file: RandomAccessFile | null): number {
    if (file === null || file.size() < WAL_HEADER_SIZE) return 0;
    const bytes = new Uint8Array(WAL_HEADER_SIZE);
    file.readAt(bytes, 0);
    return decodeWalHeader(bytes)?.pageSize ?? 0;
  }

  /** True when the snapshot agrees with the file on disk (spec §7.5 conditions 1, 3, 4). */
  private validates(s: WalSnapshot): boolean {
    if (s.nBackfills !== 0 && this.coord.openMode === 'exclusive') return false;
    const size = this.file === null ? 0 : this.file.size();
    if (s.maxFrame === 0 && size === 0) return true;
    if (this.file === null || size < WAL_HEADER_SIZE) return false;
    const headerBytes = new Uint8Array(WAL_HEADER_SIZE);
    this.file.readAt(headerBytes, 0);
    const header = decodeWalHeader(headerBytes);
    if (
      header === null ||
      header.pageSize !== s.pageSize ||
      header.pageSize !== this.pageSize ||
      header.checkpointSeq !== s.checkpointSeq ||
      header.salt1 !== s.salt1 ||
      header.salt2 !== s.salt2
    ) {
      return false;
    }
    if (s.maxFrame === 0) return size === WAL_HEADER_SIZE;
    if (size !== frameOffset(s.maxFrame + 1, s.pageSize)) return false;
    const frame = this.frameHeader;
    this.file.readAt(frame, frameOffset(s.maxFrame, s.pageSize));
    const view = new DataView(frame.buffer);
    if (view.getUint32(4) === 0 || view.getUint32(8) !== s.salt1 || view.getUint32(12) !== s.salt2) return false;
    if (view.getUint32(16) !== s.checksum1 || view.getUint32(20) !== s.checksum2) return false;
    if (s.maxFrame > s.nBackfills) {
      const indexed = this.coord.pagesWrittenBetween(0, s.maxFrame);
      if (indexed === null || indexed.length === 0) return false;
    }
    return true;
  }

  /** Scans the log and installs what it proves as the shared state (writer lock held). */
  private rebuildFromScan(): void {
    const current = this.coord.snapshot();
    const scan = this.scanIntoIndex();
    this.coord.installSnapshot(snapshotFromScan(scan, current));
  }

  /**
   * The recovery of a snapshot write a dead peer abandoned (both locks held
   * by the coordination, which installs the result): what the log proves,
   * with `nBackfills` 0 (always safe: the log still holds every frame it
   * counts) and the counters and epoch moved past anything published, so
   * every reader and cache sees a change.
   */
  private recoverAbandonedSnapshot(torn: WalSnapshot): WalSnapshot {
    const scan = this.scanIntoIndex();
    return snapshotFromScan(scan, {
      ...torn,
      transactionCount: torn.transactionCount + 1,
      visibilityGeneration: torn.visibilityGeneration + 1,
      checkpointEpoch: (torn.checkpointEpoch + 1) >>> 0,
    });
  }

  /**
   * Scans the log and makes the shared index hold exactly its committed
   * frames: kept (trimmed) when it already has every one of them, else
   * discarded and refilled from the scan.
   */
  private scanIntoIndex(): WalScan {
    const scan = scanWal(this.file, this.pageSize);
    const coord = this.coord;
    let indexed = true;
    for (let frame = 1; frame <= scan.maxFrame && indexed; frame++) {
      indexed = coord.findFrame(scan.pageOfFrame[frame - 1]!, frame, frame) === frame;
    }
    if (indexed) {
      coord.trimFrames(scan.maxFrame);
    } else {
      coord.discardFrameIndex();
      for (let frame = 1; frame <= scan.maxFrame; frame++) coord.appendFrame(scan.pageOfFrame[frame - 1]!, frame);
    }
    this.privateIndex = null;
    return scan;
  }

  // ---- readers -------------------------------------------------------------

  /** The frame holding `pgno` as `snapshot` sees it, or 0 when the page comes from the database file. */
  frameOf(pgno: number, snapshot: WalSnapshot): number {
    if (snapshot.maxFrame === snapshot.nBackfills) return 0;
    const frame = this.coord.findFrame(pgno, snapshot.nBackfills + 1, snapshot.maxFrame);
    if (frame >= 0) return frame;
    return this.privateIndexFor(snapshot).find(pgno, snapshot.nBackfills + 1, snapshot.maxFrame);
  }

  /** Copies the page image of `frame`, a frame of `snapshot`'s generation, into `target`. */
  readFrame(frame: number, target: Uint8Array, snapshot: WalSnapshot): void {
    const held = this.commitFrame;
    if (held !== null && held.of !== null && held.of.maxFrame === frame && sameGeneration(held.of, snapshot)) {
      target.set(held.image.subarray(WAL_FRAME_HEADER_SIZE));
      return;
    }
    if (this.file === null || this.file.readAt(target, frameOffset(frame, this.pageSize) + WAL_FRAME_HEADER_SIZE, this.pageSize) !== this.pageSize) {
      throw corruptError(`WAL frame ${frame} is missing`);
    }
  }

  /**
   * Database size in pages recorded by the commit frame at `snapshot.maxFrame`
   * (> 0) when the log still holds that frame (same salts and checksum), else
   * 0: a fully backfilled snapshot's log may have restarted since.
   */
  committedSizeInLog(snapshot: WalSnapshot): number {
    const cached = this.commitSizeCache;
    if (cached !== null && sameCommit(cached.snapshot, snapshot)) return cached.dbSizePages;
    const frame = this.frameHeader;
    if (this.file === null || this.file.readAt(frame, frameOffset(snapshot.maxFrame, this.pageSize)) !== WAL_FRAME_HEADER_SIZE) return 0;
    const view = new DataView(frame.buffer);
    const dbSizePages = view.getUint32(4);
    if (dbSizePages === 0 || !headerSealsCommit(view, snapshot)) return 0;
    this.commitSizeCache = { snapshot, dbSizePages };
    return dbSizePages;
  }

  /** Database size in pages recorded by the commit frame at `snapshot.maxFrame` (> 0). */
  commitSize(snapshot: WalSnapshot): number {
    const cached = this.commitSizeCache;
    if (cached !== null && sameCommit(cached.snapshot, snapshot)) return cached.dbSizePages;
    const held = (this.commitFrame ??= { image: new Uint8Array(WAL_FRAME_HEADER_SIZE + this.pageSize), of: null });
    held.of = null;
    const bytes = this.file === null ? 0 : this.file.readAt(held.image, frameOffset(snapshot.maxFrame, this.pageSize));
    if (bytes < WAL_FRAME_HEADER_SIZE) throw corruptError(`WAL commit frame ${snapshot.maxFrame} is missing`);
    const header = new DataView(held.image.buffer, 0, WAL_FRAME_HEADER_SIZE);
    const dbSizePages = header.getUint32(4);
    if (dbSizePages === 0) throw corruptError(`WAL frame ${snapshot.maxFrame} is not a commit frame`);
    if (bytes === held.image.length && headerSealsCommit(header, snapshot)) held.of = snapshot;
    this.commitSizeCache = { snapshot, dbSizePages };
    return dbSizePages;
  }

  /** Newest frame per page within `[minFrame, maxFrame]` of `snapshot`'s generation, sorted by page. */
  latestFrames(snapshot: WalSnapshot, minFrame: number, maxFrame: number): Array<readonly [number, number]> {
    return this.coord.latestFrames(minFrame, maxFrame) ?? this.privateIndexFor(snapshot).latest(minFrame, maxFrame);
  }

  private privateIndexFor(snapshot: WalSnapshot): FrameIndex {
    const known = this.privateIndex;
    if (
      known !== null &&
      known.snapshot.checkpointSeq === snapshot.checkpointSeq &&
      known.snapshot.salt1 === snapshot.salt1 &&
      known.snapshot.salt2 === snapshot.salt2 &&
      known.snapshot.maxFrame >= snapshot.maxFrame
    ) {
      return known.index;
    }
    const scan = scanWal(this.file, this.pageSize);
    const header = scan.header;
    if (header === null || header.salt1 !== snapshot.salt1 || header.salt2 !== snapshot.salt2 || scan.maxFrame < snapshot.maxFrame) {
      throw corruptError('the WAL no longer holds the frames of the current snapshot');
    }
    const index = new FrameIndex();
    for (let frame = 1; frame <= snapshot.maxFrame; frame++) index.append(scan.pageOfFrame[frame - 1]!, frame);
    this.privateIndex = { snapshot, index };
    return index;
  }

  // ---- writer --------------------------------------------------------------

  /**
   * First step of a write transaction, under the writer lock, for a
   * connection whose read snapshot `readSnapshot` is current: trims leftovers
   * of crashed writers and restarts a fully backfilled log when no reader
   * needs any of its frames (spec §10 steps 4–5; readers of the database file
   * alone pin 0 and are passed, as SQLite passes read-mark 0). The log counts
   * as fully backfilled also when a checkpoint finished it after this
   * connection's read began (same commit, `nBackfills` caught up): its pages
   * are then in the database file, which is where this transaction reads
   * from after the restart. Returns the snapshot the transaction builds on.
   */
  prepareWrite(readSnapshot: WalSnapshot, reader: ReaderToken): WalSnapshot {
    this.coord.trimFrames(readSnapshot.maxFrame);
    const latest = this.coord.snapshot();
    if (
      latest.maxFrame > 0 &&
      latest.maxFrame === latest.nBackfills &&
      latest.maxFrame === readSnapshot.maxFrame &&
      latest.transactionCount === readSnapshot.transactionCount &&
      latest.checkpointSeq === readSnapshot.checkpointSeq &&
      latest.salt1 === readSnapshot.salt1 &&
      latest.salt2 === readSnapshot.salt2 &&
      (this.coord.maxReaderFrame(reader) ?? 0) === 0
    ) {
      this.restart(latest);
      this.coord.repinReader(reader, 0);
      return this.coord.snapshot();
    }
    return latest;
  }

  /**
   * Starts a new generation (spec §12.1); requires the writer lock and no
   * reader pinned above frame 0. The file keeps its old header until the
   * next writer rewrites it.
   */
  restart(current: WalSnapshot): void {
    this.coord.trimFrames(0);
    this.coord.installSnapshot({
      ...current,
      maxFrame: 0,
      nBackfills: 0,
      checkpointSeq: (current.checkpointSeq + 1) >>> 0,
      salt1: (current.salt1 + 1) >>> 0,
      salt2: randomBytes(4).readUInt32BE(0),
    });
    this.coord.bumpCheckpointEpoch();
  }

  /**
   * Appends `pages` (ascending page numbers) as one transaction on top of
   * `base` and publishes it; `dbSizePages` goes into the commit frame.
   * Returns the published snapshot. On failure the index is trimmed back.
   */
  appendCommit(base: WalSnapshot, pages: readonly CommitPage[], dbSizePages: number): WalSnapshot {
    const file = this.file;
    if (file === null || pages.length === 0) throw new Error('appendCommit needs a log file and at least one page');
    const start = base.maxFrame === 0 ? this.writeHeader(base, file) : base;
    const bigEndian = this.usesBigEndianWords(start, file);
    const pageSize = this.pageSize;
    const frameSize = WAL_FRAME_HEADER_SIZE + pageSize;
    const framesPerChunk = Math.max(1, Math.min(pages.length, Math.floor(WRITE_CHUNK_BYTES / frameSize)));
    if (this.writeBuffer.length < framesPerChunk * frameSize) this.writeBuffer = new Uint8Array(framesPerChunk * frameSize);
    const buffer = this.writeBuffer;
    const sums = this.sums;
    sums[0] = start.checksum1;
    sums[1] = start.checksum2;
    const firstFrame = start.maxFrame + 1;
    try {
      for (let done = 0; done < pages.length; ) {
        const count = Math.min(framesPerChunk, pages.length - done);
        for (let i = 0; i < count; i++) {
          const page = pages[done + i]!;
          const at = i * frameSize;
          buffer.set(page.data, at + WAL_FRAME_HEADER_SIZE);
          const isCommit = done + i === pages.length - 1;
          sealFrame(buffer, at, pageSize, page.pgno, isCommit ? dbSizePages : 0, start.salt1, start.salt2, bigEndian, sums);
        }
        file.writeAt(buffer, frameOffset(firstFrame + done, pageSize), count * frameSize);
        done += count;
      }
      if (this.synchronous === 'FULL') file.sync();
      for (let i = 0; i < pages.length; i++) this.coord.appendFrame(pages[i]!.pgno, firstFrame + i);
    } catch (error) {
      this.coord.trimFrames(start.maxFrame);
      throw error;
    }
    const newMaxFrame = start.maxFrame + pages.length;
    this.coord.publishCommit(newMaxFrame, sums[0]!, sums[1]!, start.transactionCount);
    const published = this.coord.snapshot();
    this.commitSizeCache = { snapshot: published, dbSizePages };
    return published;
  }

  /**
   * True when the log's header (SQLite on a big-endian host) asks for
   * big-endian checksum words; frames appended to it must continue its chain.
   */
  private usesBigEndianWords(snapshot: WalSnapshot, file: RandomAccessFile): boolean {
    const known = this.wordOrder;
    if (known !== null && known[0] === snapshot.checkpointSeq && known[1] === snapshot.salt1 && known[2] === snapshot.salt2) {
      return known[3];
    }
    const bytes = new Uint8Array(WAL_HEADER_SIZE);
    file.readAt(bytes, 0);
    const header = decodeWalHeader(bytes);
    if (header === null || header.salt1 !== snapshot.salt1 || header.salt2 !== snapshot.salt2) {
      throw corruptError('the WAL header does not belong to the committed snapshot');
    }
    const bigEndian = usesBigEndianChecksums(header.magic);
    this.wordOrder = [snapshot.checkpointSeq, snapshot.salt1, snapshot.salt2, bigEndian];
    return bigEndian;
  }

  /** Writes the header of `base`'s generation (spec §10 step 6) and installs the snapshot it implies. */
  private writeHeader(base: WalSnapshot, file: RandomAccessFile): WalSnapshot {
    const freshSalts = base.salt1 === 0 && base.salt2 === 0;
    const salts = freshSalts ? randomBytes(8) : null;
    const bytes = new Uint8Array(WAL_HEADER_SIZE);
    const header = encodeWalHeader(
      {
        pageSize: this.pageSize,
        checkpointSeq: base.checkpointSeq,
        salt1: salts ? salts.readUInt32BE(0) : base.salt1,
        salt2: salts ? salts.readUInt32BE(4) : base.salt2,
      },
      bytes,
    );
    file.writeAt(bytes, 0);
    if (this.synchronous !== 'OFF') file.sync();
    this.coord.installSnapshot({
      ...base,
      maxFrame: 0,
      nBackfills: 0,
      checkpointSeq: header.checkpointSeq,
      pageSize: header.pageSize,
      salt1: header.salt1,
      salt2: header.salt2,
      checksum1: header.checksum1,
      checksum2: header.checksum2,
    });
    this.privateIndex = null;
    const installed = this.coord.snapshot();
    this.wordOrder = [installed.checkpointSeq, installed.salt1, installed.salt2, false];
    return installed;
  }
}

/**
 * The snapshot a scan proves: its generation, tail and checksums, nothing
 * backfilled, and the counters and epoch of `carried`.
 */
function snapshotFromScan(scan: WalScan, carried: WalSnapshot): WalSnapshot {
  const header = scan.header;
  return {
    maxFrame: scan.maxFrame,
    nBackfills: 0,
    transactionCount: carried.transactionCount,
    visibilityGeneration: carried.visibilityGeneration,
    checkpointSeq: header?.checkpointSeq ?? 0,
    checkpointEpoch: carried.checkpointEpoch,
    pageSize: header?.pageSize ?? 0,
    salt1: header?.salt1 ?? 0,
    salt2: header?.salt2 ?? 0,
    checksum1: scan.checksum1,
    checksum2: scan.checksum2,
  };
}

/** True when a frame header carries `snapshot`'s salts and final checksum: it is that snapshot's commit frame. */
function headerSealsCommit(header: DataView, snapshot: WalSnapshot): boolean {
  return (
    header.getUint32(8) === snapshot.salt1 &&
    header.getUint32(12) === snapshot.salt2 &&
    header.getUint32(16) === snapshot.checksum1 &&
    header.getUint32(20) === snapshot.checksum2
  );
}

/** True when both snapshots end at the same commit frame of one generation. */
function sameCommit(a: WalSnapshot, b: WalSnapshot): boolean {
  return a === b || (a.maxFrame === b.maxFrame && sameGeneration(a, b));
}

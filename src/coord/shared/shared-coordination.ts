/**
 * `SharedCoordination`: the `Coordination` contract over a memory-mapped
 * `-tshm` file in Turso's v1 layout (spec tshm.md), so that every process,
 * ours or Turso's, sees one snapshot, one writer, one checkpointer, every
 * reader's pin, and one page→frame index.
 *
 * Each instance is one peer with its own mapping and owner record. Lock
 * flavors (`tshm-attachment.ts`; chosen by the `lockFlavor` option, else the
 * `SHOAL_LOCKS` environment variable, else the platform, see
 * `src/os/lock-flavor.ts`):
 *  - `ofd`, Linux's default: each instance has its own open file
 *    description, so connections of one process and worker_threads
 *    coordinate exactly like separate processes (OFD locks of two
 *    descriptions conflict), reader slots excepted: those a thread's
 *    connections share (see below);
 *  - `posix`, other Unix systems, or Linux with `SHOAL_LOCKS=posix` /
 *    `lockFlavor: 'posix'`: the same bytes in the same modes as classic
 *    process-scoped locks (spec §6.2); the process's connections share one
 *    descriptor and an in-process registry keeps them apart
 *    (`process-tshm-files.ts`); only the main thread may open this way.
 * Promises beyond the contract:
 *  - reader slots are shared by the thread's connections to one file
 *    (`reader-slot-pool.ts`): a read transaction uses a pool slot pinned at
 *    its frame for its duration (shared with the thread's other read
 *    transactions of the same pin), so the 64 slots bound distinct pins of
 *    concurrent read transactions, not connections;
 *  - steady-state read transactions make no system call: a slot is claimed
 *    only when the pool has no idle one, and stays claimed (its lock byte,
 *    held by the pool, proves it alive); pins are atomic stores, re-validated against
 *    the snapshot after pinning (§9.1 step 5; while the seqlock sequence has
 *    not moved, the sequence alone is checked before and after the store and
 *    the last validated snapshot is reused); a fully backfilled snapshot
 *    pins frame 0 (it reads only the database file, see `pinReader`);
 *  - a snapshot write abandoned by a dead peer (sequence stuck odd) is
 *    finished by whichever waiting connection can hold both the writer and
 *    the checkpoint lock, with the snapshot its registered recovery rebuilds
 *    from the WAL (`setSnapshotRecovery`); every snapshot write of ours holds
 *    one of those locks, so holding both proves the publisher gone;
 *  - every snapshot change goes through the seqlock, with the publication
 *    orders of §10 and §12 (proof cleared before commits, installed and
 *    fsynced before nbackfills);
 *  - a read-only peer reads and pins but every write answers `SQLITE_READONLY`;
 *  - after `close()` every method throws `SQLITE_MISUSE` (the mapping is gone).
 */
import { fsyncSync } from 'node:fs';
import type { Coordination, DatabaseIdentity, OpenMode, ReaderToken, WalSnapshot } from '../coordination.js';
import type { LockFlavor } from '../../os/byte-range-lock.js';
import { filesystemOf } from '../../os/filesystem.js';
import { chooseLockFlavor } from '../../os/lock-flavor.js';
import { countSyscall } from '../../os/syscall-counter.js';
import { SqliteError, corruptError } from '../../sqlite-error.js';
import { Backoff } from './backoff.js';
import { clearBackfillProof, installBackfillProof, proofMatches, readBackfillProof } from './backfill-proof.js';
import { FrameIndex } from './frame-index.js';
import { nextOwnerRecord } from './owner-record.js';
import { ReaderSlotPool } from './reader-slot-pool.js';
import {
  Field,
  SNAPSHOT_FIELD_COUNT,
  SnapshotSeqlock,
  fieldsFromSnapshot,
  snapshotFromFields,
} from './snapshot-seqlock.js';
import { Header, LockByte, SNAPSHOT_FIELDS, UNOWNED, coordinationPathFor } from './tshm-layout.js';
import { attachTshm, type TshmAttachment } from './tshm-attachment.js';
import type { TshmLockBytes } from './tshm-lock-bytes.js';
import type { TshmRegion } from './tshm-region.js';

export interface SharedCoordinationOptions {
  /** The database file; its filesystem must support coherent shared maps (§3). */
  readonly databasePath: string;
  /** The WAL file the `-tshm` name derives from (§2); defaults to `<databasePath>-wal`. */
  readonly walPath?: string;
  /** Read-only participation (§7.7): the `-tshm` must already exist and be valid. */
  readonly readOnly?: boolean;
  /**
   * Byte-range lock flavor; defaults to `SHOAL_LOCKS`, else OFD where the OS
   * has them (see `src/os/lock-flavor.ts`). `'posix'` forces the fallback of
   * other Unix systems on Linux.
   */
  readonly lockFlavor?: LockFlavor;
}

const MAX_U32 = 0xffff_ffff;
const NOT_PINNED = -1;

function misuse(detail: string): SqliteError {
  return new SqliteError(`bad parameter or other API misuse: ${detail}`, 'SQLITE_MISUSE');
}

function checkCount(name: string, value: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw misuse(`${name} out of range: ${value}`);
}

function isInMemoryPath(path: string): boolean {
  return path === '' || path.startsWith(':memory:') || path.startsWith('file::memory:');
}

export class SharedCoordination implements Coordination {
  readonly openMode: OpenMode;
  /** Path of the `-tshm` file. */
  readonly path: string;
  readonly readOnly: boolean;
  /** This peer's owner record, `(pid << 32) | instance` (§4.4). */
  readonly ownerRecord: bigint;
  readonly lockFlavor: LockFlavor;
  private readonly attachment: TshmAttachment;
  private readonly fd: number;
  private readonly region: TshmRegion;
  private readonly lockBytes: TshmLockBytes;
  private readonly seqlock: SnapshotSeqlock;
  private readonly slots: ReaderSlotPool;
  private readonly index: FrameIndex;
  /** The slot each reader token's read transaction uses; NOT_PINNED between transactions. */
  private readonly slotOfToken = new Map<number, number>();
  private readonly pinned = new Float64Array(SNAPSHOT_FIELD_COUNT);
  private readonly scratch = new Float64Array(SNAPSHOT_FIELD_COUNT);
  private writerHeld = false;
  private checkpointHeld = false;
  private closed = false;
  private recovery: ((torn: WalSnapshot) => WalSnapshot) | null = null;
  /**
   * The last snapshot a pin was validated for, with its pin and the seqlock
   * sequence it was read under: while the sequence stays the same, the next
   * pin reuses it (one store between two sequence loads, no allocation).
   */
  private lastPinned: { readonly snapshot: WalSnapshot; readonly pin: number; readonly sequenceLow: number; readonly sequenceHigh: number } | null = null;
  private recovering = false;

  /** Joins (creating when needed) the coordination of the database at `options.databasePath`. */
  static open(options: SharedCoordinationOptions): SharedCoordination {
    const { databasePath } = options;
    if (isInMemoryPath(databasePath)) {
      throw new SqliteError(
        `experimental multiprocess WAL is not supported for in-memory database path '${databasePath}'`,
        'SQLITE_CANTOPEN',
      );
    }
    const filesystem = filesystemOf(databasePath);
    if (!filesystem.sharedMemorySafe) {
      throw new SqliteError(
        `unable to open database file: multi-process access is not supported on ${filesystem.name} ` +
          `(f_type 0x${filesystem.type.toString(16)}) because shared memory maps are not coherent there: ${databasePath}`,
        'SQLITE_CANTOPEN',
      );
    }
    const lockFlavor = chooseLockFlavor(options.lockFlavor);
    const path = coordinationPathFor(options.walPath ?? `${databasePath}-wal`);
    return new SharedCoordination(path, options.readOnly ?? false, lockFlavor);
  }

  private constructor(path: string, readOnly: boolean, lockFlavor: LockFlavor) {
    this.path = path;
    this.readOnly = readOnly;
    this.lockFlavor = lockFlavor;
    this.ownerRecord = nextOwnerRecord();
    this.attachment = attachTshm(path, readOnly, this.ownerRecord, lockFlavor);
    this.openMode = this.attachment.mode;
    this.fd = this.attachment.fd;
    this.region = this.attachment.region;
    this.lockBytes = this.attachment.lockBytes;
    this.seqlock = new SnapshotSeqlock(this.region, (stuck) => this.recoverAbandonedWrite(stuck));
    this.index = new FrameIndex(this.region);
    try {
      this.slots = ReaderSlotPool.join(this.attachment, this.ownerRecord);
    } catch (err) {
      this.attachment.detach();
      throw err;
    }
  }

  snapshot(): WalSnapshot {
    this.assertOpen();
    this.seqlock.read(this.scratch);
    return snapshotFromFields(this.scratch);
  }

  isUninitialized(): boolean {
    this.assertOpen();
    this.seqlock.read(this.scratch);
    return this.scratch.every((value) => value === 0);
  }

  installSnapshot(snapshot: WalSnapshot): void {
    this.assertWritable();
    checkSnapshot(snapshot);
    clearBackfillProof(this.region);
    this.index.trim(snapshot.maxFrame);
    const fields = this.scratch;
    fieldsFromSnapshot(snapshot, fields);
    this.seqlock.beginWrite();
    try {
      for (let field = 0; field < SNAPSHOT_FIELD_COUNT; field++) this.seqlock.setField(field, fields[field]!);
    } finally {
      this.seqlock.endWrite();
    }
  }

  // ---- readers -------------------------------------------------------------

  pinReader(connection: ReaderToken): WalSnapshot {
    this.assertOpen();
    const current = this.slotOfToken.get(connection.id);
    if (current !== undefined && current !== NOT_PINNED) {
      throw misuse(`connection ${connection.id} already has a read transaction`);
    }
    const seqlock = this.seqlock;
    const reused = this.lastPinned;
    if (reused !== null && seqlock.unchangedSince(reused.sequenceLow, reused.sequenceHigh)) {
      const slot = this.slots.acquire(reused.pin);
      if (seqlock.unchangedSince(reused.sequenceLow, reused.sequenceHigh)) {
        this.slotOfToken.set(connection.id, slot);
        return reused.snapshot;
      }
      this.slots.release(slot);
    }
    const snapshot = this.pinned;
    const recheck = this.scratch;
    let backoff: Backoff | null = null;
    for (;;) {
      this.seqlock.read(snapshot);
      const sequenceLow = seqlock.lastReadLow;
      const sequenceHigh = seqlock.lastReadHigh;
      if (snapshot[Field.nBackfills]! > snapshot[Field.maxFrame]!) {
        throw corruptError(`-tshm snapshot has nbackfills ${snapshot[Field.nBackfills]} > max_frame ${snapshot[Field.maxFrame]}`);
      }
      const pin = readerPinOf(snapshot);
      const slot = this.slots.acquire(pin);
      this.seqlock.read(recheck);
      if (sameReadView(snapshot, recheck)) {
        this.slotOfToken.set(connection.id, slot);
        const pinned = snapshotFromFields(snapshot);
        this.lastPinned = { snapshot: pinned, pin, sequenceLow, sequenceHigh };
        return pinned;
      }
      this.slots.release(slot);
      backoff ??= new Backoff();
      if (!backoff.pause()) {
        throw new SqliteError('database is locked: the WAL snapshot kept changing', 'SQLITE_BUSY');
      }
    }
  }

  unpinReader(connection: ReaderToken): void {
    this.assertOpen();
    const slot = this.slotOfToken.get(connection.id);
    if (slot !== undefined && slot !== NOT_PINNED) this.endRead(connection, slot);
  }

  repinReader(connection: ReaderToken, frame: number): void {
    this.assertOpen();
    checkCount('frame', frame, MAX_U32);
    const slot = this.slotOfToken.get(connection.id);
    if (slot === undefined || slot === NOT_PINNED) {
      throw misuse(`connection ${connection.id} has no read transaction to move`);
    }
    this.slotOfToken.set(connection.id, this.slots.move(slot, frame));
  }

  minReaderFrame(except?: ReaderToken): number | null {
    this.assertOpen();
    const exceptSlot = except === undefined ? NOT_PINNED : (this.slotOfToken.get(except.id) ?? NOT_PINNED);
    return this.slots.minFrame(exceptSlot);
  }

  maxReaderFrame(except?: ReaderToken): number | null {
    this.assertOpen();
    const exceptSlot = except === undefined ? NOT_PINNED : (this.slotOfToken.get(except.id) ?? NOT_PINNED);
    return this.slots.maxFrame(exceptSlot);
  }

  // ---- writer and checkpointer --------------------------------------------

  tryLockWriter(): boolean {
    this.assertWritable();
    if (this.writerHeld) return true;
    if (!this.lockBytes.tryLock(LockByte.writer)) return false;
    this.writerHeld = true;
    this.region.store64(Header.writerOwner, this.ownerRecord);
    return true;
  }

  unlockWriter(): void {
    this.assertOpen();
    if (!this.writerHeld) return;
    this.region.store64(Header.writerOwner, UNOWNED);
    this.writerHeld = false;
    this.lockBytes.unlock(LockByte.writer);
  }

  tryLockCheckpoint(): boolean {
    this.assertWritable();
    if (this.checkpointHeld) return true;
    if (!this.lockBytes.tryLock(LockByte.checkpoint)) return false;
    this.checkpointHeld = true;
    this.region.store64(Header.checkpointOwner, this.ownerRecord);
    return true;
  }

  unlockCheckpoint(): void {
    this.assertOpen();
    if (!this.checkpointHeld) return;
    this.region.store64(Header.checkpointOwner, UNOWNED);
    this.checkpointHeld = false;
    this.lockBytes.unlock(LockByte.checkpoint);
  }

  publishCommit(newMaxFrame: number, checksum1: number, checksum2: number, baseTransactionCount: number): void {
    this.assertWritable();
    checkCount('max frame', newMaxFrame, MAX_U32);
    checkCount('checksum', checksum1, MAX_U32);
    checkCount('checksum', checksum2, MAX_U32);
    checkCount('transaction count', baseTransactionCount);
    clearBackfillProof(this.region);
    const seqlock = this.seqlock;
    seqlock.beginWrite();
    try {
      const maxFrame = this.currentField(Field.maxFrame);
      if (newMaxFrame > maxFrame) seqlock.setField(Field.maxFrame, newMaxFrame);
      if (Math.max(maxFrame, newMaxFrame) === newMaxFrame) {
        seqlock.setField(Field.checksum1, checksum1);
        seqlock.setField(Field.checksum2, checksum2);
      }
      const transactions = this.currentField(Field.transactionCount);
      seqlock.setField(Field.transactionCount, Math.max(transactions, baseTransactionCount + 1));
      seqlock.setField(Field.visibilityGeneration, this.currentField(Field.visibilityGeneration) + 1);
    } finally {
      seqlock.endWrite();
    }
  }

  publishBackfill(nBackfills: number, identity: DatabaseIdentity | null): void {
    this.assertWritable();
    checkCount('nBackfills', nBackfills, MAX_U32);
    const current = this.snapshot();
    if (nBackfills > current.maxFrame || (nBackfills !== 0 && nBackfills < current.nBackfills)) {
      throw misuse(`nBackfills ${nBackfills} outside [${current.nBackfills}, ${current.maxFrame}]`);
    }
    if (nBackfills === 0) {
      clearBackfillProof(this.region);
    } else {
      if (identity === null) throw misuse('a backfill proof needs the database identity');
      checkCount('database size', identity.dbSizePages, MAX_U32);
      checkCount('database header CRC', identity.dbHeaderCrc32c, MAX_U32);
      installBackfillProof(this.region, current, nBackfills, identity);
      countSyscall();
      fsyncSync(this.fd);
    }
    this.seqlock.beginWrite();
    try {
      this.seqlock.setField(Field.nBackfills, nBackfills);
    } finally {
      this.seqlock.endWrite();
    }
  }

  bumpCheckpointEpoch(): void {
    this.assertWritable();
    this.seqlock.beginWrite();
    try {
      this.seqlock.setField(Field.checkpointEpoch, (this.currentField(Field.checkpointEpoch) + 1) % 0x1_0000_0000);
    } finally {
      this.seqlock.endWrite();
    }
  }

  setSnapshotRecovery(recover: (torn: WalSnapshot) => WalSnapshot): void {
    this.assertOpen();
    this.recovery = recover;
  }

  /**
   * The seqlock's stuck-sequence handler: with both the writer and the
   * checkpoint lock held (taken here unless this connection already holds
   * them), the peer that left `stuck` is dead; rebuild the snapshot through
   * the registered recovery and finish its write. True when the sequence
   * changed (repaired here or by someone else).
   */
  private recoverAbandonedWrite(stuck: bigint): boolean {
    if (this.closed || this.readOnly || this.recovery === null || this.recovering) return false;
    const hadWriter = this.writerHeld;
    const hadCheckpoint = this.checkpointHeld;
    if (!this.tryLockWriter()) return false;
    try {
      if (!this.tryLockCheckpoint()) return false;
      try {
        if (this.region.load64(Header.snapshotSeq) !== stuck) return true;
        this.recovering = true;
        const torn = new Float64Array(SNAPSHOT_FIELD_COUNT);
        this.seqlock.readUnlocked(torn);
        const rebuilt = this.recovery(snapshotFromFields(torn));
        checkSnapshot(rebuilt);
        clearBackfillProof(this.region);
        this.index.trim(rebuilt.maxFrame);
        fieldsFromSnapshot(rebuilt, torn);
        this.seqlock.completeAbandonedWrite(stuck, torn);
        return true;
      } finally {
        this.recovering = false;
        if (!hadCheckpoint) this.unlockCheckpoint();
      }
    } finally {
      if (!hadWriter) this.unlockWriter();
    }
  }

  /**
   * §13 validation of the published proof against the current snapshot and
   * the database file's identity: whether a non-zero `nBackfills` found at
   * open may be trusted (§7.5 step 5). Not part of the `Coordination` contract.
   */
  backfillProofMatches(identity: DatabaseIdentity): boolean {
    return proofMatches(readBackfillProof(this.region), this.snapshot(), identity);
  }

  // ---- page-to-frame index -------------------------------------------------

  appendFrame(pgno: number, frame: number): void {
    this.assertWritable();
    checkCount('page number', pgno, MAX_U32);
    checkCount('frame', frame, MAX_U32);
    if (pgno === 0 || frame === 0) throw misuse('page and frame numbers start at 1');
    this.index.append(pgno, frame, this.region.loadWide(Header.maxFrame));
  }

  trimFrames(maxFrame: number): void {
    this.assertWritable();
    this.index.trim(maxFrame);
  }

  discardFrameIndex(): void {
    this.assertWritable();
    this.index.discard();
  }

  findFrame(pgno: number, minFrame: number, maxFrame: number): number {
    this.assertOpen();
    return this.index.find(pgno, minFrame, maxFrame);
  }

  pagesWrittenBetween(afterFrame: number, upToFrame: number): number[] | null {
    this.assertOpen();
    return this.index.pagesWrittenBetween(afterFrame, upToFrame);
  }

  latestFrames(minFrame: number, maxFrame: number): Array<readonly [pgno: number, frame: number]> | null {
    this.assertOpen();
    return this.index.latestFrames(minFrame, maxFrame);
  }

  // ---- lifetime -------------------------------------------------------------

  isLastConnection(): boolean {
    this.assertOpen();
    return this.attachment.isLastConnection();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      try {
        for (const slot of this.slotOfToken.values()) if (slot !== NOT_PINNED) this.slots.release(slot);
      } finally {
        this.slots.leave();
      }
      if (this.writerHeld) this.region.store64(Header.writerOwner, UNOWNED);
      if (this.checkpointHeld) this.region.store64(Header.checkpointOwner, UNOWNED);
    } finally {
      this.attachment.detach();
    }
  }

  /** Gives the read transaction's share of its slot back to the pool (no system call). */
  private endRead(connection: ReaderToken, slot: number): void {
    this.slotOfToken.set(connection.id, NOT_PINNED);
    this.slots.release(slot);
  }

  private currentField(field: number): number {
    const layout = SNAPSHOT_FIELDS[field]!;
    return layout.wide ? this.region.loadWide(layout.offset) : this.region.load32(layout.offset);
  }

  private assertOpen(): void {
    if (this.closed) throw misuse('the coordination file is closed');
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new SqliteError('attempt to write a readonly database', 'SQLITE_READONLY');
  }
}

/**
 * The frame a reader of `snapshot` pins: its `maxFrame`, or 0 when it is
 * fully backfilled and so reads nothing but the database file (SQLite's
 * read-mark 0). A pin of 0 stops every checkpoint from copying anything
 * while it is held (the database file stays as the reader saw it, §19 H1),
 * but needs no WAL frame, so a restart may pass it.
 */
function readerPinOf(snapshot: Float64Array): number {
  const maxFrame = snapshot[Field.maxFrame]!;
  return maxFrame === snapshot[Field.nBackfills] ? 0 : maxFrame;
}

/** The fields §9.1 step 5 compares after pinning. */
function sameReadView(a: Float64Array, b: Float64Array): boolean {
  return (
    a[Field.maxFrame] === b[Field.maxFrame] &&
    a[Field.nBackfills] === b[Field.nBackfills] &&
    a[Field.checksum1] === b[Field.checksum1] &&
    a[Field.checksum2] === b[Field.checksum2] &&
    a[Field.checkpointSeq] === b[Field.checkpointSeq] &&
    a[Field.transactionCount] === b[Field.transactionCount]
  );
}

function checkSnapshot(snapshot: WalSnapshot): void {
  checkCount('maxFrame', snapshot.maxFrame, MAX_U32);
  checkCount('nBackfills', snapshot.nBackfills, snapshot.maxFrame);
  checkCount('transactionCount', snapshot.transactionCount);
  checkCount('visibilityGeneration', snapshot.visibilityGeneration);
  for (const name of ['checkpointSeq', 'checkpointEpoch', 'pageSize', 'salt1', 'salt2', 'checksum1', 'checksum2'] as const) {
    checkCount(name, snapshot[name], MAX_U32);
  }
}

/**
 * The coordination contract between the pager/WAL and whoever decides "who may
 * do what, now": the committed WAL snapshot, the writer and checkpoint locks,
 * reader pins, and the page-to-frame index.
 *
 * Two implementations sit behind it and nothing above `src/coord/` may tell
 * them apart:
 *  - in-process (`:memory:`-free single-process/exclusive mode, and several
 *    connections of one process sharing one database), and
 *  - shared: the memory-mapped `-tshm` file of `spec/tshm.md` (Turso v1 layout),
 *    where every process is a peer.
 *
 * Promises every implementation keeps (the invariants of docs/architecture.md):
 *  - `snapshot()` never returns a half-written snapshot (spec §8 seqlock).
 *  - at most one writer holds `tryLockWriter()` across all processes;
 *  - `minReaderFrame()` covers the pins of every connection in every process,
 *    so a checkpoint bounded by it never overwrites a page a reader needs;
 *  - lookups never see an index entry before `appendFrame` returned, and
 *    callers always bound lookups by a snapshot's `maxFrame`.
 * Locks are try-once: waiting and busy timeouts belong to the caller.
 */

/** The WAL state all connections agree on (spec §4.2 "Seq" fields). */
export interface WalSnapshot {
  /** Last committed WAL frame (1-based); 0 = nothing committed in this generation. */
  readonly maxFrame: number;
  /** Frames durably copied into the database file. */
  readonly nBackfills: number;
  /** Monotonic commit counter. */
  readonly transactionCount: number;
  /** +1 per published commit; carried across restarts. */
  readonly visibilityGeneration: number;
  /** WAL header "checkpoint sequence" of the current generation. */
  readonly checkpointSeq: number;
  /** Bumped after every checkpoint and restart; tags cached pages. */
  readonly checkpointEpoch: number;
  /** WAL page size; 0 = the WAL header of this generation was never prepared. */
  readonly pageSize: number;
  readonly salt1: number;
  readonly salt2: number;
  /** Rolling checksum after the last committed frame (or the header checksum). */
  readonly checksum1: number;
  readonly checksum2: number;
}

/**
 * True when both snapshots belong to one WAL generation (checkpoint sequence,
 * salts, page size): within it, a committed frame never changes.
 */
export function sameGeneration(a: WalSnapshot, b: WalSnapshot): boolean {
  return a.checkpointSeq === b.checkpointSeq && a.salt1 === b.salt1 && a.salt2 === b.salt2 && a.pageSize === b.pageSize;
}

/** How an open found the coordination state (spec §7.2). */
export type OpenMode = 'exclusive' | 'multiprocess';

/** Identity of the database file as the backfill proof records it (spec §13). */
export interface DatabaseIdentity {
  readonly dbSizePages: number;
  readonly dbHeaderCrc32c: number;
}

export interface Coordination {
  /** 'exclusive' when this opener was alone at open time and may repair state. */
  readonly openMode: OpenMode;

  /** All eleven snapshot fields, read consistently. */
  snapshot(): WalSnapshot;

  /** True when every snapshot field is zero (a new coordination state, spec §4.2). */
  isUninitialized(): boolean;

  /**
   * Replaces the whole snapshot (WAL header write, restart, rebuild after a
   * scan). Clears the backfill proof and trims the frame index to the new
   * `maxFrame` first, as spec §8 orders.
   */
  installSnapshot(snapshot: WalSnapshot): void;

  // ---- readers -------------------------------------------------------------

  /**
   * Starts a read transaction: returns the current snapshot, pinned so that
   * no checkpoint anywhere copies frames past the pin into the database file
   * while it is held. The pin is the snapshot's `maxFrame`, except for a
   * fully backfilled snapshot (`maxFrame === nBackfills`), which reads only
   * the database file and pins frame 0 (SQLite's read-mark 0): checkpoints
   * then copy nothing while it reads, but the WAL may restart under it.
   * Validates the snapshot again after pinning (spec §9.1). Throws
   * `SQLITE_BUSY` when no pin can be had. Each connection holds at most one
   * pin at a time.
   */
  pinReader(connection: ReaderToken): WalSnapshot;

  /** Ends the read transaction of `connection`. */
  unpinReader(connection: ReaderToken): void;

  /** Moves an existing pin to frame 0 after this connection restarted the WAL (spec §10 step 5). */
  repinReader(connection: ReaderToken, frame: number): void;

  /**
   * Smallest frame pinned by any active reader of any connection in any
   * process, optionally ignoring `except` (the caller's own pin); stale pins
   * of dead processes are reclaimed on the way (spec §9.4). `null` = no reader.
   */
  minReaderFrame(except?: ReaderToken): number | null;

  /**
   * Largest frame pinned by any active reader, with the same scope and
   * reclamation as `minReaderFrame`. `null` or 0 means no reader needs a WAL
   * frame, so the WAL may restart (spec §10 step 5, §12.1).
   */
  maxReaderFrame(except?: ReaderToken): number | null;

  // ---- writer and checkpointer --------------------------------------------

  /** One non-blocking attempt at the writer lock (spec §10 step 1). */
  tryLockWriter(): boolean;
  unlockWriter(): void;

  /** One non-blocking attempt at the checkpoint lock (spec §12 step 2). */
  tryLockCheckpoint(): boolean;
  unlockCheckpoint(): void;

  /**
   * Publishes a commit (spec §10 step 9): clears the proof, then in one
   * snapshot write raises `maxFrame` to `newMaxFrame` (never lowers it), sets
   * the checksums when it did, sets `transactionCount` to at least
   * `baseTransactionCount + 1`, and adds one to `visibilityGeneration`.
   */
  publishCommit(newMaxFrame: number, checksum1: number, checksum2: number, baseTransactionCount: number): void;

  /**
   * Publishes checkpoint progress (spec §12 step 12): installs the backfill
   * proof for `identity` when `nBackfills > 0` and makes it durable, then
   * stores `nBackfills`.
   */
  publishBackfill(nBackfills: number, identity: DatabaseIdentity | null): void;

  /** checkpoint_epoch += 1 (spec §12 step 10). */
  bumpCheckpointEpoch(): void;

  /**
   * Registers how this connection rebuilds the snapshot from the WAL file
   * when a peer died inside a snapshot write (spec §8, §19 H7). Every
   * snapshot write of ours (`installSnapshot`, `publishCommit`,
   * `publishBackfill`, `bumpCheckpointEpoch`) is made while holding the
   * writer or the checkpoint lock; so when the snapshot stays half-written
   * past a short grace period and this connection can hold both locks, its
   * publisher is dead. The implementation then calls `recover` with the
   * fields as they were left (possibly torn) while holding both locks,
   * installs what it returns and makes the snapshot readable again; the
   * waiting `snapshot()`/`pinReader`/publication continues. `recover` must
   * not read the snapshot; it may use the frame-index methods. Without a
   * registered recovery (or on a read-only peer) the waiter gives up with
   * `SQLITE_PROTOCOL` after its budget, as before. An implementation whose
   * snapshots can never be left half-written ignores the registration.
   */
  setSnapshotRecovery(recover: (torn: WalSnapshot) => WalSnapshot): void;

  // ---- page-to-frame index -------------------------------------------------

  /** Records that WAL frame `frame` holds page `pgno`. Writer only; frames strictly increase. */
  appendFrame(pgno: number, frame: number): void;

  /** Drops every index entry with a frame above `maxFrame` (rollback, write start, restart). */
  trimFrames(maxFrame: number): void;

  /** Drops the whole index (exclusive rebuild, spec §11.7). */
  discardFrameIndex(): void;

  /**
   * Newest frame holding `pgno` within `[minFrame, maxFrame]`, or 0 when the
   * page is not in that window (read it from the database file).
   * Returns -1 when the index cannot answer (overflowed): the caller must
   * consult its private WAL scan.
   */
  findFrame(pgno: number, minFrame: number, maxFrame: number): number;

  /**
   * Pages with a frame in `(afterFrame, upToFrame]` of the current generation,
   * for selective cache invalidation; `null` when the index cannot say.
   */
  pagesWrittenBetween(afterFrame: number, upToFrame: number): number[] | null;

  /** Newest frame of each page within `[minFrame, maxFrame]`, sorted by page (checkpoint, spec §11.5). */
  latestFrames(minFrame: number, maxFrame: number): Array<readonly [pgno: number, frame: number]> | null;

  // ---- lifetime -------------------------------------------------------------

  /**
   * True when no other connection (in this or another process) has the
   * database open, so this one may run the shutdown checkpoint. The answer
   * stays true while the caller holds the result of this call and has not yet
   * called `close()` (spec §17.3 item 2).
   */
  isLastConnection(): boolean;

  /** Releases every lock, pin and mapping this connection holds. Idempotent. */
  close(): void;
}

/** Identifies one connection's reader pin; implementations attach their own state. */
export interface ReaderToken {
  readonly id: number;
}

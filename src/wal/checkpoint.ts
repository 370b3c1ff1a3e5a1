/**
 * Checkpoint: copying committed WAL frames back into the database file
 * (spec §12), in SQLite's four modes.
 *
 *  - PASSIVE copies what it can without waiting: frames up to the smallest
 *    reader pin (`coord.minReaderFrame()`), never past it, so no reader ever
 *    finds a database page newer than its snapshot.
 *  - FULL also takes the writer lock and waits (busy handler) until no reader
 *    is pinned below the end of the log, then copies all of it.
 *  - RESTART does FULL, then waits until no reader needs a frame of the log
 *    and starts a new WAL generation (§12.1), so the next writer rewrites the
 *    log from the start. Readers of a fully backfilled snapshot read only the
 *    database file and pin frame 0: they stop every copy while they read
 *    (nothing is copied past 0), but a restart passes them, as SQLite's
 *    restart passes readers on read-mark 0.
 *  - TRUNCATE does RESTART and truncates the log file to 0 bytes.
 *  - The automatic checkpoint (`runAutoCheckpoint`) is PASSIVE run by a
 *    committer that still holds the writer lock, with a moment's grace for
 *    readers: while they hold it short of the end of the log it waits for
 *    them to move to the newest snapshot (a reader in a loop of short
 *    transactions does so within microseconds). If they still do, it lets
 *    the writer lock go before copying, so other writers go on meanwhile.
 *    Otherwise it copies the whole log under the lock, waits for readers to
 *    leave it (new read transactions of a fully backfilled snapshot pin
 *    frame 0) and restarts it at once. The first checkpoint of a
 *    generation, and the restart, wait a little longer and sleep (a reader
 *    that lost its CPU needs it back; this is paid once per generation);
 *    later ones only spin briefly, so a reader that keeps starting long
 *    transactions costs each commit little. Without the grace, two
 *    processes taking turns keep each other one frame short, and every
 *    commit pays a partial checkpoint's fsyncs.
 *
 * Order per copy: fsync the WAL (synchronous != OFF), write each page's newest
 * frame, shrink the database file when the whole log went in, fsync the
 * database file, then publish `nBackfills` with the database identity. Locks
 * are held until publication or truncation is finished. Busy is reported in
 * the result (like `PRAGMA wal_checkpoint`), never thrown.
 */
import type { WalSnapshot } from '../coord/coordination.js';
import { SqliteError } from '../sqlite-error.js';
import { crc32c } from './crc32c.js';
import type { RandomAccessFile } from './random-access-file.js';
import type { Wal } from './wal.js';

export type CheckpointMode = 'PASSIVE' | 'FULL' | 'RESTART' | 'TRUNCATE';

/** What `PRAGMA wal_checkpoint` reports. */
export interface CheckpointResult {
  /** True when the checkpoint could not finish (locks or readers in the way). */
  readonly busy: boolean;
  /** Frames in the log (0 after a successful TRUNCATE). */
  readonly logFrames: number;
  /** Frames of the log now in the database file. */
  readonly checkpointedFrames: number;
}

export interface CheckpointOutcome extends CheckpointResult {
  /** The snapshot the log was restarted from, when this checkpoint restarted it. */
  readonly restartedFrom: WalSnapshot | null;
}

/**
 * Runs one checkpoint of `wal` into `db`. `waitFor(attempt)` retries `attempt`
 * under the caller's busy timeout and reports whether it eventually succeeded.
 */
export function runCheckpoint(
  wal: Wal,
  db: RandomAccessFile,
  mode: CheckpointMode,
  waitFor: (attempt: () => boolean) => boolean,
): CheckpointOutcome {
  const coord = wal.coord;
  const initial = coord.snapshot();
  const restarting = mode === 'RESTART' || mode === 'TRUNCATE';
  if (!restarting && initial.maxFrame === initial.nBackfills) {
    return { busy: false, logFrames: initial.maxFrame, checkpointedFrames: initial.nBackfills, restartedFrom: null };
  }
  const lockedCheckpoint = mode === 'PASSIVE' ? coord.tryLockCheckpoint() : waitFor(() => coord.tryLockCheckpoint());
  if (!lockedCheckpoint) {
    return { busy: true, logFrames: initial.maxFrame, checkpointedFrames: initial.nBackfills, restartedFrom: null };
  }
  let lockedWriter = false;
  try {
    if (mode !== 'PASSIVE') {
      lockedWriter = waitFor(() => coord.tryLockWriter());
      if (!lockedWriter) {
        const s = coord.snapshot();
        return { busy: true, logFrames: s.maxFrame, checkpointedFrames: s.nBackfills, restartedFrom: null };
      }
    }
    const current = coord.snapshot();
    const safeFrame = (): number => safeFrameOf(wal, current);
    if (mode !== 'PASSIVE') waitFor(() => safeFrame() >= current.maxFrame);
    const safe = safeFrame();
    if (safe > current.nBackfills) {
      backfill(wal, db, current, safe);
    }
    const complete = safe === current.maxFrame;
    if (!restarting || (mode === 'RESTART' && current.maxFrame === 0)) {
      if (safe > current.nBackfills) coord.bumpCheckpointEpoch();
      return { busy: mode !== 'PASSIVE' && !complete, logFrames: current.maxFrame, checkpointedFrames: Math.max(safe, current.nBackfills), restartedFrom: null };
    }
    if (!complete || !waitFor(() => (coord.maxReaderFrame() ?? 0) === 0)) {
      return { busy: true, logFrames: current.maxFrame, checkpointedFrames: Math.max(safe, current.nBackfills), restartedFrom: null };
    }
    const restartedFrom = coord.snapshot();
    if (restartedFrom.maxFrame > 0) wal.restart(restartedFrom);
    if (mode === 'TRUNCATE') {
      const file = wal.file;
      if (file !== null && file.size() > 0) {
        file.truncate(0);
        if (wal.synchronous !== 'OFF') file.sync();
      }
      return { busy: false, logFrames: 0, checkpointedFrames: 0, restartedFrom: restartedFrom.maxFrame > 0 ? restartedFrom : null };
    }
    return { busy: false, logFrames: current.maxFrame, checkpointedFrames: current.maxFrame, restartedFrom: restartedFrom.maxFrame > 0 ? restartedFrom : null };
  } finally {
    if (lockedWriter) coord.unlockWriter();
    coord.unlockCheckpoint();
  }
}

/**
 * The automatic checkpoint after a commit (see the module comment): PASSIVE
 * after waiting for readers that hold it short of the end of the log
 * (`waitBriefly(attempt)`, a short bounded wait, for the generation's first
 * checkpoint; a spin of `catchUpMicros` for later ones); when it copied all
 * of it, `waitBriefly` for readers to leave the log, then a restart. The
 * caller holds the writer lock and no read transaction; `releaseWriter` is
 * called exactly once, as early as the checkpoint allows.
 */
export function runAutoCheckpoint(
  wal: Wal,
  db: RandomAccessFile,
  catchUpMicros: number,
  waitBriefly: (attempt: () => boolean) => boolean,
  releaseWriter: () => void,
): CheckpointOutcome {
  let writerHeld = true;
  const letWriterGo = (): void => {
    if (!writerHeld) return;
    writerHeld = false;
    releaseWriter();
  };
  try {
    return checkpointAfterCommit(wal, db, catchUpMicros, waitBriefly, letWriterGo);
  } finally {
    letWriterGo();
  }
}

function checkpointAfterCommit(
  wal: Wal,
  db: RandomAccessFile,
  catchUpMicros: number,
  waitBriefly: (attempt: () => boolean) => boolean,
  letWriterGo: () => void,
): CheckpointOutcome {
  const coord = wal.coord;
  if (!coord.tryLockCheckpoint()) {
    const s = coord.snapshot();
    return { busy: true, logFrames: s.maxFrame, checkpointedFrames: s.nBackfills, restartedFrom: null };
  }
  try {
    const current = coord.snapshot();
    const heldShort = (): boolean => {
      const safe = safeFrameOf(wal, current);
      return safe > current.nBackfills && safe < current.maxFrame;
    };
    if (current.nBackfills === 0) waitBriefly(() => !heldShort());
    else spinWhile(heldShort, catchUpMicros);
    const safe = safeFrameOf(wal, current);
    if (safe < current.maxFrame) letWriterGo();
    if (safe > current.nBackfills) backfill(wal, db, current, safe);
    const restarting = safe === current.maxFrame && safe > 0 && waitBriefly(() => (coord.maxReaderFrame() ?? 0) === 0);
    if (!restarting) {
      if (safe > current.nBackfills) coord.bumpCheckpointEpoch();
      return { busy: false, logFrames: current.maxFrame, checkpointedFrames: safe, restartedFrom: null };
    }
    const restartedFrom = coord.snapshot();
    if (restartedFrom.maxFrame !== current.maxFrame || restartedFrom.nBackfills !== current.maxFrame) {
      throw new SqliteError('locking protocol: the WAL changed under the writer lock during the automatic checkpoint', 'SQLITE_PROTOCOL');
    }
    wal.restart(restartedFrom);
    return { busy: false, logFrames: current.maxFrame, checkpointedFrames: current.maxFrame, restartedFrom };
  } finally {
    coord.unlockCheckpoint();
  }
}

/** The last frame a checkpoint of `current` may copy: not past any reader's pin (§12 step 4). */
function safeFrameOf(wal: Wal, current: WalSnapshot): number {
  return Math.max(current.nBackfills, Math.min(current.maxFrame, wal.coord.minReaderFrame() ?? current.maxFrame));
}

/** Spins while `condition` holds, for at most `micros`. */
function spinWhile(condition: () => boolean, micros: number): void {
  if (!condition()) return;
  const deadline = performance.now() + micros / 1000;
  while (performance.now() < deadline) if (!condition()) return;
}

/** Copies frames `(snapshot.nBackfills, safe]` into the database file and publishes the progress. */
function backfill(wal: Wal, db: RandomAccessFile, snapshot: WalSnapshot, safe: number): void {
  const frames = wal.latestFrames(snapshot, snapshot.nBackfills + 1, safe);
  const sync = wal.synchronous !== 'OFF';
  if (frames.length > 0 && sync && wal.file !== null) wal.file.sync();
  const pageSize = wal.pageSize;
  const page = new Uint8Array(pageSize);
  for (const [pgno, frame] of frames) {
    wal.readFrame(frame, page, snapshot);
    db.writeAt(page, (pgno - 1) * pageSize);
  }
  if (safe === snapshot.maxFrame && snapshot.maxFrame > 0) {
    const committedBytes = wal.commitSize(snapshot) * pageSize;
    if (db.size() > committedBytes) db.truncate(committedBytes);
  }
  if (sync) db.sync();
  const header = new Uint8Array(100);
  const headerBytes = db.readAt(header, 0);
  const identity =
    headerBytes === 100
      ? { dbSizePages: new DataView(header.buffer).getUint32(28), dbHeaderCrc32c: crc32c(header) }
      : null;
  wal.coord.publishBackfill(safe, identity);
}

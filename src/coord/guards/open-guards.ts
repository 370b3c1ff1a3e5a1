/**
 * The open-time guards, composed in the order that makes every pair of
 * concurrent openers see each other. Each mode first marks the database the
 * way the other mode looks for, then looks for the other mode:
 *  - a single-process open takes its whole-file locks on the database and
 *    WAL, then looks at `-tshm` byte 0 (it also looks once before locking,
 *    so it does not make a live multi-process peer's next opener fail);
 *  - a multi-process open holds `-tshm` byte 0 (taken by the shared
 *    coordination between `guardMultiProcessOpen` and `confirmJoined`),
 *    then looks at the database file's locks (before too, as Turso does).
 * Both then keep SQLite out through `-shm` (`sqlite-exclusion.ts`).
 *
 * Call order for the open path (the guard must exist before anything of the
 * database is read, and is released after the pager closed its files):
 *   single-process: guard = guardSingleProcessOpen(path, readOnly)
 *                   → openPager(path, {...}) → … → pager.close() → guard.release()
 *   multi-process:  guard = guardMultiProcessOpen(path, readOnly)
 *                   → coordination = SharedCoordination.open(...)
 *                   → guard.confirmJoined()
 *                   → openPager(path, { coordination }) → … → pager.close() → guard.release()
 * On any failure after the guard was made, release it. Promises: a refusal
 * is a `SQLITE_BUSY` SqliteError naming who has the database, and leaves
 * nothing held that the failed step took.
 */
import { ExclusiveFileLocks } from './exclusive-file-locks.js';
import { guardedFilesOf, type GuardedFiles } from './guarded-files.js';
import { refuseIfMultiProcessPeer } from './multiprocess-peer-probe.js';
import { refuseIfSingleProcessOpenerElsewhere, refuseIfSingleProcessOpenerHere } from './single-process-opener-probe.js';
import { SqliteExclusion } from './sqlite-exclusion.js';

export class SingleProcessGuard {
  constructor(
    private readonly locks: ExclusiveFileLocks,
    private readonly exclusion: SqliteExclusion,
  ) {}

  /** Re-takes the whole-file locks after some descriptor of the database or WAL was closed in this process. */
  reassertLocks(): void {
    this.locks.reassert();
  }

  release(): void {
    this.exclusion.release();
    this.locks.release();
  }
}

export class MultiProcessGuard {
  constructor(
    private readonly files: GuardedFiles,
    private readonly readOnly: boolean,
    private readonly exclusion: SqliteExclusion,
  ) {}

  /** Looks for single-process openers again, now that this open holds `-tshm` byte 0. */
  confirmJoined(): void {
    refuseSingleProcessOpeners(this.files, this.readOnly);
  }

  /** See `SqliteExclusion.claimVacantDeadmanSwitch`. */
  claimVacantDeadmanSwitch(): boolean {
    return this.exclusion.claimVacantDeadmanSwitch();
  }

  release(): void {
    this.exclusion.release();
  }
}

export function guardSingleProcessOpen(databasePath: string, readOnly: boolean): SingleProcessGuard {
  const files = guardedFilesOf(databasePath);
  refuseIfMultiProcessPeer(files);
  const locks = ExclusiveFileLocks.acquire(files, readOnly);
  try {
    refuseIfMultiProcessPeer(files);
    return new SingleProcessGuard(locks, SqliteExclusion.attach(files, readOnly));
  } catch (error) {
    locks.release();
    throw error;
  }
}

export function guardMultiProcessOpen(databasePath: string, readOnly: boolean): MultiProcessGuard {
  const files = guardedFilesOf(databasePath);
  refuseSingleProcessOpeners(files, readOnly);
  return new MultiProcessGuard(files, readOnly, SqliteExclusion.attach(files, readOnly));
}

/** Read-only opens skip the database probe (spec §7.7), but never share a process with single-process opens. */
function refuseSingleProcessOpeners(files: GuardedFiles, readOnly: boolean): void {
  refuseIfSingleProcessOpenerHere(files);
  if (!readOnly) refuseIfSingleProcessOpenerElsewhere(files);
}

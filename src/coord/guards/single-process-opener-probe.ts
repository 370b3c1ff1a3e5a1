/**
 * The probe a writable multi-process open makes for live single-process
 * ("legacy", `multiProcess: false`) openers, spec tshm.md §15.2, plus the
 * SQLite transactions the same query reveals.
 *
 * A single-process opener, Turso's or ours, holds a whole-file POSIX lock on
 * the database for its lifetime. Turso probes by taking a whole-file write
 * lock and unlocking it; this probe asks `F_GETLK` instead (see
 * `database-file-holders.ts`), which takes no lock, so it cannot drop locks
 * this process holds and never makes a concurrent opener fail. POSIX
 * `F_GETLK` cannot see this process's own locks, so single-process opens of
 * this process are found in `ExclusiveFileLocks`' registry instead.
 * Promises: throws `SQLITE_BUSY` naming the holder (a single-process opener
 * here or elsewhere, or a SQLite transaction); otherwise returns having left
 * nothing open and taken no lock. A missing database file has no holders.
 */
import { constants, existsSync } from 'node:fs';
import { closeFileDescriptor, openFileDescriptor } from '../../os/file-descriptor.js';
import { databaseFileHolder } from './database-file-holders.js';
import { ExclusiveFileLocks } from './exclusive-file-locks.js';
import { openBySqlite, openInSingleProcessModeElsewhere, openInSingleProcessModeHere } from './guard-errors.js';
import type { GuardedFiles } from './guarded-files.js';

/** Refuses while this process holds the database in single-process mode. */
export function refuseIfSingleProcessOpenerHere(files: GuardedFiles): void {
  if (ExclusiveFileLocks.heldByThisProcess(files)) throw openInSingleProcessModeHere(files.database);
}

/** Refuses while another process has the database open in single-process mode or is in a SQLite transaction on it. */
export function refuseIfSingleProcessOpenerElsewhere(files: GuardedFiles): void {
  if (!existsSync(files.database)) return;
  const fd = openFileDescriptor(files.database, constants.O_RDONLY);
  try {
    switch (databaseFileHolder(fd)) {
      case 'single-process':
        throw openInSingleProcessModeElsewhere(files.database);
      case 'sqlite':
        throw openBySqlite(files.database, 'it is in a transaction on the database file');
      case null:
        return;
    }
  } finally {
    closeFileDescriptor(fd);
  }
}

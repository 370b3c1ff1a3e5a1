/**
 * Who holds byte-range locks on a database file, read with `F_GETLK` (a
 * query: it takes no lock, so it never disturbs another opener's probe).
 *
 * Two kinds of holders lock a database file, in disjoint places:
 *  - single-process ("legacy") openers, Turso's and ours, lock the whole
 *    file (spec tshm.md §15.1), so they always cover the bytes below
 *    SQLite's lock page;
 *  - SQLite (os_unix.c `unixLock`) locks only the bytes from its
 *    `PENDING_BYTE` (0x40000000): PENDING, RESERVED and the 510-byte SHARED
 *    range, during transactions (a WAL-mode reader holds SHARED while it
 *    reads; an idle connection holds nothing here).
 * Promises: answers `single-process` when any lock reaches below the lock
 * page, `sqlite` when only the lock page is locked, `null` when nothing
 * conflicts. POSIX `F_GETLK` never reports the calling process's own locks.
 */
import { ByteRangeLock } from '../../os/byte-range-lock.js';

/** SQLite's `PENDING_BYTE` (sqlite3PendingByte default): the first byte of its lock page. */
export const SQLITE_PENDING_BYTE = 0x4000_0000;
/** PENDING (1) + RESERVED (1) + SHARED_SIZE (510). */
export const SQLITE_LOCK_BYTES = 512;

export type DatabaseFileHolder = 'single-process' | 'sqlite';

export function databaseFileHolder(fd: number): DatabaseFileHolder | null {
  if (new ByteRangeLock(fd, 0, SQLITE_PENDING_BYTE, 'posix').conflictingHolder('exclusive')) return 'single-process';
  if (new ByteRangeLock(fd, SQLITE_PENDING_BYTE, SQLITE_LOCK_BYTES, 'posix').conflictingHolder('exclusive')) {
    return 'sqlite';
  }
  return null;
}

/**
 * The probe a single-process open makes for live multi-process peers (spec
 * tshm.md §15.3): every multi-process peer, Turso's or ours, holds a shared
 * OFD lock on byte 0 of `<db>-tshm` for as long as it has the database open.
 *
 * Turso's legacy opener probes by locking byte 0 itself; this probe asks the
 * kernel with `F_GETLK` instead (which on Linux also reports OFD locks,
 * this process's own included), which takes no lock, so a multi-process
 * opener running at the same moment never mistakes the probe for a peer and
 * nothing is left to release. It reads nothing from the file, so a missing,
 * empty or invalid `-tshm` simply has no peers. Where this process itself
 * holds the `-tshm` with POSIX locks (which `F_GETLK` cannot see, and which
 * closing a second descriptor would drop), it borrows the process's own
 * descriptor and counts the process as a live peer.
 * Promises: throws `SQLITE_BUSY` ("database is open in multi-process mode by
 * another process") while any process holds a lock on byte 0; otherwise
 * returns having left nothing open.
 */
import { existsSync } from 'node:fs';
import { ByteRangeLock } from '../../os/byte-range-lock.js';
import { openForReading } from '../shared/process-tshm-files.js';
import { openInMultiProcessModeElsewhere } from './guard-errors.js';
import type { GuardedFiles } from './guarded-files.js';

/** Byte 0 of `-tshm`: the lifetime lock of every multi-process peer (§6.1). */
const LIFETIME_BYTE = 0;

export function refuseIfMultiProcessPeer(files: GuardedFiles): void {
  if (!existsSync(files.tshm)) return;
  const reading = openForReading(files.tshm);
  try {
    if (reading.borrowed || new ByteRangeLock(reading.fd, LIFETIME_BYTE, 1, 'posix').conflictingHolder('exclusive') !== null) {
      throw openInMultiProcessModeElsewhere(files.database);
    }
  } finally {
    reading.release();
  }
}

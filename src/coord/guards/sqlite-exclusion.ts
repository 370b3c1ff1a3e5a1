/**
 * Keeps SQLite (any process linking SQLite: better-sqlite3, the sqlite3
 * shell, ...) from reading or writing a database while Shoal has it open,
 * and refuses to open one that a live SQLite connection is using. SQLite
 * knows nothing of `-tshm`; it coordinates through locks on its wal-index
 * file `<db>-shm` (SQLite 3.53 os_unix.c and wal.c), and those are what this
 * guard holds. It never writes a byte into `-shm`.
 *
 * The facts it relies on (checked against the source and against
 * better-sqlite3 in test/coord-guards):
 *  - every SQLite connection to a WAL database maps `-shm` before its first
 *    read (`unixOpenSharedMemory` → `unixLockSharedMemory`): it asks
 *    `F_GETLK` about the DMS byte (128); if any process holds it
 *    exclusively, the map fails with SQLITE_BUSY; if nobody holds it, it
 *    takes it exclusively, truncates `-shm` to 3 bytes and then holds it
 *    shared; if someone holds it shared, it holds it shared too. An attached
 *    connection keeps its shared DMS lock until it closes, idle or not.
 *  - reading the (then empty) wal-index needs recovery, and recovery and
 *    every write transaction need the WAL_WRITE_LOCK byte (120) exclusively
 *    (`walIndexReadHdr`, `walLockExclusive`).
 *  - a connection closing, or switching `journal_mode` away from WAL, takes
 *    an EXCLUSIVE lock on the database file and, if granted, checkpoints the
 *    WAL *ignoring every `-shm` lock* (`sqlite3WalClose` sets exclusive mode)
 *    and then deletes the WAL and `-shm`. Only a failure to map `-shm`
 *    stops it — which is why holding the DMS byte exclusively matters.
 *
 * So an attachment, the first of its process for the database (later ones
 * share it, reference counted), (1) takes a shared lock on byte 120, which
 * fails while a SQLite connection writes or recovers; (2) tries to take the
 * DMS byte 128 exclusively. Granted: this process is the "warden", and no
 * SQLite connection can map `-shm` at all: its reads and writes fail (after
 * SQLite's own retry loop of about 10 s, with SQLITE_PROTOCOL) and its close
 * touches nothing. Refused: if the holder is another Shoal warden (an OFD
 * lock, reported with pid -1; SQLite only takes POSIX locks, reported with
 * their pid) the attachment joins as a member, otherwise a SQLite connection
 * has the database open and the open is refused with SQLITE_BUSY.
 *
 * Limits: only one process can be the warden. When it closes while other
 * Shoal processes keep the database open, nothing stops a SQLite connection
 * from attaching until one of them calls `claimVacantDeadmanSwitch()`; such
 * a connection still cannot read or write (byte 120), but its close would
 * checkpoint and delete the WAL. A process whose `-shm` descriptor is
 * read-only never becomes the warden. On systems without OFD locks the
 * guard uses POSIX locks and treats every other holder as SQLite.
 */
import { constants, existsSync, statSync } from 'node:fs';
import { ByteRangeLock, type LockFlavor, type LockHolder } from '../../os/byte-range-lock.js';
import { closeFileDescriptor, openFileDescriptor } from '../../os/file-descriptor.js';
import { loadLibc } from '../../os/libc.js';
import { SqliteError } from '../../sqlite-error.js';
import { lockedBySomeoneElse, openBySqlite } from './guard-errors.js';
import type { GuardedFiles } from './guarded-files.js';

/** os_unix.c `UNIX_SHM_BASE` = (22 + SQLITE_SHM_NLOCK) * 4; wal.c `WAL_WRITE_LOCK` is lock 0. */
export const SQLITE_SHM_WRITE_LOCK_BYTE = 120;
/** os_unix.c `UNIX_SHM_DMS` = UNIX_SHM_BASE + SQLITE_SHM_NLOCK: the "deadman switch". */
export const SQLITE_SHM_DMS_BYTE = 128;
/** How often a DMS holder that vanished between the attempt and the query is retried. */
const DMS_ATTEMPTS = 3;
/** Permission bits of a new `-shm` when the database file does not exist yet. */
const NEW_FILE_MODE = 0o644;

class Attachment {
  references = 0;
  warden = false;

  constructor(
    readonly files: GuardedFiles,
    readonly fd: number,
    readonly writableDescriptor: boolean,
    readonly writeLock: ByteRangeLock,
    readonly deadmanSwitch: ByteRangeLock,
  ) {}

  /** Takes byte 120 shared and the DMS exclusively (or joins a warden); throws the refusal. */
  engage(): void {
    if (!this.writeLock.tryLock('shared')) {
      throw openBySqlite(this.files.database, `it holds the WAL write lock in ${this.files.shm}`);
    }
    for (let attempt = 0; attempt < DMS_ATTEMPTS; attempt++) {
      if (this.claimDeadmanSwitch()) return;
      const holder = this.deadmanSwitch.conflictingHolder('exclusive');
      if (holder === null) {
        if (!this.writableDescriptor) return;
        continue;
      }
      if (isShoalWarden(holder, this.deadmanSwitch.flavor)) return;
      throw openBySqlite(this.files.database, `it has ${this.files.shm} mapped`);
    }
    throw lockedBySomeoneElse(this.files.shm);
  }

  claimDeadmanSwitch(): boolean {
    if (!this.warden && this.writableDescriptor) this.warden = this.deadmanSwitch.tryLock('exclusive');
    return this.warden;
  }
}

/** An OFD lock (pid -1) held exclusively: only a Shoal warden holds the DMS that way. */
function isShoalWarden(holder: LockHolder, flavor: LockFlavor): boolean {
  return flavor === 'ofd' && holder.mode === 'exclusive' && holder.pid === -1;
}

const registry = new Map<string, Attachment>();

/** One open's share of its process's `-shm` locks on one database. */
export class SqliteExclusion {
  private released = false;

  private constructor(private readonly attachment: Attachment) {
    attachment.references++;
  }

  /**
   * Attaches (or joins this process's attachment) before anything of the
   * database is read. Throws `SQLITE_BUSY` when a SQLite connection has the
   * database open.
   */
  static attach(files: GuardedFiles, readOnly: boolean): SqliteExclusion {
    const existing = registry.get(files.registryKey);
    if (existing !== undefined) return new SqliteExclusion(existing);
    const attachment = openAttachment(files, readOnly);
    try {
      attachment.engage();
    } catch (error) {
      closeFileDescriptor(attachment.fd);
      throw error;
    }
    registry.set(files.registryKey, attachment);
    return new SqliteExclusion(attachment);
  }

  /**
   * Becomes the warden if the DMS byte is free (the previous warden closed).
   * One `fcntl` when not already the warden; meant for moments that make
   * system calls anyway (a write transaction's start, a checkpoint).
   * Returns whether this process is the warden now.
   */
  claimVacantDeadmanSwitch(): boolean {
    if (this.released) throw new SqliteError('bad parameter or other API misuse: guard already released', 'SQLITE_MISUSE');
    return this.attachment.claimDeadmanSwitch();
  }

  /** Gives up this open's share; the last share closes the descriptor, which drops the locks. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const attachment = this.attachment;
    attachment.references--;
    if (attachment.references > 0) return;
    registry.delete(attachment.files.registryKey);
    closeFileDescriptor(attachment.fd);
  }
}

function openAttachment(files: GuardedFiles, readOnly: boolean): Attachment {
  const { fd, writable } = openShm(files, readOnly);
  const flavor: LockFlavor = loadLibc().lockAbi.ofd ? 'ofd' : 'posix';
  return new Attachment(
    files,
    fd,
    writable,
    new ByteRangeLock(fd, SQLITE_SHM_WRITE_LOCK_BYTE, 1, flavor),
    new ByteRangeLock(fd, SQLITE_SHM_DMS_BYTE, 1, flavor),
  );
}

/**
 * Opens `-shm` read/write, creating it empty with the database's permission
 * bits as SQLite does; a read-only open that cannot do that settles for a
 * read-only descriptor of an existing `-shm` (enough for the shared lock).
 */
function openShm(files: GuardedFiles, readOnly: boolean): { fd: number; writable: boolean } {
  const mode = existsSync(files.database) ? statSync(files.database).mode & 0o777 : NEW_FILE_MODE;
  try {
    return { fd: openFileDescriptor(files.shm, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, mode), writable: true };
  } catch (error) {
    if (!readOnly) throw error;
    return { fd: openFileDescriptor(files.shm, constants.O_RDONLY | constants.O_NOFOLLOW), writable: false };
  }
}

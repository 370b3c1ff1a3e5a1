/**
 * The locks of a single-process ("legacy", `multiProcess: false`) open, spec
 * tshm.md §15.1: a classic POSIX `F_SETLK` lock over the whole database file
 * and over the whole WAL, held for the lifetime of the open. Writable opens
 * lock exclusively (no other process may read or write: SQLite cannot even
 * take its SHARED lock, so it never opens the WAL); read-only opens lock
 * shared, which keeps out every writer while letting other read-only
 * single-process openers in.
 *
 * POSIX locks belong to the process, not to a descriptor, and closing ANY
 * descriptor of the file drops all of them. So this module keeps one
 * registry entry per database (see `guarded-files.ts`): the first open of a
 * process takes the locks through descriptors the entry owns and never
 * closes while the locks are needed; later opens of the same database in the
 * process share them (reference counted), and a read-only entry is upgraded
 * in place when a writable open joins. Because other layers open and close
 * their own descriptors of the same files (the pager does, per connection),
 * `reassert()` re-takes the process's locks after such a close and
 * `release()` does it for the connections that remain; the lead's close path
 * must release after the pager has closed its descriptors.
 * Promises:
 *  - a refusal leaves nothing locked or open and says who holds the file;
 *  - `release()` is idempotent per handle; the last one closes the
 *    descriptors, which releases the locks.
 */
import { constants, existsSync } from 'node:fs';
import { ByteRangeLock, type LockMode } from '../../os/byte-range-lock.js';
import { closeFileDescriptor, openFileDescriptor } from '../../os/file-descriptor.js';
import { SqliteError } from '../../sqlite-error.js';
import { databaseFileHolder } from './database-file-holders.js';
import { lockedBySomeoneElse, openBySqlite, openInSingleProcessModeElsewhere } from './guard-errors.js';
import type { GuardedFiles } from './guarded-files.js';

/** SQLite's default permission bits for new database files (SQLITE_DEFAULT_FILE_PERMISSIONS). */
const NEW_FILE_MODE = 0o644;

interface LockedFile {
  readonly fd: number;
  readonly lock: ByteRangeLock;
}

class RegistryEntry {
  mode: LockMode;
  database: LockedFile;
  wal: LockedFile | null;
  references = 0;
  /** Every descriptor the entry opened: none is closed before the entry ends (closing one drops the locks). */
  readonly descriptors: number[];

  constructor(
    readonly files: GuardedFiles,
    mode: LockMode,
    database: LockedFile,
    wal: LockedFile | null,
  ) {
    this.mode = mode;
    this.database = database;
    this.wal = wal;
    this.descriptors = wal === null ? [database.fd] : [database.fd, wal.fd];
  }

  reassert(): void {
    for (const file of [this.database, this.wal]) {
      if (file !== null && !file.lock.tryLock(this.mode)) {
        throw new SqliteError(
          `database is locked: the single-process lock on ${this.files.database} was lost when a descriptor of the file ` +
            `was closed, and another process took the file before it could be re-taken`,
          'SQLITE_BUSY',
        );
      }
    }
  }

  /**
   * A writable open joins a read-only entry: converts both locks to
   * exclusive through new writable descriptors. On refusal the shared locks
   * stay as they were (no descriptor is closed; the new ones wait for the
   * entry's end).
   */
  upgrade(): void {
    const database = this.openForUpgrade(this.files.database);
    if (!database.lock.tryLock('exclusive')) throw refusalForDatabase(this.files, database.fd);
    const wal = this.openForUpgrade(this.files.wal);
    if (!wal.lock.tryLock('exclusive')) {
      database.lock.tryLock('shared');
      throw openInSingleProcessModeElsewhere(this.files.wal);
    }
    this.database = database;
    this.wal = wal;
    this.mode = 'exclusive';
  }

  close(): void {
    for (const fd of this.descriptors) closeFileDescriptor(fd);
  }

  private openForUpgrade(path: string): LockedFile {
    const fd = openFileDescriptor(path, constants.O_RDWR | constants.O_CREAT, NEW_FILE_MODE);
    this.descriptors.push(fd);
    return { fd, lock: new ByteRangeLock(fd, 0, 0, 'posix') };
  }
}

const registry = new Map<string, RegistryEntry>();

/** One open's share of the process's single-process locks on one database. */
export class ExclusiveFileLocks {
  private released = false;

  private constructor(private readonly entry: RegistryEntry) {
    entry.references++;
  }

  /**
   * Takes (or shares, or upgrades) the process's whole-file locks on the
   * database and its WAL. Throws `SQLITE_BUSY` naming the holder when
   * another process has either file locked.
   */
  static acquire(files: GuardedFiles, readOnly: boolean): ExclusiveFileLocks {
    const wanted: LockMode = readOnly ? 'shared' : 'exclusive';
    const existing = registry.get(files.registryKey);
    if (existing === undefined) {
      const entry = lockNewEntry(files, wanted);
      registry.set(files.registryKey, entry);
      return new ExclusiveFileLocks(entry);
    }
    if (wanted === 'exclusive' && existing.mode === 'shared') existing.upgrade();
    return new ExclusiveFileLocks(existing);
  }

  /** True while some open of this process holds single-process locks on the database. */
  static heldByThisProcess(files: GuardedFiles): boolean {
    return registry.has(files.registryKey);
  }

  /**
   * Re-takes the process's locks after a descriptor of the database or WAL
   * was closed somewhere in the process (which silently dropped them).
   * Throws `SQLITE_BUSY` when another process took the file in between.
   */
  reassert(): void {
    if (this.released) throw new SqliteError('bad parameter or other API misuse: locks already released', 'SQLITE_MISUSE');
    this.entry.reassert();
  }

  /** Gives up this open's share; the locks stay (re-asserted) while other opens of the process remain. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const entry = this.entry;
    entry.references--;
    if (entry.references > 0) {
      entry.reassert();
      return;
    }
    registry.delete(entry.files.registryKey);
    entry.close();
  }
}

function lockNewEntry(files: GuardedFiles, mode: LockMode): RegistryEntry {
  const database = lockFile(files.database, mode, (fd) => refusalForDatabase(files, fd));
  let wal: LockedFile | null = null;
  try {
    if (mode === 'exclusive' || existsSync(files.wal)) {
      wal = lockFile(files.wal, mode, () => openInSingleProcessModeElsewhere(files.wal));
    }
  } catch (error) {
    closeFileDescriptor(database.fd);
    throw error;
  }
  return new RegistryEntry(files, mode, database, wal);
}

/**
 * Opens `path` (creating it for writable opens) and takes the whole-file
 * lock; on refusal closes the descriptor (the process held no lock on the
 * file before) and throws what `refusal` says about the holder.
 */
function lockFile(path: string, mode: LockMode, refusal: (fd: number) => SqliteError): LockedFile {
  const fd =
    mode === 'exclusive'
      ? openFileDescriptor(path, constants.O_RDWR | constants.O_CREAT, NEW_FILE_MODE)
      : openFileDescriptor(path, constants.O_RDONLY);
  const lock = new ByteRangeLock(fd, 0, 0, 'posix');
  let refused: SqliteError | null;
  try {
    refused = lock.tryLock(mode) ? null : refusal(fd);
  } catch (error) {
    closeFileDescriptor(fd);
    throw error;
  }
  if (refused !== null) {
    closeFileDescriptor(fd);
    throw refused;
  }
  return { fd, lock };
}

function refusalForDatabase(files: GuardedFiles, fd: number): SqliteError {
  switch (databaseFileHolder(fd)) {
    case 'single-process':
      return openInSingleProcessModeElsewhere(files.database);
    case 'sqlite':
      return openBySqlite(files.database, 'it is in a transaction on the database file');
    case null:
      return lockedBySomeoneElse(files.database);
  }
}

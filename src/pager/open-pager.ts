/**
 * openPager: opens the storage of one database for one connection.
 *
 * `':memory:'` (or an empty path) gives a private in-memory database. Any
 * other path opens (creating it unless read-only) the database file and its
 * `-wal` sibling; the database header is validated before anything is written
 * (a file that is not a database fails with SQLITE_NOTADB and is left
 * untouched). With `multiProcess` the connection becomes a peer of the
 * shared `<db>-tshm` coordination (every process, connection and worker
 * thread alike); otherwise connections of this process on the same real path
 * share an in-process Coordination. A caller may also pass its own
 * coordination. The Pager owns and closes the coordination it uses.
 *
 * Unless a coordination is passed in, the open-time guards of
 * `src/coord/guards/` run first: single-process and multi-process openers
 * refuse each other, and SQLite processes are kept out (or refuse us) through
 * `<db>-shm`. The guard is released after the pager closed its files. In
 * multi-process mode a write transaction first lets the guard take over
 * SQLite's deadman-switch byte if the process that held it has closed (at
 * most once every `DMS_RECLAIM_INTERVAL_MS` per connection, since each try
 * of a process that is not the holder is one failed `fcntl`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachInProcessCoordination } from '../coord/in-process-coordination.js';
import type { Coordination } from '../coord/coordination.js';
import { SharedCoordination } from '../coord/shared/shared-coordination.js';
import {
  guardMultiProcessOpen,
  guardSingleProcessOpen,
  MultiProcessGuard,
  type SingleProcessGuard,
} from '../coord/guards/open-guards.js';
import { SqliteError } from '../sqlite-error.js';
import { RandomAccessFile } from '../wal/random-access-file.js';
import type { Synchronous } from '../wal/synchronous.js';
import { Wal } from '../wal/wal.js';
import { isValidPageSize } from '../wal/wal-format.js';
import { retryWithBackoff } from './busy-wait.js';
import { DATABASE_HEADER_SIZE, parseDatabaseHeader } from './database-header.js';
import { FileStorage } from './file-storage.js';
import { MemoryStorage } from './memory-storage.js';
import { cachePagesFor } from './page-cache.js';
import { Pager } from './pager.js';
import type { StorageTuning } from './storage.js';

export interface OpenPagerOptions {
  /** Page size of a new database (default 4096); ignored for existing ones. */
  readonly pageSize?: number;
  /** `PRAGMA cache_size` semantics: positive = pages, negative = KiB. Default -16000 (16 MB). */
  readonly cacheSize?: number;
  /** Default 'NORMAL'. */
  readonly synchronous?: Synchronous;
  /** Milliseconds to wait for a lock before SQLITE_BUSY. Default 5000. */
  readonly busyTimeout?: number;
  readonly readonly?: boolean;
  /** `PRAGMA wal_autocheckpoint`: log frames that trigger a PASSIVE checkpoint after a commit; 0 disables. Default 1000. */
  readonly walAutocheckpoint?: number;
  /** Coordinate with other processes through `<db>-tshm` (ignored for `:memory:`). Default false. */
  readonly multiProcess?: boolean;
  /** The coordination to use instead of the default one; the Pager closes it. */
  readonly coordination?: Coordination;
}

export const DEFAULT_PAGE_SIZE = 4096;
export const DEFAULT_CACHE_SIZE = -16000;
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
export const DEFAULT_WAL_AUTOCHECKPOINT = 1000;

export function isMemoryPath(filename: string): boolean {
  return filename === '' || filename === ':memory:';
}

export function openPager(filename: string, options: OpenPagerOptions = {}): Pager {
  const requestedPageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!isValidPageSize(requestedPageSize)) {
    throw new SqliteError(`invalid page size ${requestedPageSize}: must be a power of two from 512 to 65536`, 'SQLITE_MISUSE');
  }
  const tuning: StorageTuning = {
    synchronous: options.synchronous ?? 'NORMAL',
    autoCheckpointFrames: options.walAutocheckpoint ?? DEFAULT_WAL_AUTOCHECKPOINT,
    busyTimeoutMs: options.busyTimeout ?? DEFAULT_BUSY_TIMEOUT_MS,
  };
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  if (isMemoryPath(filename)) {
    options.coordination?.close();
    return new Pager(new MemoryStorage(requestedPageSize, tuning), 0, {
      cachePages: cachePagesFor(cacheSize, requestedPageSize),
      fileFormatVersion: 1,
    });
  }
  return openFilePager(filename, options, requestedPageSize, tuning, cacheSize);
}

function openFilePager(
  filename: string,
  options: OpenPagerOptions,
  requestedPageSize: number,
  tuning: StorageTuning,
  cacheSize: number,
): Pager {
  const readonly = options.readonly ?? false;
  const db = RandomAccessFile.open(filename, { readonly, create: true });
  if (db === null) {
    options.coordination?.close();
    throw new SqliteError('unable to open database file', 'SQLITE_CANTOPEN');
  }
  let walFile: RandomAccessFile | null = null;
  let coord: Coordination | undefined = options.coordination;
  let guard: SingleProcessGuard | MultiProcessGuard | null = null;
  try {
    const dbSize = db.size();
    let pageSize = 0;
    let reservedBytes = 0;
    if (dbSize > 0) {
      const headerBytes = new Uint8Array(Math.min(dbSize, DATABASE_HEADER_SIZE));
      db.readAt(headerBytes, 0);
      const header = parseDatabaseHeader(headerBytes);
      pageSize = header.pageSize;
      reservedBytes = header.reservedBytes;
    }
    if (coord === undefined) {
      if (options.multiProcess) {
        const multiProcessGuard = guardMultiProcessOpen(filename, readonly);
        guard = multiProcessGuard;
        coord = SharedCoordination.open({ databasePath: filename, readOnly: readonly });
        multiProcessGuard.confirmJoined();
      } else {
        guard = guardSingleProcessOpen(filename, readonly);
        coord = attachInProcessCoordination(realPathOf(filename));
      }
    }
    walFile = RandomAccessFile.open(`${filename}-wal`, { readonly, create: !readonly });
    if (pageSize === 0) pageSize = Wal.declaredPageSize(walFile) || requestedPageSize;
    const wal = Wal.open(walFile, coord, pageSize, tuning, (attempt) => retryWithBackoff(attempt, tuning.busyTimeoutMs));
    const releaseGuard = guard === null ? null : guard.release.bind(guard);
    const multiProcessGuard = guard instanceof MultiProcessGuard ? guard : null;
    const claimDeadmanSwitch = multiProcessGuard === null ? null : reclaimingDeadmanSwitch(multiProcessGuard);
    const storage = new FileStorage(db, wal, coord, pageSize, readonly, tuning, releaseGuard, claimDeadmanSwitch);
    const pager = new Pager(storage, reservedBytes, { cachePages: cachePagesFor(cacheSize, pageSize), fileFormatVersion: 2 });
    if (dbSize === 0 && !readonly) createPageOneNow(pager);
    return pager;
  } catch (error) {
    walFile?.close();
    db.close();
    coord?.close();
    guard?.release();
    throw error;
  }
}

/** How often a connection's write transactions may try to take over a vacant deadman switch. */
const DMS_RECLAIM_INTERVAL_MS = 10;

/** The write-start hook that re-claims the deadman switch, at most once every `DMS_RECLAIM_INTERVAL_MS`. */
function reclaimingDeadmanSwitch(guard: MultiProcessGuard): () => void {
  let lastTry = -Infinity;
  return () => {
    const now = performance.now();
    if (now - lastTry < DMS_RECLAIM_INTERVAL_MS) return;
    lastTry = now;
    guard.claimVacantDeadmanSwitch();
  };
}

/**
 * Writes page 1 of a new database into the file at once, under the writer
 * lock: while the file is empty, a SQLite process would take it for a
 * rollback-journal database and write it directly.
 */
function createPageOneNow(pager: Pager): void {
  pager.beginWrite();
  pager.commit();
}

/** The path with symbolic links resolved, so every alias of a file shares one coordination. */
function realPathOf(filename: string): string {
  try {
    return fs.realpathSync(filename);
  } catch {
    return path.resolve(filename);
  }
}

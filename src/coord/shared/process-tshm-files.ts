/**
 * The `-tshm` files this process has open, by file identity (device and
 * inode), and the POSIX-lock flavor built on that table (spec tshm.md §6.2,
 * "other Unix").
 *
 * Classic POSIX locks belong to the process: two descriptors of one process
 * never conflict, and closing ANY descriptor of a file drops every lock the
 * process holds on it. So for each `-tshm` file opened with POSIX locks a
 * `ProcessTshmFile` keeps:
 *  - one descriptor for the whole process, opened by its first connection and
 *    closed by its last (reference counted); the file's identity is found
 *    with `stat` before anything is opened, so a later connection never opens
 *    (and so never closes) a second descriptor; the inspector borrows this one
 *    (`openForReading`);
 *  - the byte 0 lifetime lock, held shared once for all its connections: the
 *    first connection runs the open protocol of §7.2 (alone → exclusive, may
 *    repair), later ones join the validated file as `multiprocess` openers;
 *  - a registry of which holder (a connection, or the thread's reader slot
 *    pool, `openSlotHolder`) holds each ownership byte (writer, checkpoint,
 *    reader slots): a byte another holder of this process holds is refused here, and only a byte nobody here holds is asked of the
 *    kernel, where another process's lock refuses it. The lock probe stays
 *    the truth for liveness (§9.4); owner records only name who it was.
 *  - `isLastConnection`: only the process's sole connection may probe byte 0
 *    exclusively; while that exclusive hold lasts, new connections of this
 *    process are refused with `SQLITE_BUSY` instead of joining.
 * Worker threads: POSIX locks cannot tell the threads of one process apart,
 * and this table is module state, one per thread. So on this flavor only the
 * main thread takes part; a worker is refused with `SQLITE_CANTOPEN` (use the
 * main thread, `multiProcess: false`, or OFD locks on Linux).
 * Mixing: this table also counts the OFD descriptions this thread has open,
 * so one file is never open here with both flavors (closing an OFD
 * connection's descriptor would drop the POSIX locks); the second flavor is
 * refused with `SQLITE_MISUSE`.
 */
import { constants, fstatSync, statSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import type { OpenMode } from '../coordination.js';
import { ByteRangeLock } from '../../os/byte-range-lock.js';
import { closeFileDescriptor, openFileDescriptor } from '../../os/file-descriptor.js';
import { chooseLockFlavor } from '../../os/lock-flavor.js';
import { countSyscall } from '../../os/syscall-counter.js';
import { SqliteError } from '../../sqlite-error.js';
import type { SlotHolder, TshmAttachment } from './tshm-attachment.js';
import { OWNERSHIP_BYTE_LIMIT, checkOwnershipByte, type TshmLockBytes } from './tshm-lock-bytes.js';
import { LockByte } from './tshm-layout.js';
import { joinTshm, openTshm, openTshmFile } from './tshm-open.js';
import { TshmRegion } from './tshm-region.js';

const NO_HOLDER = 0;

const posixFiles = new Map<string, ProcessTshmFile>();
const descriptionCounts = new Map<string, number>();
let lastConnectionId = 0;

/** The identity of the file at `path`, or null when there is none; opens nothing. */
function identityOfPath(path: string): string | null {
  countSyscall();
  const stats = statSync(path, { bigint: true, throwIfNoEntry: false });
  return stats === undefined ? null : `${stats.dev}:${stats.ino}`;
}

function mixedFlavors(path: string, openWith: string): SqliteError {
  return new SqliteError(
    `bad parameter or other API misuse: ${path} is already open in this process with ${openWith} locks; ` +
      'one process must use one lock flavor per database',
    'SQLITE_MISUSE',
  );
}

/** The identity of an open file, `device:inode`. */
export function identityOfDescriptor(fd: number): string {
  countSyscall();
  const stats = fstatSync(fd, { bigint: true });
  return `${stats.dev}:${stats.ino}`;
}

/** Refuses an OFD open of a file this process has open with POSIX locks. */
export function refuseIfOpenWithPosixLocks(path: string): void {
  if (posixFiles.size === 0) return;
  const identity = identityOfPath(path);
  if (identity !== null && posixFiles.has(identity)) throw mixedFlavors(path, 'POSIX');
}

/** Counts one OFD description of the file `identity`; returns the function that uncounts it. */
export function trackDescriptionOpen(path: string, identity: string): () => void {
  if (posixFiles.has(identity)) throw mixedFlavors(path, 'POSIX');
  descriptionCounts.set(identity, (descriptionCounts.get(identity) ?? 0) + 1);
  let tracked = true;
  return () => {
    if (!tracked) return;
    tracked = false;
    const remaining = descriptionCounts.get(identity)! - 1;
    if (remaining === 0) descriptionCounts.delete(identity);
    else descriptionCounts.set(identity, remaining);
  };
}

/** A descriptor to read a `-tshm` through; `release()` closes it unless it was borrowed. */
export interface ReadingDescriptor {
  readonly fd: number;
  /** True when it is the process's POSIX descriptor, whose locks `heldInThisProcess` reports. */
  readonly borrowed: boolean;
  release(): void;
}

/**
 * A descriptor for reading the `-tshm` at `path` (the inspector, probes) that
 * cannot cost this process its POSIX locks: the process's own descriptor when it has
 * the file open with POSIX locks, else a fresh read-only one. A worker thread
 * cannot see the main thread's table, so where POSIX locks are in use it is
 * refused rather than risk closing a descriptor of a locked file.
 */
export function openForReading(path: string): ReadingDescriptor {
  const identity = posixFiles.size === 0 ? null : identityOfPath(path);
  const file = identity === null ? undefined : posixFiles.get(identity);
  if (file !== undefined) return { fd: file.fd, borrowed: true, release: () => undefined };
  if (!isMainThread && chooseLockFlavor() === 'posix') {
    throw new SqliteError(
      `bad parameter or other API misuse: a worker thread cannot open ${path} while this process uses ` +
        'POSIX locks: closing the descriptor would drop the locks of the main thread',
      'SQLITE_MISUSE',
    );
  }
  const fd = openFileDescriptor(path, constants.O_RDONLY);
  return { fd, borrowed: false, release: () => closeFileDescriptor(fd) };
}

/** Whether a connection of this process holds `byte` of the POSIX-locked file open on `fd`. */
export function heldInThisProcess(fd: number, byte: number): boolean {
  for (const file of posixFiles.values()) if (file.fd === fd) return file.heldHere(byte);
  return false;
}

/** Attaches one connection with POSIX locks, joining the process's file when it is already open. */
export function attachThroughProcessFile(path: string, readOnly: boolean, owner: bigint): TshmAttachment {
  if (!isMainThread) {
    throw new SqliteError(
      'unable to open database file: multi-process access from a worker thread needs open file description ' +
        `locks; with process-scoped POSIX locks (${process.platform}, or forced by SHOAL_LOCKS=posix) only the ` +
        'main thread can take part: open the database from the main thread, or with multiProcess: false',
      'SQLITE_CANTOPEN',
    );
  }
  const identity = identityOfPath(path);
  const existing = identity === null ? undefined : posixFiles.get(identity);
  if (existing !== undefined) return existing.join(readOnly, owner);
  if (identity !== null && descriptionCounts.has(identity)) throw mixedFlavors(path, 'OFD');
  return ProcessTshmFile.open(path, readOnly, owner);
}

/** One `-tshm` file as this process holds it with POSIX locks. */
class ProcessTshmFile {
  readonly fd: number;
  readonly identity: string;
  private readonly lifetimeLock: ByteRangeLock;
  private readonly locks: Array<ByteRangeLock | undefined> = new Array(OWNERSHIP_BYTE_LIMIT);
  /** Connection id holding each ownership byte, NO_HOLDER when none of this process does. */
  private readonly holders = new Float64Array(OWNERSHIP_BYTE_LIMIT);
  /** Descriptors of this file opened by a racing first open; closed only with the file (see `open`). */
  private readonly extraDescriptors: number[] = [];
  private connections = 0;
  private lastConnectionClaimed = false;

  private constructor(fd: number, identity: string) {
    this.fd = fd;
    this.identity = identity;
    this.lifetimeLock = new ByteRangeLock(fd, LockByte.lifetime, 1, 'posix');
  }

  /** The process's first connection: opens the descriptor and runs the whole open protocol. */
  static open(path: string, readOnly: boolean, owner: bigint): TshmAttachment {
    const fd = openTshmFile(path, readOnly);
    let identity: string;
    try {
      identity = identityOfDescriptor(fd);
    } catch (err) {
      closeFileDescriptor(fd);
      throw err;
    }
    const raced = posixFiles.get(identity);
    if (raced !== undefined) {
      // The path was renamed or re-created between our stat and open and now
      // names a file this process already holds: closing `fd` would drop its locks.
      raced.extraDescriptors.push(fd);
      return raced.join(readOnly, owner);
    }
    if (descriptionCounts.has(identity)) {
      closeFileDescriptor(fd);
      throw mixedFlavors(path, 'OFD');
    }
    const file = new ProcessTshmFile(fd, identity);
    posixFiles.set(identity, file);
    const connection = file.newConnection();
    try {
      const opened = openTshm(fd, readOnly, owner, file.lifetimeLock, connection);
      return new ProcessConnection(file, connection, opened.region, opened.mode);
    } catch (err) {
      file.leave(connection);
      throw err;
    }
  }

  /** A further connection: the process already holds byte 0 shared, so it joins as a multi-process opener. */
  join(readOnly: boolean, owner: bigint): TshmAttachment {
    if (this.lastConnectionClaimed) {
      throw new SqliteError(
        'database is locked: the last connection of this process is closing the shared coordination file',
        'SQLITE_BUSY',
      );
    }
    const connection = this.newConnection();
    try {
      return new ProcessConnection(this, connection, joinTshm(this.fd, readOnly, owner, connection), 'multiprocess');
    } catch (err) {
      this.leave(connection);
      throw err;
    }
  }

  heldHere(byte: number): boolean {
    return byte === LockByte.lifetime ? this.connections > 0 : this.holders[byte] !== NO_HOLDER;
  }

  tryLock(connection: number, byte: number): boolean {
    checkOwnershipByte(byte);
    const holder = this.holders[byte];
    if (holder === connection) return true;
    if (holder !== NO_HOLDER) return false;
    if (!this.lockFor(byte).tryLock('exclusive')) return false;
    this.holders[byte] = connection;
    return true;
  }

  unlock(connection: number, byte: number): void {
    checkOwnershipByte(byte);
    if (this.holders[byte] !== connection) return;
    this.holders[byte] = NO_HOLDER;
    this.lockFor(byte).unlock();
  }

  /** True when the asking connection is this process's only one and no other process has the file open. */
  isLastConnection(): boolean {
    if (this.connections !== 1) return false;
    if (!this.lastConnectionClaimed) this.lastConnectionClaimed = this.lifetimeLock.tryLock('exclusive');
    return this.lastConnectionClaimed;
  }

  /** Releases the bytes `connection` holds; the last connection out closes the descriptor (and with it byte 0). */
  leave(connection: ProcessConnectionLocks): void {
    try {
      this.unlockAll(connection.id);
    } finally {
      this.connections--;
      if (this.connections === 0) this.close();
    }
  }

  /**
   * A holder of ownership bytes that is not a connection (the reader slot
   * pool): it does not count as one, so it must be closed before the last
   * connection leaves.
   */
  openSlotHolder(): SlotHolder {
    const lockBytes = new ProcessConnectionLocks(this, ++lastConnectionId);
    const region = new TshmRegion(this.fd);
    return {
      region,
      lockBytes,
      close: () => {
        try {
          this.unlockAll(lockBytes.id);
        } finally {
          region.unmap();
        }
      },
    };
  }

  private unlockAll(holder: number): void {
    for (let byte = LockByte.writer; byte < OWNERSHIP_BYTE_LIMIT; byte++) {
      if (this.holders[byte] === holder) this.unlock(holder, byte);
    }
  }

  private newConnection(): ProcessConnectionLocks {
    this.connections++;
    return new ProcessConnectionLocks(this, ++lastConnectionId);
  }

  private close(): void {
    posixFiles.delete(this.identity);
    try {
      for (const fd of this.extraDescriptors) closeFileDescriptor(fd);
    } finally {
      closeFileDescriptor(this.fd);
    }
  }

  private lockFor(byte: number): ByteRangeLock {
    let lock = this.locks[byte];
    if (!lock) {
      lock = new ByteRangeLock(this.fd, byte, 1, 'posix');
      this.locks[byte] = lock;
    }
    return lock;
  }
}

/** One holder's (a connection's or a slot pool's) view of the process's ownership bytes. */
class ProcessConnectionLocks implements TshmLockBytes {
  constructor(
    private readonly file: ProcessTshmFile,
    readonly id: number,
  ) {}

  tryLock(byte: number): boolean {
    return this.file.tryLock(this.id, byte);
  }

  unlock(byte: number): void {
    this.file.unlock(this.id, byte);
  }
}

/** One connection attached through the process's file: its own mapping, the process's descriptor. */
class ProcessConnection implements TshmAttachment {
  readonly fd: number;
  readonly identity: string;

  constructor(
    private readonly file: ProcessTshmFile,
    readonly lockBytes: ProcessConnectionLocks,
    readonly region: TshmRegion,
    readonly mode: OpenMode,
  ) {
    this.fd = file.fd;
    this.identity = file.identity;
  }

  isLastConnection(): boolean {
    return this.file.isLastConnection();
  }

  openSlotHolder(): SlotHolder {
    return this.file.openSlotHolder();
  }

  detach(): void {
    try {
      this.region.unmap();
    } finally {
      this.file.leave(this.lockBytes);
    }
  }
}

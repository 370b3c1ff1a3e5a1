/**
 * Byte-range locks on an open file: `fcntl` open-file-description (OFD)
 * locks on Linux, classic process-scoped POSIX locks everywhere `libc.ts`
 * knows the ABI.
 *
 * One `ByteRangeLock` stands for one byte range of one descriptor and owns
 * its pre-encoded `struct flock` buffers (one per lock type), so taking or
 * releasing it marshals nothing per call. Promises:
 *  - `tryLock` makes one non-blocking attempt and answers false only for
 *    "held by someone else" (EAGAIN / EACCES); every other failure throws
 *    `SQLITE_IOERR_LOCK`.
 *  - `lock` blocks until granted, retrying when a signal interrupts it.
 *  - taking a lock of the other mode on a range this description (OFD) or
 *    process (POSIX) already holds converts it in place, as the kernel does.
 *  - `conflictingHolder` reports who would block a lock of the given mode
 *    (OFD holders report pid -1, as Linux does).
 * OFD locks belong to the open file description: two `open()`s of one file
 * in one process conflict with each other, which is what lets each
 * connection be its own peer.
 */
import { endianness } from 'node:os';
import { SqliteError } from '../sqlite-error.js';
import { loadLibc, type Libc } from './libc.js';

export type LockFlavor = 'ofd' | 'posix';
export type LockMode = 'shared' | 'exclusive';

export interface LockHolder {
  readonly mode: LockMode;
  /** The holder's process id; -1 for an OFD lock, whose owner is a file description. */
  readonly pid: number;
}

const SEEK_SET = 0;
/** `struct flock` is in the host's byte order. */
const HOST_LITTLE_ENDIAN = endianness() === 'LE';

export class ByteRangeLock {
  readonly start: number;
  readonly length: number;
  readonly flavor: LockFlavor;
  private readonly fd: number;
  private readonly libc: Libc;
  private readonly getCommand: number;
  private readonly setCommand: number;
  private readonly setWaitCommand: number;
  private readonly sharedRequest: Uint8Array;
  private readonly exclusiveRequest: Uint8Array;
  private readonly unlockRequest: Uint8Array;
  private readonly query: Uint8Array;
  private readonly queryView: DataView;

  /** `length` 0 means "to the end of the file, however long it grows" (whole-file locks). */
  constructor(fd: number, start: number, length: number, flavor: LockFlavor) {
    if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`invalid lock range: start ${start}, length ${length}`);
    }
    this.libc = loadLibc();
    const abi = this.libc.lockAbi;
    const commands = flavor === 'ofd' ? abi.ofd : abi.posix;
    if (!commands) {
      throw new SqliteError(
        `unable to open database file: open file description locks (F_OFD_SETLK) are not available on ${process.platform}`,
        'SQLITE_CANTOPEN',
      );
    }
    this.fd = fd;
    this.start = start;
    this.length = length;
    this.flavor = flavor;
    this.getCommand = commands.getLock;
    this.setCommand = commands.setLock;
    this.setWaitCommand = commands.setLockWait;
    this.sharedRequest = this.encode(abi.readLock);
    this.exclusiveRequest = this.encode(abi.writeLock);
    this.unlockRequest = this.encode(abi.unlock);
    this.query = new Uint8Array(abi.layout.size);
    this.queryView = new DataView(this.query.buffer);
  }

  /** One non-blocking attempt; false when another holder conflicts. */
  tryLock(mode: LockMode): boolean {
    const errno = this.libc.fcntlLock(this.fd, this.setCommand, this.request(mode));
    if (errno === 0) return true;
    const name = this.libc.errnoName(errno);
    if (name === 'EAGAIN' || name === 'EWOULDBLOCK' || name === 'EACCES') return false;
    throw this.failure('F_SETLK', mode, name);
  }

  /** Waits until the lock is granted. */
  lock(mode: LockMode): void {
    for (;;) {
      const errno = this.libc.fcntlLock(this.fd, this.setWaitCommand, this.request(mode));
      if (errno === 0) return;
      const name = this.libc.errnoName(errno);
      if (name === 'EINTR') continue;
      if (name === 'EDEADLK') throw new SqliteError('database is locked', 'SQLITE_BUSY');
      throw this.failure('F_SETLKW', mode, name);
    }
  }

  /** Releases whatever this description (or process) holds on the range. */
  unlock(): void {
    const errno = this.libc.fcntlLock(this.fd, this.setCommand, this.unlockRequest);
    if (errno !== 0) {
      throw new SqliteError(
        `disk I/O error: unlocking bytes ${this.describeRange()} failed with ${this.libc.errnoName(errno)}`,
        'SQLITE_IOERR_UNLOCK',
      );
    }
  }

  /** Who holds a lock that would block a `mode` lock on this range; null when nobody does. */
  conflictingHolder(mode: LockMode): LockHolder | null {
    const abi = this.libc.lockAbi;
    this.query.set(this.request(mode));
    const errno = this.libc.fcntlLock(this.fd, this.getCommand, this.query);
    if (errno !== 0) throw this.failure('F_GETLK', mode, this.libc.errnoName(errno));
    const type = this.queryView.getInt16(abi.layout.typeOffset, HOST_LITTLE_ENDIAN);
    if (type === abi.unlock) return null;
    return {
      mode: type === abi.writeLock ? 'exclusive' : 'shared',
      pid: this.queryView.getInt32(abi.layout.pidOffset, HOST_LITTLE_ENDIAN),
    };
  }

  private request(mode: LockMode): Uint8Array {
    return mode === 'shared' ? this.sharedRequest : this.exclusiveRequest;
  }

  private encode(type: number): Uint8Array {
    const layout = this.libc.lockAbi.layout;
    const bytes = new Uint8Array(layout.size);
    const view = new DataView(bytes.buffer);
    view.setInt16(layout.typeOffset, type, HOST_LITTLE_ENDIAN);
    view.setInt16(layout.whenceOffset, SEEK_SET, HOST_LITTLE_ENDIAN);
    view.setBigInt64(layout.startOffset, BigInt(this.start), HOST_LITTLE_ENDIAN);
    view.setBigInt64(layout.lenOffset, BigInt(this.length), HOST_LITTLE_ENDIAN);
    return bytes;
  }

  private describeRange(): string {
    return this.length === 0 ? `${this.start}..end` : `${this.start}..${this.start + this.length - 1}`;
  }

  private failure(command: string, mode: LockMode, errnoName: string): SqliteError {
    const prefix = this.flavor === 'ofd' ? 'F_OFD_' : 'F_';
    return new SqliteError(
      `disk I/O error: fcntl(${prefix}${command.slice(2)}, ${mode}) on bytes ${this.describeRange()} failed with ${errnoName}`,
      'SQLITE_IOERR_LOCK',
    );
  }
}

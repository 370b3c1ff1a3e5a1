/**
 * How one connection holds on to the `-tshm` file: its descriptor, its
 * mapping, its ownership lock bytes and its share of the byte 0 lifetime
 * lock (spec tshm.md §6, §7.2, §14), in either lock flavor.
 *
 *  - `ofd` (Linux, the default there): every connection opens its own file
 *    description and runs the whole open protocol itself; the kernel keeps
 *    connections apart, in one process or many, worker threads included.
 *  - `posix` (other Unix, or forced, see `src/os/lock-flavor.ts`): the
 *    process shares one descriptor and one lifetime lock among its
 *    connections and arbitrates the ownership bytes itself
 *    (`process-tshm-files.ts`).
 * Promises: `attachTshm` returns a connection that holds byte 0 shared and
 * sees a valid file, or throws having left nothing behind; `detach()` gives
 * back everything the connection holds (its ownership bytes, its mapping, its
 * descriptor or its share of the process's one) and is called once.
 * `openSlotHolder()` gives the thread's reader slot pool
 * (`reader-slot-pool.ts`) lock bytes and a mapping that outlive the
 * connection that asked: in the `ofd` flavor a description of its own, in
 * the `posix` flavor a holder of its own in the process's registry; it is
 * closed before the last connection of the thread detaches.
 */
import type { OpenMode } from '../coordination.js';
import { ByteRangeLock, type LockFlavor } from '../../os/byte-range-lock.js';
import { closeFileDescriptor } from '../../os/file-descriptor.js';
import { SqliteError } from '../../sqlite-error.js';
import {
  attachThroughProcessFile,
  identityOfDescriptor,
  refuseIfOpenWithPosixLocks,
  trackDescriptionOpen,
} from './process-tshm-files.js';
import { DescriptionLockBytes, type TshmLockBytes } from './tshm-lock-bytes.js';
import { LockByte } from './tshm-layout.js';
import { openTshm, openTshmFile } from './tshm-open.js';
import { TshmRegion } from './tshm-region.js';

/** Lock bytes and a mapping of the `-tshm` that live until `close()`, apart from any connection. */
export interface SlotHolder {
  readonly region: TshmRegion;
  readonly lockBytes: TshmLockBytes;
  /** Gives back every byte the holder still holds and its mapping (and descriptor, if it has one). */
  close(): void;
}

export interface TshmAttachment {
  readonly fd: number;
  /** The `-tshm` file's identity, `device:inode`. */
  readonly identity: string;
  readonly region: TshmRegion;
  /** 'exclusive' when this connection was alone at open time (and so made any repairs). */
  readonly mode: OpenMode;
  readonly lockBytes: TshmLockBytes;
  /** The `Coordination.isLastConnection` answer: once true, it stays true until `detach()`. */
  isLastConnection(): boolean;
  /** A new holder for reader slots that must outlive this connection. */
  openSlotHolder(): SlotHolder;
  detach(): void;
}

/** Attaches one connection to the `-tshm` at `path` with the given lock flavor. */
export function attachTshm(path: string, readOnly: boolean, owner: bigint, flavor: LockFlavor): TshmAttachment {
  return flavor === 'ofd' ? DescriptionAttachment.attach(path, readOnly, owner) : attachThroughProcessFile(path, readOnly, owner);
}

/** An OFD connection: its own open file description, so the kernel arbitrates everything. */
class DescriptionAttachment implements TshmAttachment {
  private lastConnection = false;

  private constructor(
    readonly fd: number,
    readonly identity: string,
    private readonly path: string,
    readonly region: TshmRegion,
    readonly mode: OpenMode,
    readonly lockBytes: TshmLockBytes,
    private readonly lifetimeLock: ByteRangeLock,
    private readonly untrack: () => void,
  ) {}

  static attach(path: string, readOnly: boolean, owner: bigint): DescriptionAttachment {
    refuseIfOpenWithPosixLocks(path);
    const fd = openTshmFile(path, readOnly);
    try {
      const identity = identityOfDescriptor(fd);
      const untrack = trackDescriptionOpen(path, identity);
      try {
        const lifetimeLock = new ByteRangeLock(fd, LockByte.lifetime, 1, 'ofd');
        const lockBytes = new DescriptionLockBytes(fd);
        const opened = openTshm(fd, readOnly, owner, lifetimeLock, lockBytes);
        return new DescriptionAttachment(fd, identity, path, opened.region, opened.mode, lockBytes, lifetimeLock, untrack);
      } catch (err) {
        untrack();
        throw err;
      }
    } catch (err) {
      closeFileDescriptor(fd);
      throw err;
    }
  }

  isLastConnection(): boolean {
    if (!this.lastConnection) this.lastConnection = this.lifetimeLock.tryLock('exclusive');
    return this.lastConnection;
  }

  /** A description of its own (OFD locks follow the description), of the very file this connection has open. */
  openSlotHolder(): SlotHolder {
    const fd = openTshmFile(this.path, true);
    try {
      if (identityOfDescriptor(fd) !== this.identity) {
        throw new SqliteError(
          `unable to open database file: ${this.path} was replaced while this connection had it open`,
          'SQLITE_CANTOPEN',
        );
      }
      const region = new TshmRegion(fd);
      const lockBytes = new DescriptionLockBytes(fd);
      return {
        region,
        lockBytes,
        close: () => {
          try {
            region.unmap();
          } finally {
            closeFileDescriptor(fd);
          }
        },
      };
    } catch (err) {
      closeFileDescriptor(fd);
      throw err;
    }
  }

  detach(): void {
    try {
      this.region.unmap();
    } finally {
      this.untrack();
      closeFileDescriptor(this.fd);
    }
  }
}

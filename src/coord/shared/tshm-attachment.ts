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
 */
import type { OpenMode } from '../coordination.js';
import { ByteRangeLock, type LockFlavor } from '../../os/byte-range-lock.js';
import { closeFileDescriptor } from '../../os/file-descriptor.js';
import {
  attachThroughProcessFile,
  identityOfDescriptor,
  refuseIfOpenWithPosixLocks,
  trackDescriptionOpen,
} from './process-tshm-files.js';
import { DescriptionLockBytes, type TshmLockBytes } from './tshm-lock-bytes.js';
import { LockByte } from './tshm-layout.js';
import { openTshm, openTshmFile } from './tshm-open.js';
import type { TshmRegion } from './tshm-region.js';

export interface TshmAttachment {
  readonly fd: number;
  readonly region: TshmRegion;
  /** 'exclusive' when this connection was alone at open time (and so made any repairs). */
  readonly mode: OpenMode;
  readonly lockBytes: TshmLockBytes;
  /** The `Coordination.isLastConnection` answer: once true, it stays true until `detach()`. */
  isLastConnection(): boolean;
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
      const untrack = trackDescriptionOpen(path, identityOfDescriptor(fd));
      try {
        const lifetimeLock = new ByteRangeLock(fd, LockByte.lifetime, 1, 'ofd');
        const lockBytes = new DescriptionLockBytes(fd);
        const opened = openTshm(fd, readOnly, owner, lifetimeLock, lockBytes);
        return new DescriptionAttachment(fd, opened.region, opened.mode, lockBytes, lifetimeLock, untrack);
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

  detach(): void {
    try {
      this.region.unmap();
    } finally {
      this.untrack();
      closeFileDescriptor(this.fd);
    }
  }
}

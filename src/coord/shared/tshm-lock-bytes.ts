/**
 * The ownership lock bytes of the `-tshm` file (spec tshm.md §6.1: writer 1,
 * checkpoint 2, reader slot i at 3 + i) as one connection sees them, whatever
 * the lock flavor underneath.
 *
 * Promises of every implementation:
 *  - `tryLock(byte)` makes one non-blocking attempt to hold the byte
 *    exclusively for this connection and answers false whenever any other
 *    connection holds it, in another process or in this one; it answers true
 *    again for a byte this connection already holds;
 *  - `unlock(byte)` gives back a byte this connection holds, and does nothing
 *    for one it does not hold;
 *  - a byte nobody holds can be taken, so "tryLock granted" is the liveness
 *    probe of spec §9.4: a holder that died no longer holds anything.
 * `DescriptionLockBytes` is the Linux flavor: OFD locks on the connection's
 * own open file description, which the kernel already keeps apart from every
 * other connection. The process-scoped POSIX flavor lives in
 * `posix-process-file.ts`. The byte 0 lifetime lock is not one of these: it
 * is shared by nature and belongs to the attachment (`tshm-attachment.ts`).
 */
import { ByteRangeLock } from '../../os/byte-range-lock.js';
import { LockByte, READER_SLOT_COUNT } from './tshm-layout.js';

/** Lock bytes 1 .. 3 + N − 1; byte 0 is the lifetime lock. */
export const OWNERSHIP_BYTE_LIMIT = LockByte.firstReader + READER_SLOT_COUNT;

export interface TshmLockBytes {
  tryLock(byte: number): boolean;
  unlock(byte: number): void;
}

export function checkOwnershipByte(byte: number): void {
  if (!Number.isInteger(byte) || byte < LockByte.writer || byte >= OWNERSHIP_BYTE_LIMIT) {
    throw new RangeError(`not a -tshm ownership lock byte: ${byte}`);
  }
}

/** OFD locks on one open file description: the kernel arbitrates between connections. */
export class DescriptionLockBytes implements TshmLockBytes {
  private readonly fd: number;
  private readonly locks: Array<ByteRangeLock | undefined> = new Array(OWNERSHIP_BYTE_LIMIT);

  constructor(fd: number) {
    this.fd = fd;
  }

  tryLock(byte: number): boolean {
    return this.lockFor(byte).tryLock('exclusive');
  }

  unlock(byte: number): void {
    this.lockFor(byte).unlock();
  }

  private lockFor(byte: number): ByteRangeLock {
    let lock = this.locks[byte];
    if (!lock) {
      checkOwnershipByte(byte);
      lock = new ByteRangeLock(this.fd, byte, 1, 'ofd');
      this.locks[byte] = lock;
    }
    return lock;
  }
}

/**
 * Shared memory maps of a file: `mmap(PROT_READ|PROT_WRITE, MAP_SHARED)`.
 *
 * A `SharedMapping` exposes the mapped bytes as a plain ArrayBuffer (not a
 * SharedArrayBuffer); `Atomics` on Int32Array / BigInt64Array /
 * BigUint64Array views over it are coherent across processes that map the
 * same file, because they all share the kernel's page cache. Promises:
 *  - `buffer` stays valid until `unmap()`; after that any access through a
 *    view made earlier is undefined behaviour (the memory is gone), so owners
 *    must drop their views first. `unmap()` is idempotent.
 *  - mapping failures throw `SQLITE_IOERR_SHMMAP` with the errno name.
 * Never touch a mapped range beyond the file's current length (SIGBUS), and
 * never shrink a file others may have mapped.
 */
import { SqliteError } from '../sqlite-error.js';
import { loadLibc, type Libc, type NativePointer } from './libc.js';

export class SharedMapping {
  /** File offset of the first mapped byte. */
  readonly offset: number;
  readonly length: number;
  readonly buffer: ArrayBuffer;
  private readonly libc: Libc;
  private pointer: NativePointer | null;

  private constructor(libc: Libc, pointer: NativePointer, offset: number, length: number) {
    this.libc = libc;
    this.pointer = pointer;
    this.offset = offset;
    this.length = length;
    this.buffer = libc.view(pointer, length);
  }

  /** Maps `length` bytes of `fd` from `offset` (a multiple of the OS page size) read/write and shared. */
  static map(fd: number, offset: number, length: number): SharedMapping {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length <= 0) {
      throw new RangeError(`invalid mapping range: offset ${offset}, length ${length}`);
    }
    const libc = loadLibc();
    const result = libc.mapShared(fd, offset, length);
    if (result.pointer === null) {
      throw new SqliteError(
        `disk I/O error: mmap of ${length} bytes at offset ${offset} failed with ${libc.errnoName(result.errno)}`,
        'SQLITE_IOERR_SHMMAP',
      );
    }
    return new SharedMapping(libc, result.pointer, offset, length);
  }

  get mapped(): boolean {
    return this.pointer !== null;
  }

  unmap(): void {
    if (this.pointer === null) return;
    const errno = this.libc.unmap(this.pointer, this.length);
    this.pointer = null;
    if (errno !== 0) {
      throw new SqliteError(`disk I/O error: munmap failed with ${this.libc.errnoName(errno)}`, 'SQLITE_IOERR_SHMMAP');
    }
  }
}

/**
 * The mapped `-tshm` file of one connection: typed views over a single
 * `MAP_SHARED` mapping and atomic accessors for header fields.
 *
 * The whole address range a v1 file can ever reach (fixed region plus 64
 * frame-index blocks, 5,246,976 bytes) is mapped once from offset 0, so a
 * peer growing the index never forces a remap. Bytes past the file's end
 * must never be touched (SIGBUS): `usableBlocks()` only admits a block after
 * confirming with `fstat` that the file really covers it (once per growth,
 * never in steady state), and `grow()` extends the file before publishing the
 * new block count. Every system call made here is counted.
 *
 * Wide (u64) fields are read as two u32 halves (no BigInt allocation); that
 * is exact for values below 2^53 and is only used where a seqlock or the
 * writer lock rules out tearing. Fields other processes read atomically
 * outside any lock (reader frames, owners, proof words) use `load64`/`store64`.
 */
import { fstatSync, ftruncateSync } from 'node:fs';
import { SharedMapping } from '../../os/shared-mapping.js';
import { countSyscall } from '../../os/syscall-counter.js';
import { corruptError } from '../../sqlite-error.js';
import type { HeaderReader } from './tshm-validation.js';
import { Header, MAX_BLOCKS, MAX_FILE_LENGTH, TWO_TO_32, fileLengthFor } from './tshm-layout.js';


export class TshmRegion implements HeaderReader {
  readonly fd: number;
  readonly bytes: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly u64: BigUint64Array;
  private readonly mapping: SharedMapping;
  private verifiedBlocks = 0;

  constructor(fd: number) {
    this.fd = fd;
    this.mapping = SharedMapping.map(fd, 0, MAX_FILE_LENGTH);
    const buffer = this.mapping.buffer;
    this.bytes = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.u64 = new BigUint64Array(buffer);
  }

  readByte(offset: number): number {
    return this.bytes[offset]!;
  }

  readU32(offset: number): number {
    return this.load32(offset);
  }

  load32(offset: number): number {
    return Atomics.load(this.u32, offset >>> 2);
  }

  store32(offset: number, value: number): void {
    Atomics.store(this.u32, offset >>> 2, value >>> 0);
  }

  compareExchange32(offset: number, expected: number, value: number): number {
    return Atomics.compareExchange(this.u32, offset >>> 2, expected >>> 0, value >>> 0);
  }

  /** A u64 field as a number from its two halves (see the module comment for when that is safe). */
  loadWide(offset: number): number {
    const index = offset >>> 2;
    return Atomics.load(this.u32, index) + Atomics.load(this.u32, index + 1) * TWO_TO_32;
  }

  /** Stores a u64 field from a number with one atomic 64-bit store. */
  storeWide(offset: number, value: number): void {
    Atomics.store(this.u64, offset >>> 3, BigInt(value));
  }

  load64(offset: number): bigint {
    return Atomics.load(this.u64, offset >>> 3);
  }

  store64(offset: number, value: bigint): void {
    Atomics.store(this.u64, offset >>> 3, value);
  }

  compareExchange64(offset: number, expected: bigint, value: bigint): bigint {
    return Atomics.compareExchange(this.u64, offset >>> 3, expected, value);
  }

  or64(offset: number, bits: bigint): bigint {
    return Atomics.or(this.u64, offset >>> 3, bits);
  }

  /** Current file length (one `fstat`). */
  fileLength(): number {
    countSyscall();
    return fstatSync(this.fd).size;
  }

  /** Sets the file length (one `ftruncate`); only ever grows a file that others may map. */
  setFileLength(length: number): void {
    countSyscall();
    ftruncateSync(this.fd, length);
  }

  /**
   * Frame-index blocks that may be read: the published block count, capped
   * at 64, and confirmed against the file length whenever it grew.
   */
  usableBlocks(): number {
    const published = Math.min(this.load32(Header.blocks), MAX_BLOCKS);
    if (published > this.verifiedBlocks) {
      const length = this.fileLength();
      if (length < fileLengthFor(published)) {
        throw corruptError(
          `shared WAL coordination file has unexpected size: got ${length}, expected ${fileLengthFor(published)}`,
        );
      }
      this.verifiedBlocks = published;
    }
    return published;
  }

  /** Extends the file to `blocks` blocks, then publishes the new count (spec §11.3). */
  grow(blocks: number): void {
    this.setFileLength(fileLengthFor(blocks));
    this.verifiedBlocks = Math.max(this.verifiedBlocks, blocks);
    this.store32(Header.blocks, blocks);
  }

  /** Forgets what was verified (after this connection re-sized the file while alone). */
  resetVerifiedBlocks(): void {
    this.verifiedBlocks = 0;
  }

  unmap(): void {
    this.mapping.unmap();
  }
}

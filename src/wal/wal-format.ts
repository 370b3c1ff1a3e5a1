/**
 * The on-disk layout of SQLite's WAL file (spec §16, SQLite fileformat2 §4).
 *
 *   header (32 bytes, big-endian u32s):
 *     0 magic 0x377F0682 (little-endian checksum words) or 0x377F0683 (big-endian)
 *     4 file format 3007000     8 page size     12 checkpoint sequence
 *    16 salt-1     20 salt-2    24 checksum-1   28 checksum-2  (over bytes 0..23)
 *   frame n (1-based) at 32 + (n-1)·(24 + pageSize):
 *     0 page number   4 database size in pages after commit (0 = not a commit frame)
 *     8 salt-1       12 salt-2   16 checksum-1   20 checksum-2, then the page image.
 *
 * A header is valid when its magic is one of the two values, its page size is
 * a power of two in 512..65536 and its checksum matches; anything else makes
 * the whole log count as empty, as SQLite treats it.
 */
import { walChecksum } from './wal-checksum.js';

export const WAL_HEADER_SIZE = 32;
export const WAL_FRAME_HEADER_SIZE = 24;
export const WAL_MAGIC_LITTLE_ENDIAN = 0x377f0682;
export const WAL_MAGIC_BIG_ENDIAN = 0x377f0683;
export const WAL_FORMAT_VERSION = 3007000;

export interface WalHeader {
  readonly magic: number;
  readonly pageSize: number;
  readonly checkpointSeq: number;
  readonly salt1: number;
  readonly salt2: number;
  readonly checksum1: number;
  readonly checksum2: number;
}

/** True for 512, 1024, ..., 65536. */
export function isValidPageSize(pageSize: number): boolean {
  return pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
}

/** Byte offset of frame `frame` (1-based) in a WAL of `pageSize`-byte pages. */
export function frameOffset(frame: number, pageSize: number): number {
  return WAL_HEADER_SIZE + (frame - 1) * (WAL_FRAME_HEADER_SIZE + pageSize);
}

/** True when checksums of a log with this magic read big-endian words. */
export function usesBigEndianChecksums(magic: number): boolean {
  return (magic & 1) === 1;
}

/**
 * Encodes a header with little-endian checksum words into `target[0..32)` and
 * returns it with its checksum filled in.
 */
export function encodeWalHeader(
  fields: { pageSize: number; checkpointSeq: number; salt1: number; salt2: number },
  target: Uint8Array,
): WalHeader {
  const view = new DataView(target.buffer, target.byteOffset, WAL_HEADER_SIZE);
  view.setUint32(0, WAL_MAGIC_LITTLE_ENDIAN);
  view.setUint32(4, WAL_FORMAT_VERSION);
  view.setUint32(8, fields.pageSize);
  view.setUint32(12, fields.checkpointSeq);
  view.setUint32(16, fields.salt1);
  view.setUint32(20, fields.salt2);
  const sums = new Uint32Array(2);
  walChecksum(target, 0, 24, false, sums);
  view.setUint32(24, sums[0]!);
  view.setUint32(28, sums[1]!);
  return {
    magic: WAL_MAGIC_LITTLE_ENDIAN,
    pageSize: fields.pageSize,
    checkpointSeq: fields.checkpointSeq,
    salt1: fields.salt1,
    salt2: fields.salt2,
    checksum1: sums[0]!,
    checksum2: sums[1]!,
  };
}

/** Decodes and validates a 32-byte header; null when it is not a valid WAL header. */
export function decodeWalHeader(bytes: Uint8Array): WalHeader | null {
  if (bytes.length < WAL_HEADER_SIZE) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, WAL_HEADER_SIZE);
  const magic = view.getUint32(0);
  if (magic !== WAL_MAGIC_LITTLE_ENDIAN && magic !== WAL_MAGIC_BIG_ENDIAN) return null;
  const pageSize = view.getUint32(8);
  if (!isValidPageSize(pageSize)) return null;
  const sums = new Uint32Array(2);
  walChecksum(bytes, 0, 24, usesBigEndianChecksums(magic), sums);
  if (sums[0] !== view.getUint32(24) || sums[1] !== view.getUint32(28)) return null;
  return {
    magic,
    pageSize,
    checkpointSeq: view.getUint32(12),
    salt1: view.getUint32(16),
    salt2: view.getUint32(20),
    checksum1: sums[0]!,
    checksum2: sums[1]!,
  };
}

/**
 * Fills in the frame header at `buffer[at..at+24)` for the page image that
 * follows it and advances `sums` (the running checksum) over the frame.
 */
export function sealFrame(
  buffer: Uint8Array,
  at: number,
  pageSize: number,
  pgno: number,
  dbSizeAfterCommit: number,
  salt1: number,
  salt2: number,
  bigEndianWords: boolean,
  sums: Uint32Array,
): void {
  const view = new DataView(buffer.buffer, buffer.byteOffset + at, WAL_FRAME_HEADER_SIZE);
  view.setUint32(0, pgno);
  view.setUint32(4, dbSizeAfterCommit);
  view.setUint32(8, salt1);
  view.setUint32(12, salt2);
  walChecksum(buffer, at, 8, bigEndianWords, sums);
  walChecksum(buffer, at + WAL_FRAME_HEADER_SIZE, pageSize, bigEndianWords, sums);
  view.setUint32(16, sums[0]!);
  view.setUint32(20, sums[1]!);
}

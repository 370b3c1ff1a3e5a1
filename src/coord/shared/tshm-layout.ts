/**
 * The byte layout of the `-tshm` coordination file, format v1 (spec tshm.md
 * §2, §4): constants, field offsets, lock bytes, sentinels, the owner record,
 * and how the file is named. Pure data and arithmetic; nothing here touches a
 * file. All multi-byte fields are little-endian (the host order of every
 * platform Turso ships for) and naturally aligned.
 */

export const TSHM_MAGIC: readonly number[] = [0x54, 0x53, 0x48, 0x4d, 0x57, 0x41, 0x4c, 0x00];
export const TSHM_VERSION = 1;
export const READER_SLOT_COUNT = 64;
export const READER_BITMAP_WORDS = READER_SLOT_COUNT / 64;
export const BLOCK_CAPACITY = 4096;
export const BLOCK_HASH_SLOTS = 8192;
export const MAX_BLOCKS = 64;
export const INDEX_CAPACITY = BLOCK_CAPACITY * MAX_BLOCKS;
/** Size of the fixed region: header, reader arrays, reserved arrays, padding. */
export const BASE_SIZE = 4096;
export const ENTRY_SIZE = 16;
/** One frame-index block: 4096 entries of 16 bytes, then 8192 u16 hash cells. */
export const BLOCK_SIZE = BLOCK_CAPACITY * ENTRY_SIZE + BLOCK_HASH_SLOTS * 2;
export const BLOCK_HASH_OFFSET = BLOCK_CAPACITY * ENTRY_SIZE;
export const MAX_FILE_LENGTH = BASE_SIZE + MAX_BLOCKS * BLOCK_SIZE;
/** 2^32, to join the halves of a u64 field read as two u32 words. */
export const TWO_TO_32 = 4294967296;
/** (page · 383) mod 8192, the same constant as SQLite's wal-index hash. */
export const HASH_MULTIPLIER = 383;

/** Byte offsets of the header fields (§4.2). */
export const Header = {
  magic: 0,
  version: 8,
  readerSlotCount: 12,
  readerBitmapWordCount: 16,
  blockCapacity: 20,
  blockHashSlots: 24,
  maxBlocks: 28,
  blocks: 32,
  indexCapacity: 36,
  indexLength: 40,
  indexOverflowed: 44,
  snapshotSeq: 48,
  maxFrame: 56,
  nBackfills: 64,
  transactionCount: 72,
  visibilityGeneration: 80,
  checkpointSeq: 88,
  checkpointEpoch: 92,
  pageSize: 96,
  salt1: 100,
  salt2: 104,
  checksum1: 108,
  checksum2: 112,
  proofVersion: 116,
  proofNBackfills: 120,
  proofMaxFrame: 128,
  proofCheckpointSeq: 136,
  proofPageSize: 140,
  proofSalt1: 144,
  proofSalt2: 148,
  proofChecksum1: 152,
  proofChecksum2: 156,
  proofDbSizePages: 160,
  proofDbHeaderCrc32c: 164,
  proofCrc32c: 168,
  writerOwner: 176,
  checkpointOwner: 184,
  size: 192,
} as const;

/** Byte offsets of the reader arrays and reserved arrays (§4.1, N = 64). */
export const Readers = {
  bitmap: 192,
  frames: 200,
  owners: 712,
  reservedA: 1224,
  reservedB: 1232,
  end: 1744,
} as const;

/** Byte offsets of the eleven seqlock-protected snapshot fields, in `WalSnapshot` order. */
export const SNAPSHOT_FIELDS = [
  { offset: Header.maxFrame, wide: true },
  { offset: Header.nBackfills, wide: true },
  { offset: Header.transactionCount, wide: true },
  { offset: Header.visibilityGeneration, wide: true },
  { offset: Header.checkpointSeq, wide: false },
  { offset: Header.checkpointEpoch, wide: false },
  { offset: Header.pageSize, wide: false },
  { offset: Header.salt1, wide: false },
  { offset: Header.salt2, wide: false },
  { offset: Header.checksum1, wide: false },
  { offset: Header.checksum2, wide: false },
] as const;

/** Lock bytes of the `-tshm` file (§6.1). */
export const LockByte = {
  lifetime: 0,
  writer: 1,
  checkpoint: 2,
  firstReader: 3,
} as const;

export const UNUSED_READER_FRAME = 0xffff_ffff_ffff_ffffn;
export const UNOWNED = 0n;

/** Byte offset of frame-index block `block`. */
export function blockOffset(block: number): number {
  return BASE_SIZE + block * BLOCK_SIZE;
}

/** Exact file length for `blocks` frame-index blocks. */
export function fileLengthFor(blocks: number): number {
  return BASE_SIZE + blocks * BLOCK_SIZE;
}

/** First hash cell to probe for `page`; exact because pages are below 2^32. */
export function hashOf(page: number): number {
  return (page * HASH_MULTIPLIER) % BLOCK_HASH_SLOTS;
}

/** The coordination path for a WAL path (§2): `-wal` becomes `-tshm`, otherwise `-tshm` is appended. */
export function coordinationPathFor(walPath: string): string {
  return walPath.endsWith('-wal') ? `${walPath.slice(0, -4)}-tshm` : `${walPath}-tshm`;
}

/** `owner = (pid << 32) | instance` (§4.4); never 0 because instance is never 0. */
export function encodeOwner(pid: number, instance: number): bigint {
  return (BigInt(pid >>> 0) << 32n) | BigInt(instance >>> 0);
}

export function decodeOwner(owner: bigint): { readonly pid: number; readonly instance: number } | null {
  if (owner === UNOWNED) return null;
  return { pid: Number(owner >> 32n), instance: Number(owner & 0xffff_ffffn) };
}

/**
 * Validation of an existing `-tshm` file (spec tshm.md §7.3), shared by the
 * opener (over the mapping) and the inspector (over a copy of the header).
 * Answers with Turso's error wording, or null when the file is valid; the
 * caller decides between re-initializing (alone) and refusing (peers alive).
 */
import {
  BASE_SIZE,
  BLOCK_CAPACITY,
  BLOCK_HASH_SLOTS,
  Header,
  INDEX_CAPACITY,
  MAX_BLOCKS,
  READER_BITMAP_WORDS,
  READER_SLOT_COUNT,
  TSHM_MAGIC,
  TSHM_VERSION,
  fileLengthFor,
} from './tshm-layout.js';

/** Reads the header: a byte at an offset, and a little-endian u32 at an aligned offset. */
export interface HeaderReader {
  readByte(offset: number): number;
  readU32(offset: number): number;
}

export function smallerThanHeaderMessage(length: number): string {
  return `shared WAL coordination file is smaller than the coordination header: got ${length}, minimum ${BASE_SIZE}`;
}

/** Null when the file is valid, else why not (Turso's wording). */
export function tshmInvalidity(header: HeaderReader, fileLength: number): string | null {
  if (fileLength < BASE_SIZE) return smallerThanHeaderMessage(fileLength);
  for (let i = 0; i < TSHM_MAGIC.length; i++) {
    if (header.readByte(Header.magic + i) !== TSHM_MAGIC[i]) return 'shared WAL coordination map magic mismatch';
  }
  const version = header.readU32(Header.version);
  if (version !== TSHM_VERSION) return `unsupported shared WAL coordination map version: ${version}`;
  const mismatch = (name: string, offset: number, expected: number): string | null => {
    const got = header.readU32(offset);
    return got === expected ? null : `shared WAL coordination map ${name} mismatch: got ${got}, expected ${expected}`;
  };
  const constants = [
    mismatch('slot count', Header.readerSlotCount, READER_SLOT_COUNT),
    mismatch('reader bitmap word count', Header.readerBitmapWordCount, READER_BITMAP_WORDS),
    mismatch('frame index block capacity', Header.blockCapacity, BLOCK_CAPACITY),
    mismatch('frame index hash slot count', Header.blockHashSlots, BLOCK_HASH_SLOTS),
    mismatch('frame index max blocks', Header.maxBlocks, MAX_BLOCKS),
    mismatch('frame index capacity', Header.indexCapacity, INDEX_CAPACITY),
  ];
  for (const problem of constants) if (problem) return problem;
  const blocks = header.readU32(Header.blocks);
  if (blocks < 1 || blocks > MAX_BLOCKS) return `shared WAL coordination map has invalid frame index block count: ${blocks}`;
  const length = header.readU32(Header.indexLength);
  if (length > INDEX_CAPACITY || length > blocks * BLOCK_CAPACITY) {
    return `shared WAL coordination map frame index length ${length} exceeds capacity of ${blocks} blocks`;
  }
  const expected = fileLengthFor(blocks);
  if (fileLength !== expected) return `shared WAL coordination file has unexpected size: got ${fileLength}, expected ${expected}`;
  return null;
}

/**
 * Opening the `-tshm` file (spec tshm.md §7.2–§7.4, §7.7, hardened per
 * §17.3): open-mode detection, validation, initialization, and the repairs
 * only a lone opener may make.
 *
 * Protocol: try to lock byte 0 exclusively. Granted means nobody else has the
 * file open: the opener is `exclusive`, keeps byte 0 exclusive while it
 * creates, validates, re-initializes or repairs the file (so concurrent
 * openers, ours or Turso's, block in their shared lock until the file is
 * consistent), and then downgrades to the shared lifetime lock in place.
 * Refused means peers are alive: the opener waits for the shared lock and is
 * `multiprocess`; it never clobbers state, and refuses a file it cannot
 * validate. The lone opener's repairs probe the ownership bytes through the
 * flavor-neutral `TshmLockBytes`. Promises:
 *  - on success the caller owns a mapped region and a shared byte-0 lock on
 *    its descriptor, and the file is valid;
 *  - on failure the mapping is gone and the caller closes the descriptor,
 *    which drops byte 0;
 *  - read-only openers never create, size or initialize the file.
 */
import { constants } from 'node:fs';
import type { OpenMode } from '../coordination.js';
import type { ByteRangeLock } from '../../os/byte-range-lock.js';
import { openFileDescriptor } from '../../os/file-descriptor.js';
import { corruptError } from '../../sqlite-error.js';
import { clearBackfillProof, proofIsSound, readBackfillProof } from './backfill-proof.js';
import { ReaderSlots } from './reader-slots.js';
import { SnapshotSeqlock } from './snapshot-seqlock.js';
import type { TshmLockBytes } from './tshm-lock-bytes.js';
import {
  BASE_SIZE,
  BLOCK_CAPACITY,
  BLOCK_HASH_SLOTS,
  BLOCK_SIZE,
  Header,
  INDEX_CAPACITY,
  LockByte,
  MAX_BLOCKS,
  MAX_FILE_LENGTH,
  READER_BITMAP_WORDS,
  READER_SLOT_COUNT,
  Readers,
  SNAPSHOT_FIELDS,
  TSHM_MAGIC,
  TSHM_VERSION,
  UNOWNED,
  UNUSED_READER_FRAME,
  fileLengthFor,
} from './tshm-layout.js';
import { TshmRegion } from './tshm-region.js';
import { smallerThanHeaderMessage, tshmInvalidity } from './tshm-validation.js';

export interface OpenedTshm {
  readonly region: TshmRegion;
  readonly mode: OpenMode;
}

/** Opens the `-tshm` descriptor: read/write always, created only by writable opens (§7.4, §7.7). */
export function openTshmFile(path: string, readOnly: boolean): number {
  return readOnly
    ? openFileDescriptor(path, constants.O_RDWR)
    : openFileDescriptor(path, constants.O_RDWR | constants.O_CREAT);
}

/**
 * Runs the open protocol on `fd` with its byte 0 lock and the opener's
 * ownership bytes; on failure unmaps what it mapped (the caller closes `fd`,
 * which drops byte 0).
 */
export function openTshm(
  fd: number,
  readOnly: boolean,
  owner: bigint,
  lifetimeLock: ByteRangeLock,
  lockBytes: TshmLockBytes,
): OpenedTshm {
  let region: TshmRegion | null = null;
  try {
    const alone = lifetimeLock.tryLock('exclusive');
    if (!alone) lifetimeLock.lock('shared');
    region = new TshmRegion(fd);
    prepare(region, alone, readOnly, owner, lockBytes);
    if (alone) lifetimeLock.lock('shared');
    return { region, mode: alone ? 'exclusive' : 'multiprocess' };
  } catch (err) {
    region?.unmap();
    throw err;
  }
}

/**
 * Maps `fd` for a further connection of a process that already holds byte 0
 * shared (POSIX locks, `process-tshm-files.ts`): it is not alone, so it only
 * validates, like any opener that found peers.
 */
export function joinTshm(fd: number, readOnly: boolean, owner: bigint, lockBytes: TshmLockBytes): TshmRegion {
  const region = new TshmRegion(fd);
  try {
    prepare(region, false, readOnly, owner, lockBytes);
    return region;
  } catch (err) {
    region.unmap();
    throw err;
  }
}

function prepare(region: TshmRegion, alone: boolean, readOnly: boolean, owner: bigint, lockBytes: TshmLockBytes): void {
  const length = region.fileLength();
  if (readOnly) {
    const problem = alone ? tshmInvalidity(region, length) : liveFileInvalidity(region, length);
    if (problem) throw corruptError(problem);
  } else if (length === 0) {
    initialize(region, false);
  } else if (length < BASE_SIZE) {
    if (!alone) throw corruptError(smallerThanHeaderMessage(length));
    initialize(region, true);
  } else if (alone) {
    if (tshmInvalidity(region, length)) initialize(region, true);
  } else {
    const problem = liveFileInvalidity(region, length);
    if (problem) throw corruptError(problem);
  }
  region.usableBlocks();
  if (!alone) return;
  new SnapshotSeqlock(region).repairOddSequence();
  if (readOnly) return;
  const proof = readBackfillProof(region);
  if (proof.version !== 0 && !proofIsSound(proof)) clearBackfillProof(region);
  clearStaleOwner(region, lockBytes, LockByte.writer, Header.writerOwner);
  clearStaleOwner(region, lockBytes, LockByte.checkpoint, Header.checkpointOwner);
  new ReaderSlots(region, lockBytes, owner).reclaimStale();
}

/**
 * Validation for an opener that found peers alive. A peer growing the frame
 * index extends the file before it publishes the new block count (§11.3), so
 * a file longer than its published blocks by whole blocks is a growth in
 * progress, or one whose grower was killed in between (the next growth
 * completes it). Turso refuses such a file (§19 H10); we accept it, reading
 * the length again after the header so that a growth racing this check is
 * seen whole.
 */
function liveFileInvalidity(region: TshmRegion, length: number): string | null {
  const problem = tshmInvalidity(region, length);
  if (problem === null) return null;
  const published = fileLengthFor(region.load32(Header.blocks));
  const current = region.fileLength();
  const growing = current >= published && current <= MAX_FILE_LENGTH && (current - BASE_SIZE) % BLOCK_SIZE === 0;
  return growing && tshmInvalidity(region, published) === null ? null : problem;
}

/**
 * Sizes the file to one block and writes the §7.4 initial values. A lone
 * re-initializer also zeroes the snapshot fields (the recommended
 * conservative choice: the next opener rebuilds from the WAL).
 */
function initialize(region: TshmRegion, reinitializing: boolean): void {
  region.setFileLength(fileLengthFor(1));
  region.resetVerifiedBlocks();
  for (let i = 0; i < TSHM_MAGIC.length; i++) region.bytes[Header.magic + i] = TSHM_MAGIC[i]!;
  region.store32(Header.version, TSHM_VERSION);
  region.store32(Header.readerSlotCount, READER_SLOT_COUNT);
  region.store32(Header.readerBitmapWordCount, READER_BITMAP_WORDS);
  region.store32(Header.blockCapacity, BLOCK_CAPACITY);
  region.store32(Header.blockHashSlots, BLOCK_HASH_SLOTS);
  region.store32(Header.maxBlocks, MAX_BLOCKS);
  region.store32(Header.blocks, 1);
  region.store32(Header.indexCapacity, INDEX_CAPACITY);
  region.store32(Header.indexLength, 0);
  region.store32(Header.indexOverflowed, 0);
  region.store64(Header.snapshotSeq, 0n);
  clearBackfillProof(region);
  region.store64(Header.writerOwner, UNOWNED);
  region.store64(Header.checkpointOwner, UNOWNED);
  for (let word = 0; word < READER_BITMAP_WORDS; word++) region.store64(Readers.bitmap + word * 8, UNUSED_READER_FRAME);
  for (let slot = 0; slot < READER_SLOT_COUNT; slot++) {
    region.store64(Readers.frames + slot * 8, UNUSED_READER_FRAME);
    region.store64(Readers.owners + slot * 8, UNOWNED);
  }
  if (reinitializing) {
    for (const field of SNAPSHOT_FIELDS) {
      if (field.wide) region.store64(field.offset, 0n);
      else region.store32(field.offset, 0);
    }
  }
}

function clearStaleOwner(region: TshmRegion, lockBytes: TshmLockBytes, byte: number, ownerOffset: number): void {
  if (region.load64(ownerOffset) === UNOWNED) return;
  if (!lockBytes.tryLock(byte)) return;
  region.store64(ownerOffset, UNOWNED);
  lockBytes.unlock(byte);
}

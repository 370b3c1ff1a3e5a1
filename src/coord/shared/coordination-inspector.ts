/**
 * A read-only view of a live `-tshm` file for tools (`shoal status`): the
 * snapshot, who holds the writer and checkpoint locks, which reader slots
 * pin which frames, and the frame index's size.
 *
 * The inspector is not a peer: it opens the file read-only, takes no lock,
 * maps nothing and writes nothing. It copies the fixed region with
 * positional reads (retried until the snapshot sequence is even and stable,
 * so the snapshot shown is consistent) and asks the kernel which lock bytes
 * are held: `F_OFD_GETLK` on Linux, which reports every holder (this
 * process's own POSIX locks included), `F_GETLK` elsewhere, completed by the
 * process's own POSIX holds, which `F_GETLK` cannot see. When this process
 * has the file open with POSIX locks it reads through that descriptor, since
 * closing any other would drop those locks (`process-tshm-files.ts`). Owner
 * pids come from the owner records, which are diagnostics: a pid may be
 * stale or recycled, the `locked` flags are the truth.
 */
import { fstatSync, readSync } from 'node:fs';
import type { WalSnapshot } from '../coordination.js';
import { ByteRangeLock, type LockFlavor } from '../../os/byte-range-lock.js';
import { loadLibc } from '../../os/libc.js';
import { countSyscall } from '../../os/syscall-counter.js';
import { SqliteError, corruptError } from '../../sqlite-error.js';
import { Backoff } from './backoff.js';
import { type BackfillProof, readBackfillProof } from './backfill-proof.js';
import { heldInThisProcess, openForReading } from './process-tshm-files.js';
import { SNAPSHOT_FIELD_COUNT, snapshotFromFields } from './snapshot-seqlock.js';
import {
  BASE_SIZE,
  BLOCK_SIZE,
  Header,
  MAX_FILE_LENGTH,
  LockByte,
  READER_SLOT_COUNT,
  Readers,
  SNAPSHOT_FIELDS,
  UNOWNED,
  UNUSED_READER_FRAME,
  decodeOwner,
  fileLengthFor,
} from './tshm-layout.js';
import { type HeaderReader, tshmInvalidity } from './tshm-validation.js';

export interface OwnerStatus {
  /** True while some peer holds the lock byte. */
  readonly locked: boolean;
  /** From the owner record; null when the field is 0. */
  readonly pid: number | null;
  readonly instance: number | null;
}

export interface ReaderSlotStatus {
  readonly slot: number;
  /** Pinned frame; null when the slot is claimed but idle. */
  readonly frame: number | null;
  readonly locked: boolean;
  readonly pid: number | null;
  readonly instance: number | null;
}

export interface CoordinationStatus {
  readonly path: string;
  readonly fileLength: number;
  /** True while at least one peer has the file open (byte 0 held). */
  readonly peersAttached: boolean;
  readonly snapshotSequence: bigint;
  readonly snapshot: WalSnapshot;
  readonly uninitialized: boolean;
  readonly writer: OwnerStatus;
  readonly checkpointer: OwnerStatus;
  /** Slots that are claimed, pinned or locked; free slots are left out. */
  readonly readers: readonly ReaderSlotStatus[];
  readonly frameIndex: { readonly length: number; readonly blocks: number; readonly overflowed: boolean };
  /** The published backfill proof; null when none (version 0). */
  readonly backfillProof: BackfillProof | null;
}

/** Reads the live state of the `-tshm` at `path` without joining it. */
export function inspectCoordination(path: string): CoordinationStatus {
  const reading = openForReading(path);
  const fd = reading.fd;
  try {
    const region = readStableFixedRegion(fd, fileLengthOf(fd));
    const header: HeaderReader = {
      readByte: (offset) => region[offset]!,
      readU32: (offset) => region.readUInt32LE(offset),
    };
    const fileLength = fileLengthOf(fd);
    const problem = tshmInvalidity(header, lengthExplainedByGrowth(region, fileLength));
    if (problem) throw corruptError(problem);
    const queryFlavor: LockFlavor = loadLibc().lockAbi.ofd ? 'ofd' : 'posix';
    const held = (byte: number): boolean =>
      new ByteRangeLock(fd, byte, 1, queryFlavor).conflictingHolder('exclusive') !== null ||
      (reading.borrowed && heldInThisProcess(fd, byte));
    const owner = (offset: number, byte: number): OwnerStatus => {
      const record = decodeOwner(region.readBigUInt64LE(offset));
      return { locked: held(byte), pid: record?.pid ?? null, instance: record?.instance ?? null };
    };
    const fields = new Float64Array(SNAPSHOT_FIELD_COUNT);
    SNAPSHOT_FIELDS.forEach((field, i) => {
      fields[i] = field.wide ? Number(region.readBigUInt64LE(field.offset)) : region.readUInt32LE(field.offset);
    });
    const proof = readBackfillProof(header);
    return {
      path,
      fileLength,
      peersAttached: held(LockByte.lifetime),
      snapshotSequence: region.readBigUInt64LE(Header.snapshotSeq),
      snapshot: snapshotFromFields(fields),
      uninitialized: fields.every((value) => value === 0),
      writer: owner(Header.writerOwner, LockByte.writer),
      checkpointer: owner(Header.checkpointOwner, LockByte.checkpoint),
      readers: readerSlots(region, held),
      frameIndex: {
        length: region.readUInt32LE(Header.indexLength),
        blocks: region.readUInt32LE(Header.blocks),
        overflowed: region.readUInt32LE(Header.indexOverflowed) !== 0,
      },
      backfillProof: proof.version === 0 ? null : proof,
    };
  } finally {
    reading.release();
  }
}

function readerSlots(region: Buffer, held: (byte: number) => boolean): ReaderSlotStatus[] {
  const bitmap = region.readBigUInt64LE(Readers.bitmap);
  const slots: ReaderSlotStatus[] = [];
  for (let slot = 0; slot < READER_SLOT_COUNT; slot++) {
    const frame = region.readBigUInt64LE(Readers.frames + slot * 8);
    const ownerRecord = region.readBigUInt64LE(Readers.owners + slot * 8);
    const claimed = (bitmap & (1n << BigInt(slot))) === 0n;
    const locked = held(LockByte.firstReader + slot);
    if (!claimed && !locked && frame === UNUSED_READER_FRAME && ownerRecord === UNOWNED) continue;
    const owner = decodeOwner(ownerRecord);
    slots.push({
      slot,
      frame: frame === UNUSED_READER_FRAME ? null : Number(frame),
      locked,
      pid: owner?.pid ?? null,
      instance: owner?.instance ?? null,
    });
  }
  return slots;
}

function fileLengthOf(fd: number): number {
  countSyscall();
  return fstatSync(fd).size;
}

/**
 * The length to validate a live file against. Measured after the header was
 * copied, it covers every block the header publishes (a grower extends the
 * file before publishing, §11.3); a file longer than published by whole
 * blocks is a growth in progress (or one whose grower died, which the next
 * growth completes), as the opener also accepts (`tshm-open.ts`).
 */
function lengthExplainedByGrowth(region: Buffer, fileLength: number): number {
  const published = fileLengthFor(region.readUInt32LE(Header.blocks));
  const wholeBlocks = (fileLength - BASE_SIZE) % BLOCK_SIZE === 0;
  return fileLength > published && fileLength <= MAX_FILE_LENGTH && wholeBlocks ? published : fileLength;
}

/** A copy of the fixed region taken while the snapshot sequence was even and unchanged before and after. */
function readStableFixedRegion(fd: number, fileLength: number): Buffer {
  const copy = Buffer.alloc(BASE_SIZE);
  if (fileLength < BASE_SIZE) return copy;
  const sequence = Buffer.alloc(8);
  const readSequence = (): bigint => {
    countSyscall();
    readSync(fd, sequence, 0, 8, Header.snapshotSeq);
    return sequence.readBigUInt64LE(0);
  };
  const backoff = new Backoff();
  for (;;) {
    const before = readSequence();
    countSyscall();
    readSync(fd, copy, 0, BASE_SIZE, 0);
    const after = readSequence();
    if ((before & 1n) === 0n && before === after && copy.readBigUInt64LE(Header.snapshotSeq) === before) return copy;
    if (!backoff.pause()) {
      throw new SqliteError('locking protocol: the -tshm snapshot sequence stayed odd', 'SQLITE_PROTOCOL');
    }
  }
}

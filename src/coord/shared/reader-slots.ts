/**
 * Reader slots (spec tshm.md §4.3, §9): the 64 shared pins that bound every
 * checkpoint in every process.
 *
 * A slot is owned by whoever holds its lock byte (3 + i) exclusively (through
 * `TshmLockBytes`, so in either lock flavor a slot held by another holder
 * in this process is as taken as one held by another process); the
 * bitmap is only an allocation hint and the owner field a diagnostic. One
 * instance stands for one holder: the thread's reader slot pool
 * (`reader-slot-pool.ts`), or an exclusive opener reclaiming stale slots. A
 * claimed slot stays claimed until released (the held byte is its liveness
 * proof); pinning and unpinning are then single atomic stores of the frame
 * (UNUSED = 2^64−1 when idle), so a read transaction costs no system call.
 * Promises:
 *  - `claim` follows §9.2 (lowest free slot first; one stale reclamation
 *    pass and one rescan before giving up with `SQLITE_BUSY`).
 *  - `release` uses the safe order of §9.3: frame, owner, unlock, bitmap.
 *  - `minFrame` and `maxFrame` follow §9.4: own slots count by their local pin, other
 *    slots count while their byte is held; slots whose holder died are
 *    reclaimed on the way. An idle (UNUSED) slot never pins.
 */
import { SqliteError } from '../../sqlite-error.js';
import type { TshmLockBytes } from './tshm-lock-bytes.js';
import { LockByte, READER_SLOT_COUNT, Readers, UNOWNED, UNUSED_READER_FRAME } from './tshm-layout.js';
import type { TshmRegion } from './tshm-region.js';

const NO_PIN = -1;

function frameOffset(slot: number): number {
  return Readers.frames + slot * 8;
}

function ownerOffset(slot: number): number {
  return Readers.owners + slot * 8;
}

function lockByteOf(slot: number): number {
  return LockByte.firstReader + slot;
}

function bitOf(slot: number): bigint {
  return 1n << BigInt(slot % 64);
}

function bitmapOffset(slot: number): number {
  return Readers.bitmap + Math.floor(slot / 64) * 8;
}

export class ReaderSlots {
  private readonly region: TshmRegion;
  private readonly lockBytes: TshmLockBytes;
  private readonly owner: bigint;
  /** Pin of each slot this holder holds (NO_PIN when idle); undefined when not held. */
  private readonly heldPins: Array<number | undefined> = new Array(READER_SLOT_COUNT);
  private lastPinFrame = NO_PIN;
  private lastPinValue = 0n;

  constructor(region: TshmRegion, lockBytes: TshmLockBytes, owner: bigint) {
    this.region = region;
    this.lockBytes = lockBytes;
    this.owner = owner;
  }

  /** Claims a free slot for this holder (§9.2); it starts idle. */
  claim(): number {
    const slot = this.scanForFreeSlot();
    if (slot !== NO_PIN) return slot;
    this.reclaimStale();
    const retried = this.scanForFreeSlot();
    if (retried !== NO_PIN) return retried;
    throw new SqliteError(
      `database is locked: all ${READER_SLOT_COUNT} reader slots are in use ` +
        `(one per read transaction in progress, across all processes)`,
      'SQLITE_BUSY',
    );
  }

  /** Publishes `frame` as this slot's pin: one atomic store, no system call. */
  pin(slot: number, frame: number): void {
    if (frame !== this.lastPinFrame) {
      this.lastPinFrame = frame;
      this.lastPinValue = BigInt(frame);
    }
    this.region.store64(frameOffset(slot), this.lastPinValue);
    this.heldPins[slot] = frame;
  }

  /** Marks the slot idle: one atomic store, no system call. */
  unpin(slot: number): void {
    this.heldPins[slot] = NO_PIN;
    this.region.store64(frameOffset(slot), UNUSED_READER_FRAME);
  }

  /** The local pin of a held slot, or -1 when idle or not held. */
  pinOf(slot: number): number {
    return this.heldPins[slot] ?? NO_PIN;
  }

  /** Gives a held slot back (§9.3, safe order). */
  release(slot: number): void {
    if (this.heldPins[slot] === undefined) return;
    this.region.store64(frameOffset(slot), UNUSED_READER_FRAME);
    this.region.store64(ownerOffset(slot), UNOWNED);
    this.lockBytes.unlock(lockByteOf(slot));
    this.heldPins[slot] = undefined;
    this.region.or64(bitmapOffset(slot), bitOf(slot));
  }

  /** Smallest pinned frame of any live reader, skipping `exceptSlot`; null when none (§9.4). */
  minFrame(exceptSlot: number): number | null {
    return this.extremeFrame(exceptSlot, false);
  }

  /** Largest pinned frame of any live reader, skipping `exceptSlot`; null when none (§9.4). */
  maxFrame(exceptSlot: number): number | null {
    return this.extremeFrame(exceptSlot, true);
  }

  private extremeFrame(exceptSlot: number, largest: boolean): number | null {
    let extreme: number | null = null;
    for (let slot = 0; slot < READER_SLOT_COUNT; slot++) {
      if (slot === exceptSlot) continue;
      const held = this.heldPins[slot];
      let frame: number;
      if (held !== undefined) {
        if (held === NO_PIN) continue;
        frame = held;
      } else {
        const stored = this.region.load64(frameOffset(slot));
        if (stored === UNUSED_READER_FRAME) continue;
        if (this.reclaimIfDead(slot)) continue;
        frame = Number(stored);
      }
      if (extreme === null || (largest ? frame > extreme : frame < extreme)) extreme = frame;
    }
    return extreme;
  }

  /** Resets every slot whose holder is gone (§9.2 step 4); exclusive openers run it over all slots. */
  reclaimStale(): void {
    for (let slot = 0; slot < READER_SLOT_COUNT; slot++) {
      if (this.heldPins[slot] !== undefined) continue;
      const free = (this.region.load64(bitmapOffset(slot)) & bitOf(slot)) !== 0n;
      const idle = this.region.load64(frameOffset(slot)) === UNUSED_READER_FRAME;
      const unowned = this.region.load64(ownerOffset(slot)) === UNOWNED;
      if (free && idle && unowned) continue;
      this.reclaimIfDead(slot);
    }
  }

  /** Slots this holder holds. */
  heldSlots(): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < READER_SLOT_COUNT; slot++) if (this.heldPins[slot] !== undefined) slots.push(slot);
    return slots;
  }

  private scanForFreeSlot(): number {
    for (let slot = 0; slot < READER_SLOT_COUNT; slot++) {
      if (this.heldPins[slot] !== undefined) continue;
      const offset = bitmapOffset(slot);
      const bit = bitOf(slot);
      for (;;) {
        const word = this.region.load64(offset);
        if ((word & bit) === 0n) break;
        if (this.region.compareExchange64(offset, word, word & ~bit) !== word) continue;
        if (this.lockBytes.tryLock(lockByteOf(slot))) {
          this.region.store64(ownerOffset(slot), this.owner);
          this.region.store64(frameOffset(slot), UNUSED_READER_FRAME);
          this.heldPins[slot] = NO_PIN;
          return slot;
        }
        this.region.or64(offset, bit);
        break;
      }
    }
    return NO_PIN;
  }

  /** If nobody holds the slot's byte, resets the slot and returns true. */
  private reclaimIfDead(slot: number): boolean {
    const byte = lockByteOf(slot);
    if (!this.lockBytes.tryLock(byte)) return false;
    this.region.store64(frameOffset(slot), UNUSED_READER_FRAME);
    this.region.store64(ownerOffset(slot), UNOWNED);
    this.region.or64(bitmapOffset(slot), bitOf(slot));
    this.lockBytes.unlock(byte);
    return true;
  }
}

/**
 * The reader slot pool: the reader slots (spec tshm.md §9) one thread shares
 * among all its connections to one `-tshm` file (§9.1 step 4, "a process
 * SHOULD share slots"). Read transactions of the same pin share one slot
 * (reference counted, as Turso does), read transactions of different pins
 * use different slots, so the 64 slots bound the distinct snapshots being
 * read at once, not the open connections.
 *
 * One pool exists per file identity (device and inode) per JavaScript
 * isolate (module state: every worker thread has its own), reference counted
 * by that file's `SharedCoordination`s. It owns the slots it claims: their
 * lock bytes are held by a `SlotHolder` of its own (its own open file
 * description with OFD locks, its own holder in the process registry with
 * POSIX locks), never by a connection, so a connection closing cannot drop a
 * byte that another read transaction of this thread still relies on.
 * Promises:
 *  - `acquire(frame)` returns a slot whose published pin is `frame` for one
 *    more read transaction: one this thread already pins at `frame`, else an
 *    idle pooled one (both without system call), else a newly claimed one
 *    (§9.2; `SQLITE_BUSY` when all 64 are in use); the pin is published
 *    before it returns, so the caller re-validates its snapshot after it;
 *  - `release` drops one read transaction's use; the last user unpins the
 *    slot (frame UNUSED, one atomic store) and keeps it claimed and locked:
 *    other processes neither count it (§9.4 skips UNUSED) nor reclaim it (its
 *    byte is held);
 *  - `move` re-pins one use to another frame, splitting it off a shared slot;
 *  - `minFrame`/`maxFrame` count every pin of this thread through local
 *    state (a shared slot even for the caller, whose pin others share), and
 *    other slots as §9.4 says;
 *  - when the last member leaves, every pooled slot is released in the
 *    order of §9.3 (frame, owner, unlock, bitmap) and the holder closed.
 */
import { ReaderSlots } from './reader-slots.js';
import type { TshmAttachment, SlotHolder } from './tshm-attachment.js';
import { READER_SLOT_COUNT } from './tshm-layout.js';

const pools = new Map<string, ReaderSlotPool>();
const NO_SLOT = -1;

export class ReaderSlotPool {
  private readonly identity: string;
  private readonly holder: SlotHolder;
  private readonly slots: ReaderSlots;
  /** Claimed slots no read transaction is using, as a stack. */
  private readonly idle = new Int32Array(READER_SLOT_COUNT);
  private idleCount = 0;
  /** Read transactions using each slot. */
  private readonly users = new Int32Array(READER_SLOT_COUNT);
  /** Slots with at least one user. */
  private slotsInUse = 0;
  private members = 1;

  private constructor(identity: string, holder: SlotHolder, owner: bigint) {
    this.identity = identity;
    this.holder = holder;
    this.slots = new ReaderSlots(holder.region, holder.lockBytes, owner);
  }

  /**
   * The pool of the file `attachment` has open, created for it (with `owner`,
   * the creating connection's owner record, on the slots it claims) when this
   * thread has none yet. Each `join` is matched by one `leave`.
   */
  static join(attachment: TshmAttachment, owner: bigint): ReaderSlotPool {
    const existing = pools.get(attachment.identity);
    if (existing !== undefined) {
      existing.members++;
      return existing;
    }
    const pool = new ReaderSlotPool(attachment.identity, attachment.openSlotHolder(), owner);
    pools.set(attachment.identity, pool);
    return pool;
  }

  /** A slot pinned at `frame` for one more read transaction. */
  acquire(frame: number): number {
    const shared = this.slotPinnedAt(frame);
    if (shared !== NO_SLOT) {
      this.users[shared]!++;
      return shared;
    }
    const slot = this.idleCount > 0 ? this.idle[--this.idleCount]! : this.slots.claim();
    this.slots.pin(slot, frame);
    this.users[slot] = 1;
    this.slotsInUse++;
    return slot;
  }

  /** Ends one read transaction's use of `slot`; an unused slot goes idle, still claimed. */
  release(slot: number): void {
    if (--this.users[slot]! > 0) return;
    this.slotsInUse--;
    this.slots.unpin(slot);
    this.idle[this.idleCount++] = slot;
  }

  /** Moves one use of `slot` to `frame`; returns the slot that use now holds. */
  move(slot: number, frame: number): number {
    if (this.users[slot] === 1) {
      this.slots.pin(slot, frame);
      return slot;
    }
    const moved = this.acquire(frame);
    this.release(slot);
    return moved;
  }

  /** Smallest pin of any live reader, in this thread or elsewhere, skipping the caller's own `slot` (§9.4). */
  minFrame(slot: number): number | null {
    return this.slots.minFrame(this.exceptable(slot));
  }

  /** Largest pin of any live reader, skipping the caller's own `slot` (§9.4). */
  maxFrame(slot: number): number | null {
    return this.slots.maxFrame(this.exceptable(slot));
  }

  /** One member fewer; the last one releases every slot (§9.3) and closes the holder. */
  leave(): void {
    if (--this.members > 0) return;
    pools.delete(this.identity);
    try {
      for (const slot of this.slots.heldSlots()) this.slots.release(slot);
    } finally {
      this.holder.close();
    }
  }

  /** The caller's slot may be skipped only when no other read transaction shares its pin. */
  private exceptable(slot: number): number {
    return slot !== NO_SLOT && this.users[slot] === 1 ? slot : NO_SLOT;
  }

  private slotPinnedAt(frame: number): number {
    if (this.slotsInUse === 0) return NO_SLOT;
    for (let slot = 0; slot < READER_SLOT_COUNT; slot++) {
      if (this.users[slot]! > 0 && this.slots.pinOf(slot) === frame) return slot;
    }
    return NO_SLOT;
  }
}

/**
 * The snapshot seqlock (spec tshm.md §8): the only way the eleven snapshot
 * fields are read or written.
 *
 * Readers load `snapshot_seq`, the fields, and `snapshot_seq` again, and
 * accept the values only when the sequence was even and unchanged; writers
 * move the sequence from even s to s+1 with a compare-and-swap, store the
 * fields, then store s+2. Promises:
 *  - `read` never returns a torn snapshot and allocates nothing: it fills a
 *    caller-owned `Float64Array` (field order = `WalSnapshot` order).
 *  - neither side waits forever: a sequence that stays odd (a peer killed
 *    inside a write) ends in `SQLITE_PROTOCOL` after the `Backoff` budget;
 *    an exclusive opener repairs such a file (§17.3 item 3).
 *  - a live peer need not wait that long: once the same odd value has been
 *    seen for `STUCK_AFTER_MS`, every further wait asks the owner's
 *    `onStuck` handler, which may prove the writer dead and finish the
 *    write in its place (`completeAbandonedWrite`); the wait then goes on
 *    with the repaired sequence. The grace period keeps a publisher that
 *    holds no lock (a Turso peer's open-time install, §7.6) from being
 *    overtaken while it is merely descheduled.
 */
import type { WalSnapshot } from '../coordination.js';
import { SqliteError } from '../../sqlite-error.js';
import { Backoff } from './backoff.js';
import { Header, SNAPSHOT_FIELDS } from './tshm-layout.js';
import type { TshmRegion } from './tshm-region.js';

export const SNAPSHOT_FIELD_COUNT = SNAPSHOT_FIELDS.length;

/** Index of each field inside a snapshot field array. */
export const Field = {
  maxFrame: 0,
  nBackfills: 1,
  transactionCount: 2,
  visibilityGeneration: 3,
  checkpointSeq: 4,
  checkpointEpoch: 5,
  pageSize: 6,
  salt1: 7,
  salt2: 8,
  checksum1: 9,
  checksum2: 10,
} as const;

const U64_MASK = 0xffff_ffff_ffff_ffffn;
const TWO_TO_32N = 0x1_0000_0000n;

/** How long one odd sequence value must persist before it counts as abandoned. */
export const STUCK_AFTER_MS = 100;

/**
 * Called while a seqlock operation waits on the odd sequence `stuck`; true
 * when the handler changed the sequence (the wait retries at once).
 */
export type StuckSequenceHandler = (stuck: bigint) => boolean;

function stuckSeqlock(): SqliteError {
  return new SqliteError(
    'locking protocol: the -tshm snapshot sequence stayed odd (a peer died while publishing?)',
    'SQLITE_PROTOCOL',
  );
}

export class SnapshotSeqlock {
  private readonly region: TshmRegion;
  private readonly onStuck: StuckSequenceHandler | null;
  private writingFrom = -1n;
  /** The sequence (low and high word) under which the last `read` succeeded. */
  lastReadLow = 0;
  lastReadHigh = 0;
  /** The odd sequence value being waited on, and since when (performance.now()). */
  private oddValue = -1n;
  private oddSince = 0;

  constructor(region: TshmRegion, onStuck: StuckSequenceHandler | null = null) {
    this.region = region;
    this.onStuck = onStuck;
  }

  /** Fills `into` with one consistent snapshot. */
  read(into: Float64Array): void {
    const region = this.region;
    let backoff: Backoff | null = null;
    for (;;) {
      const low = region.load32(Header.snapshotSeq);
      const high = region.load32(Header.snapshotSeq + 4);
      if ((low & 1) === 0) {
        for (let i = 0; i < SNAPSHOT_FIELD_COUNT; i++) {
          const field = SNAPSHOT_FIELDS[i]!;
          into[i] = field.wide ? region.loadWide(field.offset) : region.load32(field.offset);
        }
        if (region.load32(Header.snapshotSeq) === low && region.load32(Header.snapshotSeq + 4) === high) {
          this.lastReadLow = low;
          this.lastReadHigh = high;
          return;
        }
      } else if (backoff !== null && this.recoveredFrom(BigInt(high) * TWO_TO_32N + BigInt(low))) {
        continue;
      }
      backoff ??= new Backoff();
      if (!backoff.pause()) throw stuckSeqlock();
    }
  }

  /** True when the sequence is still (`low`, `high`) and even: no field changed since a read under it. */
  unchangedSince(low: number, high: number): boolean {
    const region = this.region;
    return (low & 1) === 0 && region.load32(Header.snapshotSeq) === low && region.load32(Header.snapshotSeq + 4) === high;
  }

  /** Enters the write section (sequence even → odd). */
  beginWrite(): void {
    const region = this.region;
    let backoff: Backoff | null = null;
    for (;;) {
      const seq = region.load64(Header.snapshotSeq);
      if ((seq & 1n) === 0n) {
        if (region.compareExchange64(Header.snapshotSeq, seq, seq + 1n) === seq) {
          this.writingFrom = seq;
          return;
        }
      } else if (backoff !== null && this.recoveredFrom(seq)) {
        continue;
      }
      backoff ??= new Backoff();
      if (!backoff.pause()) throw stuckSeqlock();
    }
  }

  /** Stores one field; only between `beginWrite` and `endWrite`. */
  setField(field: number, value: number): void {
    const layout = SNAPSHOT_FIELDS[field]!;
    if (layout.wide) this.region.storeWide(layout.offset, value);
    else this.region.store32(layout.offset, value);
  }

  /** Leaves the write section (sequence → s + 2, wrapping). */
  endWrite(): void {
    this.region.store64(Header.snapshotSeq, (this.writingFrom + 2n) & U64_MASK);
    this.writingFrom = -1n;
  }

  /**
   * Finishes the write a dead publisher left at the odd sequence `stuck`:
   * stores every field of `fields`, then the next even sequence. Only for a
   * caller that proved the publisher dead (see `StuckSequenceHandler`).
   * False (nothing written) when the sequence is no longer `stuck`.
   */
  completeAbandonedWrite(stuck: bigint, fields: Float64Array): boolean {
    if (this.region.load64(Header.snapshotSeq) !== stuck) return false;
    for (let field = 0; field < SNAPSHOT_FIELD_COUNT; field++) this.setField(field, fields[field]!);
    this.region.store64(Header.snapshotSeq, (stuck + 1n) & U64_MASK);
    return true;
  }

  /** Fills `into` with the fields as they are now, without the seqlock (possibly torn). */
  readUnlocked(into: Float64Array): void {
    for (let i = 0; i < SNAPSHOT_FIELD_COUNT; i++) {
      const field = SNAPSHOT_FIELDS[i]!;
      into[i] = field.wide ? this.region.loadWide(field.offset) : this.region.load32(field.offset);
    }
  }

  /** Makes an odd sequence even; only for an opener that holds byte 0 exclusively (§17.3 item 3). */
  repairOddSequence(): boolean {
    const seq = this.region.load64(Header.snapshotSeq);
    if ((seq & 1n) === 0n) return false;
    this.region.store64(Header.snapshotSeq, (seq + 1n) & U64_MASK);
    return true;
  }

  /** True when `stuck` has outlived the grace period and the handler repaired it. */
  private recoveredFrom(stuck: bigint): boolean {
    if (this.onStuck === null) return false;
    const now = performance.now();
    if (stuck !== this.oddValue) {
      this.oddValue = stuck;
      this.oddSince = now;
      return false;
    }
    return now - this.oddSince >= STUCK_AFTER_MS && this.onStuck(stuck);
  }
}

export function snapshotFromFields(fields: Float64Array): WalSnapshot {
  return {
    maxFrame: fields[Field.maxFrame]!,
    nBackfills: fields[Field.nBackfills]!,
    transactionCount: fields[Field.transactionCount]!,
    visibilityGeneration: fields[Field.visibilityGeneration]!,
    checkpointSeq: fields[Field.checkpointSeq]!,
    checkpointEpoch: fields[Field.checkpointEpoch]!,
    pageSize: fields[Field.pageSize]!,
    salt1: fields[Field.salt1]!,
    salt2: fields[Field.salt2]!,
    checksum1: fields[Field.checksum1]!,
    checksum2: fields[Field.checksum2]!,
  };
}

export function fieldsFromSnapshot(snapshot: WalSnapshot, into: Float64Array): void {
  into[Field.maxFrame] = snapshot.maxFrame;
  into[Field.nBackfills] = snapshot.nBackfills;
  into[Field.transactionCount] = snapshot.transactionCount;
  into[Field.visibilityGeneration] = snapshot.visibilityGeneration;
  into[Field.checkpointSeq] = snapshot.checkpointSeq;
  into[Field.checkpointEpoch] = snapshot.checkpointEpoch;
  into[Field.pageSize] = snapshot.pageSize;
  into[Field.salt1] = snapshot.salt1;
  into[Field.salt2] = snapshot.salt2;
  into[Field.checksum1] = snapshot.checksum1;
  into[Field.checksum2] = snapshot.checksum2;
}

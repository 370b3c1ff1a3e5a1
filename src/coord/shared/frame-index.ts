/**
 * The shared page→frame index (spec tshm.md §4.5, §11): 16-byte entries
 * (page, frame) in frame order, in blocks of 4096, each block with a
 * linear-probing hash of 8192 u16 cells ((page · 383) mod 8192).
 *
 * Writers append (one process at a time: callers hold the writer lock);
 * readers in any process look up concurrently. Promises:
 *  - an entry becomes visible only through the compare-and-swap of
 *    `frame_index_len` that follows its payload and hash cell (§11.2);
 *  - a lookup only trusts entries below the published length and at or
 *    below the caller's `maxFrame`, ignores hash cells pointing past them,
 *    and takes the highest matching entry of the newest block that has one;
 *    it first looks at the newest few entries directly, because a page
 *    written again and again (a counter, a hot row) fills one long probe
 *    run that the hash would otherwise walk to its end;
 *  - trimming zeroes, in place, only the hash cells of dropped entries, so
 *    concurrent lookups never miss a retained entry (§11.6, §17.3 item 5);
 *  - when the index cannot answer (overflowed, or it does not hold every
 *    frame of the asked window) the answer says so (-1 / null) instead of
 *    being wrong;
 *  - no operation allocates on the lookup path, and none loops unboundedly.
 */
import { corruptError } from '../../sqlite-error.js';
import {
  BLOCK_CAPACITY,
  BLOCK_HASH_OFFSET,
  BLOCK_HASH_SLOTS,
  ENTRY_SIZE,
  Header,
  INDEX_CAPACITY,
  MAX_BLOCKS,
  TWO_TO_32,
  blockOffset,
  hashOf,
} from './tshm-layout.js';
import type { TshmRegion } from './tshm-region.js';

const HASH_MASK = BLOCK_HASH_SLOTS - 1;
const WORDS_PER_ENTRY = ENTRY_SIZE / 4;
/** Newest entries a lookup checks one by one before it probes the hash. */
const RECENT_ENTRIES = 8;

function entryWord(slot: number): number {
  const block = Math.floor(slot / BLOCK_CAPACITY);
  return (blockOffset(block) + (slot - block * BLOCK_CAPACITY) * ENTRY_SIZE) >>> 2;
}

function hashCell(block: number): number {
  return (blockOffset(block) + BLOCK_HASH_OFFSET) >>> 1;
}

export class FrameIndex {
  private readonly region: TshmRegion;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  /** Per block, a view of its hash cells (made on first append). */
  private readonly hashViews: Uint16Array[] = [];

  constructor(region: TshmRegion) {
    this.region = region;
    this.u16 = region.u16;
    this.u32 = region.u32;
  }

  /** Published entry count. */
  length(): number {
    return this.region.load32(Header.indexLength);
  }

  blocks(): number {
    return this.region.load32(Header.blocks);
  }

  overflowed(): boolean {
    return this.region.load32(Header.indexOverflowed) !== 0;
  }

  pageAt(slot: number): number {
    const word = entryWord(slot);
    return this.u32[word]! + this.u32[word + 1]! * TWO_TO_32;
  }

  frameAt(slot: number): number {
    const word = entryWord(slot);
    return this.u32[word + 2]! + this.u32[word + 3]! * TWO_TO_32;
  }

  /**
   * Appends (page, frame) (§11.2). `committedMaxFrame` is the snapshot's
   * max_frame: frame 1 over an empty generation starts the index afresh.
   */
  append(page: number, frame: number, committedMaxFrame: number): void {
    const region = this.region;
    if (frame === 1 && committedMaxFrame === 0) {
      region.store32(Header.indexLength, 0);
      region.store32(Header.indexOverflowed, 0);
    }
    const slot = region.load32(Header.indexLength);
    if (slot >= INDEX_CAPACITY) return this.markOverflowed();
    const blocks = region.usableBlocks();
    if (slot >= blocks * BLOCK_CAPACITY) {
      if (blocks >= MAX_BLOCKS) return this.markOverflowed();
      try {
        region.grow(blocks + 1);
      } catch {
        return this.markOverflowed();
      }
    }
    if (slot > 0 && this.frameAt(slot - 1) >= frame) {
      throw corruptError(`frame index out of order: frame ${frame} after frame ${this.frameAt(slot - 1)}`);
    }
    const block = Math.floor(slot / BLOCK_CAPACITY);
    const local = slot - block * BLOCK_CAPACITY;
    const cells = hashCell(block);
    if (local === 0) this.u16.fill(0, cells, cells + BLOCK_HASH_SLOTS);
    const word = entryWord(slot);
    this.u32[word] = page >>> 0;
    this.u32[word + 1] = Math.floor(page / TWO_TO_32);
    this.u32[word + 2] = frame >>> 0;
    this.u32[word + 3] = Math.floor(frame / TWO_TO_32);
    this.u16[this.firstEmptyCell(block, hashOf(page))] = local + 1;
    if (region.compareExchange32(Header.indexLength, slot, slot + 1) !== slot) {
      throw corruptError('frame index appended concurrently by two writers');
    }
  }

  /**
   * Newest frame of `page` in [minFrame, maxFrame] (§11.4); 0 when the page
   * has none there, -1 when the index cannot answer.
   */
  find(page: number, minFrame: number, maxFrame: number): number {
    if (maxFrame < minFrame || maxFrame <= 0) return 0;
    if (this.overflowed()) return -1;
    const visible = this.countAtMost(maxFrame, this.readableLength());
    if (visible === 0 || this.frameAt(visible - 1) !== maxFrame) return -1;
    const recent = this.newestAmongRecent(page, visible);
    if (recent >= 0) {
      const frame = this.frameAt(recent);
      return frame >= minFrame ? frame : 0;
    }
    const start = hashOf(page);
    const u32 = this.u32;
    for (let block = Math.floor((visible - 1) / BLOCK_CAPACITY); block >= 0; block--) {
      const first = block * BLOCK_CAPACITY;
      const inBlock = Math.min(BLOCK_CAPACITY, visible - first);
      if (this.frameAt(first + inBlock - 1) < minFrame) return 0;
      const cells = hashCell(block);
      const entries = blockOffset(block) >>> 2;
      let best = -1;
      for (let probes = 0; probes < BLOCK_HASH_SLOTS; probes++) {
        const value = this.u16[cells + ((start + probes) & HASH_MASK)]!;
        if (value === 0) break;
        const local = value - 1;
        if (local < inBlock && local > best) {
          const word = entries + local * WORDS_PER_ENTRY;
          if (u32[word]! + u32[word + 1]! * TWO_TO_32 === page) best = local;
        }
      }
      if (best >= 0) {
        const frame = this.frameAt(first + best);
        return frame >= minFrame ? frame : 0;
      }
    }
    return 0;
  }

  /**
   * Index (into `u16`) of the first empty hash cell at or after `start` in
   * `block`, wrapping around: where linear probing puts a new entry. A block
   * holds 4096 entries in 8192 cells, so one is always empty. The scan is the
   * typed array's own `indexOf` over a view of just that block's cells (never
   * past them: the mapping may extend past the file), because a page written
   * again and again makes the probe run long.
   */
  private firstEmptyCell(block: number, start: number): number {
    const first = hashCell(block);
    const cells = (this.hashViews[block] ??= this.u16.subarray(first, first + BLOCK_HASH_SLOTS));
    let found = cells.indexOf(0, start);
    if (found < 0) found = cells.indexOf(0);
    if (found < 0) throw corruptError('frame index block has no empty hash cell');
    return first + found;
  }

  /** The highest slot among the newest `RECENT_ENTRIES` of the first `visible` that holds `page`, or -1. */
  private newestAmongRecent(page: number, visible: number): number {
    const oldest = Math.max(0, visible - RECENT_ENTRIES);
    for (let slot = visible - 1; slot >= oldest; slot--) {
      if (this.pageAt(slot) === page) return slot;
    }
    return -1;
  }

  /** Drops entries with a frame above `maxFrame` and repairs the hash in place (§11.6). */
  trim(maxFrame: number): void {
    const published = this.length();
    const kept = this.countAtMost(maxFrame, this.readableLength());
    if (kept === published) return;
    this.region.store32(Header.indexLength, kept);
    const retainedInBlock = kept % BLOCK_CAPACITY;
    if (kept === 0 || retainedInBlock === 0) return;
    const cells = hashCell(Math.floor((kept - 1) / BLOCK_CAPACITY));
    for (let cell = cells; cell < cells + BLOCK_HASH_SLOTS; cell++) {
      if (this.u16[cell]! > retainedInBlock) this.u16[cell] = 0;
    }
  }

  /** Empties the index and clears the overflow flag (§11.7). */
  discard(): void {
    this.region.store32(Header.indexLength, 0);
    this.region.store32(Header.indexOverflowed, 0);
  }

  /** Distinct pages with a frame in (afterFrame, upToFrame]; null when the index lacks some of those frames. */
  pagesWrittenBetween(afterFrame: number, upToFrame: number): number[] | null {
    if (upToFrame <= afterFrame) return [];
    if (this.overflowed()) return null;
    const length = this.readableLength();
    const end = this.countAtMost(upToFrame, length);
    const start = this.countAtMost(afterFrame, length);
    if (end - start !== upToFrame - afterFrame) return null;
    const pages = new Set<number>();
    for (let slot = start; slot < end; slot++) pages.add(this.pageAt(slot));
    return [...pages];
  }

  /** Newest frame of each page within [minFrame, maxFrame], sorted by page (§11.5); null when incomplete. */
  latestFrames(minFrame: number, maxFrame: number): Array<readonly [pgno: number, frame: number]> | null {
    if (maxFrame < minFrame) return [];
    if (this.overflowed()) return null;
    const length = this.readableLength();
    const end = this.countAtMost(maxFrame, length);
    const start = this.countAtMost(minFrame - 1, length);
    if (end - start !== maxFrame - minFrame + 1) return null;
    const newest = new Map<number, number>();
    for (let slot = end - 1; slot >= start; slot--) {
      const page = this.pageAt(slot);
      if (!newest.has(page)) newest.set(page, this.frameAt(slot));
    }
    return [...newest].sort((a, b) => a[0] - b[0]);
  }

  /** Published length, capped by capacity and by the blocks the file really has. */
  private readableLength(): number {
    return Math.min(this.length(), INDEX_CAPACITY, this.region.usableBlocks() * BLOCK_CAPACITY);
  }

  /** Number of entries among the first `length` whose frame is at most `frame` (frames increase). */
  private countAtMost(frame: number, length: number): number {
    if (length === 0 || this.frameAt(length - 1) <= frame) return length;
    let low = 0;
    let high = length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.frameAt(middle) <= frame) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private markOverflowed(): void {
    this.region.store32(Header.indexOverflowed, 1);
  }
}

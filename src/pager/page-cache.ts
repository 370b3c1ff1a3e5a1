/**
 * PageCache: committed page images a connection keeps between transactions.
 *
 * Bounded by a page count; eviction is second-chance (CLOCK): cached pages
 * sit in a fixed ring of slots that a hand sweeps, so a hit costs one
 * dense-array load and a flag store, and an eviction a short sweep that
 * allocates nothing. Images are immutable: the cache only forgets references.
 * Every image it lets go of (evicted, replaced by a newer image, deleted or
 * cleared) is handed to `release`, so its owner can reuse the buffer once
 * nobody can still hold it; the cache never touches a released image again.
 */

/** Marks an empty page slot; keeps the array's elements of one kind. */
const NO_PAGE = new Uint8Array(0);

/** Marks a ring slot that holds no page (page numbers start at 1). */
const FREE_SLOT = 0;

export class PageCache {
  /** Image per page number, NO_PAGE when not cached. */
  private readonly images: Uint8Array[] = [];
  /** Ring slot per cached page number. */
  private readonly slotOf: number[] = [];
  /** Second-chance flag per page number (1 = used since the hand last passed). */
  private readonly recentlyUsed: number[] = [];
  /** Page number per ring slot, FREE_SLOT when empty. */
  private ring: number[] = [];
  /** Ring slots emptied by `delete`, reused before the ring grows or anything is evicted. */
  private freeSlots: number[] = [];
  private hand = 0;
  private count = 0;

  constructor(
    private capacity: number,
    private readonly release: (image: Uint8Array) => void,
  ) {
    this.capacity = Math.max(1, capacity);
  }

  setCapacity(pages: number): void {
    this.capacity = Math.max(1, pages);
    if (this.ring.length <= this.capacity) return;
    while (this.count > this.capacity) this.freeSlots.push(this.evictSlot());
    const live = this.ring.filter((pgno) => pgno !== FREE_SLOT);
    live.forEach((pgno, slot) => {
      this.slotOf[pgno] = slot;
    });
    this.ring = live;
    this.freeSlots = [];
    this.hand = 0;
  }

  get(pgno: number): Uint8Array | undefined {
    if (pgno >= this.images.length) return undefined;
    const image = this.images[pgno];
    if (image === NO_PAGE) return undefined;
    this.recentlyUsed[pgno] = 1;
    return image;
  }

  set(pgno: number, image: Uint8Array): void {
    const images = this.images;
    if (pgno < images.length) {
      const old = images[pgno];
      if (old !== NO_PAGE) {
        images[pgno] = image;
        if (old !== image) this.release(old);
        return;
      }
    } else {
      while (images.length <= pgno) {
        images.push(NO_PAGE);
        this.slotOf.push(0);
        this.recentlyUsed.push(0);
      }
    }
    let slot: number;
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop()!;
    else if (this.ring.length < this.capacity) slot = this.ring.push(FREE_SLOT) - 1;
    else slot = this.evictSlot();
    this.ring[slot] = pgno;
    this.slotOf[pgno] = slot;
    this.recentlyUsed[pgno] = 0;
    images[pgno] = image;
    this.count++;
  }

  delete(pgno: number): void {
    if (pgno >= this.images.length) return;
    const image = this.images[pgno];
    if (image === NO_PAGE) return;
    const slot = this.slotOf[pgno];
    this.ring[slot] = FREE_SLOT;
    this.freeSlots.push(slot);
    this.images[pgno] = NO_PAGE;
    this.count--;
    this.release(image);
  }

  clear(): void {
    const ring = this.ring;
    for (let slot = 0; slot < ring.length; slot++) {
      const pgno = ring[slot];
      if (pgno === FREE_SLOT) continue;
      const image = this.images[pgno];
      this.images[pgno] = NO_PAGE;
      this.release(image);
    }
    this.ring = [];
    this.freeSlots = [];
    this.hand = 0;
    this.count = 0;
  }

  /** Evicts the first page the hand finds not recently used; returns its (now empty) ring slot. */
  private evictSlot(): number {
    const ring = this.ring;
    const used = this.recentlyUsed;
    // Every ring slot is occupied here (a free one would have been reused), so
    // this ends within two sweeps: the first clears every flag it passes.
    for (;;) {
      if (this.hand >= ring.length) this.hand = 0;
      const slot = this.hand++;
      const pgno = ring[slot];
      if (pgno === FREE_SLOT) continue;
      if (used[pgno] === 1) {
        used[pgno] = 0;
        continue;
      }
      const image = this.images[pgno];
      this.images[pgno] = NO_PAGE;
      ring[slot] = FREE_SLOT;
      this.count--;
      this.release(image);
      return slot;
    }
  }
}

/** Cache capacity in pages for a `cache_size` value: positive = pages, negative = -KiB. */
export function cachePagesFor(cacheSize: number, pageSize: number): number {
  const pages = cacheSize >= 0 ? cacheSize : Math.floor((-cacheSize * 1024) / pageSize);
  return Math.max(1, pages);
}

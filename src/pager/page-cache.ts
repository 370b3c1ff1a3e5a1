/**
 * PageCache: committed page images a connection keeps between transactions.
 *
 * Bounded by a page count; eviction is second-chance (CLOCK) over the map's
 * insertion order, so a hit costs one map lookup and a flag store. Images are
 * immutable: eviction only forgets a reference, so a page handed to the
 * B-tree stays valid for as long as the caller holds it.
 */

interface CacheEntry {
  readonly data: Uint8Array;
  recentlyUsed: boolean;
}

export class PageCache {
  private readonly entries = new Map<number, CacheEntry>();

  constructor(private capacity: number) {}

  setCapacity(pages: number): void {
    this.capacity = Math.max(1, pages);
    while (this.entries.size > this.capacity) this.evictOne();
  }

  get(pgno: number): Uint8Array | undefined {
    const entry = this.entries.get(pgno);
    if (entry === undefined) return undefined;
    entry.recentlyUsed = true;
    return entry.data;
  }

  set(pgno: number, data: Uint8Array): void {
    const existing = this.entries.get(pgno);
    if (existing !== undefined) this.entries.delete(pgno);
    else if (this.entries.size >= this.capacity) this.evictOne();
    this.entries.set(pgno, { data, recentlyUsed: false });
  }

  delete(pgno: number): void {
    this.entries.delete(pgno);
  }

  clear(): void {
    this.entries.clear();
  }

  private evictOne(): void {
    for (;;) {
      const first = this.entries.entries().next();
      if (first.done) return;
      const [pgno, entry] = first.value;
      this.entries.delete(pgno);
      if (!entry.recentlyUsed) return;
      entry.recentlyUsed = false;
      this.entries.set(pgno, entry);
    }
  }
}

/** Cache capacity in pages for a `cache_size` value: positive = pages, negative = -KiB. */
export function cachePagesFor(cacheSize: number, pageSize: number): number {
  const pages = cacheSize >= 0 ? cacheSize : Math.floor((-cacheSize * 1024) / pageSize);
  return Math.max(1, pages);
}

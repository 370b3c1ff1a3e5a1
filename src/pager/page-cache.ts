/**
 * PageCache: committed page images a connection keeps between transactions.
 *
 * Bounded by a page count; eviction is second-chance (CLOCK) over insertion
 * order, so a hit costs one dense-array load (a PageTable) and a flag store.
 * Images are immutable: eviction only forgets a reference, so a page handed
 * to the B-tree stays valid for as long as the caller holds it.
 */
import { PageTable } from './page-table.js';

export class PageCache {
  private readonly pages = new PageTable();
  /** Second-chance flag per page number (1 = used since the clock hand last passed). */
  private readonly recentlyUsed: number[] = [];
  /** Cached page numbers in clock order (oldest first). */
  private readonly order = new Set<number>();

  constructor(private capacity: number) {}

  setCapacity(pages: number): void {
    this.capacity = Math.max(1, pages);
    while (this.order.size > this.capacity) this.evictOne();
  }

  get(pgno: number): Uint8Array | undefined {
    const page = this.pages.get(pgno);
    if (page !== undefined) this.recentlyUsed[pgno] = 1;
    return page;
  }

  set(pgno: number, data: Uint8Array): void {
    if (this.order.has(pgno)) this.order.delete(pgno);
    else if (this.order.size >= this.capacity) this.evictOne();
    this.order.add(pgno);
    this.pages.set(pgno, data);
    const used = this.recentlyUsed;
    while (used.length <= pgno) used.push(0);
    used[pgno] = 0;
  }

  delete(pgno: number): void {
    if (this.order.delete(pgno)) this.pages.delete(pgno);
  }

  clear(): void {
    this.order.clear();
    this.pages.clear();
  }

  private evictOne(): void {
    for (;;) {
      const first = this.order.values().next();
      if (first.done) return;
      const pgno = first.value;
      this.order.delete(pgno);
      if (this.recentlyUsed[pgno] === 0) {
        this.pages.delete(pgno);
        return;
      }
      this.recentlyUsed[pgno] = 0;
      this.order.add(pgno);
    }
  }
}

/** Cache capacity in pages for a `cache_size` value: positive = pages, negative = -KiB. */
export function cachePagesFor(cacheSize: number, pageSize: number): number {
  const pages = cacheSize >= 0 ? cacheSize : Math.floor((-cacheSize * 1024) / pageSize);
  return Math.max(1, pages);
}

/**
 * PageTable: page images keyed by page number, held in a dense array so a
 * lookup is one bounds check and one element load. (A Map costs a hash and a
 * probe through its buckets, which showed in every B-tree descent.) The
 * table also remembers which page numbers it holds, in the order they were
 * added, for iteration. Memory: one pointer per page number up to the
 * largest one ever stored, which is small beside the pages themselves.
 */

/** Marks an empty slot; keeps the array's elements of one kind. */
const NO_PAGE = new Uint8Array(0);

export class PageTable {
  private readonly slots: Uint8Array[] = [];
  /** Page numbers added since the last clear; may include deleted ones when `hasDeleted`. */
  private added: number[] = [];
  private hasDeleted = false;
  private count = 0;

  /** Number of pages held. */
  get size(): number {
    return this.count;
  }

  get(pgno: number): Uint8Array | undefined {
    const slots = this.slots;
    if (pgno < slots.length) {
      const page = slots[pgno];
      if (page !== NO_PAGE) return page;
    }
    return undefined;
  }

  has(pgno: number): boolean {
    return this.get(pgno) !== undefined;
  }

  set(pgno: number, page: Uint8Array): void {
    const slots = this.slots;
    while (slots.length <= pgno) slots.push(NO_PAGE);
    if (slots[pgno] === NO_PAGE) {
      if (this.hasDeleted && this.added.length > 2 * this.count + 64) this.compact();
      this.added.push(pgno);
      this.count++;
    }
    slots[pgno] = page;
  }

  delete(pgno: number): void {
    if (pgno >= this.slots.length || this.slots[pgno] === NO_PAGE) return;
    this.slots[pgno] = NO_PAGE;
    this.count--;
    this.hasDeleted = true;
  }

  clear(): void {
    const slots = this.slots;
    const added = this.added;
    for (let i = 0; i < added.length; i++) slots[added[i]] = NO_PAGE;
    added.length = 0;
    this.hasDeleted = false;
    this.count = 0;
  }

  /** The page numbers held, in the order they were added. */
  pageNumbers(): readonly number[] {
    if (this.hasDeleted) this.compact();
    return this.added;
  }

  /** Drops deleted numbers (and the duplicates a delete followed by a set leaves) from `added`. */
  private compact(): void {
    const slots = this.slots;
    const seen = new Set<number>();
    this.added = this.added.filter((pgno) => {
      if (slots[pgno] === NO_PAGE || seen.has(pgno)) return false;
      seen.add(pgno);
      return true;
    });
    this.hasDeleted = false;
  }
}

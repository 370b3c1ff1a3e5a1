/**
 * PageStore: what the B-tree layer needs from the pager, and nothing more.
 *
 * A page is a `Uint8Array` of exactly `pageSize` bytes, page numbers are
 * 1-based, and page 1 begins with the 100-byte database header. Within a
 * write transaction `writable(pgno)` returns the page's private, mutable
 * copy (the first call journals the committed image so a rollback or a
 * savepoint rollback restores it); every later `page(pgno)` in the same
 * transaction returns that same copy. Outside a write transaction pages are
 * read-only: callers must never mutate what `page()` returns.
 *
 * Every `page()` result stays valid for the caller until the transaction ends,
 * even if the cache evicts it. Page numbers outside `1..pageCount()` raise
 * `SQLITE_CORRUPT`, so corrupt pointers cannot run a walk off the file.
 *
 * `generation` changes whenever pages may change other than through the
 * caller's own `writable()` copies: when a transaction ends (another
 * connection may commit before the next one) and when a savepoint is rolled
 * back. What a caller learned from page contents holds while it is unchanged.
 */
export interface PageStore {
  /** Page size in bytes (512..65536, a power of two). */
  readonly pageSize: number;
  /** Bytes per page usable by the B-tree: pageSize minus the header's reserved bytes. */
  readonly usableSize: number;
  /** Changes when a transaction ends or a savepoint is rolled back (see above). */
  readonly generation: number;

  /** Database size in pages as the current transaction sees it. */
  pageCount(): number;

  /** The page image as the current transaction sees it. Do not mutate. */
  page(pgno: number): Uint8Array;

  /** The mutable copy of a page; requires a write transaction. */
  writable(pgno: number): Uint8Array;

  /**
   * Appends one zero-filled page at the end of the database and returns its
   * number (the freelist, owned by the B-tree layer, is consulted first).
   */
  growByOnePage(): number;

  /** Shrinks the database to `pageCount` pages (used by the freelist/vacuum code). */
  truncateTo(pageCount: number): void;
}

/**
 * DatabaseStorage: one connection's view of its database file for the
 * executor: the pager (transactions, header fields) and the B-tree layer
 * over it, the pool of idle cursors statements reuse, plus a write counter
 * that cursors use to notice that pages they decoded a record from may have
 * changed.
 */
import type { Pager } from '../pager/pager.js';
import { BTree } from '../btree/btree.js';
import { CursorPool } from './cursor-pool.js';

export class DatabaseStorage {
  readonly pager: Pager;
  readonly btree: BTree;
  readonly cursors: CursorPool;
  /** Incremented on every change to any tree. */
  writes = 0;

  constructor(pager: Pager) {
    this.pager = pager;
    this.btree = new BTree(pager);
    this.cursors = new CursorPool(this.btree);
  }

  /** Frees every page of tree `root` (SQLITE_LOCKED while a statement still reads it). */
  dropTree(root: number): void {
    this.cursors.closeTree(root);
    this.btree.dropTree(root);
  }
}

/**
 * CursorPool: one connection's idle B-tree cursors, kept for reuse.
 *
 * Building a B-tree cursor allocates its page stack, cell and record
 * decoders; a prepared statement executed many times would build one per
 * table per execution. Instead, the executor's table and index cursors take
 * a cursor from here when they open and hand it back when they close.
 *
 * A parked cursor stays registered with its B-tree but holds no position:
 * on release it saves its position as a key (so it never again reads the
 * pages it was on, which may belong to a finished transaction) and every
 * user positions it afresh (first/last/seek) before reading. Saved cursors
 * ignore changes to their tree, so parked ones cost writers nothing.
 *
 * The pool is bounded per tree, and `dropTree` closes a tree's parked
 * cursors before the tree goes (a tree with open cursors cannot be dropped).
 */
import type { BTree } from '../btree/btree.js';
import type { Cursor } from '../btree/cursor.js';
import type { KeyInfo } from '../btree/record-compare.js';

/** Idle cursors kept per tree; more than this are closed on release. */
const IDLE_PER_TREE = 4;

export class CursorPool {
  private readonly idle = new Map<number, Cursor[]>();

  constructor(private readonly btree: BTree) {}

  /** A cursor on the table tree rooted at `root`, not positioned. */
  table(root: number): Cursor {
    const parked = this.idle.get(root);
    if (parked !== undefined) {
      for (let i = parked.length - 1; i >= 0; i--) {
        const cursor = parked[i];
        if (cursor.isTable) return takeAt(parked, i);
      }
    }
    return this.btree.openTableCursor(root);
  }

  /** A cursor on the index tree rooted at `root`, ordered by `keyInfo`, not positioned. */
  index(root: number, keyInfo: KeyInfo): Cursor {
    const parked = this.idle.get(root);
    if (parked !== undefined) {
      for (let i = parked.length - 1; i >= 0; i--) {
        const cursor = parked[i];
        if (!cursor.isTable && sameKeyInfo(cursor.keyInfo, keyInfo)) return takeAt(parked, i);
      }
    }
    return this.btree.openIndexCursor(root, keyInfo);
  }

  /** Takes back a cursor the caller is done with. */
  release(cursor: Cursor): void {
    let parked = this.idle.get(cursor.root);
    if (parked === undefined) {
      parked = [];
      this.idle.set(cursor.root, parked);
    }
    if (parked.length >= IDLE_PER_TREE) {
      cursor.close();
      return;
    }
    try {
      cursor.savePosition();
    } catch {
      // Its pages were unreadable (a transaction ended under it): it cannot be parked safely.
      cursor.close();
      return;
    }
    parked.push(cursor);
  }

  /** Closes the parked cursors of tree `root` (before the tree is dropped). */
  closeTree(root: number): void {
    const parked = this.idle.get(root);
    if (parked === undefined) return;
    this.idle.delete(root);
    for (const cursor of parked) cursor.close();
  }
}

function takeAt(parked: Cursor[], i: number): Cursor {
  const cursor = parked[i];
  parked[i] = parked[parked.length - 1];
  parked.pop();
  return cursor;
}

function sameKeyInfo(a: KeyInfo, b: KeyInfo): boolean {
  if (a === b) return true;
  const n = a.collations.length;
  if (n !== b.collations.length || a.descending.length !== b.descending.length) return false;
  for (let i = 0; i < n; i++) if (a.collations[i] !== b.collations[i]) return false;
  for (let i = 0; i < a.descending.length; i++) if (a.descending[i] !== b.descending[i]) return false;
  return true;
}

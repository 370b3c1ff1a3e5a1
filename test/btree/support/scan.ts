/** Helpers that read whole trees through cursors, for comparing with models. */
import type { BTree, Rowid } from '../../../src/btree/index.js';
import { KeyInfo } from '../../../src/btree/index.js';

export function scanTable(tree: BTree, root: number, backwards = false): [Rowid, Uint8Array][] {
  const cursor = tree.openTableCursor(root);
  const rows: [Rowid, Uint8Array][] = [];
  try {
    for (let more = backwards ? cursor.last() : cursor.first(); more; more = backwards ? cursor.prev() : cursor.next()) {
      rows.push([cursor.rowid, cursor.payload().slice()]);
    }
  } finally {
    cursor.close();
  }
  return rows;
}

export function scanIndex(tree: BTree, root: number, keyInfo: KeyInfo = KeyInfo.BINARY, backwards = false): Uint8Array[] {
  const cursor = tree.openIndexCursor(root, keyInfo);
  const keys: Uint8Array[] = [];
  try {
    for (let more = backwards ? cursor.last() : cursor.first(); more; more = backwards ? cursor.prev() : cursor.next()) {
      keys.push(cursor.payload().slice());
    }
  } finally {
    cursor.close();
  }
  return keys;
}

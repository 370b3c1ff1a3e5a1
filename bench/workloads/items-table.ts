/**
 * The `items` table of workloads (a), (b), (b2) and (c): its schema, the
 * deterministic contents of row `id`, and the fixture holding `rows` of them.
 * Values are exact in binary (prices are multiples of 1/8) so every engine
 * returns bit-identical rows.
 */
import type { FixtureSpec } from '../harness/fixtures.js';

export const ITEMS_SCHEMA = 'CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL, price REAL NOT NULL)';
export const INSERT_ITEM = 'INSERT INTO items(id, name, qty, price) VALUES (?, ?, ?, ?)';
export const SELECT_ALL_ITEMS = 'SELECT id, name, qty, price FROM items ORDER BY id';

export function itemName(id: number): string {
  return `item-${id}`;
}

export function itemQty(id: number): number {
  return (id * 7919) % 1000;
}

export function itemPrice(id: number): number {
  return (id % 1000) / 8;
}

export function itemsFixture(rows: number): FixtureSpec {
  return {
    key: `items-${rows}`,
    share: 'link',
    build(db) {
      db.exec(ITEMS_SCHEMA);
      const insert = db.prepare(INSERT_ITEM);
      db.transaction(() => {
        for (let id = 1; id <= rows; id++) insert.run(id, itemName(id), itemQty(id), itemPrice(id));
      })();
    },
  };
}

/**
 * (a) Bulk insert: `rows` single-row INSERTs with bound parameters inside one
 * transaction (`db.transaction`), into an empty table of a fresh database.
 * Checksum: every row of the table afterwards.
 */
import { checksumOf } from '../harness/row-checksum.js';
import { perSecond } from '../harness/statistics.js';
import type { BenchSizes } from '../harness/bench-sizes.js';
import type { Workload } from '../harness/workload.js';
import { INSERT_ITEM, ITEMS_SCHEMA, itemName, itemPrice, itemQty, SELECT_ALL_ITEMS } from './items-table.js';

export function bulkInsertWorkload(sizes: BenchSizes): Workload {
  return {
    id: 'a',
    group: 'a',
    title: `(a) ${sizes.rows.toLocaleString('en-US')} inserts in one transaction`,
    metrics: [{ key: 'insertsPerSecond', label: 'inserts/s', better: 'higher' }],
    timeoutSeconds: 300,
    async runRole(context) {
      const db = await context.open();
      db.exec(ITEMS_SCHEMA);
      const insert = db.prepare(INSERT_ITEM);
      const rows = context.sizes.rows;
      const insertAll = db.transaction(() => {
        for (let id = 1; id <= rows; id++) insert.run(id, itemName(id), itemQty(id), itemPrice(id));
      });
      const started = performance.now();
      insertAll();
      const elapsed = performance.now() - started;
      return {
        metrics: { insertsPerSecond: perSecond(rows, elapsed) },
        checksum: checksumOf(db.prepare(SELECT_ALL_ITEMS).all()),
      };
    },
  };
}

/**
 * (d) Autocommit inserts: `autocommitInserts` single-row INSERTs into a fresh
 * database, each its own transaction (so each is a WAL commit, and with
 * `synchronous=FULL` an fsync). One workload per synchronous mode.
 * Checksum: every row of the table afterwards.
 */
import type { SynchronousMode } from '../engine/apply-settings.js';
import type { BenchSizes } from '../harness/bench-sizes.js';
import { checksumOf } from '../harness/row-checksum.js';
import { perSecond } from '../harness/statistics.js';
import type { Workload } from '../harness/workload.js';
import { INSERT_ITEM, ITEMS_SCHEMA, itemName, itemPrice, itemQty, SELECT_ALL_ITEMS } from './items-table.js';

export function autocommitInsertWorkload(sizes: BenchSizes, synchronous: SynchronousMode): Workload {
  return {
    id: `d-${synchronous.toLowerCase()}`,
    group: 'd',
    title: `(d) ${sizes.autocommitInserts.toLocaleString('en-US')} autocommit inserts, synchronous=${synchronous}`,
    metrics: [{ key: 'commitsPerSecond', label: 'commits/s', better: 'higher' }],
    timeoutSeconds: 300,
    async runRole(context) {
      const db = await context.open(synchronous);
      db.exec(ITEMS_SCHEMA);
      const insert = db.prepare(INSERT_ITEM);
      const count = context.sizes.autocommitInserts;
      const started = performance.now();
      for (let id = 1; id <= count; id++) insert.run(id, itemName(id), itemQty(id), itemPrice(id));
      const elapsed = performance.now() - started;
      return {
        metrics: { commitsPerSecond: perSecond(count, elapsed) },
        checksum: checksumOf(db.prepare(SELECT_ALL_ITEMS).all()),
      };
    },
  };
}

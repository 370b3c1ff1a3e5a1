/**
 * (c) Full scan: `SELECT … FROM items` materialised with `.all()` over the
 * `items` fixture, once untimed and then `scanRepeats` times timed; the rate
 * is rows delivered per second. Checksum: the rows of the last scan.
 */
import type { BenchSizes } from '../harness/bench-sizes.js';
import { checksumOf } from '../harness/row-checksum.js';
import { perSecond } from '../harness/statistics.js';
import type { Workload } from '../harness/workload.js';
import { itemsFixture, SELECT_ALL_ITEMS } from './items-table.js';

export function fullScanWorkload(sizes: BenchSizes): Workload {
  return {
    id: 'c',
    group: 'c',
    title: `(c) full scan of ${sizes.rows.toLocaleString('en-US')} rows with .all()`,
    metrics: [{ key: 'rowsPerSecond', label: 'rows/s', better: 'higher' }],
    fixture: itemsFixture(sizes.rows),
    timeoutSeconds: 300,
    async runRole(context) {
      const db = await context.open();
      const scan = db.prepare(SELECT_ALL_ITEMS);
      let rows = scan.all();
      const started = performance.now();
      for (let repeat = 0; repeat < context.sizes.scanRepeats; repeat++) rows = scan.all();
      const elapsed = performance.now() - started;
      return {
        metrics: { rowsPerSecond: perSecond(rows.length * context.sizes.scanRepeats, elapsed) },
        checksum: checksumOf(rows),
      };
    },
  };
}

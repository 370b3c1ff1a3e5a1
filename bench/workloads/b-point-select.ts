/**
 * (b) and (b2) Point selects: `rows` SELECTs by primary key in a seeded random
 * order over the `items` fixture, each in its own autocommit transaction (b)
 * or all inside one read transaction (b2). The rows are kept in an array
 * during the timed loop and hashed afterwards, in lookup order.
 */
import type { BenchSizes } from '../harness/bench-sizes.js';
import { checksumOf } from '../harness/row-checksum.js';
import { shuffledKeys } from '../harness/seeded-random.js';
import { perSecond } from '../harness/statistics.js';
import type { Workload } from '../harness/workload.js';
import { itemsFixture } from './items-table.js';

const KEY_ORDER_SEED = 0x5eed_0b;
/** Untimed selects (the first keys, same mode) so the timed loop does not pay for the JIT's first tiers. */
const WARMUP_SELECTS = 1000;

export function pointSelectWorkload(sizes: BenchSizes, oneTransaction: boolean): Workload {
  const count = sizes.rows.toLocaleString('en-US');
  return {
    id: oneTransaction ? 'b2' : 'b',
    group: oneTransaction ? 'b2' : 'b',
    title: oneTransaction
      ? `(b2) ${count} point selects in one transaction`
      : `(b) ${count} point selects, each autocommit`,
    metrics: [{ key: 'selectsPerSecond', label: 'selects/s', better: 'higher' }],
    fixture: itemsFixture(sizes.rows),
    timeoutSeconds: 300,
    async runRole(context) {
      const db = await context.open();
      const select = db.prepare('SELECT id, name, qty, price FROM items WHERE id = ?');
      const keys = shuffledKeys(context.sizes.rows, KEY_ORDER_SEED);
      const rows: unknown[] = new Array<unknown>(keys.length).fill(null);
      const selectRange = (from: number, to: number): void => {
        for (let i = from; i < to; i++) rows[i] = select.get(keys[i]!);
      };
      const inMode = oneTransaction ? db.transaction(selectRange) : selectRange;
      inMode(0, Math.min(WARMUP_SELECTS, keys.length));
      const started = performance.now();
      inMode(0, keys.length);
      const elapsed = performance.now() - started;
      return { metrics: { selectsPerSecond: perSecond(keys.length, elapsed) }, checksum: checksumOf(rows) };
    },
  };
}

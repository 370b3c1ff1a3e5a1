/**
 * (g) Point-select cost against table size: one workload per size in
 * `lookupTableRows`, each `lookups` autocommit selects by primary key on
 * seeded random keys (after a tenth as many untimed ones) over a fixture of
 * that many rows built in one set-based INSERT. The report checks that the
 * cost per select grows no faster than log(rows). Checksum: the values read.
 */
import type { BenchSizes } from '../harness/bench-sizes.js';
import type { FixtureSpec } from '../harness/fixtures.js';
import { checksumOf } from '../harness/row-checksum.js';
import { randomKeys } from '../harness/seeded-random.js';
import { perSecond } from '../harness/statistics.js';
import type { Workload } from '../harness/workload.js';

const TIMED_KEYS_SEED = 0x9_0001;
const WARMUP_KEYS_SEED = 0x9_0002;

function lookupFixture(rows: number): FixtureSpec {
  return {
    key: `lookup-${rows}`,
    share: 'link',
    build(db) {
      db.exec('CREATE TABLE big(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)');
      db.prepare(
        `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
         INSERT INTO big SELECT x, (x * 2654435761) % 4294967296 FROM n`,
      ).run(rows);
    },
  };
}

export function lookupGrowthWorkloads(sizes: BenchSizes): Workload[] {
  return sizes.lookupTableRows.map((rows) => ({
    id: `g-${rows}`,
    group: 'g',
    title: `(g) point selects on a ${rows.toLocaleString('en-US')}-row table`,
    metrics: [{ key: 'selectsPerSecond', label: 'selects/s', better: 'higher' }],
    fixture: lookupFixture(rows),
    timeoutSeconds: 300,
    async runRole(context) {
      const db = await context.open();
      const select = db.prepare('SELECT v FROM big WHERE id = ?');
      const lookups = context.sizes.lookups;
      const warmupKeys = randomKeys(Math.ceil(lookups / 10), rows, WARMUP_KEYS_SEED);
      for (let i = 0; i < warmupKeys.length; i++) select.get(warmupKeys[i]!);
      const keys = randomKeys(lookups, rows, TIMED_KEYS_SEED);
      const values: unknown[] = new Array<unknown>(lookups).fill(null);
      const started = performance.now();
      for (let i = 0; i < lookups; i++) values[i] = select.get(keys[i]!);
      const elapsed = performance.now() - started;
      return { metrics: { selectsPerSecond: perSecond(lookups, elapsed) }, checksum: checksumOf(values) };
    },
  }));
}

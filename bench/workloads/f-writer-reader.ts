/**
 * (f) One writer process and one reader process on one database for
 * `contentionMs`: the writer commits `UPDATE kv SET v = v + 1` on seeded
 * random rows (autocommit), the reader runs point selects on seeded random
 * rows; both count SQLITE_BUSY instead of failing on it. The parent samples
 * the `-wal` file every `walSampleMs` and reports the largest size seen.
 * Correctness checks instead of a cross-engine checksum (the counts depend
 * on speed): afterwards the sum of `v` must equal the number of commits, and
 * the reader must have seen some of them.
 */
import type { BenchSizes } from '../harness/bench-sizes.js';
import type { FixtureSpec } from '../harness/fixtures.js';
import { SeededRandom } from '../harness/seeded-random.js';
import { perSecond } from '../harness/statistics.js';
import type { RoleOutcome, Workload } from '../harness/workload.js';
import { isBusyError } from './busy-error.js';

const WRITER_SEED = 0xf00d_01;
const READER_SEED = 0xf00d_02;

function kvFixture(rows: number): FixtureSpec {
  return {
    key: `kv-${rows}`,
    share: 'copy',
    build(db) {
      db.exec('CREATE TABLE kv(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)');
      const insert = db.prepare('INSERT INTO kv VALUES (?, 0)');
      db.transaction(() => {
        for (let id = 1; id <= rows; id++) insert.run(id);
      })();
    },
  };
}

export function writerReaderWorkload(sizes: BenchSizes): Workload {
  return {
    id: 'f',
    group: 'f',
    title: `(f) 1 writer + 1 reader process for ${sizes.contentionMs / 1000} s`,
    metrics: [
      { key: 'commitsPerSecond', label: 'commits/s', better: 'higher' },
      { key: 'selectsPerSecond', label: 'selects/s', better: 'higher' },
      { key: 'busyErrors', label: 'busy errors', better: 'lower' },
      { key: 'maxWalMiB', label: 'max -wal MiB', better: 'lower' },
    ],
    roles: ['writer', 'reader'],
    fixture: kvFixture(sizes.contentionRows),
    samplesWal: true,
    timeoutSeconds: 120,
    async runRole(context): Promise<RoleOutcome> {
      const db = await context.open();
      const rows = context.sizes.contentionRows;
      const writing = context.role === 'writer';
      const random = new SeededRandom(writing ? WRITER_SEED : READER_SEED);
      const statement = db.prepare(writing ? 'UPDATE kv SET v = v + 1 WHERE id = ?' : 'SELECT v FROM kv WHERE id = ?');
      const execute = writing ? statement.run.bind(statement) : statement.get.bind(statement);
      await context.ready();
      let done = 0;
      let busy = 0;
      const started = performance.now();
      let elapsed = 0;
      while ((elapsed = performance.now() - started) < context.sizes.contentionMs) {
        try {
          execute(random.integerBetween(1, rows));
          done++;
        } catch (error) {
          if (!isBusyError(error)) throw error;
          busy++;
        }
      }
      const total = (db.prepare('SELECT sum(v) AS total FROM kv').get() as { total: number }).total;
      if (!writing) return { metrics: { selectsPerSecond: perSecond(done, elapsed), busyErrors: busy, sumSeen: total } };
      if (total !== done) throw new Error(`lost updates: ${done} commits but sum(v) = ${total}`);
      return { metrics: { commitsPerSecond: perSecond(done, elapsed), busyErrors: busy } };
    },
    combine(outcomes, observed) {
      const writer = outcomes.get('writer');
      const reader = outcomes.get('reader');
      if (writer === undefined || reader === undefined) throw new Error('writer/reader ended without both outcomes');
      if ((writer.metrics.commitsPerSecond ?? 0) > 0 && reader.metrics.sumSeen === 0) {
        throw new Error("the reader process never saw any of the writer process's commits");
      }
      return {
        metrics: {
          commitsPerSecond: writer.metrics.commitsPerSecond ?? 0,
          selectsPerSecond: reader.metrics.selectsPerSecond ?? 0,
          busyErrors: (writer.metrics.busyErrors ?? 0) + (reader.metrics.busyErrors ?? 0),
          maxWalMiB: observed.maxWalBytes / (1024 * 1024),
        },
        ...(writer.settings === undefined ? {} : { settings: writer.settings }),
      };
    },
  };
}

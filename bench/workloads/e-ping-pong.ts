/**
 * (e) Commit-to-visibility latency between two processes, by ping-pong over
 * one row: "ping" commits n = 2k+1, "pong" polls (autocommit selects) until
 * it sees it and commits 2k+2, "ping" polls until it sees that, and so on.
 * One hop (a commit plus the other process noticing it) is half a round
 * trip; the report gives the median and p99 hop over `pingPongRounds` round
 * trips, after `pingPongWarmup` untimed ones. Checksum: the last value seen.
 */
import type { BenchDatabase } from '../engine/bench-database.js';
import type { BenchSizes } from '../harness/bench-sizes.js';
import type { FixtureSpec } from '../harness/fixtures.js';
import { percentileOfSorted } from '../harness/statistics.js';
import type { RoleOutcome, Workload } from '../harness/workload.js';

/** A poller that sees no progress for this long gives up instead of spinning forever. */
const STALL_LIMIT_MS = 5_000;

const ballFixture: FixtureSpec = {
  key: 'ball',
  share: 'copy',
  build(db) {
    db.exec('CREATE TABLE ball(id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO ball VALUES (1, 0);');
  },
};

export function pingPongWorkload(sizes: BenchSizes): Workload {
  return {
    id: 'e',
    group: 'e',
    title: `(e) commit-to-visibility latency, 2 processes (${sizes.pingPongRounds.toLocaleString('en-US')} ping-pong round trips)`,
    metrics: [
      { key: 'hopMedianMicros', label: 'median µs', better: 'lower' },
      { key: 'hopP99Micros', label: 'p99 µs', better: 'lower' },
    ],
    roles: ['ping', 'pong'],
    fixture: ballFixture,
    timeoutSeconds: 120,
    async runRole(context): Promise<RoleOutcome> {
      const db = await context.open();
      const ball = new Ball(db);
      const { pingPongWarmup: warmup, pingPongRounds: rounds } = context.sizes;
      await context.ready();
      if (context.role === 'pong') {
        for (let k = 0; k < warmup + rounds; k++) {
          ball.waitFor(2 * k + 1);
          ball.set(2 * k + 2);
        }
        return { metrics: {}, checksum: `n=${ball.read()}` };
      }
      const hops = new Float64Array(rounds);
      for (let k = 0; k < warmup + rounds; k++) {
        const started = performance.now();
        ball.set(2 * k + 1);
        ball.waitFor(2 * k + 2);
        if (k >= warmup) hops[k - warmup] = ((performance.now() - started) * 1000) / 2;
      }
      hops.sort();
      return {
        metrics: { hopMedianMicros: percentileOfSorted(hops, 0.5), hopP99Micros: percentileOfSorted(hops, 0.99) },
        checksum: `n=${ball.read()}`,
      };
    },
    combine(outcomes) {
      const ping = outcomes.get('ping');
      const pong = outcomes.get('pong');
      if (ping === undefined || pong === undefined) throw new Error('ping-pong ended without both outcomes');
      if (ping.checksum !== pong.checksum) throw new Error(`ping ended at ${ping.checksum} but pong at ${pong.checksum}`);
      return ping;
    },
  };
}

/** The one row both processes write and poll. */
class Ball {
  private readonly update;
  private readonly select;

  constructor(db: BenchDatabase) {
    this.update = db.prepare('UPDATE ball SET n = ? WHERE id = 1');
    this.select = db.prepare('SELECT n FROM ball WHERE id = 1');
  }

  set(n: number): void {
    this.update.run(n);
  }

  read(): number {
    return (this.select.get() as { n: number }).n;
  }

  /** Polls with autocommit selects until the row holds `n`. */
  waitFor(n: number): void {
    let polls = 0;
    const since = performance.now();
    for (;;) {
      const seen = this.read();
      if (seen === n) return;
      if (seen > n) throw new Error(`expected to see ${n} next but saw ${seen}`);
      if (++polls % 256 === 0 && performance.now() - since > STALL_LIMIT_MS) {
        throw new Error(`no commit became visible for ${STALL_LIMIT_MS / 1000} s (waiting for ${n}, still ${seen})`);
      }
    }
  }
}

/**
 * The database surface every benchmark is written against: the subset of
 * better-sqlite3's API (`prepare/run/get/all/iterate/pragma/exec/transaction`)
 * that Shoal, better-sqlite3 and Turso's sync `compat` API all offer.
 *
 * Workloads only ever see these two interfaces, so an engine plugs in by
 * handing over an object of this shape and nothing in a workload knows which
 * engine it is timing.
 */

export type BenchValue = number | bigint | string | Uint8Array | null;

export interface BenchStatement {
  run(...params: BenchValue[]): unknown;
  get(...params: BenchValue[]): unknown;
  all(...params: BenchValue[]): unknown[];
  iterate(...params: BenchValue[]): IterableIterator<unknown>;
}

export interface BenchDatabase {
  prepare(sql: string): BenchStatement;
  exec(sql: string): unknown;
  pragma(source: string): unknown;
  transaction<Args extends unknown[], Result>(fn: (...args: Args) => Result): (...args: Args) => Result;
  close(): unknown;
}

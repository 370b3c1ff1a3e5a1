/**
 * How big each workload is. `FULL_SIZES` is what `npm run bench` measures
 * (the sizes issue 7 names); `SMOKE_SIZES` shrinks every workload to a
 * fraction of a second, for proving the harness works, not for numbers.
 */

export interface BenchSizes {
  /** Rows inserted by (a) and held by the table that (b), (b2) and (c) read. */
  readonly rows: number;
  /** Times (c) scans the whole table (after one untimed warm-up scan). */
  readonly scanRepeats: number;
  /** Autocommit inserts of (d). */
  readonly autocommitInserts: number;
  /** Round trips of (e) (after `pingPongWarmup` untimed ones). */
  readonly pingPongRounds: number;
  readonly pingPongWarmup: number;
  /** How long (f) runs its writer and reader. */
  readonly contentionMs: number;
  /** Rows in the table (f)'s writer updates and reader reads. */
  readonly contentionRows: number;
  /** How often (f) samples the size of the `-wal` file. */
  readonly walSampleMs: number;
  /** Table sizes of (g); the cost per select must grow no faster than log(rows). */
  readonly lookupTableRows: readonly number[];
  /** Timed point selects per (g) table (after a tenth as many untimed ones). */
  readonly lookups: number;
  /** Approximate size of the table (h) scans, in bytes. */
  readonly scanTableBytes: number;
  /** Autocommit reads (i) counts system calls across. */
  readonly syscallReads: number;
}

export const FULL_SIZES: BenchSizes = {
  rows: 100_000,
  scanRepeats: 3,
  autocommitInserts: 1000,
  pingPongRounds: 1000,
  pingPongWarmup: 100,
  contentionMs: 3000,
  contentionRows: 10_000,
  walSampleMs: 50,
  lookupTableRows: [10_000, 1_000_000, 10_000_000],
  lookups: 50_000,
  scanTableBytes: 1024 * 1024 * 1024,
  syscallReads: 10_000,
};

export const SMOKE_SIZES: BenchSizes = {
  rows: 500,
  scanRepeats: 2,
  autocommitInserts: 20,
  pingPongRounds: 20,
  pingPongWarmup: 5,
  contentionMs: 300,
  contentionRows: 100,
  walSampleMs: 50,
  lookupTableRows: [100, 1000],
  lookups: 200,
  scanTableBytes: 512 * 1024,
  syscallReads: 100,
};

/** Payload bytes of each row of the (h) table: four rows fill a 4 KiB page. */
export const SCAN_PAYLOAD_BYTES = 1000;

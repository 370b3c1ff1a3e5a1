/**
 * bench/sql: the per-statement and per-row cost of Shoal's SQL engine beside
 * better-sqlite3's, measured in one process and one run.
 *
 *   node dist/bench/sql/run.js [--rows 50000] [--runs 5] [--workload pk-get,join] [--storage memory|file]
 *
 * Every workload (sql-workloads.ts) is prepared on both engines (in memory,
 * or with `--storage file` in WAL database files, Shoal in its default
 * multi-process mode), run once untimed (JIT warm-up), then timed `--runs`
 * times with the engines alternating, so both see the same machine load.
 * A timed run repeats the workload's body enough times (the same number for
 * both engines) to last at least ~50 ms on better-sqlite3, so short bodies
 * are not lost in timer and scheduler noise. Each timed run records
 * wall time and the process's CPU time (`process.cpuUsage()`, user + system),
 * which a loaded shared machine disturbs much less than wall time. The table
 * shows the best run of each (the least disturbed one) as µs per unit, and
 * the speed ratio Shoal ÷ better-sqlite3 (1.0 = as fast; higher is better
 * for Shoal). Checksums of what each run read must agree between engines,
 * or the run exits with status 1.
 *
 * This is a benchmark, not a test: it asserts nothing about speed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Shoal from '../../src/index.js';
import { SQL_WORKLOADS, type PreparedWorkload, type SqlDatabase, type SqlWorkload } from './sql-workloads.js';

interface Options {
  rows: number;
  runs: number;
  workloads: readonly SqlWorkload[];
  storage: 'memory' | 'file';
}

/** A timed run lasts at least this long on the faster engine. */
const MIN_RUN_MS = 50;

interface Timing {
  wallMicros: number;
  cpuMicros: number;
}

type EngineName = 'shoal' | 'better-sqlite3';
const ENGINES: readonly EngineName[] = ['shoal', 'better-sqlite3'];

function parseOptions(argv: readonly string[]): Options {
  let rows = 50_000;
  let runs = 5;
  let workloads = SQL_WORKLOADS;
  let storage: Options['storage'] = 'memory';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    if (flag === '--rows') rows = positiveInteger(flag, value);
    else if (flag === '--runs') runs = positiveInteger(flag, value);
    else if (flag === '--workload') {
      const ids = value.split(',');
      for (const id of ids) {
        if (!SQL_WORKLOADS.some((w) => w.id === id)) {
          throw new Error(`unknown workload ${id}; known: ${SQL_WORKLOADS.map((w) => w.id).join(', ')}`);
        }
      }
      workloads = SQL_WORKLOADS.filter((w) => ids.includes(w.id));
    } else if (flag === '--storage') {
      if (value !== 'memory' && value !== 'file') throw new Error(`--storage must be memory or file, got ${value}`);
      storage = value;
    } else throw new Error(`unknown option ${flag}; known: --rows, --runs, --workload, --storage`);
  }
  return { rows, runs, workloads, storage };
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got ${text}`);
  return n;
}

function open(engine: EngineName, path: string): SqlDatabase {
  return (engine === 'shoal' ? new Shoal(path) : new BetterSqlite3(path)) as unknown as SqlDatabase;
}

/** Runs the body `repeat` times; the checksum (untimed) is of the last repetition's results. */
function timed(workload: PreparedWorkload, repeat: number): { timing: Timing; checksum: number } {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let i = 0; i < repeat; i++) workload.run();
  const wallMicros = (performance.now() - wallBefore) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { timing: { wallMicros, cpuMicros: cpu.user + cpu.system }, checksum: workload.checksum() };
}

interface WorkloadResult {
  workload: SqlWorkload;
  /** Units of work in one timed run (the body's units times its repetitions). */
  units: number;
  best: Record<EngineName, Timing>;
  checksumsAgree: boolean;
}

function runWorkload(workload: SqlWorkload, options: Options, directory: string): WorkloadResult {
  const databases = new Map<EngineName, SqlDatabase>();
  const prepared = new Map<EngineName, PreparedWorkload>();
  const best: Record<EngineName, Timing> = {
    shoal: { wallMicros: Infinity, cpuMicros: Infinity },
    'better-sqlite3': { wallMicros: Infinity, cpuMicros: Infinity },
  };
  let checksumsAgree = true;
  let repeat = 1;
  try {
    for (const engine of ENGINES) {
      const onFile = workload.file === true || options.storage === 'file';
      const path = onFile ? join(directory, `${workload.id}-${engine}.db`) : ':memory:';
      const db = open(engine, path);
      if (onFile) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      databases.set(engine, db);
      prepared.set(engine, workload.prepare(db, options.rows));
    }
    for (let run = 0; run <= options.runs; run++) {
      const order = run % 2 === 0 ? ENGINES : [...ENGINES].reverse();
      const checksums = new Map<EngineName, number>();
      for (const engine of order) {
        const { timing, checksum } = timed(prepared.get(engine)!, run === 0 ? 1 : repeat);
        checksums.set(engine, checksum);
        if (run === 0) {
          if (engine === 'better-sqlite3') repeat = Math.min(1000, Math.max(1, Math.ceil((MIN_RUN_MS * 1000) / timing.wallMicros)));
          continue;
        }
        const b = best[engine];
        b.wallMicros = Math.min(b.wallMicros, timing.wallMicros);
        b.cpuMicros = Math.min(b.cpuMicros, timing.cpuMicros);
      }
      if (checksums.get('shoal') !== checksums.get('better-sqlite3')) checksumsAgree = false;
    }
  } finally {
    for (const db of databases.values()) db.close();
  }
  return { workload, units: prepared.get('shoal')!.units * repeat, best, checksumsAgree };
}

function micros(total: number, units: number): string {
  const per = total / units;
  return per >= 100 ? per.toFixed(0) : per >= 10 ? per.toFixed(1) : per.toFixed(2);
}

function report(results: readonly WorkloadResult[], options: Options): void {
  const header = ['workload', 'unit', 'shoal cpu µs', 'bsqlite cpu µs', 'speed (cpu)', 'shoal wall µs', 'bsqlite wall µs', 'speed (wall)', 'check'];
  const lines = results.map((r) => {
    const s = r.best.shoal;
    const b = r.best['better-sqlite3'];
    return [
      r.workload.id,
      r.workload.unit,
      micros(s.cpuMicros, r.units),
      micros(b.cpuMicros, r.units),
      `${(b.cpuMicros / s.cpuMicros).toFixed(2)}×`,
      micros(s.wallMicros, r.units),
      micros(b.wallMicros, r.units),
      `${(b.wallMicros / s.wallMicros).toFixed(2)}×`,
      r.checksumsAgree ? 'ok' : 'MISMATCH',
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const format = (cells: readonly string[]): string => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`bench/sql: ${options.rows.toLocaleString('en-US')} rows, ${options.storage}, best of ${options.runs} runs, node ${process.version}`);
  console.log('speed = better-sqlite3 cost ÷ Shoal cost (1.00× = as fast as better-sqlite3)\n');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log('');
  for (const r of results) console.log(`  ${r.workload.id}: ${r.workload.title}`);
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const directory = mkdtempSync(join(tmpdir(), 'shoal-bench-sql-'));
  const results: WorkloadResult[] = [];
  try {
    for (const workload of options.workloads) results.push(runWorkload(workload, options, directory));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  report(results, options);
  if (results.some((r) => !r.checksumsAgree)) {
    console.error('\nchecksum mismatch: Shoal and better-sqlite3 read different rows');
    process.exitCode = 1;
  }
}

main();

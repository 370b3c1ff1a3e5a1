/**
 * `npm run demo [-- --seconds N]`: several OS processes share one database.
 *
 * It creates a fresh `./demo.db`, starts 3 writer and 2 reader processes
 * (`worker.ts`) that work on it for N seconds (default 10), and shows one
 * live line per process (commits/s or reads/s, busy waits) plus the WAL's
 * size and frames, the checkpoints run so far and the transaction count
 * (heard through `db.onCommit()`, read through `db.coordination()`). Then it
 * verifies the run (`verification.ts`), prints a summary ending in
 * `RESULT: verified` or `RESULT: FAILED`, and exits non-zero on any
 * violation, worker failure or integrity problem.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from '../src/index.js';
import { LiveDisplay } from './live-display.js';
import type { ReaderDone, StartMessage, WorkerMessage, WorkerRole, WriterDone } from './protocol.js';
import { verifyWithShoal, verifyWithSqlite, type Check } from './verification.js';

const WRITERS = 3;
const READERS = 2;
const DEFAULT_SECONDS = 10;
const RATE_WINDOW_MS = 1000;
const workerPath = fileURLToPath(new URL('./worker.js', import.meta.url));

const SCHEMA = `
  CREATE TABLE items(id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, seq INTEGER NOT NULL, payload TEXT NOT NULL);
  CREATE UNIQUE INDEX items_by_writer ON items(writer, seq);
  CREATE TABLE counters(writer INTEGER PRIMARY KEY, n INTEGER NOT NULL);
`;

interface Worker {
  readonly role: WorkerRole;
  readonly number: number;
  readonly child: ChildProcess;
  operations: number;
  busyWaits: number;
  /** Recent (time, operations) samples for the rate. */
  readonly samples: Array<readonly [number, number]>;
  result: WriterDone | ReaderDone | null;
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
}

function parseSeconds(args: readonly string[]): number {
  const at = args.indexOf('--seconds');
  if (at < 0) return DEFAULT_SECONDS;
  const seconds = Number(args[at + 1]);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new RangeError(`--seconds needs a number of seconds between 0 and 3600, not ${JSON.stringify(args[at + 1])}`);
  }
  return seconds;
}

function startWorker(role: WorkerRole, number: number, path: string): Worker {
  const child = fork(workerPath, [role, String(number), path], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let markReady: () => void = () => undefined;
  const worker: Worker = {
    role,
    number,
    child,
    operations: 0,
    busyWaits: 0,
    samples: [],
    result: null,
    ready: new Promise<void>((resolveReady, reject) => {
      markReady = resolveReady;
      child.once('exit', (code) => reject(new Error(`${role} ${number} exited with code ${code} before it was ready`)));
    }),
    exited: new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code))),
  };
  child.on('message', (raw) => {
    const message = raw as WorkerMessage;
    if (message.kind === 'ready') markReady();
    else if (message.kind === 'progress') {
      worker.operations = message.operations;
      worker.busyWaits = message.busyWaits;
    } else {
      worker.result = message;
      worker.operations = message.operations;
      worker.busyWaits = message.busyWaits;
    }
  });
  return worker;
}

function rate(worker: Worker, now: number): number {
  const samples = worker.samples;
  samples.push([now, worker.operations]);
  while (samples.length > 2 && now - samples[1]![0] >= RATE_WINDOW_MS) samples.shift();
  const [since, before] = samples[0]!;
  return now > since ? ((worker.operations - before) * 1000) / (now - since) : 0;
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

async function main(): Promise<number> {
  const seconds = parseSeconds(process.argv.slice(2));
  const path = resolve('demo.db');
  for (const suffix of ['', '-wal', '-shm', '-tshm', '-journal']) rmSync(`${path}${suffix}`, { force: true });

  const db = new Database(path);
  db.exec(SCHEMA);
  const insertCounter = db.prepare('INSERT INTO counters VALUES (?, 0)');
  db.transaction(() => {
    for (let number = 1; number <= WRITERS; number++) insertCounter.run(number);
  })();
  const startSnapshot = db.coordination().snapshot;
  let transactionCount = startSnapshot.transactionCount;
  const stopListening = db.onCommit((count) => (transactionCount = count));

  process.stdout.write(`Shoal demo: ${WRITERS} writer and ${READERS} reader processes share ${path} for ${seconds} s\n`);
  const workers = [
    ...Array.from({ length: WRITERS }, (_, k) => startWorker('writer', k + 1, path)),
    ...Array.from({ length: READERS }, (_, k) => startWorker('reader', k + 1, path)),
  ];
  const failures: string[] = [];
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (error) {
    for (const worker of workers) worker.child.kill();
    throw error;
  }
  const startedAt = Date.now();
  const start: StartMessage = { kind: 'start', deadline: startedAt + seconds * 1000 };
  for (const worker of workers) {
    worker.child.send(start);
    worker.samples.push([startedAt, 0]);
  }

  const display = new LiveDisplay(process.stdout);
  const view = (): string[] => {
    const now = Date.now();
    const lines = workers.map((w) => {
      const unit = w.role === 'writer' ? 'commits/s' : 'reads/s  ';
      const perSecond = Math.round(rate(w, now));
      return `  ${w.role} ${w.number}  pid ${String(w.child.pid).padEnd(7)} ${String(perSecond).padStart(6)} ${unit}  busy waits ${String(w.busyWaits).padStart(6)}  total ${String(w.operations).padStart(7)}`;
    });
    const status = db.coordination();
    const snapshot = status.snapshot;
    const restarts = snapshot.checkpointSeq - startSnapshot.checkpointSeq;
    const checkpoints = snapshot.checkpointEpoch - startSnapshot.checkpointEpoch - restarts;
    let walBytes = 0;
    try {
      walBytes = statSync(`${path}-wal`).size;
    } catch {
      walBytes = 0;
    }
    lines.push(
      `  WAL ${mebibytes(walBytes)}, ${snapshot.maxFrame} frames (${snapshot.nBackfills} backfilled)   checkpoints ${checkpoints} (WAL restarts ${restarts})   transaction count ${transactionCount}`,
    );
    return lines;
  };
  const refresher = setInterval(() => display.show(view(), Date.now() - startedAt), display.refreshMs);
  const exitCodes = await Promise.all(workers.map((w) => w.exited));
  clearInterval(refresher);
  display.show(view(), Date.now() - startedAt, true);
  stopListening();

  exitCodes.forEach((code, k) => {
    const worker = workers[k]!;
    if (code !== 0 || worker.result === null) failures.push(`${worker.role} ${worker.number} failed (exit code ${code})`);
  });
  const writers = new Map<number, WriterDone>();
  const readers: ReaderDone[] = [];
  for (const worker of workers) {
    if (worker.result?.role === 'writer') writers.set(worker.number, worker.result);
    else if (worker.result?.role === 'reader') readers.push(worker.result);
  }

  const checks: Check[] = failures.map((text) => ({ outcome: 'FAIL', text }));
  checks.push(...verifyWithShoal(db, writers, readers));
  const rows = db.prepare<[], number>('SELECT count(*) FROM items').pluck().get()!;
  db.close();
  checks.push(...(await verifyWithSqlite(path, rows)));

  const failed = checks.filter((c) => c.outcome === 'FAIL').length;
  const commits = [...writers.values()].reduce((sum, w) => sum + w.operations, 0);
  const snapshots = readers.reduce((sum, r) => sum + r.operations, 0);
  process.stdout.write(`\nVerification\n${checks.map((c) => `  ${c.outcome.padEnd(4)} ${c.text}\n`).join('')}`);
  process.stdout.write(
    failed === 0
      ? `RESULT: verified: ${commits} commits by ${WRITERS} writer processes and ${snapshots} snapshot checks by ${READERS} reader processes in ${seconds} s, no violation\n`
      : `RESULT: FAILED: ${failed} check${failed === 1 ? '' : 's'} failed\n`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);

/**
 * One process of the demo: a writer or a reader on the shared database.
 * Usage (started by `main.ts` with an IPC channel): worker.js ROLE NUMBER DB
 *
 * A writer commits, one transaction at a time (BEGIN IMMEDIATE), a new row
 * in `items` stamped with its writer number and the next value of its own
 * counter in `counters`, and remembers the id of every row whose commit
 * returned. A reader checks, inside one read transaction per check, the
 * invariant the writers keep: the counters add up to the row count, each
 * writer's counter equals its newest row's sequence number, and the row
 * count never goes down from one snapshot to the next.
 *
 * Workers open with `timeout: 0`, so a busy database surfaces as
 * `SQLITE_BUSY` here: the worker counts it as a busy wait, sleeps about a
 * millisecond and retries, which makes contention visible in the display.
 */
import Database, { SqliteError } from '../src/index.js';
import type { ProgressMessage, ReaderDone, StartMessage, WorkerMessage, WorkerRole, WriterDone } from './protocol.js';

const PROGRESS_EVERY_MS = 250;
const WORK_SLICE_MS = 50;
const MAX_REPORTED_VIOLATIONS = 10;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

const [role, numberText, path] = process.argv.slice(2) as [WorkerRole, string, string];
const workerNumber = Number(numberText);

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())));
}

function isBusy(error: unknown): boolean {
  return error instanceof SqliteError && error.code.startsWith('SQLITE_BUSY');
}

function pauseAfterBusy(): void {
  Atomics.wait(sleeper, 0, 0, 0.2 + Math.random());
}

/** What the worker repeats until the deadline: one try at one operation (a commit, or a snapshot check). */
type Attempt = () => void;

async function runUntil(deadline: number, attempt: Attempt, progress: () => ProgressMessage): Promise<void> {
  let lastReport = Date.now();
  while (Date.now() < deadline) {
    const sliceEnd = Math.min(deadline, Date.now() + WORK_SLICE_MS);
    while (Date.now() < sliceEnd) attempt();
    if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
      lastReport = Date.now();
      await send(progress());
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function writer(db: Database): { attempt: Attempt; stats: () => WriterDone } {
  const bump = db.prepare('UPDATE counters SET n = n + 1 WHERE writer = ?');
  const counter = db.prepare<[number], number>('SELECT n FROM counters WHERE writer = ?').pluck();
  const insert = db.prepare('INSERT INTO items(writer, seq, payload) VALUES (?, ?, ?)');
  const commitOne = db.transaction((): number => {
    bump.run(workerNumber);
    const seq = counter.get(workerNumber)!;
    return Number(insert.run(workerNumber, seq, `writer ${workerNumber} row ${seq} `.padEnd(120, '.')).lastInsertRowid);
  }).immediate;
  const acknowledgedIds: number[] = [];
  let busyWaits = 0;
  return {
    attempt: () => {
      try {
        acknowledgedIds.push(commitOne());
      } catch (error) {
        if (!isBusy(error)) throw error;
        busyWaits++;
        pauseAfterBusy();
      }
    },
    stats: () => ({ kind: 'done', role: 'writer', operations: acknowledgedIds.length, busyWaits, acknowledgedIds }),
  };
}

function reader(db: Database): { attempt: Attempt; stats: () => ReaderDone } {
  const rowCount = db.prepare<[], number>('SELECT count(*) FROM items').pluck();
  const counters = db.prepare<[], [number, number]>('SELECT writer, n FROM counters ORDER BY writer').raw();
  const newestSeq = db.prepare<[number], number | null>('SELECT max(seq) FROM items WHERE writer = ?').pluck();
  const violations: string[] = [];
  let violationCount = 0;
  let snapshots = 0;
  let busyWaits = 0;
  let previousRows = 0;
  const violation = (text: string) => {
    violationCount++;
    if (violations.length < MAX_REPORTED_VIOLATIONS) violations.push(`reader ${workerNumber}, snapshot ${snapshots + 1}: ${text}`);
  };
  const checkSnapshot = db.transaction(() => {
    const rows = rowCount.get()!;
    let sum = 0;
    for (const [writerNumber, n] of counters.all()) {
      sum += n;
      const newest = newestSeq.get(writerNumber) ?? 0;
      if (newest !== n) violation(`writer ${writerNumber}'s counter is ${n} but its newest row has sequence ${newest}`);
    }
    if (sum !== rows) violation(`the counters add up to ${sum} but there are ${rows} rows`);
    if (rows < previousRows) violation(`the row count went down from ${previousRows} to ${rows}`);
    previousRows = rows;
  });
  return {
    attempt: () => {
      try {
        checkSnapshot();
        snapshots++;
      } catch (error) {
        if (!isBusy(error)) throw error;
        busyWaits++;
        pauseAfterBusy();
      }
    },
    stats: () => ({ kind: 'done', role: 'reader', operations: snapshots, busyWaits, violations, violationCount }),
  };
}

async function main(): Promise<void> {
  const db = new Database(path, { timeout: 0 });
  const work = role === 'writer' ? writer(db) : reader(db);
  const start = new Promise<StartMessage>((resolve) => process.once('message', (message) => resolve(message as StartMessage)));
  await send({ kind: 'ready' });
  const { deadline } = await start;
  await runUntil(deadline, work.attempt, () => {
    const { operations, busyWaits } = work.stats();
    return { kind: 'progress', operations, busyWaits };
  });
  db.close();
  await send(work.stats());
  process.disconnect();
}

await main();

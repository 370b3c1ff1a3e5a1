/**
 * One peer of the multi-process SQL tests: a child process (driven through
 * stdin/stdout) or a worker thread (driven through its message port) that
 * opens one database with Shoal's public API, Turso 0.7.2 in multi-process
 * mode, or SQLite (better-sqlite3), and runs the requests it is sent, one at
 * a time.
 *
 * Each request is a JSON object with an `op`; each answer is one JSON line
 * `{"reply": value}` or `{"error": {"code", "message"}}`. Long-running
 * requests may also emit `{"event": ...}` lines before their answer, written
 * synchronously so a test can SIGKILL the process at a known point.
 *
 * The workload ops use a fixed schema (see `SCHEMA` in peers.ts): a one-row
 * `counter(n)` and `rows(id, writer, seq, payload)` with a unique index on
 * (writer, seq). A writer transaction increments the counter and inserts one
 * row, so every snapshot must show n = count(rows).
 */
import { existsSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { isMainThread, parentPort } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Database as TursoDatabase } from '@tursodatabase/database/compat';
import ShoalDatabase from '../../src/index.js';
import { walScanCount } from '../../src/wal/wal-scan.js';

interface SqlStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

interface SqlDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): SqlStatement;
  close(): unknown;
}

type Engine = 'shoal' | 'turso' | 'sqlite';

export type PeerRequest =
  | { op: 'open'; engine: Engine; path: string; options?: Record<string, unknown> }
  | { op: 'exec'; sql: string }
  | { op: 'all'; sql: string; params?: unknown[] }
  | { op: 'run'; sql: string; params?: unknown[] }
  | {
      op: 'write';
      writer: number;
      count: number;
      firstSeq?: number;
      stopFile?: string;
      announce?: boolean;
      /** Characters of payload per row (default 100). */
      payload?: number;
      /** Milliseconds to sleep between transactions (default 0). */
      pauseMs?: number;
    }
  | { op: 'read'; stopFile: string }
  | { op: 'select'; stopFile: string }
  | { op: 'checkpoint'; mode: string }
  | { op: 'turn'; writer: number; seq: number }
  | { op: 'scans' }
  | { op: 'close' };

export interface WriteResult {
  readonly committed: number;
}

export interface ReadResult {
  readonly snapshots: number;
  readonly violations: number;
}

export interface TurnResult {
  /** Rows this peer saw inside its write transaction, before inserting its own. */
  readonly rowsBefore: number;
  /** The newest row it saw: [writer, seq], or null. */
  readonly newest: [number, number] | null;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
let db: SqlDatabase | null = null;
let emit: (message: object) => void = () => undefined;

function open(engine: Engine, path: string, options: Record<string, unknown>): SqlDatabase {
  if (engine === 'shoal') return new ShoalDatabase(path, options) as unknown as SqlDatabase;
  if (engine === 'turso') return new TursoDatabase(path, { experimental: ['multiprocess_wal'], ...options }) as unknown as SqlDatabase;
  return new BetterSqlite3(path, options) as unknown as SqlDatabase;
}

function database(): SqlDatabase {
  if (db === null) throw new Error('no database is open');
  return db;
}

/**
 * Commits up to `count` writer transactions, each incrementing the counter
 * and inserting one row, until `stopFile` appears; announces each commit
 * when asked.
 */
function writeLoop(request: Extract<PeerRequest, { op: 'write' }>): WriteResult {
  const target = database();
  const increment = target.prepare('UPDATE counter SET n = n + 1');
  const insert = target.prepare('INSERT INTO rows(writer, seq, payload) VALUES (?, ?, ?)');
  const payload = 'p'.repeat(request.payload ?? 100);
  const firstSeq = request.firstSeq ?? 1;
  let committed = 0;
  while (committed < request.count && (request.stopFile === undefined || !existsSync(request.stopFile))) {
    const seq = firstSeq + committed;
    target.exec('BEGIN IMMEDIATE');
    try {
      increment.run();
      insert.run(request.writer, seq, payload);
      target.exec('COMMIT');
    } catch (error) {
      target.exec('ROLLBACK');
      throw error;
    }
    committed++;
    if (request.announce) emit({ event: 'committed', seq });
    if (request.pauseMs) Atomics.wait(sleepCell, 0, 0, request.pauseMs);
  }
  return { committed };
}

/** Checks n = count(rows) in one read transaction per round until `stopFile` appears. */
function readLoop(stopFile: string): ReadResult {
  const target = database();
  const counter = target.prepare('SELECT n FROM counter');
  const count = target.prepare('SELECT count(*) AS c FROM rows');
  let snapshots = 0;
  let violations = 0;
  while (!existsSync(stopFile)) {
    target.exec('BEGIN');
    try {
      const n = (counter.get() as { n: number }).n;
      const c = (count.get() as { c: number }).c;
      if (n !== c) violations++;
    } finally {
      target.exec('COMMIT');
    }
    snapshots++;
  }
  return { snapshots, violations };
}

/**
 * Autocommit point selects of random existing rows, each its own read
 * transaction, until `stopFile` appears (looked for every 256 selects, so
 * the process is almost never between read transactions). Returns how many
 * ran and how many found no row.
 */
function selectLoop(stopFile: string): ReadResult {
  const target = database();
  const highest = target.prepare('SELECT max(id) AS id FROM rows');
  const point = target.prepare('SELECT payload FROM rows WHERE id = ?');
  let snapshots = 0;
  let violations = 0;
  for (;;) {
    if ((snapshots & 255) === 0 && existsSync(stopFile)) return { snapshots, violations };
    const top = (highest.get() as { id: number | null }).id ?? 0;
    if (top > 0 && point.get(1 + (snapshots % top)) === undefined) violations++;
    snapshots += 2;
  }
}

/** One turn of an alternating writer: reads what the others committed, then adds its own row. */
function turn(writer: number, seq: number): TurnResult {
  const target = database();
  target.exec('BEGIN IMMEDIATE');
  try {
    const seen = target.prepare('SELECT count(*) AS c FROM rows').get() as { c: number };
    const newest = target.prepare('SELECT writer, seq FROM rows ORDER BY id DESC LIMIT 1').get() as { writer: number; seq: number } | undefined;
    target.prepare('INSERT INTO rows(writer, seq, payload) VALUES (?, ?, ?)').run(writer, seq, `turn ${seq}`);
    target.prepare('UPDATE counter SET n = n + 1').run();
    target.exec('COMMIT');
    return { rowsBefore: seen.c, newest: newest === undefined ? null : [newest.writer, newest.seq] };
  } catch (error) {
    target.exec('ROLLBACK');
    throw error;
  }
}

function handle(request: PeerRequest): unknown {
  switch (request.op) {
    case 'open':
      db = open(request.engine, request.path, request.options ?? {});
      return null;
    case 'exec':
      database().exec(request.sql);
      return null;
    case 'all':
      return database().prepare(request.sql).all(...(request.params ?? []));
    case 'run':
      database().prepare(request.sql).run(...(request.params ?? []));
      return null;
    case 'write':
      return writeLoop(request);
    case 'read':
      return readLoop(request.stopFile);
    case 'select':
      return selectLoop(request.stopFile);
    case 'checkpoint':
      return database().prepare(`PRAGMA wal_checkpoint(${request.mode})`).get();
    case 'turn':
      return turn(request.writer, request.seq);
    case 'scans':
      return walScanCount();
    case 'close':
      db?.close();
      db = null;
      return null;
  }
}

function answer(request: PeerRequest): object {
  try {
    return { reply: handle(request) ?? null };
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { error: { code: typeof code === 'string' ? code : 'ERROR', message: String(message) } };
  }
}

if (isMainThread) {
  emit = (message) => writeSync(1, `${JSON.stringify(message)}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => emit(answer(JSON.parse(line) as PeerRequest)));
  lines.on('close', () => {
    db?.close();
  });
} else {
  const port = parentPort!;
  emit = (message) => port.postMessage(message);
  port.on('message', (request: PeerRequest) => {
    const reply = answer(request);
    port.postMessage(reply);
    if (request.op === 'close') port.close();
  });
}

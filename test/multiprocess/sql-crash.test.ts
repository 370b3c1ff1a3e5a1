/**
 * Issue 4, "Survivors continue after kill -9", through SQL: while a writer
 * process and a reader process keep working, other processes are SIGKILLed
 * while holding the writer lock in the middle of a transaction, while
 * writing the frames of a 20 MB commit, while committing in a loop, while
 * holding a pinned reader slot, and while backfilling a long checkpoint. The
 * survivors go on within their busy timeout, every acknowledged commit is
 * there, a commit killed while its frames were being written is all there
 * or not at all, and both Shoal's and SQLite's integrity checks pass once
 * everybody closed. A writer killed between extending the `-tshm` for a new
 * frame-index block and publishing the block count does not lock new
 * processes out. A writer killed inside its automatic checkpoint, which it
 * runs still holding the writer lock, does not stop the others either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Database from '../../src/index.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { SCHEMA, killWhen, peerFactory, scratchDirectory } from './peers.js';
import type { ReadResult, WriteResult } from './sql-peer.js';

const SURVIVOR = 1;
const LOOP_VICTIM = 2;
const BULK = 3;
const TORN = 4;
const BIG_COMMIT = 5;
const BIG_COMMIT_ROWS = 200;
const BULK_TRANSACTIONS = 150;
const BULK_PAYLOAD = 30_000;
/** Generous: the machine running the suite may be busy. */
const BUSY_TIMEOUT = 20_000;
const FOREVER = 1_000_000_000;
const TSHM_BASE_BYTES = 4096;
const TSHM_BLOCK_BYTES = 81_920;

interface Counts {
  n: number;
  rows: number;
}

interface WriterRows {
  writer: number;
  c: number;
  lo: number;
  hi: number;
}

type Queryable = { prepare(sql: string): { all(): unknown[] } };

/** Per writer: how many rows it left, and its lowest and highest sequence number. */
function rowsByWriter(db: Queryable): Map<number, WriterRows> {
  const rows = db.prepare('SELECT writer, count(*) AS c, min(seq) AS lo, max(seq) AS hi FROM rows GROUP BY writer ORDER BY writer').all() as WriterRows[];
  return new Map(rows.map((w) => [w.writer, w]));
}

/** Every commit bumped the counter and added one row, so they must agree. */
function assertCounterMatchesRows(db: Queryable): void {
  const [counts] = db.prepare('SELECT n, (SELECT count(*) FROM rows) AS rows FROM counter').all() as Counts[];
  assert.equal(counts!.n, counts!.rows);
}

test('survivors continue after a writer, a reader and a checkpointer are killed with SIGKILL', { timeout: 300_000 }, async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'crash.db');
  const stopFile = join(dir, 'stop');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();

  const peer = peerFactory(t);
  const openPeer = async (name: string): Promise<ReturnType<typeof peer>> => {
    const p = peer(name);
    await p.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
    await p.ask({ op: 'exec', sql: 'PRAGMA wal_autocheckpoint=0' });
    return p;
  };
  const writer = await openPeer('survivor writer');
  const reader = await openPeer('survivor reader');
  const writing = writer.ask<WriteResult>({ op: 'write', writer: SURVIVOR, count: FOREVER, stopFile, announce: true, pauseMs: 5 });
  const reading = reader.ask<ReadResult>({ op: 'read', stopFile });
  const survivorCommits = (): number => writer.announced().length;
  const survivorsGoOn = async (): Promise<void> => {
    const target = survivorCommits() + 10;
    await writer.event((e) => (e.seq as number) >= target);
  };

  const torn = await openPeer('writer killed mid-transaction');
  await torn.ask({ op: 'exec', sql: 'BEGIN IMMEDIATE' });
  await torn.ask({ op: 'run', sql: 'UPDATE counter SET n = n + 1' });
  await torn.ask({ op: 'run', sql: 'INSERT INTO rows(writer, seq) VALUES (?, 1)', params: [TORN] });
  await torn.kill();
  await survivorsGoOn();

  const committing = await openPeer('writer killed while writing a large commit');
  const bigInserts = Array.from({ length: BIG_COMMIT_ROWS }, (_, i) => `INSERT INTO rows(writer, seq, payload) VALUES (${BIG_COMMIT}, ${i + 1}, randomblob(100000));`);
  await committing.ask({ op: 'exec', sql: `BEGIN IMMEDIATE; UPDATE counter SET n = n + ${BIG_COMMIT_ROWS}; ${bigInserts.join(' ')}` });
  const walSize = statSync(`${path}-wal`).size;
  await killWhen(committing, committing.ask({ op: 'exec', sql: 'COMMIT' }), () => statSync(`${path}-wal`).size > walSize);
  const leftover = inspectCoordination(`${path}-tshm`);
  t.diagnostic(
    `large commit killed with the WAL at ${statSync(`${path}-wal`).size} bytes (${walSize} committed); ` +
      `frame index ${leftover.frameIndex.length} entries for ${leftover.snapshot.maxFrame} committed frames`,
  );
  await survivorsGoOn();

  const looping = await openPeer('writer killed while committing');
  const looped = looping.ask<WriteResult>({ op: 'write', writer: LOOP_VICTIM, count: FOREVER, announce: true });
  looped.catch(() => undefined);
  await looping.event((e) => (e.seq as number) >= 30);
  await looping.kill();
  const acknowledged = looping.announced().length;
  await survivorsGoOn();

  const pinned = await openPeer('reader killed holding a slot');
  await pinned.ask({ op: 'exec', sql: 'BEGIN' });
  assert.equal((await pinned.ask<Counts[]>({ op: 'all', sql: 'SELECT count(*) AS rows FROM rows' }))[0]!.rows > 0, true);
  await pinned.kill();
  await survivorsGoOn();

  const checkpointer = await openPeer('checkpointer killed while backfilling');
  const bulk = await checkpointer.ask<WriteResult>({ op: 'write', writer: BULK, count: BULK_TRANSACTIONS, payload: BULK_PAYLOAD });
  assert.equal(bulk.committed, BULK_TRANSACTIONS);
  const before = inspectCoordination(`${path}-tshm`).snapshot;
  const sizeBefore = statSync(path).size;
  await killWhen(checkpointer, checkpointer.ask({ op: 'checkpoint', mode: 'PASSIVE' }), () => statSync(path).size > sizeBefore);
  const after = inspectCoordination(`${path}-tshm`).snapshot;
  t.diagnostic(
    `checkpointer killed with ${before.maxFrame - before.nBackfills} frames to backfill; ` +
      `nBackfills ${before.nBackfills} -> ${after.nBackfills} (${after.nBackfills === before.nBackfills ? 'killed before publishing' : 'published'}); ` +
      `database file ${sizeBefore} -> ${statSync(path).size} bytes`,
  );
  await survivorsGoOn();

  const late = new Database(path, { timeout: BUSY_TIMEOUT });
  const checkpoint = late.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  assert.equal(checkpoint[0]!.busy, 0);
  assert.ok(checkpoint[0]!.checkpointed > before.nBackfills, 'a later checkpoint redoes the killed backfill');
  await survivorsGoOn();

  writeFileSync(stopFile, '');
  const written = await writing;
  const read = await reading;
  t.diagnostic(`survivor writer committed ${written.committed}; survivor reader checked ${read.snapshots} snapshots`);
  assert.equal(read.violations, 0);
  await Promise.all([writer.ask({ op: 'close' }), reader.ask({ op: 'close' })]);

  const expected = (db: Queryable): void => {
    const byWriter = rowsByWriter(db);
    assert.deepEqual(byWriter.get(SURVIVOR), { writer: SURVIVOR, c: written.committed, lo: 1, hi: written.committed });
    const loop = byWriter.get(LOOP_VICTIM)!;
    assert.ok(loop.c >= acknowledged && loop.c <= acknowledged + 1, `every acknowledged commit of the killed writer is there (${loop.c} >= ${acknowledged})`);
    assert.deepEqual([loop.lo, loop.hi], [1, loop.c]);
    assert.deepEqual(byWriter.get(BULK), { writer: BULK, c: BULK_TRANSACTIONS, lo: 1, hi: BULK_TRANSACTIONS });
    assert.equal(byWriter.has(TORN), false, 'the transaction killed before COMMIT left nothing');
    const big = byWriter.get(BIG_COMMIT);
    assert.ok(big === undefined || big.c === BIG_COMMIT_ROWS, 'the large commit killed in COMMIT is all there or not at all');
    assertCounterMatchesRows(db);
  };
  expected(late);
  assert.deepEqual(late.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  late.close();

  const sqlite = new BetterSqlite3(path);
  try {
    assert.deepEqual(sqlite.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    expected(sqlite);
  } finally {
    sqlite.close();
  }
});

test('a process joins live peers after a writer was killed between growing the -tshm and publishing its block count', async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'grown.db');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();
  const peer = peerFactory(t);
  const live = peer('live peer');
  await live.ask({ op: 'open', engine: 'shoal', path });
  assert.deepEqual(await live.ask<WriteResult>({ op: 'write', writer: SURVIVOR, count: 10 }), { committed: 10 });
  const tshmPath = `${path}-tshm`;
  const before = inspectCoordination(tshmPath);
  truncateSync(tshmPath, before.fileLength + TSHM_BLOCK_BYTES);

  const joining = peer('joining peer');
  await joining.ask({ op: 'open', engine: 'shoal', path });
  assert.deepEqual(await joining.ask({ op: 'all', sql: 'SELECT n FROM counter' }), [{ n: 10 }]);
  const inserts = Array.from({ length: 200 }, (_, i) => `INSERT INTO rows(writer, seq, payload) VALUES (${BULK}, ${i + 1}, randomblob(100000));`);
  await joining.ask({ op: 'exec', sql: `BEGIN IMMEDIATE; UPDATE counter SET n = n + 200; ${inserts.join(' ')} COMMIT` });
  const after = inspectCoordination(tshmPath);
  assert.ok(after.frameIndex.blocks > before.frameIndex.blocks, 'the next growth completed the interrupted one');
  assert.equal(after.fileLength, TSHM_BASE_BYTES + after.frameIndex.blocks * TSHM_BLOCK_BYTES);
  assert.deepEqual(await live.ask({ op: 'all', sql: 'SELECT n, (SELECT count(*) FROM rows) AS rows FROM counter' }), [{ n: 210, rows: 210 }]);
  await Promise.all([live.ask({ op: 'close' }), joining.ask({ op: 'close' })]);
});

test('a writer killed inside its automatic checkpoint lets the others go on and loses no acknowledged commit', { timeout: 120_000 }, async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'auto-checkpoint-crash.db');
  const stopFile = join(dir, 'stop');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();
  const peer = peerFactory(t);
  const survivor = peer('survivor writer');
  await survivor.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  await survivor.ask({ op: 'exec', sql: 'PRAGMA wal_autocheckpoint=0' });
  const writing = survivor.ask<WriteResult>({ op: 'write', writer: SURVIVOR, count: FOREVER, stopFile, announce: true, pauseMs: 2 });
  await survivor.event((e) => (e.seq as number) >= 5);

  const victim = peer('writer killed in its automatic checkpoint');
  await victim.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  await victim.ask({ op: 'exec', sql: 'PRAGMA wal_autocheckpoint=1000' });
  const sizeBefore = statSync(path).size;
  const victimWrites = victim.ask<WriteResult>({ op: 'write', writer: LOOP_VICTIM, count: FOREVER, announce: true, payload: BULK_PAYLOAD });
  victimWrites.catch(() => undefined);
  await killWhen(victim, victimWrites, () => statSync(path).size > sizeBefore);
  const acknowledged = victim.announced().length;
  const left = inspectCoordination(`${path}-tshm`).snapshot;
  t.diagnostic(`killed after ${acknowledged} acknowledged commits; log ${left.maxFrame} frames, ${left.nBackfills} backfilled`);

  const target = survivor.announced().length + 10;
  await survivor.event((e) => (e.seq as number) >= target);
  writeFileSync(stopFile, '');
  const written = await writing;
  await survivor.ask({ op: 'close' });

  const check = (db: Queryable): void => {
    const byWriter = rowsByWriter(db);
    assert.deepEqual(byWriter.get(SURVIVOR), { writer: SURVIVOR, c: written.committed, lo: 1, hi: written.committed });
    const killed = byWriter.get(LOOP_VICTIM)!;
    assert.ok(killed.c >= acknowledged && killed.c <= acknowledged + 1, `every acknowledged commit is there (${killed.c} >= ${acknowledged})`);
    assert.deepEqual([killed.lo, killed.hi], [1, killed.c]);
    assertCounterMatchesRows(db);
  };
  const late = new Database(path, { timeout: BUSY_TIMEOUT });
  try {
    check(late);
    assert.deepEqual(late.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  } finally {
    late.close();
  }
  const sqlite = new BetterSqlite3(path);
  try {
    check(sqlite);
    assert.deepEqual(sqlite.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  } finally {
    sqlite.close();
  }
});

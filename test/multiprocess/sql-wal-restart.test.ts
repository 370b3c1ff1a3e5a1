/**
 * Issue 4, the WAL restarts under continuous reads: a reader whose snapshot
 * is fully backfilled reads only the database file and pins frame 0
 * (SQLite's read-mark 0), so a writer may start a new WAL generation while
 * it reads. With a reader process that always has a read transaction open,
 * the log restarts after every complete checkpoint and stays bounded (before
 * read-mark 0 it never restarted); a writer and a reader running without
 * pause lose nothing. The other half of the bargain: while such a reader is
 * active no checkpoint copies anything into the database file, so it keeps
 * its exact view while the log restarts and new commits pile up.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Database from '../../src/index.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { SCHEMA, peerFactory, readWalHeader, scratchDirectory } from './peers.js';
import type { ReadResult, WriteResult } from './sql-peer.js';

const BUSY_TIMEOUT = 20_000;
const FOREVER = 1_000_000_000;
const RUN_MS = 2_000;
const AUTOCHECKPOINT_FRAMES = 100;
const LOCKSTEP_ROUNDS = 30;
const COMMITS_PER_ROUND = 5;
/** Frames the log may reach: a few rounds' worth; without restarts it holds every round's frames. */
const WAL_FRAME_BOUND = 60;
const PAGE_SIZE = 4096;
const FRAME_BYTES = 24 + PAGE_SIZE;

interface Counts {
  n: number;
  rows: number;
}

/**
 * A fresh database in the test's scratch directory, and a writer and a reader
 * process that have it open; the writer's auto-checkpoint is set to `autocheckpoint` frames.
 */
async function writerAndReader(t: TestContext, name: string, autocheckpoint: number) {
  const dir = scratchDirectory(t);
  const path = join(dir, name);
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();
  const peer = peerFactory(t);
  const writer = peer('writer');
  const reader = peer('reader');
  await writer.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  await writer.ask({ op: 'exec', sql: `PRAGMA wal_autocheckpoint=${autocheckpoint}` });
  await reader.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  return { dir, path, writer, reader };
}

const COUNTS_SQL = 'SELECT (SELECT n FROM counter) AS n, (SELECT count(*) FROM rows) AS rows';

test('the WAL restarts and stays bounded under a reader process that always has a read transaction open', { timeout: 120_000 }, async (t) => {
  const { path, writer, reader } = await writerAndReader(t, 'lockstep.db', 0);
  await writer.ask({ op: 'write', writer: 1, count: 1 });
  const firstGeneration = readWalHeader(`${path}-wal`).checkpointSeq;
  let committed = 1;
  /** Ends the reader's transaction and at once starts the next one, checking what it sees. */
  const nextReadTransaction = async (): Promise<void> => {
    await reader.ask({ op: 'exec', sql: 'COMMIT; BEGIN' });
    assert.deepEqual(await reader.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: committed, rows: committed }]);
  };
  await reader.ask({ op: 'exec', sql: 'BEGIN' });
  await nextReadTransaction();
  let largestWal = 0;
  for (let round = 0; round < LOCKSTEP_ROUNDS; round++) {
    await writer.ask({ op: 'write', writer: 1, count: COMMITS_PER_ROUND, firstSeq: committed + 1 });
    committed += COMMITS_PER_ROUND;
    largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    await nextReadTransaction();
    const checkpoint = await writer.ask<{ busy: number; log: number; checkpointed: number }>({ op: 'checkpoint', mode: 'PASSIVE' });
    assert.equal(checkpoint.checkpointed, checkpoint.log, 'the reader is pinned at the newest commit');
    await nextReadTransaction();
  }
  const generations = readWalHeader(`${path}-wal`).checkpointSeq - firstGeneration;
  assert.equal(generations, LOCKSTEP_ROUNDS - 1, 'every round after the first restarted the WAL although a read transaction was always open');
  assert.ok(largestWal < WAL_FRAME_BOUND * FRAME_BYTES, `the WAL stayed bounded: ${largestWal} bytes`);
  await reader.ask({ op: 'exec', sql: 'COMMIT' });
  await writer.ask({ op: 'close' });
  await reader.ask({ op: 'close' });
  const sqlite = new BetterSqlite3(path);
  try {
    assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(sqlite.prepare(COUNTS_SQL).get(), { n: committed, rows: committed });
  } finally {
    sqlite.close();
  }
});

test('one process commits and another runs point selects without pause while the WAL restarts', { timeout: 120_000 }, async (t) => {
  const { dir, path, writer, reader } = await writerAndReader(t, 'restarts.db', AUTOCHECKPOINT_FRAMES);
  const stopFile = join(dir, 'stop');
  await writer.ask({ op: 'write', writer: 1, count: 1 });

  const writing = writer.ask<WriteResult>({ op: 'write', writer: 1, count: FOREVER, firstSeq: 2, stopFile, payload: 20 });
  const reading = reader.ask<ReadResult>({ op: 'select', stopFile });
  await new Promise((resolve) => setTimeout(resolve, RUN_MS));
  writeFileSync(stopFile, '');
  const { committed } = await writing;
  const { snapshots, violations } = await reading;
  assert.equal(violations, 0, 'every row the reader looked for was there');
  assert.ok(snapshots > 0 && committed > 0);
  assert.deepEqual(await reader.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: committed + 1, rows: committed + 1 }]);
  await writer.ask({ op: 'close' });
  await reader.ask({ op: 'close' });
  const sqlite = new BetterSqlite3(path);
  try {
    assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(sqlite.prepare(COUNTS_SQL).get(), { n: committed + 1, rows: committed + 1 });
  } finally {
    sqlite.close();
  }
});

test('a reader of the database file alone keeps its view while the WAL restarts and checkpoints stop at frame 0', { timeout: 120_000 }, async (t) => {
  const { path, writer, reader } = await writerAndReader(t, 'pinned.db', 0);
  await writer.ask({ op: 'write', writer: 1, count: 10 });
  const full = await writer.ask<{ busy: number; log: number; checkpointed: number }>({ op: 'checkpoint', mode: 'PASSIVE' });
  assert.equal(full.busy, 0);
  assert.equal(full.checkpointed, full.log, 'everything is in the database file');
  const generation = readWalHeader(`${path}-wal`);

  await reader.ask({ op: 'exec', sql: 'BEGIN' });
  assert.deepEqual(await reader.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: 10, rows: 10 }]);
  const pins = inspectCoordination(`${path}-tshm`).readers.filter((slot) => slot.frame !== null);
  assert.deepEqual(pins.map((slot) => slot.frame), [0], 'the reader of the database file alone pins frame 0');

  await writer.ask({ op: 'write', writer: 1, count: 20, firstSeq: 11 });
  const restarted = readWalHeader(`${path}-wal`);
  assert.equal(restarted.checkpointSeq, generation.checkpointSeq + 1, 'the writer restarted the WAL under the reader');
  assert.notEqual(restarted.salt1, generation.salt1);
  const blocked = await writer.ask<{ busy: number; log: number; checkpointed: number }>({ op: 'checkpoint', mode: 'PASSIVE' });
  assert.equal(blocked.checkpointed, 0, 'no frame is copied while the reader of the database file reads');
  assert.ok(blocked.log > 0);
  await writer.ask({ op: 'exec', sql: 'PRAGMA busy_timeout=50' });
  const truncate = await writer.ask<{ busy: number }>({ op: 'checkpoint', mode: 'TRUNCATE' });
  assert.equal(truncate.busy, 1, 'TRUNCATE cannot copy the new frames either');

  assert.deepEqual(await reader.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: 10, rows: 10 }], 'the same view, exactly');
  assert.deepEqual(
    await reader.ask<Array<{ seq: number }>>({ op: 'all', sql: 'SELECT max(seq) AS seq FROM rows' }),
    [{ seq: 10 }],
  );
  await reader.ask({ op: 'exec', sql: 'COMMIT' });
  assert.deepEqual(await reader.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: 30, rows: 30 }]);

  const after = await writer.ask<{ busy: number; log: number; checkpointed: number }>({ op: 'checkpoint', mode: 'PASSIVE' });
  assert.equal(after.busy, 0);
  assert.equal(after.checkpointed, after.log, 'once the reader is done the checkpoint copies everything');
  await writer.ask({ op: 'close' });
  await reader.ask({ op: 'close' });
  const sqlite = new BetterSqlite3(path);
  try {
    assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(sqlite.prepare(COUNTS_SQL).get(), { n: 30, rows: 30 });
  } finally {
    sqlite.close();
  }
});

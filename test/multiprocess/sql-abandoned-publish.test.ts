/**
 * Issue 4, a peer killed inside a snapshot publication: a process that holds
 * the writer lock leaves the `-tshm` snapshot sequence odd (with max_frame
 * already moved past the log's end) and is SIGKILLed. A live process that
 * had the database open, and a process that opens it afterwards, go on
 * reading and writing: the first one to wait on the odd sequence proves the
 * publisher dead (it can hold the writer and checkpoint locks), rebuilds the
 * snapshot from the WAL and publishes it. Every acknowledged commit is kept,
 * the dead writer's transaction is not, SQLite's integrity check passes.
 * While the publisher is alive (still holding the writer lock), readers wait
 * for it instead of overtaking it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Database from '../../src/index.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { Header } from '../../src/coord/shared/tshm-layout.js';
import { ChildPeer } from '../os/child-process.js';
import { SCHEMA, peerFactory, scratchDirectory } from './peers.js';
import type { WriteResult } from './sql-peer.js';

const STUCK_PUBLISHER = new URL('./stuck-publisher.js', import.meta.url);
const BUSY_TIMEOUT = 20_000;

interface Counts {
  n: number;
  rows: number;
}

/** The snapshot sequence as the file holds it (the inspector waits for an even one). */
function sequenceOf(path: string): bigint {
  return readFileSync(`${path}-tshm`).readBigUInt64LE(Header.snapshotSeq);
}

const COUNTS_SQL = 'SELECT (SELECT n FROM counter) AS n, (SELECT count(*) FROM rows) AS rows';

async function stuckPublisher(t: { after(fn: () => Promise<void>): void }, path: string, mode: 'die' | 'slow'): Promise<ChildPeer> {
  const child = new ChildPeer(STUCK_PUBLISHER, [path, mode]);
  t.after(() => child.kill());
  const line = await child.nextLine();
  assert.equal(line, 'stuck', child.errorOutput);
  return child;
}

test('survivors rebuild the snapshot a publisher killed mid-write left behind, and go on', { timeout: 120_000 }, async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'abandoned.db');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();

  const peer = peerFactory(t);
  const survivor = peer('survivor');
  await survivor.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  assert.deepEqual(await survivor.ask<WriteResult>({ op: 'write', writer: 1, count: 40 }), { committed: 40 });
  const before = inspectCoordination(`${path}-tshm`);

  const victim = await stuckPublisher(t, path, 'die');
  assert.equal(sequenceOf(path), before.snapshotSequence + 1n);
  await victim.kill();

  assert.deepEqual(await survivor.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: 40, rows: 40 }]);
  assert.deepEqual(await survivor.ask<WriteResult>({ op: 'write', writer: 1, count: 30, firstSeq: 41 }), { committed: 30 });

  const after = inspectCoordination(`${path}-tshm`);
  assert.equal(after.snapshotSequence % 2n, 0n, 'the sequence is even again');
  assert.ok(after.snapshot.transactionCount > before.snapshot.transactionCount);
  assert.ok(after.snapshot.checkpointEpoch > before.snapshot.checkpointEpoch, 'the rebuild moved the epoch on');

  const fresh = peer('fresh opener');
  await fresh.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  assert.deepEqual(await fresh.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: 70, rows: 70 }]);
  assert.deepEqual(await fresh.ask<WriteResult>({ op: 'write', writer: 2, count: 20 }), { committed: 20 });
  assert.deepEqual(await survivor.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: 90, rows: 90 }]);
  await survivor.ask({ op: 'close' });
  await fresh.ask({ op: 'close' });

  const sqlite = new BetterSqlite3(path);
  try {
    assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(sqlite.prepare(COUNTS_SQL).get(), { n: 90, rows: 90 });
  } finally {
    sqlite.close();
  }
});

test('a fresh multi-process opener repairs the abandoned publication itself', { timeout: 120_000 }, async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'abandoned-open.db');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();

  const peer = peerFactory(t);
  const idle = peer('idle survivor');
  await idle.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  assert.deepEqual(await idle.ask<WriteResult>({ op: 'write', writer: 1, count: 25 }), { committed: 25 });
  const victim = await stuckPublisher(t, path, 'die');
  await victim.kill();

  const fresh = peer('fresh opener');
  await fresh.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  assert.deepEqual(await fresh.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: 25, rows: 25 }]);
  assert.deepEqual(await fresh.ask<WriteResult>({ op: 'write', writer: 2, count: 15 }), { committed: 15 });
  assert.deepEqual(await idle.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL }), [{ n: 40, rows: 40 }]);
});

test('a publisher that is alive and slow is waited for, not overtaken', { timeout: 120_000 }, async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'slow.db');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();

  const peer = peerFactory(t);
  const reader = peer('reader');
  await reader.ask({ op: 'open', engine: 'shoal', path, options: { timeout: BUSY_TIMEOUT } });
  const before = inspectCoordination(`${path}-tshm`);
  const slow = await stuckPublisher(t, path, 'slow');
  const reading = reader.ask<Counts[]>({ op: 'all', sql: COUNTS_SQL });
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(sequenceOf(path), before.snapshotSequence + 1n, 'nobody finished the live write');
  assert.equal(await slow.ask('finish'), 'finished');
  assert.deepEqual(await reading, [{ n: 0, rows: 0 }]);
  const after = inspectCoordination(`${path}-tshm`);
  assert.equal(after.snapshotSequence, before.snapshotSequence + 2n);
  assert.deepEqual(after.snapshot, before.snapshot, 'the snapshot is the publisher’s, not a rebuilt one');
});

/**
 * Issue 4, worker threads: each `worker_threads` worker that opens the
 * database is a full peer with its own owner record and reader slot. Two
 * workers and the main thread increment one counter without losing an update.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from '../../src/index.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { PeerError, SCHEMA, peerScript, scratchDirectory } from './peers.js';
import type { PeerRequest, WriteResult } from './sql-peer.js';

const TRANSACTIONS = 200;

/** A `sql-peer.js` worker thread, answering one request at a time. */
class WorkerPeer {
  private readonly worker = new Worker(peerScript);
  private readonly pending: Array<{ resolve: (value: unknown) => void; reject: (error: Error) => void }> = [];

  constructor() {
    this.worker.on('message', (message: { reply?: unknown; error?: { code: string; message: string } }) => {
      const waiting = this.pending.shift()!;
      if (message.error !== undefined) waiting.reject(new PeerError(message.error.code, message.error.message));
      else waiting.resolve(message.reply);
    });
    this.worker.on('error', (error) => {
      for (const waiting of this.pending.splice(0)) waiting.reject(error);
    });
  }

  ask<T = unknown>(request: PeerRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage(request);
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

test('two worker threads and the main thread are full peers and lose no update', { timeout: 120_000 }, async (t) => {
  const path = join(scratchDirectory(t), 'workers.db');
  const db = new Database(path);
  db.exec(SCHEMA);
  const workers = [new WorkerPeer(), new WorkerPeer()];
  t.after(async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  });
  await Promise.all(workers.map((w) => w.ask({ op: 'open', engine: 'shoal', path })));

  await Promise.all(workers.map((w) => w.ask({ op: 'exec', sql: 'BEGIN' })));
  await Promise.all(workers.map((w) => w.ask({ op: 'all', sql: 'SELECT n FROM counter' })));
  db.exec('BEGIN');
  db.prepare('SELECT n FROM counter').get();
  const readers = inspectCoordination(`${path}-tshm`).readers.filter((slot) => slot.frame !== null && slot.locked);
  assert.equal(readers.length, 3, 'each thread pins its own reader slot');
  assert.deepEqual(new Set(readers.map((slot) => slot.pid)), new Set([process.pid]));
  assert.equal(new Set(readers.map((slot) => slot.instance)).size, 3, 'with its own owner record');
  db.exec('COMMIT');
  await Promise.all(workers.map((w) => w.ask({ op: 'exec', sql: 'COMMIT' })));

  const working = workers.map((w, i) => w.ask<WriteResult>({ op: 'write', writer: i + 1, count: TRANSACTIONS }));
  const increment = db.prepare('UPDATE counter SET n = n + 1');
  const insert = db.prepare('INSERT INTO rows(writer, seq) VALUES (3, ?)');
  const mainTransaction = db.transaction((seq: number) => {
    increment.run();
    insert.run(seq);
  });
  for (let seq = 1; seq <= TRANSACTIONS; seq++) mainTransaction.immediate(seq);
  const written = await Promise.all(working);
  assert.deepEqual(written, [{ committed: TRANSACTIONS }, { committed: TRANSACTIONS }]);
  await Promise.all(workers.map((w) => w.ask({ op: 'close' })));

  assert.equal(db.prepare('SELECT n FROM counter').pluck().get(), 3 * TRANSACTIONS);
  assert.deepEqual(db.prepare('SELECT writer, count(*) AS c FROM rows GROUP BY writer').all(), [
    { writer: 1, c: TRANSACTIONS },
    { writer: 2, c: TRANSACTIONS },
    { writer: 3, c: TRANSACTIONS },
  ]);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
});

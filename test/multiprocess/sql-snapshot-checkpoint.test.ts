/**
 * Issue 4, "Snapshot survives a checkpoint", through SQL: process A holds a
 * read transaction while process B commits 5,000 transactions and
 * checkpoints. B's checkpoints stop at A's pin, A keeps reading its old
 * values, and once A ends a RESTART checkpoint completes and the next commit
 * writes the WAL from its first frame in a new generation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import Database from '../../src/index.js';
import { SCHEMA, peerFactory, readWalHeader, scratchDirectory } from './peers.js';
import type { WriteResult } from './sql-peer.js';

const BEFORE = 200;
const DURING = 5000;

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

test("a read snapshot in one process survives another process's 5,000 commits and checkpoints", { timeout: 300_000 }, async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'snapshot.db');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();

  const peer = peerFactory(t);
  const a = peer('A');
  const b = peer('B');
  await a.ask({ op: 'open', engine: 'shoal', path });
  await b.ask({ op: 'open', engine: 'shoal', path });
  assert.deepEqual(await b.ask<WriteResult>({ op: 'write', writer: 1, count: BEFORE }), { committed: BEFORE });

  await a.ask({ op: 'exec', sql: 'BEGIN' });
  assert.deepEqual(await a.ask({ op: 'all', sql: 'SELECT n FROM counter' }), [{ n: BEFORE }]);

  const pinned = await b.ask<CheckpointRow>({ op: 'checkpoint', mode: 'PASSIVE' });
  assert.equal(pinned.busy, 0);
  assert.equal(pinned.checkpointed, pinned.log, "A pins the end of the log, so everything up to it may be copied");
  const pin = pinned.log;

  assert.deepEqual(await b.ask<WriteResult>({ op: 'write', writer: 2, count: DURING }), { committed: DURING });
  const stopped = await b.ask<CheckpointRow>({ op: 'checkpoint', mode: 'PASSIVE' });
  t.diagnostic(`PASSIVE checkpoint with A pinned at frame ${pin}: busy ${stopped.busy}, log ${stopped.log}, checkpointed ${stopped.checkpointed}`);
  assert.equal(stopped.checkpointed, pin, "the checkpoint stops at A's pin");
  assert.ok(stopped.log > pin + DURING, 'the log holds every commit B made since');

  assert.deepEqual(await a.ask({ op: 'all', sql: 'SELECT n FROM counter' }), [{ n: BEFORE }]);
  assert.deepEqual(
    await a.ask({ op: 'all', sql: 'SELECT count(*) AS c, sum(seq) AS s, max(writer) AS w FROM rows' }),
    [{ c: BEFORE, s: (BEFORE * (BEFORE + 1)) / 2, w: 1 }],
    'A reads the pages it had not read yet as of its snapshot',
  );
  assert.deepEqual(await a.ask({ op: 'all', sql: 'PRAGMA integrity_check' }), [{ integrity_check: 'ok' }]);
  await a.ask({ op: 'exec', sql: 'COMMIT' });

  const walPath = `${path}-wal`;
  const before = readWalHeader(walPath);
  const restarted = await b.ask<CheckpointRow>({ op: 'checkpoint', mode: 'RESTART' });
  assert.deepEqual(restarted, { busy: 0, log: stopped.log, checkpointed: stopped.log });

  assert.deepEqual(await b.ask<WriteResult>({ op: 'write', writer: 3, count: 1 }), { committed: 1 });
  const after = readWalHeader(walPath);
  assert.equal(after.checkpointSeq, (before.checkpointSeq + 1) >>> 0, 'a new WAL generation');
  assert.equal(after.salt1, (before.salt1 + 1) >>> 0);
  const log = await b.ask<CheckpointRow>({ op: 'checkpoint', mode: 'PASSIVE' });
  assert.ok(log.log >= 1 && log.log < 10, `the next commit wrote the log from frame 1 (${log.log} frames)`);
  const firstFrame = Buffer.alloc(24);
  const fd = openSync(walPath, 'r');
  readSync(fd, firstFrame, 0, 24, 32);
  closeSync(fd);
  assert.deepEqual([firstFrame.readUInt32BE(8), firstFrame.readUInt32BE(12)], [after.salt1, after.salt2], "frame 1 carries the new generation's salts");

  assert.deepEqual(await a.ask({ op: 'all', sql: 'SELECT n, (SELECT count(*) FROM rows) AS c FROM counter' }), [
    { n: BEFORE + DURING + 1, c: BEFORE + DURING + 1 },
  ]);
  await Promise.all([a.ask({ op: 'close' }), b.ask({ op: 'close' })]);
});

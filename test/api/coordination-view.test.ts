// db.coordination(): the live -tshm state as other processes leave it (a
// reader pinned at its snapshot, the writer lock and its owner), and a clear
// error for databases that are not shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database, { SqliteError, type CoordinationStatus } from '../../src/index.js';

const peerScript = new URL('./commit-peer.js', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'shoal-coordination-'));
test.after(() => rmSync(directory, { recursive: true, force: true }));

/** Starts a peer that holds a transaction; resolves with its pid once it holds it, and a function that ends it. */
function holdingPeer(role: 'hold-read' | 'hold-write', path: string): Promise<{ pid: number; release: () => Promise<void> }> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [peerScript, role, path], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`peer exited ${code}: ${err}`)))),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('\n')) return;
      const { pid } = JSON.parse(out) as { pid: number };
      resolve({
        pid,
        release: () => {
          child.stdin.end();
          return exited;
        },
      });
    });
    exited.catch(reject);
  });
}

test('coordination() shows another process pinned at its snapshot, and the commit count', { timeout: 60_000 }, async () => {
  const path = join(directory, 'readers.db');
  const db = new Database(path);
  db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
  const reader = await holdingPeer('hold-read', path);
  const pinned = db.coordination().snapshot.maxFrame;
  db.exec('INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)');

  const status: CoordinationStatus = db.coordination();
  assert.equal(status.peersAttached, true);
  assert.equal(status.uninitialized, false);
  assert.ok(status.snapshot.maxFrame > pinned);
  const slot = status.readers.find((r) => r.pid === reader.pid);
  assert.ok(slot, `a slot of pid ${reader.pid} in ${JSON.stringify(status.readers)}`);
  assert.equal(slot.frame, pinned);
  assert.equal(slot.locked, true);
  assert.equal(status.writer.locked, false);
  assert.ok(status.frameIndex.blocks >= 1);
  assert.ok(status.frameIndex.length >= status.snapshot.maxFrame - status.snapshot.nBackfills);

  const before = status.snapshot.transactionCount;
  db.exec('INSERT INTO t VALUES (4)');
  assert.equal(db.coordination().snapshot.transactionCount, before + 1);

  await reader.release();
  assert.equal(db.coordination().readers.find((r) => r.pid === reader.pid && r.frame !== null), undefined);
  db.close();
});

test('coordination() names the process holding the write lock', { timeout: 60_000 }, async () => {
  const path = join(directory, 'writer.db');
  const db = new Database(path);
  db.exec('CREATE TABLE t(x)');
  const writer = await holdingPeer('hold-write', path);
  const held = db.coordination().writer;
  assert.deepEqual({ locked: held.locked, pid: held.pid }, { locked: true, pid: writer.pid });
  await writer.release();
  assert.equal(db.coordination().writer.locked, false);
  db.close();
});

test('coordination() shows this process reading while an iterator is open', () => {
  const path = join(directory, 'own.db');
  const db = new Database(path);
  db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)');
  const rows = db.prepare('SELECT x FROM t').iterate();
  rows.next();
  const status = db.coordination();
  const own = status.readers.find((r) => r.pid === process.pid && r.frame !== null);
  assert.equal(own?.frame, status.snapshot.maxFrame);
  rows.return?.();
  db.close();
});

test('coordination() is a SqliteError for databases that are not shared, and a TypeError once closed', () => {
  const memory = new Database(':memory:');
  assert.throws(() => memory.coordination(), (error: unknown) => {
    assert.ok(error instanceof SqliteError);
    assert.equal(error.code, 'SQLITE_MISUSE');
    assert.match(error.message, /in-memory database/);
    return true;
  });
  memory.close();
  const single = new Database(join(directory, 'single.db'), { multiProcess: false });
  assert.throws(() => single.coordination(), { name: 'SqliteError', code: 'SQLITE_MISUSE', message: /multiProcess: false/ });
  single.close();
  assert.throws(() => single.coordination(), { name: 'TypeError', message: 'The database connection is not open' });
});

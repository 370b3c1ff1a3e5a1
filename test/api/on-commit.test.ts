// db.onCommit(): every process with a shared database open hears every
// commit, with the new transaction count; unsubscribing works; the watch
// never keeps a process alive; databases that are not shared report the
// commits of this process's connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from '../../src/index.js';

const peerScript = new URL('./commit-peer.js', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'shoal-on-commit-'));
test.after(() => rmSync(directory, { recursive: true, force: true }));

let databases = 0;
function freshDatabase(options?: { multiProcess: boolean }): { db: Database; path: string } {
  const path = join(directory, `db${++databases}.db`);
  const db = new Database(path, options);
  db.exec('CREATE TABLE t(x)');
  return { db, path };
}

function startPeer(role: string, path: string, count?: number): ChildProcessWithoutNullStreams {
  const args = count === undefined ? [peerScript, role, path] : [peerScript, role, path, String(count)];
  return spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The peer's whole stdout once it exited with status 0. */
function finished(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`peer exited ${code}: ${err}`))));
  });
}

/** Resolves when the peer printed its first line. */
function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) {
        child.stdout.off('data', onData);
        resolve(out.slice(0, end));
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => reject(new Error(`peer exited ${code} before printing`)));
  });
}

/** Collects the counts a listener hears; `reached(n)` resolves once a count >= n was heard. */
function record(db: Database): { counts: number[]; reached: (target: number) => Promise<void>; unsubscribe: () => void } {
  const counts: number[] = [];
  const waiters: Array<{ target: number; resolve: () => void }> = [];
  const unsubscribe = db.onCommit((count) => {
    counts.push(count);
    for (const waiter of waiters.splice(0)) {
      if (count >= waiter.target) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const reached = (target: number) =>
    new Promise<void>((resolve) => {
      if (counts.length > 0 && counts[counts.length - 1]! >= target) return resolve();
      // The watch's timer is unref'd by design: keep this process alive while the test waits.
      const keepAlive = setInterval(() => undefined, 1000);
      waiters.push({
        target,
        resolve: () => {
          clearInterval(keepAlive);
          resolve();
        },
      });
    });
  return { counts, reached, unsubscribe };
}

const transactionCount = (db: Database) => db.coordination().snapshot.transactionCount;

test('a listener hears the commits of another process, with the new transaction count', { timeout: 60_000 }, async () => {
  const { db, path } = freshDatabase();
  const before = transactionCount(db);
  const heard = record(db);
  await finished(startPeer('commit', path, 3));
  const after = transactionCount(db);
  assert.equal(after, before + 3);
  await heard.reached(after);
  assert.equal(heard.counts[heard.counts.length - 1], after);
  for (let k = 1; k < heard.counts.length; k++) assert.ok(heard.counts[k]! > heard.counts[k - 1]!, `counts rise: ${heard.counts}`);
  assert.ok(heard.counts[0]! > before);
  heard.unsubscribe();
  db.close();
});

test('every process with the database open hears a commit, the committing one included', { timeout: 60_000 }, async () => {
  const { db, path } = freshDatabase();
  const listener = startPeer('listen', path);
  const result = finished(listener);
  assert.equal(await firstLine(listener), 'ready');
  const heard = record(db);
  db.prepare('INSERT INTO t VALUES (1)').run();
  db.transaction(() => db.prepare('INSERT INTO t VALUES (2)').run())();
  const after = transactionCount(db);
  listener.stdin.write(`${after}\n`);
  const peer = JSON.parse((await result).trim().split('\n').pop()!) as { counts: number[] };
  assert.equal(peer.counts[peer.counts.length - 1], after);
  await heard.reached(after);
  assert.equal(heard.counts[heard.counts.length - 1], after);
  heard.unsubscribe();
  db.close();
});

test('unsubscribing stops the calls to that listener only, and is idempotent', { timeout: 60_000 }, async () => {
  const { db } = freshDatabase();
  let removedCalls = 0;
  const removed = db.onCommit(() => removedCalls++);
  const kept = record(db);
  removed();
  removed();
  db.prepare('INSERT INTO t VALUES (1)').run();
  await kept.reached(transactionCount(db));
  assert.equal(removedCalls, 0);
  kept.unsubscribe();
  kept.unsubscribe();
  db.close();
});

test('a process whose only activity is an onCommit watch ends by itself', { timeout: 60_000 }, async () => {
  const { db, path } = freshDatabase();
  const idle = startPeer('idle', path);
  assert.equal(await finished(idle), 'ready\n');
  db.close();
});

test('an in-memory database reports its own commits, not rollbacks or reads', { timeout: 60_000 }, async () => {
  const db = new Database(':memory:');
  const heard = record(db);
  db.exec('CREATE TABLE t(x)');
  await heard.reached(1);
  assert.throws(() =>
    db.transaction(() => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      throw new Error('undo');
    })(),
  );
  db.exec('BEGIN; INSERT INTO t VALUES (2); ROLLBACK');
  db.exec('BEGIN; SELECT * FROM t; COMMIT');
  db.prepare('SELECT count(*) FROM t').pluck().get();
  db.exec('BEGIN; INSERT INTO t VALUES (3); COMMIT');
  await heard.reached(2);
  db.transaction(() => db.prepare('INSERT INTO t VALUES (4)').run())();
  db.exec('SAVEPOINT a; INSERT INTO t VALUES (5); RELEASE a');
  for (const row of db.prepare('INSERT INTO t VALUES (6) RETURNING x').iterate()) assert.deepEqual(row, { x: 6 });
  await heard.reached(5);
  assert.deepEqual(heard.counts, [1, 2, 5], 'commits made in one synchronous run are reported once, with the newest count');
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 4);
  heard.unsubscribe();
  db.close();
});

test('a database opened for this process only hears the commits of its sibling connections', { timeout: 60_000 }, async () => {
  const { db: first, path } = freshDatabase({ multiProcess: false });
  const second = new Database(path, { multiProcess: false });
  const heard = record(second);
  first.prepare('INSERT INTO t VALUES (1)').run();
  await heard.reached(2);
  assert.deepEqual(heard.counts, [2]);
  heard.unsubscribe();
  first.close();
  second.close();
});

test('onCommit checks its argument and the connection', () => {
  const db = new Database(':memory:');
  assert.throws(() => db.onCommit('x' as never), { name: 'TypeError', message: 'Expected first argument to be a function' });
  const unsubscribe = db.onCommit(() => undefined);
  db.close();
  unsubscribe();
  assert.throws(() => db.onCommit(() => undefined), { name: 'TypeError', message: 'The database connection is not open' });
});

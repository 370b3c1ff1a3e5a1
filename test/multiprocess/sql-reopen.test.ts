/**
 * Issue 4, "Reopen trusts or rebuilds correctly" and "The last one out
 * checkpoints", through SQL. An exclusive reopen trusts the saved snapshot
 * without scanning the WAL (`walScanCount` proves it) after a clean close,
 * and after a process died leaving committed frames in the WAL; it rebuilds
 * from a scan when a `-tshm` field is corrupted, the WAL is shorter than the
 * snapshot says, or the `-tshm` has the wrong version or size. After every
 * process closed, the database file alone holds every committed row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, openSync, closeSync, writeSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Database from '../../src/index.js';
import { walScanCount } from '../../src/wal/wal-scan.js';
import { SCHEMA, peerFactory, scratchDirectory, type Peer } from './peers.js';
import type { WriteResult } from './sql-peer.js';

const COMMITS = 40;
const FRAME_BYTES = 24 + 4096;

interface Reopened {
  readonly scans: number;
  readonly n: number;
  readonly rows: number;
  readonly integrity: unknown;
}

/** Opens `path` alone (exclusive), reads it and closes; reports how many WAL scans that took. */
function reopen(path: string): Reopened {
  const scansBefore = walScanCount();
  const db = new Database(path);
  try {
    const { n, rows } = db.prepare('SELECT n, (SELECT count(*) FROM rows) AS rows FROM counter').get() as { n: number; rows: number };
    const scans = walScanCount() - scansBefore;
    return { scans, n, rows, integrity: db.pragma('integrity_check', { simple: true }) };
  } finally {
    db.close();
  }
}

/** A database whose WAL holds `COMMITS` committed transactions left by a process that was SIGKILLed. */
async function abandonedWal(path: string, peer: (name: string) => Peer): Promise<void> {
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();
  const writer = peer('writer');
  await writer.ask({ op: 'open', engine: 'shoal', path });
  await writer.ask({ op: 'exec', sql: 'PRAGMA wal_autocheckpoint=0' });
  assert.deepEqual(await writer.ask<WriteResult>({ op: 'write', writer: 1, count: COMMITS }), { committed: COMMITS });
  await writer.kill();
  assert.ok(statSync(`${path}-wal`).size > 32 + COMMITS * FRAME_BYTES, 'the WAL holds the commits');
}

function patchTshm(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(`${path}-tshm`, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
}

test('an exclusive reopen after everyone closed cleanly trusts the saved snapshot', async (t) => {
  const path = join(scratchDirectory(t), 'clean.db');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();
  const peer = peerFactory(t);
  const writer = peer('writer');
  const reader = peer('read-only reader');
  await writer.ask({ op: 'open', engine: 'shoal', path });
  await writer.ask({ op: 'exec', sql: 'PRAGMA wal_autocheckpoint=0' });
  await reader.ask({ op: 'open', engine: 'shoal', path, options: { readonly: true } });
  assert.deepEqual(await writer.ask<WriteResult>({ op: 'write', writer: 1, count: COMMITS }), { committed: COMMITS });
  await writer.ask({ op: 'close' });
  assert.deepEqual(await reader.ask({ op: 'all', sql: 'SELECT n FROM counter' }), [{ n: COMMITS }]);
  await reader.ask({ op: 'close' });
  assert.ok(statSync(`${path}-wal`).size > 32 + COMMITS * FRAME_BYTES, 'the last one out was read-only, so the WAL stayed');

  assert.deepEqual(reopen(path), { scans: 0, n: COMMITS, rows: COMMITS, integrity: 'ok' }, 'trusted, with frames in the WAL');
  assert.equal(statSync(`${path}-wal`).size, 0, 'that writable reopen was the last one out and truncated the WAL');
  assert.deepEqual(reopen(path), { scans: 0, n: COMMITS, rows: COMMITS, integrity: 'ok' }, 'trusted, with an empty WAL');
});

test('an exclusive reopen after a writer was SIGKILLed trusts the snapshot it left', async (t) => {
  const path = join(scratchDirectory(t), 'killed.db');
  await abandonedWal(path, peerFactory(t));
  assert.deepEqual(reopen(path), { scans: 0, n: COMMITS, rows: COMMITS, integrity: 'ok' });
});

test('an exclusive reopen rebuilds from the WAL when the saved state cannot be trusted', async (t) => {
  const damages: Array<[string, (path: string) => void, number]> = [
    ['a corrupted checksum_1 field', (path) => patchTshm(path, 108, u32(0xdeadbeef)), COMMITS],
    ['a max_frame past the end of the WAL', (path) => patchTshm(path, 56, u32(10_000)), COMMITS],
    ['a WAL truncated behind the snapshot', (path) => truncateSync(`${path}-wal`, statSync(`${path}-wal`).size - FRAME_BYTES), COMMITS - 1],
    ['a -tshm of another version', (path) => patchTshm(path, 8, u32(2)), COMMITS],
    ['a -tshm of the wrong size', (path) => truncateSync(`${path}-tshm`, statSync(`${path}-tshm`).size + 4096), COMMITS],
  ];
  const dir = scratchDirectory(t);
  const peer = peerFactory(t);
  for (const [i, [damage, apply, survivingCommits]] of damages.entries()) {
    await t.test(damage, async () => {
      const path = join(dir, `damaged-${i}.db`);
      await abandonedWal(path, peer);
      apply(path);
      const reopened = reopen(path);
      assert.ok(reopened.scans >= 1, 'the WAL was scanned');
      assert.deepEqual(
        { n: reopened.n, rows: reopened.rows, integrity: reopened.integrity },
        { n: survivingCommits, rows: survivingCommits, integrity: 'ok' },
      );
      assert.deepEqual(reopen(path), { scans: 0, n: survivingCommits, rows: survivingCommits, integrity: 'ok' }, 'the rebuilt state is trusted next time');
    });
  }
});

test('after the last process closed, the database file alone holds every committed row', async (t) => {
  const dir = scratchDirectory(t);
  const path = join(dir, 'last.db');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();
  const peer = peerFactory(t);
  const writers = [peer('writer-1'), peer('writer-2'), peer('writer-3')];
  await Promise.all(writers.map((w) => w.ask({ op: 'open', engine: 'shoal', path })));
  await Promise.all(writers.map((w, i) => w.ask({ op: 'exec', sql: `PRAGMA wal_autocheckpoint=${i === 0 ? 0 : 1000}` })));
  const written = await Promise.all(writers.map((w, i) => w.ask<WriteResult>({ op: 'write', writer: i + 1, count: 100 })));
  assert.deepEqual(written.map((w) => w.committed), [100, 100, 100]);
  for (const w of writers) await w.ask({ op: 'close' });

  const copyDir = join(dir, 'copy');
  mkdirSync(copyDir);
  const copy = join(copyDir, 'last.db');
  copyFileSync(path, copy);
  assert.equal(existsSync(`${copy}-wal`), false);
  const sqlite = new BetterSqlite3(copy);
  try {
    assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(sqlite.prepare('SELECT n, (SELECT count(*) FROM rows) AS rows FROM counter').get(), { n: 300, rows: 300 });
    assert.deepEqual(sqlite.prepare('SELECT writer, count(*) AS c FROM rows GROUP BY writer').all(), [
      { writer: 1, c: 100 },
      { writer: 2, c: 100 },
      { writer: 3, c: 100 },
    ]);
  } finally {
    sqlite.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Database } from '@tursodatabase/database/compat';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { crc32c } from '../../src/coord/shared/crc32c.js';
import { scratchDatabase } from './fixtures.js';

interface WalView {
  readonly pageSize: number;
  readonly checkpointSeq: number;
  readonly salt1: number;
  readonly salt2: number;
  /** Page number of each frame (index 0 = frame 1) up to the last commit frame. */
  readonly pages: number[];
  readonly lastCommitChecksums: readonly [number, number];
}

/** Reads a WAL file's header and frame headers up to its last commit frame (salts must match). */
function readWal(path: string): WalView {
  const wal = readFileSync(path);
  assert.equal(wal.readUInt32BE(0), 0x377f0682);
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  const pages: number[] = [];
  let committed = 0;
  let checksums: [number, number] = [wal.readUInt32BE(24), wal.readUInt32BE(28)];
  for (let offset = 32; offset + 24 + pageSize <= wal.length; offset += 24 + pageSize) {
    if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) break;
    pages.push(wal.readUInt32BE(offset));
    if (wal.readUInt32BE(offset + 4) !== 0) {
      committed = pages.length;
      checksums = [wal.readUInt32BE(offset + 16), wal.readUInt32BE(offset + 20)];
    }
  }
  return { pageSize, checkpointSeq: wal.readUInt32BE(12), salt1, salt2, pages: pages.slice(0, committed), lastCommitChecksums: checksums };
}

test('the -tshm written by Turso 0.7.2 reads consistently with its WAL, and Turso honours our pins', () => {
  const db = scratchDatabase();
  const turso = new Database(db.databasePath, { experimental: ['multiprocess_wal'] });
  let ours: SharedCoordination | null = null;
  try {
    turso.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)');
    const insert = turso.prepare('INSERT INTO t(b) VALUES (?)');
    for (let i = 0; i < 40; i++) insert.run('x'.repeat(300 + i * 50));
    turso.exec('UPDATE t SET b = b || b WHERE a % 3 = 0');

    ours = SharedCoordination.open({ databasePath: db.databasePath });
    assert.equal(ours.openMode, 'multiprocess', 'Turso holds the lifetime lock');
    const wal = readWal(`${db.databasePath}-wal`);
    const snapshot = ours.snapshot();
    assert.deepEqual(
      [snapshot.maxFrame, snapshot.nBackfills, snapshot.pageSize, snapshot.checkpointSeq, snapshot.salt1, snapshot.salt2],
      [wal.pages.length, 0, wal.pageSize, wal.checkpointSeq, wal.salt1, wal.salt2],
    );
    assert.deepEqual([snapshot.checksum1, snapshot.checksum2], wal.lastCommitChecksums);
    assert.equal(snapshot.transactionCount, 42);

    const newest = new Map<number, number>();
    wal.pages.forEach((page, index) => newest.set(page, index + 1));
    for (const [page, frame] of newest) assert.equal(ours.findFrame(page, 1, snapshot.maxFrame), frame, `page ${page}`);
    assert.equal(ours.findFrame(10_000, 1, snapshot.maxFrame), 0);
    assert.deepEqual(ours.latestFrames(1, snapshot.maxFrame), [...newest].sort((a, b) => a[0] - b[0]));
    const status = inspectCoordination(db.tshmPath);
    assert.equal(status.peersAttached, true);
    assert.equal(status.frameIndex.length, wal.pages.length);

    const reader = { id: 1 };
    const pinned = ours.pinReader(reader).maxFrame;
    insert.run('after the pin');
    turso.exec('PRAGMA wal_checkpoint(PASSIVE)');
    const after = ours.snapshot();
    assert.equal(after.maxFrame > pinned, true);
    assert.equal(after.nBackfills, pinned, "Turso's checkpoint stops at our pin");
    const header = readFileSync(db.databasePath).subarray(0, 100);
    const identity = { dbSizePages: header.readUInt32BE(28), dbHeaderCrc32c: crc32c(header) };
    assert.equal(ours.backfillProofMatches(identity), true, "Turso's backfill proof validates with our CRC-32C");
    assert.equal(ours.backfillProofMatches({ ...identity, dbSizePages: identity.dbSizePages + 1 }), false);
    ours.unpinReader(reader);
  } finally {
    ours?.close();
    turso.close();
    db.cleanup();
  }
});

test('Turso 0.7.2 joins a -tshm we created, publishes into it, and respects our writer lock', () => {
  const db = scratchDatabase();
  const ours = SharedCoordination.open({ databasePath: db.databasePath });
  const turso = new Database(db.databasePath, { experimental: ['multiprocess_wal'], timeout: 0 });
  try {
    assert.equal(ours.openMode, 'exclusive');
    turso.exec('CREATE TABLE t(a)');
    turso.prepare('INSERT INTO t VALUES (?)').run(1);
    const wal = readWal(`${db.databasePath}-wal`);
    const snapshot = ours.snapshot();
    assert.equal(snapshot.maxFrame, wal.pages.length);
    assert.deepEqual([snapshot.checksum1, snapshot.checksum2], wal.lastCommitChecksums);
    assert.deepEqual(ours.latestFrames(1, snapshot.maxFrame)?.map(([page]) => page), [...new Set(wal.pages)].sort((a, b) => a - b));

    assert.equal(ours.tryLockWriter(), true);
    assert.throws(() => turso.prepare('INSERT INTO t VALUES (?)').run(2), /busy|locked/i);
    ours.unlockWriter();
    turso.prepare('INSERT INTO t VALUES (?)').run(3);
    assert.equal(ours.snapshot().maxFrame > snapshot.maxFrame, true);
  } finally {
    turso.close();
    ours.close();
    db.cleanup();
  }
});

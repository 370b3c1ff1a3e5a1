import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { childPeer, scratchDatabase, snapshotWith } from './fixtures.js';

test('a snapshot published by one process is read whole by another, even while it keeps publishing', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    parent.installSnapshot(snapshotWith({ pageSize: 4096, salt1: 1, salt2: 2, checkpointSeq: 3 }));
    const { peer } = await childPeer(db.databasePath);
    assert.equal(await peer.ask('lock-writer'), 'true');
    assert.equal(await peer.ask('commit 7 21 49'), 'ok');
    const published = parent.snapshot();
    assert.deepEqual(
      [published.maxFrame, published.checksum1, published.checksum2, published.transactionCount, published.visibilityGeneration],
      [7, 21, 49, 1, 1],
    );
    assert.deepEqual([published.pageSize, published.salt1, published.salt2, published.checkpointSeq], [4096, 1, 2, 3]);

    const loop = peer.ask('commit-loop 3000');
    let reads = 0;
    let last = 7;
    for (;;) {
      const snapshot = parent.snapshot();
      assert.equal(snapshot.checksum1, (snapshot.maxFrame * 3) >>> 0, 'never a torn snapshot');
      assert.ok(snapshot.maxFrame >= last, 'max_frame never goes back');
      last = snapshot.maxFrame;
      reads++;
      if (snapshot.maxFrame === 3007) break;
      if (reads % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await loop, 'ok');
    assert.equal(parent.snapshot().transactionCount, 3001);
    assert.equal(inspectCoordination(db.tshmPath).snapshotSequence, 2n * (1n + 1n + 3000n));
    await peer.kill();
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('a commit never lowers max_frame and keeps the checksums of the higher tail', () => {
  const db = scratchDatabase();
  const coordination = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    coordination.publishCommit(10, 1, 2, 4);
    coordination.publishCommit(8, 3, 4, 1);
    const snapshot = coordination.snapshot();
    assert.deepEqual(
      [snapshot.maxFrame, snapshot.checksum1, snapshot.checksum2, snapshot.transactionCount, snapshot.visibilityGeneration],
      [10, 1, 2, 5, 2],
    );
    coordination.bumpCheckpointEpoch();
    assert.equal(coordination.snapshot().checkpointEpoch, 1);
    assert.throws(() => coordination.publishCommit(-1, 0, 0, 0), { code: 'SQLITE_MISUSE' });
    assert.throws(() => coordination.installSnapshot(snapshotWith({ maxFrame: 1, nBackfills: 2 })), { code: 'SQLITE_MISUSE' });
  } finally {
    coordination.close();
    db.cleanup();
  }
});

test('an odd sequence left by a crash is repaired by a lone opener and reported by a peer', async () => {
  const db = scratchDatabase();
  try {
    const first = SharedCoordination.open({ databasePath: db.databasePath });
    first.publishCommit(3, 9, 9, 0);
    first.close();
    const setSequence = (value: bigint): void => {
      const fd = openSync(db.tshmPath, 'r+');
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(value);
      writeSync(fd, bytes, 0, 8, 48);
      closeSync(fd);
    };
    setSequence(5n);
    const lone = SharedCoordination.open({ databasePath: db.databasePath });
    assert.equal(lone.openMode, 'exclusive');
    assert.equal(lone.snapshot().maxFrame, 3);
    assert.equal(readFileSync(db.tshmPath).readBigUInt64LE(48), 6n);

    setSequence(7n);
    const peer = SharedCoordination.open({ databasePath: db.databasePath });
    assert.equal(peer.openMode, 'multiprocess');
    assert.throws(() => peer.snapshot(), { code: 'SQLITE_PROTOCOL' });
    peer.close();
    lone.close();
  } finally {
    db.cleanup();
  }
});

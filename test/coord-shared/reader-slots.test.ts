import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { syscallCount } from '../../src/os/syscall-counter.js';
import { childPeer, scratchDatabase, snapshotWith } from './fixtures.js';

function commit(coordination: SharedCoordination, maxFrame: number): void {
  assert.equal(coordination.tryLockWriter(), true);
  coordination.publishCommit(maxFrame, maxFrame, maxFrame, coordination.snapshot().transactionCount);
  coordination.unlockWriter();
}

test('a pin held in a child bounds minReaderFrame in the parent until the child is killed', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    parent.installSnapshot(snapshotWith({ pageSize: 4096 }));
    commit(parent, 5);
    const { peer } = await childPeer(db.databasePath);
    assert.equal(await peer.ask('pin'), '5');
    commit(parent, 9);
    const own = { id: 7 };
    assert.equal(parent.pinReader(own).maxFrame, 9);
    assert.equal(parent.minReaderFrame(), 5);
    assert.equal(parent.minReaderFrame(own), 5);
    assert.equal(await peer.ask('min'), '9', 'the child sees the parent pin');

    await peer.kill();
    assert.equal(parent.minReaderFrame(own), null, 'the dead child pin is reclaimed');
    assert.deepEqual(
      inspectCoordination(db.tshmPath).readers.map((reader) => reader.slot),
      [1],
      'only the parent slot remains',
    );
    assert.equal(parent.minReaderFrame(), 9);
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('a claimed but idle slot pins nothing, and pinning again makes no system call', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    parent.installSnapshot(snapshotWith({ pageSize: 4096 }));
    commit(parent, 3);
    const { peer } = await childPeer(db.databasePath);
    assert.equal(await peer.ask('pin'), '3');
    assert.equal(await peer.ask('unpin'), 'ok');
    assert.equal(parent.minReaderFrame(), null);
    const [idle] = inspectCoordination(db.tshmPath).readers;
    assert.deepEqual(idle, { slot: 0, frame: null, locked: true, pid: peer.process.pid, instance: 1 });

    assert.equal(parent.tryLockWriter(), true);
    parent.appendFrame(2, 4);
    parent.publishCommit(4, 4, 4, parent.snapshot().transactionCount);
    parent.unlockWriter();
    const token = { id: 1 };
    parent.pinReader(token);
    parent.unpinReader(token);
    const before = syscallCount();
    for (let i = 0; i < 1000; i++) {
      const snapshot = parent.pinReader(token);
      assert.equal(parent.findFrame(2, snapshot.nBackfills + 1, snapshot.maxFrame), 4);
      parent.unpinReader(token);
    }
    assert.equal(syscallCount(), before, 'steady-state read transactions make no system call');
    assert.throws(() => {
      parent.pinReader(token);
      parent.pinReader(token);
    }, { code: 'SQLITE_MISUSE' });
    await peer.kill();
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('connections of one process pin against each other like processes', () => {
  const db = scratchDatabase();
  const first = SharedCoordination.open({ databasePath: db.databasePath });
  const second = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    first.installSnapshot(snapshotWith({ pageSize: 4096 }));
    commit(first, 4);
    first.pinReader({ id: 1 });
    commit(second, 6);
    assert.equal(second.minReaderFrame(), 4);
    first.repinReader({ id: 1 }, 0);
    assert.equal(second.minReaderFrame(), 0);
    first.close();
    assert.equal(second.minReaderFrame(), null);
  } finally {
    second.close();
    db.cleanup();
  }
});

test('when 64 read transactions of different snapshots hold all 64 slots, another fails with SQLITE_BUSY until one ends', () => {
  const db = scratchDatabase();
  const peers = Array.from({ length: 64 }, () => SharedCoordination.open({ databasePath: db.databasePath }));
  const extra = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    peers[0]!.installSnapshot(snapshotWith({ pageSize: 4096 }));
    for (const [index, peer] of peers.entries()) {
      commit(peers[0]!, index + 1);
      assert.equal(peer.pinReader({ id: 1 }).maxFrame, index + 1);
    }
    commit(peers[0]!, 65);
    assert.throws(() => extra.pinReader({ id: 1 }), { code: 'SQLITE_BUSY', message: /all 64 reader slots are in use/ });
    peers[10]!.close();
    extra.pinReader({ id: 1 });
    const pinned = inspectCoordination(db.tshmPath).readers.filter((reader) => reader.frame !== null);
    assert.equal(pinned.length, 64, "the closed connection's slot serves the waiting read transaction");
  } finally {
    for (const peer of peers) peer.close();
    extra.close();
    db.cleanup();
  }
});

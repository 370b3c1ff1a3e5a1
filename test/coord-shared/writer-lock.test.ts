import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { ByteRangeLock } from '../../src/os/byte-range-lock.js';
import { closeSync, openSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { childPeer, scratchDatabase } from './fixtures.js';

test('the writer lock is exclusive across processes and released when its holder is killed', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    const { peer } = await childPeer(db.databasePath);
    assert.equal(await peer.ask('lock-writer'), 'true');
    assert.equal(parent.tryLockWriter(), false);
    const status = inspectCoordination(db.tshmPath);
    assert.deepEqual(status.writer, { locked: true, pid: peer.process.pid, instance: 1 });

    await peer.kill();
    assert.equal(parent.tryLockWriter(), true);
    assert.equal(inspectCoordination(db.tshmPath).writer.pid, process.pid);
    parent.unlockWriter();
    assert.deepEqual(inspectCoordination(db.tshmPath).writer, { locked: false, pid: null, instance: null });
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('the checkpoint lock is exclusive between connections and independent of the writer lock', () => {
  const db = scratchDatabase();
  const first = SharedCoordination.open({ databasePath: db.databasePath });
  const second = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    assert.equal(first.tryLockCheckpoint(), true);
    assert.equal(second.tryLockCheckpoint(), false);
    assert.equal(second.tryLockWriter(), true);
    assert.equal(first.tryLockWriter(), false);
    first.unlockCheckpoint();
    assert.equal(second.tryLockCheckpoint(), true);
  } finally {
    first.close();
    second.close();
    db.cleanup();
  }
});

test('a stale writer owner left by a killed process is cleared by the next lone opener', async () => {
  const db = scratchDatabase();
  try {
    const { peer } = await childPeer(db.databasePath);
    assert.equal(await peer.ask('lock-writer'), 'true');
    assert.equal(await peer.ask('lock-checkpoint'), 'true');
    await peer.kill();
    assert.equal(inspectCoordination(db.tshmPath).writer.pid, peer.process.pid, 'the owner field outlives its process');
    const opener = SharedCoordination.open({ databasePath: db.databasePath });
    assert.equal(opener.openMode, 'exclusive');
    const status = inspectCoordination(db.tshmPath);
    assert.deepEqual([status.writer.pid, status.checkpointer.pid], [null, null]);
    opener.close();
  } finally {
    db.cleanup();
  }
});

test('the last connection holds byte 0 exclusively until it closes', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    const { peer } = await childPeer(db.databasePath);
    assert.equal(parent.isLastConnection(), false);
    assert.equal(await peer.ask('last'), 'false');
    await peer.kill();
    assert.equal(parent.isLastConnection(), true);
    const fd = openSync(db.tshmPath, 'r+');
    try {
      assert.equal(new ByteRangeLock(fd, 0, 1, 'ofd').tryLock('shared'), false, 'no opener can join meanwhile');
      parent.close();
      assert.equal(new ByteRangeLock(fd, 0, 1, 'ofd').tryLock('exclusive'), true);
    } finally {
      closeSync(fd);
    }
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('a worker thread is a peer of its own: distinct owner record, same writer exclusion', async () => {
  const db = scratchDatabase();
  const main = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    assert.equal(main.tryLockWriter(), true);
    const worker = new Worker(new URL('./coord-worker.js', import.meta.url), { workerData: { databasePath: db.databasePath } });
    // Listen for 'exit' at once: a worker that ends right after posting has its last message and its
    // 'exit' emitted in one turn, before an `await` on the message could add the listener.
    const exited = once(worker, 'exit');
    const [report] = (await once(worker, 'message')) as [{ gotWriter: boolean; owner: bigint; mode: string }];
    await exited;
    assert.deepEqual([report.gotWriter, report.mode], [false, 'multiprocess']);
    assert.notEqual(report.owner, main.ownerRecord);
    assert.equal(report.owner >> 32n, BigInt(process.pid));
  } finally {
    main.close();
    db.cleanup();
  }
});

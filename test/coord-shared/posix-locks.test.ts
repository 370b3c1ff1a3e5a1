/**
 * The POSIX-lock fallback of other Unix systems, forced on Linux
 * (`lockFlavor: 'posix'` in this process, `SHOAL_LOCKS=posix` for children).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { ChildPeer } from '../os/child-process.js';
import { childPeer, scratchDatabase, snapshotWith } from './fixtures.js';
import { kernelLocksOn, withLockFlavor } from './posix-lock-flavor.js';

const POSIX = { lockFlavor: 'posix' } as const;
const COORD_CHILD = new URL('./coord-child.js', import.meta.url);

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}

function posixChild(databasePath: string): ReturnType<typeof childPeer> {
  return withLockFlavor('posix', () => childPeer(databasePath));
}

function ofdChild(databasePath: string): ReturnType<typeof childPeer> {
  return withLockFlavor('ofd', () => childPeer(databasePath));
}

test('the option and SHOAL_LOCKS choose classic POSIX locks, which the kernel lists as such', async () => {
  const db = scratchDatabase();
  const forced = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    assert.equal(forced.lockFlavor, 'posix');
    assert.equal(forced.tryLockWriter(), true);
    const mine = kernelLocksOn(db.tshmPath).filter((lock) => lock.pid === process.pid);
    assert.deepEqual(
      mine.map((lock) => [lock.kind, lock.mode, lock.start]).sort(),
      [
        ['POSIX', 'READ', 0],
        ['POSIX', 'WRITE', 1],
      ],
    );

    const { peer } = await posixChild(db.databasePath);
    assert.equal(await peer.ask('lock-writer'), 'false');
    assert.equal(await peer.ask('lock-checkpoint'), 'true');
    const childLocks = kernelLocksOn(db.tshmPath).filter((lock) => lock.pid === peer.process.pid);
    assert.deepEqual(childLocks.map((lock) => [lock.kind, lock.start]).sort(), [
      ['POSIX', 0],
      ['POSIX', 2],
    ]);
    await peer.kill();
  } finally {
    forced.close();
    db.cleanup();
  }
});

test('a bad lock flavor is refused with SQLITE_MISUSE, from the option and from SHOAL_LOCKS', () => {
  const db = scratchDatabase();
  try {
    assert.throws(
      () => SharedCoordination.open({ databasePath: db.databasePath, lockFlavor: 'flock' as 'posix' }),
      (err: Error & { code?: string }) => err.code === 'SQLITE_MISUSE' && /lockFlavor option must be 'ofd' or 'posix', not "flock"/.test(err.message),
    );
    assert.throws(
      () => withLockFlavor('bogus' as 'posix', () => SharedCoordination.open({ databasePath: db.databasePath })),
      (err: Error & { code?: string }) => err.code === 'SQLITE_MISUSE' && /SHOAL_LOCKS must be 'ofd' or 'posix', not "bogus"/.test(err.message),
    );
    const fromEnvironment = withLockFlavor('posix', () => SharedCoordination.open({ databasePath: db.databasePath }));
    assert.equal(fromEnvironment.lockFlavor, 'posix');
    fromEnvironment.close();
    const byDefault = withLockFlavor(undefined, () => SharedCoordination.open({ databasePath: db.databasePath }));
    assert.equal(byDefault.lockFlavor, 'ofd');
    byDefault.close();
  } finally {
    db.cleanup();
  }
});

test('the writer lock is exclusive across POSIX processes and released when its holder is killed', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    const { peer, mode } = await posixChild(db.databasePath);
    assert.equal(mode, 'multiprocess');
    assert.equal(await peer.ask('lock-writer'), 'true');
    assert.equal(parent.tryLockWriter(), false);
    assert.deepEqual(inspectCoordination(db.tshmPath).writer, { locked: true, pid: peer.process.pid, instance: 1 });

    await peer.kill();
    assert.equal(parent.tryLockWriter(), true);
    assert.deepEqual(inspectCoordination(db.tshmPath).writer.pid, process.pid);
    parent.unlockWriter();
    assert.deepEqual(inspectCoordination(db.tshmPath).writer, { locked: false, pid: null, instance: null });
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('two connections of one process are kept apart: one writer, one checkpointer, distinct reader slots', async () => {
  const db = scratchDatabase();
  const first = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  const second = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    assert.deepEqual([first.openMode, second.openMode], ['exclusive', 'multiprocess']);
    assert.equal(first.tryLockWriter(), true);
    assert.equal(second.tryLockWriter(), false, 'POSIX locks alone would let the second connection in');
    assert.equal(second.tryLockCheckpoint(), true);
    assert.equal(first.tryLockCheckpoint(), false);

    first.installSnapshot(snapshotWith({ maxFrame: 7, pageSize: 4096 }));
    first.pinReader({ id: 1 });
    first.publishCommit(8, 8, 8, first.snapshot().transactionCount);
    second.pinReader({ id: 1 });
    const readers = inspectCoordination(db.tshmPath).readers;
    assert.deepEqual(
      readers.map((reader) => [reader.frame, reader.locked, reader.pid]),
      [
        [7, true, process.pid],
        [8, true, process.pid],
      ],
    );
    assert.equal(readers[0]!.instance, readers[1]!.instance, "both held by the process's reader slot pool");
    assert.equal(first.minReaderFrame({ id: 1 }), 8, "the other connection's pin counts");

    first.unlockWriter();
    assert.equal(second.tryLockWriter(), true);
    second.unlockWriter();
    second.unlockCheckpoint();
    assert.equal(first.tryLockCheckpoint(), true);
    first.unlockCheckpoint();
  } finally {
    first.close();
    second.close();
    db.cleanup();
  }
});

test("closing one connection of a process keeps the other's writer lock and reader slot", async () => {
  const db = scratchDatabase();
  const keeper = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  const leaver = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    keeper.installSnapshot(snapshotWith({ maxFrame: 5, pageSize: 4096 }));
    assert.equal(keeper.tryLockWriter(), true);
    keeper.pinReader({ id: 1 });
    leaver.pinReader({ id: 2 });
    leaver.close();

    const { peer } = await posixChild(db.databasePath);
    assert.equal(await peer.ask('lock-writer'), 'false', 'the writer byte is still held');
    assert.equal(await peer.ask('min'), '5', 'the reader slot is still held, not reclaimed as dead');
    assert.deepEqual(
      inspectCoordination(db.tshmPath).readers.map((reader) => [reader.frame, reader.locked]),
      [[5, true]],
      "the leaver's read ended; the keeper's, sharing its slot, still pins it",
    );
    assert.equal(keeper.isLastConnection(), false);
    keeper.unlockWriter();
    assert.equal(await peer.ask('lock-writer'), 'true');
    await peer.kill();
  } finally {
    keeper.close();
    leaver.close();
    db.cleanup();
  }
});

test('a reader pin in a child bounds minReaderFrame in the parent and is reclaimed after SIGKILL', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    parent.installSnapshot(snapshotWith({ maxFrame: 10, pageSize: 4096 }));
    const { peer } = await posixChild(db.databasePath);
    assert.equal(await peer.ask('pin'), '10');
    assert.equal(parent.tryLockWriter(), true);
    parent.publishCommit(20, 1, 2, parent.snapshot().transactionCount);
    parent.unlockWriter();
    assert.equal(parent.minReaderFrame(), 10);
    const [slot] = inspectCoordination(db.tshmPath).readers;
    assert.deepEqual([slot!.frame, slot!.locked, slot!.pid], [10, true, peer.process.pid]);

    await peer.kill();
    assert.equal(parent.minReaderFrame(), null, 'the dead reader no longer pins');
    assert.deepEqual(inspectCoordination(db.tshmPath).readers, [], 'its slot was reset');
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('the last connection: not while another connection of this process or another process is attached', async () => {
  const db = scratchDatabase();
  const first = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    const second = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
    assert.equal(first.isLastConnection(), false);
    second.close();

    const { peer } = await posixChild(db.databasePath);
    assert.equal(first.isLastConnection(), false);
    assert.equal(await peer.ask('last'), 'false');
    await peer.kill();

    assert.equal(first.isLastConnection(), true);
    assert.throws(
      () => SharedCoordination.open({ databasePath: db.databasePath, ...POSIX }),
      (err: Error & { code?: string }) => err.code === 'SQLITE_BUSY',
      'no connection of this process joins while the last one is closing',
    );
    const late = withLockFlavor('posix', () => new ChildPeer(COORD_CHILD, [db.databasePath]));
    try {
      while (!kernelLocksOn(db.tshmPath).some((lock) => lock.waiting && lock.pid === late.process.pid)) await pause();
      first.close();
      assert.equal(await late.nextLine(), 'open multiprocess', 'the waiting opener got in once the last one closed');
      assert.equal(await late.ask('lock-writer'), 'true');
    } finally {
      await late.kill();
    }
  } finally {
    first.close();
    db.cleanup();
  }
});

test('POSIX and OFD peers exclude each other: writer, checkpointer and reader pins', async () => {
  const db = scratchDatabase();
  const posix = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    posix.installSnapshot(snapshotWith({ maxFrame: 3, pageSize: 4096 }));
    const { peer: ofd, mode } = await ofdChild(db.databasePath);
    assert.equal(mode, 'multiprocess', 'the OFD opener sees the POSIX peer alive on byte 0');
    assert.deepEqual(
      kernelLocksOn(db.tshmPath).map((lock) => lock.kind).sort(),
      ['OFDLCK', 'POSIX'],
      'one lifetime lock of each kind',
    );

    assert.equal(posix.tryLockWriter(), true);
    assert.equal(await ofd.ask('lock-writer'), 'false');
    posix.unlockWriter();
    assert.equal(await ofd.ask('lock-writer'), 'true');
    assert.equal(posix.tryLockWriter(), false);
    assert.equal(await ofd.ask('lock-checkpoint'), 'true');
    assert.equal(posix.tryLockCheckpoint(), false);

    assert.equal(await ofd.ask('pin'), '3');
    assert.equal(posix.minReaderFrame(), 3);
    await ofd.kill();
    assert.equal(posix.minReaderFrame(), null);
    assert.equal(posix.tryLockWriter(), true);
    assert.equal(posix.tryLockCheckpoint(), true);
    assert.equal(posix.isLastConnection(), true);
  } finally {
    posix.close();
    db.cleanup();
  }
});

test('inspecting the live file from this process keeps its POSIX locks', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    assert.equal(parent.tryLockWriter(), true);
    for (let i = 0; i < 3; i++) assert.equal(inspectCoordination(db.tshmPath).writer.locked, true);
    const { peer } = await posixChild(db.databasePath);
    assert.equal(await peer.ask('lock-writer'), 'false');
    await peer.kill();
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('one process uses one lock flavor per file, and worker threads are refused on the POSIX flavor', async () => {
  const db = scratchDatabase();
  const posix = SharedCoordination.open({ databasePath: db.databasePath, ...POSIX });
  try {
    assert.throws(
      () => SharedCoordination.open({ databasePath: db.databasePath, lockFlavor: 'ofd' }),
      (err: Error & { code?: string }) => err.code === 'SQLITE_MISUSE' && /already open in this process with POSIX locks/.test(err.message),
    );
    const worker = new Worker(new URL('./coord-worker.js', import.meta.url), {
      workerData: { databasePath: db.databasePath },
      env: { ...process.env, SHOAL_LOCKS: 'posix' },
    });
    const [error] = (await once(worker, 'error')) as [Error];
    assert.match(error.message, /worker thread needs open file description locks/);
    assert.equal(posix.tryLockWriter(), true, 'the refused worker left the main thread its locks');
    const { peer } = await posixChild(db.databasePath);
    assert.equal(await peer.ask('lock-writer'), 'false');
    await peer.kill();
  } finally {
    posix.close();
    db.cleanup();
  }
  const other = scratchDatabase();
  const ofd = SharedCoordination.open({ databasePath: other.databasePath, lockFlavor: 'ofd' });
  try {
    assert.throws(
      () => SharedCoordination.open({ databasePath: other.databasePath, ...POSIX }),
      (err: Error & { code?: string }) => err.code === 'SQLITE_MISUSE' && /already open in this process with OFD locks/.test(err.message),
    );
  } finally {
    ofd.close();
    other.cleanup();
  }
});

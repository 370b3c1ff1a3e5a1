import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachInProcessCoordination, createPrivateCoordination } from '../../src/coord/in-process-coordination.js';

test('the frame index answers newest-frame, changed-pages and latest-frames queries within a window', () => {
  const coord = createPrivateCoordination();
  const writes: Array<[number, number]> = [[5, 1], [7, 2], [5, 3], [9, 4], [7, 5], [5, 6]];
  for (const [pgno, frame] of writes) coord.appendFrame(pgno, frame);
  assert.equal(coord.findFrame(5, 1, 6), 6);
  assert.equal(coord.findFrame(5, 1, 5), 3);
  assert.equal(coord.findFrame(5, 4, 5), 0, 'newest frame of the page below the window');
  assert.equal(coord.findFrame(8, 1, 6), 0);
  assert.deepEqual(coord.pagesWrittenBetween(2, 5)?.sort(), [5, 7, 9]);
  assert.deepEqual(coord.pagesWrittenBetween(5, 6), [5]);
  assert.deepEqual(coord.latestFrames(2, 5), [[5, 3], [7, 5], [9, 4]]);
  coord.trimFrames(3);
  assert.equal(coord.findFrame(7, 1, 10), 2);
  assert.equal(coord.findFrame(9, 1, 10), 0);
  assert.throws(() => coord.appendFrame(1, 3), /out of order/);
  coord.appendFrame(1, 4);
  assert.deepEqual(coord.latestFrames(1, 10), [[1, 4], [5, 3], [7, 2]]);
  coord.discardFrameIndex();
  assert.equal(coord.findFrame(1, 1, 10), 0);
});

test('a large index stays exact', () => {
  const coord = createPrivateCoordination();
  const newest = new Map<number, number>();
  for (let frame = 1; frame <= 20000; frame++) {
    const pgno = 1 + ((frame * 7919) % 1000);
    coord.appendFrame(pgno, frame);
    newest.set(pgno, frame);
  }
  for (const [pgno, frame] of newest) assert.equal(coord.findFrame(pgno, 1, 20000), frame);
  assert.equal(coord.latestFrames(1, 20000)?.length, newest.size);
});

test('connections on one path share locks, pins and the snapshot; close releases what a connection held', () => {
  const a = attachInProcessCoordination('/nonexistent/shared-state-test');
  const b = attachInProcessCoordination('/nonexistent/shared-state-test');
  assert.equal(a.openMode, 'exclusive');
  assert.equal(b.openMode, 'multiprocess');
  assert.equal(a.isLastConnection(), false);
  assert.equal(a.tryLockWriter(), true);
  assert.equal(b.tryLockWriter(), false);
  a.publishCommit(4, 11, 12, 0);
  assert.equal(b.snapshot().maxFrame, 4);
  assert.equal(b.snapshot().transactionCount, 1);
  b.pinReader({ id: 1001 });
  a.pinReader({ id: 1002 });
  assert.equal(a.minReaderFrame(), 4);
  assert.equal(a.minReaderFrame({ id: 1002 }), 4);
  a.close();
  assert.equal(b.tryLockWriter(), true);
  assert.equal(b.minReaderFrame({ id: 1001 }), null);
  assert.equal(b.isLastConnection(), true);
  b.close();
  const fresh = attachInProcessCoordination('/nonexistent/shared-state-test');
  assert.equal(fresh.isUninitialized(), true);
  fresh.close();
});

/**
 * Reader slot pooling (spec tshm.md §9.1 step 4) at the coordination level,
 * in both lock flavors: which slots the reads of one thread use, what
 * `minReaderFrame`/`maxReaderFrame` skip when a slot is shared, and who
 * releases the slots. The cross-process behaviour is in
 * `test/multiprocess/sql-many-connections.test.ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LockFlavor } from '../../src/os/byte-range-lock.js';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { scratchDatabase, snapshotWith } from './fixtures.js';

function slotFrames(tshmPath: string): Array<[frame: number | null, locked: boolean]> {
  return inspectCoordination(tshmPath).readers.map((reader) => [reader.frame, reader.locked]);
}

for (const lockFlavor of ['ofd', 'posix'] as const satisfies readonly LockFlavor[]) {
  test(`${lockFlavor} locks: a thread's connections share reader slots by pin, and the last one out releases them`, () => {
    const db = scratchDatabase();
    const first = SharedCoordination.open({ databasePath: db.databasePath, lockFlavor });
    const second = SharedCoordination.open({ databasePath: db.databasePath, lockFlavor });
    const one = { id: 1 };
    const two = { id: 2 };
    try {
      first.installSnapshot(snapshotWith({ maxFrame: 5, pageSize: 4096 }));
      first.pinReader(one);
      second.pinReader(two);
      assert.deepEqual(slotFrames(db.tshmPath), [[5, true]], 'two reads of one snapshot share one slot');
      assert.equal(first.minReaderFrame(one), 5, "skipping one's own pin still counts the read sharing it");
      assert.equal(first.maxReaderFrame(one), 5);

      first.repinReader(one, 0);
      assert.deepEqual(slotFrames(db.tshmPath), [[5, true], [0, true]], 'moving one read splits it off the shared slot');
      assert.equal(first.minReaderFrame(one), 5);
      assert.equal(second.minReaderFrame(two), 0);
      assert.equal(second.maxReaderFrame(two), 0);

      second.unpinReader(two);
      assert.equal(first.minReaderFrame(one), null);
      assert.deepEqual(slotFrames(db.tshmPath), [[null, true], [0, true]], 'an unused slot stays claimed, unpinned');

      first.close();
      assert.equal(second.minReaderFrame(), null, 'closing a connection ends its read');
      assert.deepEqual(slotFrames(db.tshmPath), [[null, true], [null, true]], 'the pool outlives the connection that claimed its slots');
      second.close();
      assert.deepEqual(slotFrames(db.tshmPath), [], 'the last connection out released every slot (spec §9.3)');
    } finally {
      first.close();
      second.close();
      db.cleanup();
    }
  });
}

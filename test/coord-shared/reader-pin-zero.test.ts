import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { childPeer, scratchDatabase, snapshotWith } from './fixtures.js';

const IDENTITY = { dbSizePages: 2, dbHeaderCrc32c: 7 };

test('a reader of a fully backfilled snapshot pins frame 0; others pin max_frame; both ends are seen across processes', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    parent.installSnapshot(snapshotWith({ pageSize: 4096, salt1: 1, salt2: 2 }));
    parent.publishCommit(5, 1, 1, 0);
    parent.publishBackfill(5, IDENTITY);
    const { peer } = await childPeer(db.databasePath);
    assert.equal(await peer.ask('pin'), '5');
    assert.deepEqual(
      inspectCoordination(db.tshmPath).readers.filter((slot) => slot.frame !== null).map((slot) => slot.frame),
      [0],
    );
    assert.equal(parent.minReaderFrame(), 0);
    assert.equal(parent.maxReaderFrame(), 0);

    parent.publishCommit(8, 2, 2, parent.snapshot().transactionCount);
    const own = { id: 1 };
    assert.equal(parent.pinReader(own).maxFrame, 8);
    assert.equal(parent.maxReaderFrame(), 8);
    assert.equal(parent.maxReaderFrame(own), 0, 'without its own pin only the child pin at 0 is left');
    assert.equal(parent.minReaderFrame(), 0);
    assert.equal(await peer.ask('unpin'), 'ok');
    assert.equal(parent.minReaderFrame(), 8);
    assert.equal(parent.maxReaderFrame(own), null);
    parent.unpinReader(own);
    assert.equal(parent.maxReaderFrame(), null);
    await peer.kill();
  } finally {
    parent.close();
    db.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync } from 'node:fs';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { BASE_SIZE, BLOCK_SIZE } from '../../src/coord/shared/tshm-layout.js';
import { scratchDatabase } from './fixtures.js';

test('the inspector reads a live file whose frame index is growing, and refuses a torn length', () => {
  const db = scratchDatabase();
  const live = SharedCoordination.open({ databasePath: db.databasePath, lockFlavor: 'ofd' });
  try {
    truncateSync(db.tshmPath, BASE_SIZE + 2 * BLOCK_SIZE);
    const status = inspectCoordination(db.tshmPath);
    assert.deepEqual([status.fileLength, status.frameIndex.blocks], [BASE_SIZE + 2 * BLOCK_SIZE, 1], 'extended, not yet published');
    truncateSync(db.tshmPath, BASE_SIZE + 2 * BLOCK_SIZE + 100);
    assert.throws(() => inspectCoordination(db.tshmPath), { code: 'SQLITE_CORRUPT', message: /unexpected size/ });
  } finally {
    live.close();
    db.cleanup();
  }
});

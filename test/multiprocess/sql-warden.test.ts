// SQLite's deadman-switch byte (128 of `-shm`) is what keeps a SQLite
// connection from attaching, and so from checkpointing and deleting a live
// WAL when it closes. Only one Shoal process can hold it; when that process
// closes, the next write transaction of a remaining Shoal process takes it
// (a connection tries at most once every 10 ms, so a write loop does not pay
// a failed lock attempt per transaction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import { join } from 'node:path';
import Database from '../../src/index.js';
import { ByteRangeLock, type LockHolder } from '../../src/os/byte-range-lock.js';
import { closeFileDescriptor, openFileDescriptor } from '../../src/os/file-descriptor.js';
import { SCHEMA, peerFactory, scratchDirectory } from './peers.js';

function deadmanSwitchHolder(shmPath: string): LockHolder | null {
  const fd = openFileDescriptor(shmPath, constants.O_RDWR);
  try {
    return new ByteRangeLock(fd, 128, 1, 'ofd').conflictingHolder('exclusive');
  } finally {
    closeFileDescriptor(fd);
  }
}

test('when the Shoal process holding the deadman switch closes, the next write of another process takes it over', async (t) => {
  const path = join(scratchDirectory(t), 'warden.db');
  const setup = new Database(path);
  setup.exec(SCHEMA);
  setup.close();
  const peer = peerFactory(t);
  const first = peer('first');
  await first.ask({ op: 'open', engine: 'shoal', path });
  const second = peer('second');
  await second.ask({ op: 'open', engine: 'shoal', path });
  assert.equal(deadmanSwitchHolder(`${path}-shm`)?.mode, 'exclusive', 'the first process holds the switch');

  await first.ask({ op: 'close' });
  assert.equal(deadmanSwitchHolder(`${path}-shm`), null, 'nobody holds the switch after the holder closed');

  await second.ask({ op: 'exec', sql: 'UPDATE counter SET n = n + 1' });
  assert.equal(deadmanSwitchHolder(`${path}-shm`)?.mode, 'exclusive', 'the writer took the switch over');
  await second.ask({ op: 'close' });
});

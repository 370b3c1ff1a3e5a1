import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openPager, type OpenPagerOptions } from '../../src/pager/open-pager.js';
import type { Pager } from '../../src/pager/pager.js';
import { decodeWalHeader, frameOffset } from '../../src/wal/wal-format.js';
import { tempDir } from '../pager/temp-dir.js';

const PAGE_SIZE = 1024;

function stamp(page: Uint8Array, value: number): void {
  new DataView(page.buffer, page.byteOffset, page.length).setUint32(page.length - 4, value);
}

function stampOf(page: Uint8Array): number {
  return new DataView(page.buffer, page.byteOffset, page.length).getUint32(page.length - 4);
}

/** Stamp of page `pgno` as the database file itself holds it. */
function stampOnDisk(path: string, pgno: number): number {
  return readFileSync(path).readUInt32BE(pgno * PAGE_SIZE - 4);
}

function setPages(pager: Pager, values: Record<number, number>): void {
  pager.beginWrite();
  for (const [pgno, value] of Object.entries(values)) {
    const n = Number(pgno);
    while (pager.pageCount() < n) pager.growByOnePage();
    stamp(pager.writable(n), value);
  }
  pager.commit();
}

function open(t: { after(fn: () => void): void }, path: string, options: OpenPagerOptions = {}): Pager {
  const pager = openPager(path, { pageSize: PAGE_SIZE, walAutocheckpoint: 0, busyTimeout: 0, ...options });
  t.after(() => pager.close());
  return pager;
}

test('PASSIVE copies frames only up to the oldest reader pin', (t) => {
  const path = join(tempDir(t), 'passive.db');
  const writer = open(t, path);
  const reader = open(t, path);
  setPages(writer, { 2: 1, 3: 1 });
  const first = writer.checkpoint('PASSIVE');
  assert.deepEqual(first, { busy: false, logFrames: first.logFrames, checkpointedFrames: first.logFrames });
  assert.equal(stampOnDisk(path, 2), 1);

  reader.beginRead();
  setPages(writer, { 2: 2 });
  setPages(writer, { 3: 3 });
  const pinned = writer.checkpoint('PASSIVE');
  assert.equal(pinned.busy, false);
  assert.equal(pinned.checkpointedFrames, 0, 'the reader of the database file alone pins frame 0: the log restarted, nothing is copied');
  assert.ok(pinned.logFrames > 0);
  assert.equal(stampOnDisk(path, 2), 1, 'the database file still holds what the reader sees');
  assert.equal(stampOf(reader.page(2)), 1);
  assert.equal(stampOf(reader.page(3)), 1);
  reader.endRead();

  const rest = writer.checkpoint('PASSIVE');
  assert.deepEqual(rest, { busy: false, logFrames: pinned.logFrames, checkpointedFrames: pinned.logFrames });
  assert.equal(stampOnDisk(path, 2), 2);
  assert.equal(stampOnDisk(path, 3), 3);
});

test('FULL waits for readers of older snapshots and reports busy when they stay', (t) => {
  const path = join(tempDir(t), 'full.db');
  const writer = open(t, path);
  const reader = open(t, path);
  setPages(writer, { 2: 1 });
  reader.beginRead();
  setPages(writer, { 2: 2 });
  const blocked = writer.checkpoint('FULL');
  assert.equal(blocked.busy, true);
  assert.ok(blocked.checkpointedFrames < blocked.logFrames);
  assert.equal(stampOf(reader.page(2)), 1);
  reader.endRead();
  reader.beginRead();
  const done = writer.checkpoint('FULL');
  assert.deepEqual(done, { busy: false, logFrames: blocked.logFrames, checkpointedFrames: blocked.logFrames });
  assert.equal(stampOnDisk(path, 2), 2);
  reader.endRead();
});

test('FULL is busy while another connection holds the writer lock', (t) => {
  const path = join(tempDir(t), 'full-writer.db');
  const a = open(t, path);
  const b = open(t, path);
  setPages(a, { 2: 1 });
  a.beginWrite();
  assert.equal(b.checkpoint('FULL').busy, true);
  assert.equal(b.checkpoint('PASSIVE').busy, false);
  a.rollback();
});

test('RESTART makes the next writer reuse the WAL from its start', (t) => {
  const path = join(tempDir(t), 'restart.db');
  const writer = open(t, path);
  const reader = open(t, path);
  setPages(writer, { 2: 1, 3: 1, 4: 1 });
  setPages(writer, { 2: 2 });
  const before = decodeWalHeader(readFileSync(`${path}-wal`))!;
  const sizeBefore = statSync(`${path}-wal`).size;
  reader.beginRead();
  assert.equal(writer.checkpoint('RESTART').busy, true, 'a reader blocks the restart');
  reader.endRead();
  const restarted = writer.checkpoint('RESTART');
  assert.equal(restarted.busy, false);
  assert.equal(restarted.checkpointedFrames, restarted.logFrames);
  assert.equal(stampOnDisk(path, 2), 2);

  setPages(writer, { 3: 3 });
  const after = decodeWalHeader(readFileSync(`${path}-wal`))!;
  assert.equal(after.checkpointSeq, before.checkpointSeq + 1);
  assert.equal(after.salt1, (before.salt1 + 1) >>> 0);
  assert.notEqual(after.salt2, before.salt2);
  const log = readFileSync(`${path}-wal`);
  assert.equal(log.length, sizeBefore, 'the file is reused in place, not grown');
  const first = frameOffset(1, PAGE_SIZE);
  assert.deepEqual(
    [log.readUInt32BE(first), log.readUInt32BE(first + 8), log.readUInt32BE(first + 12)],
    [3, after.salt1, after.salt2],
    'frame 1 is the new generation\'s page 3',
  );
  const second = frameOffset(2, PAGE_SIZE);
  assert.notEqual(log.readUInt32BE(second + 8), after.salt1, 'the old frame after it fails the salt check');
  reader.beginRead();
  assert.deepEqual([2, 3, 4].map((n) => stampOf(reader.page(n))), [2, 3, 1]);
  reader.endRead();
});

test('TRUNCATE leaves a 0-byte WAL and a complete database file', (t) => {
  const path = join(tempDir(t), 'truncate.db');
  const writer = open(t, path);
  const reader = open(t, path);
  setPages(writer, { 2: 1, 3: 1 });
  setPages(writer, { 3: 2 });
  reader.beginRead();
  assert.equal(writer.checkpoint('TRUNCATE').busy, true);
  assert.ok(statSync(`${path}-wal`).size > 0);
  reader.endRead();
  assert.deepEqual(writer.checkpoint('TRUNCATE'), { busy: false, logFrames: 0, checkpointedFrames: 0 });
  assert.equal(statSync(`${path}-wal`).size, 0);
  assert.equal(statSync(path).size, 3 * PAGE_SIZE);
  assert.deepEqual([stampOnDisk(path, 2), stampOnDisk(path, 3)], [1, 2]);
  setPages(writer, { 2: 5 });
  reader.beginRead();
  assert.deepEqual([2, 3].map((n) => stampOf(reader.page(n))), [5, 2]);
  reader.endRead();
});

test('auto-checkpoint keeps the WAL bounded; 0 disables it', (t) => {
  const dir = tempDir(t);
  for (const limit of [10, 0]) {
    const path = join(dir, `auto-${limit}.db`);
    const pager = open(t, path, { walAutocheckpoint: limit });
    setPages(pager, { 2: 0, 3: 0, 4: 0 });
    let largest = 0;
    for (let i = 1; i <= 200; i++) {
      setPages(pager, { [2 + (i % 3)]: i });
      largest = Math.max(largest, statSync(`${path}-wal`).size);
    }
    if (limit > 0) {
      assert.ok(largest <= frameOffset(limit + 2, PAGE_SIZE), `WAL grew to ${largest} bytes`);
      assert.ok(largest >= frameOffset(limit, PAGE_SIZE));
    } else {
      assert.ok(largest >= frameOffset(201, PAGE_SIZE));
    }
    pager.beginRead();
    assert.deepEqual([2, 3, 4].map((n) => stampOf(pager.page(n))), [198, 199, 200]);
    pager.endRead();
  }
});

test('the automatic checkpoint restarts the log itself once it copied all of it, unless a reader needs it', (t) => {
  const path = join(tempDir(t), 'auto-restart.db');
  const writer = open(t, path, { walAutocheckpoint: 5 });
  const reader = open(t, path);
  setPages(writer, { 2: 0 });
  assert.equal(writer.checkpoint('RESTART').busy, false);
  for (let i = 1; i <= 4; i++) setPages(writer, { 2: i });
  assert.deepEqual(writer.checkpoint('PASSIVE'), { busy: false, logFrames: 4, checkpointedFrames: 4 });
  assert.equal(writer.checkpoint('RESTART').busy, false);
  for (let i = 1; i <= 5; i++) setPages(writer, { 2: 10 + i });
  assert.deepEqual(writer.checkpoint('PASSIVE'), { busy: false, logFrames: 0, checkpointedFrames: 0 }, 'restarted by the 5th commit');

  for (let i = 1; i <= 4; i++) setPages(writer, { 2: 20 + i });
  reader.beginRead();
  assert.equal(stampOf(reader.page(2)), 24);
  setPages(writer, { 2: 25 });
  assert.deepEqual(writer.checkpoint('PASSIVE'), { busy: false, logFrames: 5, checkpointedFrames: 4 }, 'held at the reader pin');
  assert.equal(stampOf(reader.page(2)), 24);
  reader.endRead();
  setPages(writer, { 2: 26 });
  assert.deepEqual(writer.checkpoint('PASSIVE'), { busy: false, logFrames: 0, checkpointedFrames: 0 });
  assert.equal(stampOnDisk(path, 2), 26);
});

test('a connection that cached pages before a restart sees the new generation', (t) => {
  const path = join(tempDir(t), 'generation.db');
  const a = open(t, path);
  const b = open(t, path);
  setPages(a, { 2: 1, 3: 1 });
  b.beginRead();
  assert.deepEqual([stampOf(b.page(2)), stampOf(b.page(3))], [1, 1]);
  b.endRead();
  setPages(a, { 2: 2 });
  assert.equal(a.checkpoint('RESTART').busy, false);
  setPages(a, { 3: 3 });
  b.beginRead();
  assert.deepEqual([stampOf(b.page(2)), stampOf(b.page(3))], [2, 3]);
  b.endRead();
});

test('a reader sees every peer commit, also when a restarted log reuses the frame numbers', (t) => {
  const path = join(tempDir(t), 'reused-frames.db');
  const writer = open(t, path);
  const reader = open(t, path);
  setPages(writer, { 2: 0, 3: 0 });
  const expectPages = (two: number, three: number): void => {
    reader.beginRead();
    assert.deepEqual([stampOf(reader.page(2)), stampOf(reader.page(3))], [two, three]);
    reader.endRead();
  };
  for (const generation of [1, 2, 3]) {
    assert.equal(writer.checkpoint('RESTART').busy, false);
    for (let commit = 1; commit <= 4; commit++) {
      const value = generation * 100 + commit;
      if (generation === 2) setPages(writer, { 2: value, 3: value });
      else setPages(writer, { 2: value });
      const three = generation === 2 ? value : generation === 3 ? 204 : 0;
      expectPages(value, three);
    }
  }
});

test('a checkpoint copies frames of the current generation, never a remembered one with the same number', (t) => {
  const path = join(tempDir(t), 'checkpoint-reused-frames.db');
  const checkpointer = open(t, path);
  const peer = open(t, path);
  setPages(peer, { 2: 0, 3: 0 });
  assert.equal(peer.checkpoint('RESTART').busy, false);
  for (let commit = 1; commit <= 5; commit++) setPages(peer, { 2: 100 + commit });
  checkpointer.beginRead();
  assert.equal(stampOf(checkpointer.page(2)), 105, 'read from the commit frame, frame 5');
  checkpointer.endRead();
  assert.equal(checkpointer.checkpoint('RESTART').busy, false);
  for (let commit = 1; commit <= 5; commit++) setPages(checkpointer, { 3: 300 + commit });
  assert.equal(checkpointer.checkpoint('TRUNCATE').busy, false);
  assert.deepEqual([stampOnDisk(path, 2), stampOnDisk(path, 3)], [105, 305]);
});

test('checkpoints inside a transaction are refused', (t) => {
  const pager = open(t, join(tempDir(t), 'locked.db'));
  pager.beginRead();
  assert.throws(() => pager.checkpoint('PASSIVE'), { code: 'SQLITE_LOCKED' });
  pager.endRead();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { inspectCoordination } from '../../src/coord/shared/coordination-inspector.js';
import { childPeer, scratchDatabase, snapshotWith } from './fixtures.js';

function expectFreshHeader(file: Buffer): void {
  assert.equal(file.length, 86_016);
  assert.deepEqual([...file.subarray(0, 8)], [0x54, 0x53, 0x48, 0x4d, 0x57, 0x41, 0x4c, 0x00]);
  const u32 = (offset: number): number => file.readUInt32LE(offset);
  assert.deepEqual(
    [u32(8), u32(12), u32(16), u32(20), u32(24), u32(28), u32(32), u32(36), u32(40), u32(44)],
    [1, 64, 1, 4096, 8192, 64, 1, 262_144, 0, 0],
  );
  assert.equal(file.readBigUInt64LE(48) % 2n, 0n, 'snapshot_seq is even');
  assert.ok(file.subarray(56, 116).every((byte) => byte === 0), 'snapshot fields zero');
  assert.ok(file.subarray(116, 192).every((byte) => byte === 0), 'proof, padding and owners zero');
  assert.equal(file.readBigUInt64LE(192), 0xffff_ffff_ffff_ffffn, 'every reader slot free');
  assert.ok(file.subarray(200, 712).every((byte) => byte === 0xff), 'every reader frame UNUSED');
  assert.ok(file.subarray(712, 4096).every((byte) => byte === 0), 'owners, reserved arrays and padding zero');
  assert.ok(file.subarray(4096).every((byte) => byte === 0), 'frame-index block zero');
}

test('a new -tshm matches the spec byte for byte, and a second process joins it as a peer', async () => {
  const db = scratchDatabase();
  try {
    const { peer, mode } = await childPeer(db.databasePath);
    assert.equal(mode, 'exclusive');
    expectFreshHeader(readFileSync(db.tshmPath));

    const parent = SharedCoordination.open({ databasePath: db.databasePath });
    assert.equal(parent.openMode, 'multiprocess');
    assert.equal(parent.isUninitialized(), true);
    parent.installSnapshot(snapshotWith({ pageSize: 4096, salt1: 11, salt2: 22, checksum1: 33, checksum2: 44 }));
    assert.equal(parent.tryLockWriter(), true);
    parent.appendFrame(2, 1);
    parent.publishCommit(1, 0xdead_beef, 0x0102_0304, 0);
    parent.unlockWriter();
    assert.equal(await peer.ask('pin'), '1');

    const file = readFileSync(db.tshmPath);
    assert.equal(file.readBigUInt64LE(48), 4n, 'two snapshot writes advance the sequence by 4');
    assert.equal(file.readBigUInt64LE(56), 1n, 'max_frame');
    assert.equal(file.readBigUInt64LE(72), 1n, 'transaction_count');
    assert.equal(file.readBigUInt64LE(80), 1n, 'visibility_generation');
    assert.deepEqual(
      [96, 100, 104, 108, 112].map((offset) => file.readUInt32LE(offset)),
      [4096, 11, 22, 0xdead_beef, 0x0102_0304],
    );
    assert.equal(file.readUInt32LE(40), 1, 'frame_index_len');
    assert.deepEqual([file.readBigUInt64LE(4096), file.readBigUInt64LE(4104)], [2n, 1n], 'entry 0 = (page 2, frame 1)');
    assert.equal(file.readUInt16LE(4096 + 65_536 + 2 * ((2 * 383) % 8192)), 1, 'hash cell of page 2 = entry 0 + 1');
    assert.equal(file.readBigUInt64LE(192), 0xffff_ffff_ffff_fffen, 'slot 0 claimed');
    assert.equal(file.readBigUInt64LE(200), 1n, 'slot 0 pinned at frame 1');
    assert.equal(file.readBigUInt64LE(712), (BigInt(peer.process.pid!) << 32n) | 1n, 'owner = (pid << 32) | 1');

    const status = inspectCoordination(db.tshmPath);
    assert.equal(status.peersAttached, true);
    assert.deepEqual(status.readers, [{ slot: 0, frame: 1, locked: true, pid: peer.process.pid, instance: 1 }]);
    assert.deepEqual(status.frameIndex, { length: 1, blocks: 1, overflowed: false });
    assert.equal(status.writer.locked, false);

    await peer.kill();
    parent.close();
    assert.equal(inspectCoordination(db.tshmPath).peersAttached, false);
  } finally {
    db.cleanup();
  }
});

test('every connection is its own peer with a distinct owner record', () => {
  const db = scratchDatabase();
  try {
    const first = SharedCoordination.open({ databasePath: db.databasePath });
    const second = SharedCoordination.open({ databasePath: db.databasePath });
    assert.equal(first.openMode, 'exclusive');
    assert.equal(second.openMode, 'multiprocess');
    assert.notEqual(first.ownerRecord, second.ownerRecord);
    assert.equal(first.ownerRecord >> 32n, BigInt(process.pid));
    first.pinReader({ id: 1 });
    second.pinReader({ id: 1 });
    const readers = inspectCoordination(db.tshmPath).readers;
    assert.deepEqual(
      readers.map((reader) => [reader.slot, reader.frame, reader.instance]),
      [[0, 0, Number(first.ownerRecord & 0xffff_ffffn)]],
      "two reads of one snapshot share one slot of this thread's pool, recorded under its creator",
    );
    first.close();
    second.close();
    first.close();
    assert.throws(() => first.snapshot(), { code: 'SQLITE_MISUSE' });
  } finally {
    db.cleanup();
  }
});

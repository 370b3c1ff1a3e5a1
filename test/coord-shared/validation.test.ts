import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { childPeer, scratchDatabase, snapshotWith } from './fixtures.js';

interface Damage {
  readonly name: string;
  apply(tshmPath: string): void;
  readonly message: RegExp;
}

function writeAt(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

const DAMAGES: Damage[] = [
  { name: 'corrupted magic', apply: (path) => writeAt(path, 0, Buffer.from('XSHMWAL\0')), message: /magic mismatch/ },
  {
    name: 'version 2',
    apply: (path) => writeAt(path, 8, Buffer.from([2, 0, 0, 0])),
    message: /unsupported shared WAL coordination map version: 2/,
  },
  {
    name: 'wrong size',
    apply: (path) => appendFileSync(path, Buffer.alloc(4096)),
    message: /unexpected size: got 90112, expected 86016/,
  },
  {
    name: 'short file',
    apply: (path) => truncateSync(path, 100),
    message: /smaller than the coordination header: got 100, minimum 4096/,
  },
];

for (const damage of DAMAGES) {
  test(`${damage.name}: a peer refuses the file, a lone opener re-initializes it`, async () => {
    const db = scratchDatabase();
    try {
      const original = SharedCoordination.open({ databasePath: db.databasePath });
      original.installSnapshot(snapshotWith({ maxFrame: 4, pageSize: 4096, salt1: 5 }));
      const { peer } = await childPeer(db.databasePath);
      original.close();
      damage.apply(db.tshmPath);
      assert.throws(() => SharedCoordination.open({ databasePath: db.databasePath }), {
        code: 'SQLITE_CORRUPT',
        message: damage.message,
      });
      await peer.kill();

      const lone = SharedCoordination.open({ databasePath: db.databasePath });
      assert.equal(lone.openMode, 'exclusive');
      assert.equal(lone.isUninitialized(), true, 're-initialization zeroes the snapshot');
      const file = readFileSync(db.tshmPath);
      assert.equal(file.length, 86_016);
      assert.equal(file.subarray(0, 8).toString('latin1'), 'TSHMWAL\0');
      assert.equal(file.readUInt32LE(8), 1);
      lone.close();
    } finally {
      db.cleanup();
    }
  });
}

test('a lone opener clears an unsound backfill proof', () => {
  const db = scratchDatabase();
  try {
    SharedCoordination.open({ databasePath: db.databasePath }).close();
    writeAt(db.tshmPath, 116, Buffer.from([1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0]));
    const lone = SharedCoordination.open({ databasePath: db.databasePath });
    assert.ok(readFileSync(db.tshmPath).subarray(116, 172).every((byte) => byte === 0));
    lone.close();
  } finally {
    db.cleanup();
  }
});

test('read-only peers need an existing valid file, pin like others, and cannot write', async () => {
  const db = scratchDatabase();
  try {
    assert.throws(() => SharedCoordination.open({ databasePath: db.databasePath, readOnly: true }), {
      code: 'SQLITE_CANTOPEN',
    });
    assert.equal(existsSync(db.tshmPath), false, 'a read-only open creates nothing');
    writeFileSync(db.tshmPath, Buffer.alloc(0));
    assert.throws(() => SharedCoordination.open({ databasePath: db.databasePath, readOnly: true }), {
      code: 'SQLITE_CORRUPT',
      message: /got 0, minimum 4096/,
    });

    const writer = SharedCoordination.open({ databasePath: db.databasePath });
    writer.publishCommit(6, 1, 1, 0);
    const { peer, mode } = await childPeer(db.databasePath, true);
    assert.equal(mode, 'multiprocess');
    assert.equal(await peer.ask('pin'), '6');
    assert.equal(writer.minReaderFrame(), 6);
    assert.match(await peer.ask('lock-writer'), /^error SQLITE_READONLY/);
    await peer.kill();
    writer.close();
  } finally {
    db.cleanup();
  }
});

test('in-memory paths are refused', () => {
  for (const path of ['', ':memory:', 'file::memory:?cache=shared']) {
    assert.throws(() => SharedCoordination.open({ databasePath: path }), {
      code: 'SQLITE_CANTOPEN',
      message: /not supported for in-memory database path/,
    });
  }
});

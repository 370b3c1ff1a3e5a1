import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Coordination, WalSnapshot } from '../../src/coord/coordination.js';
import { attachInProcessCoordination, createPrivateCoordination } from '../../src/coord/in-process-coordination.js';
import { openPager } from '../../src/pager/open-pager.js';
import { RandomAccessFile } from '../../src/wal/random-access-file.js';
import { Wal } from '../../src/wal/wal.js';
import { frameOffset } from '../../src/wal/wal-format.js';
import { scanWal } from '../../src/wal/wal-scan.js';
import { tempDir } from '../pager/temp-dir.js';

const PAGE_SIZE = 1024;
const DURABILITY = { synchronous: 'NORMAL' } as const;

/** Writes three transactions through the pager and returns the WAL path, left un-checkpointed. */
function makeLog(dir: string): string {
  const path = join(dir, 'log.db');
  const pager = openPager(path, { pageSize: PAGE_SIZE, walAutocheckpoint: 0 });
  for (let i = 0; i < 3; i++) {
    pager.beginWrite();
    pager.writable(pager.growByOnePage())[0] = i + 1;
    pager.commit();
  }
  const wal = readFileSync(`${path}-wal`);
  const db = readFileSync(path);
  pager.close();
  writeFileSync(path, db);
  writeFileSync(`${path}-wal`, wal);
  return `${path}-wal`;
}

/** Page number of each committed frame of the log at `walPath`. */
function framePages(walPath: string): Uint32Array {
  const file = RandomAccessFile.open(walPath, { readonly: true, create: false })!;
  try {
    return scanWal(file, PAGE_SIZE).pageOfFrame;
  } finally {
    file.close();
  }
}

/** A coordination holding `snapshot` and index entries for `pages`. */
function coordinationWith(snapshot: WalSnapshot, pages: Uint32Array): Coordination {
  const coord = createPrivateCoordination();
  coord.installSnapshot(snapshot);
  pages.forEach((pgno, i) => coord.appendFrame(pgno, i + 1));
  return coord;
}

function scannedSnapshot(walPath: string): WalSnapshot {
  const coord = createPrivateCoordination();
  const file = RandomAccessFile.open(walPath, { readonly: true, create: false })!;
  Wal.open(file, coord, PAGE_SIZE, DURABILITY);
  file.close();
  return coord.snapshot();
}

/** Breaks the checksum chain at frame 1, so a scan of the log finds no commit at all. */
function damageFirstFrame(walPath: string): void {
  const bytes = readFileSync(walPath);
  bytes[frameOffset(1, PAGE_SIZE) + 24 + 500]! ^= 0xff;
  writeFileSync(walPath, bytes);
}

function openWith(walPath: string, coord: Coordination): WalSnapshot {
  const file = RandomAccessFile.open(walPath, { readonly: true, create: false })!;
  try {
    Wal.open(file, coord, PAGE_SIZE, DURABILITY);
    return coord.snapshot();
  } finally {
    file.close();
  }
}

test('a stored snapshot that validates against the WAL is trusted without a scan', (t) => {
  const walPath = makeLog(tempDir(t));
  const snapshot = scannedSnapshot(walPath);
  const pages = framePages(walPath);
  assert.ok(snapshot.maxFrame >= 3);
  damageFirstFrame(walPath);
  assert.equal(scannedSnapshot(walPath).maxFrame, 0, 'a scan would now find nothing');
  assert.equal(openWith(walPath, coordinationWith(snapshot, pages)).maxFrame, snapshot.maxFrame);
});

test('a stored snapshot that disagrees with the WAL is replaced by a scan', (t) => {
  const walPath = makeLog(tempDir(t));
  const snapshot = scannedSnapshot(walPath);
  const pages = framePages(walPath);
  for (const wrong of [
    { ...snapshot, checksum1: (snapshot.checksum1 ^ 1) >>> 0 },
    { ...snapshot, salt2: (snapshot.salt2 + 1) >>> 0 },
    { ...snapshot, maxFrame: snapshot.maxFrame - 1 },
    { ...snapshot, nBackfills: 1 },
  ]) {
    assert.deepEqual(openWith(walPath, coordinationWith(wrong, pages)), snapshot);
  }
});

test('a snapshot without index entries is not trusted', (t) => {
  const walPath = makeLog(tempDir(t));
  const snapshot = scannedSnapshot(walPath);
  damageFirstFrame(walPath);
  const coord = createPrivateCoordination();
  coord.installSnapshot(snapshot);
  assert.equal(openWith(walPath, coord).maxFrame, 0);
});

test('a live state shared with another connection is adopted as it is', (t) => {
  const walPath = makeLog(tempDir(t));
  const snapshot = scannedSnapshot(walPath);
  const key = join(tempDir(t), 'shared-key');
  const first = attachInProcessCoordination(key);
  first.installSnapshot(snapshot);
  const second = attachInProcessCoordination(key);
  t.after(() => {
    second.close();
    first.close();
  });
  assert.equal(second.openMode, 'multiprocess');
  damageFirstFrame(walPath);
  assert.equal(openWith(walPath, second).maxFrame, snapshot.maxFrame);
});

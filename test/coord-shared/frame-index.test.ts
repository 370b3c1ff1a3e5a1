import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';
import { childPeer, scratchDatabase, snapshotWith } from './fixtures.js';

/** Entries in frame order: entry i holds frame i + 1. */
type Model = number[];

function randomPages(count: number, seed: number): number[] {
  let state = seed;
  const pages: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    pages.push(1 + (state % 700));
  }
  return pages;
}

function modelFind(model: Model, page: number, min: number, max: number): number {
  for (let frame = Math.min(max, model.length); frame >= min; frame--) if (model[frame - 1] === page) return frame;
  return 0;
}

function modelLatest(model: Model, min: number, max: number): Array<[number, number]> {
  const newest = new Map<number, number>();
  for (let frame = min; frame <= max; frame++) newest.set(model[frame - 1]!, frame);
  return [...newest].sort((a, b) => a[0] - b[0]);
}

/** The hash table a block must hold: its first `count` entries inserted in order into an empty table. */
function expectedHash(pages: number[]): Uint16Array {
  const cells = new Uint16Array(8192);
  pages.forEach((page, index) => {
    let cell = (page * 383) % 8192;
    while (cells[cell] !== 0) cell = (cell + 1) % 8192;
    cells[cell] = index + 1;
  });
  return cells;
}

function checkFile(tshmPath: string, model: Model): void {
  const file = readFileSync(tshmPath);
  const blocks = file.readUInt32LE(32);
  assert.equal(file.length, 4096 + blocks * 81_920);
  assert.equal(file.readUInt32LE(40), model.length, 'frame_index_len');
  for (let slot = 0; slot < model.length; slot++) {
    const at = 4096 + Math.floor(slot / 4096) * 81_920 + (slot % 4096) * 16;
    if (file.readUInt32LE(at) !== model[slot] || file.readUInt32LE(at + 8) !== slot + 1) {
      assert.fail(`entry ${slot} holds (${file.readUInt32LE(at)}, ${file.readUInt32LE(at + 8)})`);
    }
  }
  for (let block = 0; block * 4096 < model.length; block++) {
    const start = 4096 + block * 81_920 + 65_536;
    const actual = new Uint16Array(file.buffer.slice(file.byteOffset + start, file.byteOffset + start + 16_384));
    assert.deepEqual(actual, expectedHash(model.slice(block * 4096, (block + 1) * 4096)), `hash of block ${block}`);
  }
}

function checkLookups(coordination: SharedCoordination, model: Model, seed: number): void {
  const max = model.length;
  const probes = randomPages(1500, seed);
  for (let i = 0; i < probes.length; i++) {
    const page = i % 10 === 0 ? 700 + i : probes[i]!;
    const upper = 1 + ((probes[(i + 1) % probes.length]! * 13 + i) % max);
    const lower = 1 + ((probes[(i + 2) % probes.length]! * 7 + i) % upper);
    const expected = modelFind(model, page, lower, upper);
    const found = coordination.findFrame(page, lower, upper);
    if (found !== expected) assert.fail(`page ${page} in [${lower}, ${upper}]: found ${found}, expected ${expected}`);
  }
  assert.deepEqual(coordination.latestFrames(1, max), modelLatest(model, 1, max));
  assert.deepEqual(coordination.latestFrames(max - 5000, max - 17), modelLatest(model, max - 5000, max - 17));
  const written = coordination.pagesWrittenBetween(max - 300, max);
  assert.deepEqual(written?.sort((a, b) => a - b), [...new Set(model.slice(max - 300))].sort((a, b) => a - b));
}

test('the frame index matches a model across processes through growth, trim and re-growth', async () => {
  const db = scratchDatabase();
  const parent = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    parent.installSnapshot(snapshotWith({ pageSize: 4096 }));
    const { peer } = await childPeer(db.databasePath);
    assert.equal(await peer.ask('lock-writer'), 'true');
    let model = randomPages(6000, 1);
    assert.equal(await peer.ask(`append ${model.join(',')} 1`), 'ok');
    assert.equal(await peer.ask(`commit ${model.length} 1 1`), 'ok');
    assert.equal(statSync(db.tshmPath).size, 167_936, 'grown to two blocks');
    checkFile(db.tshmPath, model);
    checkLookups(parent, model, 2);

    assert.equal(await peer.ask('trim 4100'), 'ok');
    model = model.slice(0, 4100);
    checkFile(db.tshmPath, model);
    assert.equal(parent.findFrame(model[4099]!, 1, 4100), modelFind(model, model[4099]!, 1, 4100));

    const more = randomPages(4900, 3);
    assert.equal(await peer.ask(`append ${more.join(',')} 4101`), 'ok');
    model = model.concat(more);
    assert.equal(await peer.ask(`commit ${model.length} 2 2`), 'ok');
    assert.equal(statSync(db.tshmPath).size, 4096 + 3 * 81_920, 'grown to three blocks');
    checkFile(db.tshmPath, model);
    checkLookups(parent, model, 4);

    assert.match(await peer.ask('append 5 9000'), /^error SQLITE_CORRUPT .*out of order/);
    assert.equal(parent.findFrame(1, 1, 9001), -1, 'a window past the indexed frames cannot be answered');
    assert.equal(parent.latestFrames(1, 9001), null);
    await peer.kill();
  } finally {
    parent.close();
    db.cleanup();
  }
});

test('an index that overflows says so until the next generation starts', () => {
  const db = scratchDatabase();
  const coordination = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    coordination.installSnapshot(snapshotWith({ pageSize: 4096 }));
    for (let frame = 1; frame <= 262_145; frame++) coordination.appendFrame(1 + (frame % 5000), frame);
    coordination.publishCommit(262_145, 0, 0, 0);
    const file = readFileSync(db.tshmPath);
    assert.deepEqual([file.readUInt32LE(32), file.readUInt32LE(40), file.readUInt32LE(44)], [64, 262_144, 1]);
    assert.equal(file.length, 5_246_976);
    assert.equal(coordination.findFrame(2, 1, 262_145), -1);
    assert.equal(coordination.latestFrames(1, 262_145), null);
    assert.equal(coordination.pagesWrittenBetween(0, 10), null);

    coordination.installSnapshot(snapshotWith({ pageSize: 4096, checkpointSeq: 1 }));
    coordination.appendFrame(9, 1);
    coordination.publishCommit(1, 0, 0, 0);
    assert.equal(coordination.findFrame(9, 1, 1), 1);
    assert.deepEqual(coordination.latestFrames(1, 1), [[9, 1]]);
  } finally {
    coordination.close();
    db.cleanup();
  }
});

test('a page written again and again is found at its newest frame in every window', () => {
  const db = scratchDatabase();
  const coordination = SharedCoordination.open({ databasePath: db.databasePath });
  try {
    coordination.installSnapshot(snapshotWith({ pageSize: 4096 }));
    const model: Model = [];
    for (let frame = 1; frame <= 5000; frame++) {
      const page = frame % 97 === 0 ? 3 : frame % 13 === 0 ? 100 + (frame % 7) : 2;
      model.push(page);
      coordination.appendFrame(page, frame);
    }
    coordination.publishCommit(model.length, 0, 0, 0);
    for (const page of [2, 3, 100, 101, 106, 999]) {
      for (let upper = 1; upper <= model.length; upper += upper < 4090 ? 37 : 1) {
        for (const lower of [1, Math.max(1, upper - 3), Math.max(1, upper - 20), upper]) {
          const expected = modelFind(model, page, lower, upper);
          const found = coordination.findFrame(page, lower, upper);
          if (found !== expected) assert.fail(`page ${page} in [${lower}, ${upper}]: found ${found}, expected ${expected}`);
        }
      }
    }
  } finally {
    coordination.close();
    db.cleanup();
  }
});

/**
 * Property tests: random inserts, updates and deletes on table and index
 * trees against an in-memory model, through the real in-memory pager, with a
 * full scan in both directions and an integrity check after every 1,000
 * operations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BTree, compareRecords, encodeRecord, integrityCheck, KeyInfo } from '../../src/btree/index.js';
import { openPager } from '../../src/pager/open-pager.js';
import { Random } from './support/random.js';
import { scanIndex, scanTable } from './support/scan.js';

const CHECK_EVERY = 1000;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function runTableModel(pageSize: number, operations: number, seed: number): void {
  const random = new Random(seed);
  const pager = openPager(':memory:', { pageSize });
  pager.beginWrite();
  const tree = new BTree(pager);
  const root = tree.createTree('table');
  const model = new Map<number, Uint8Array>();
  const cursor = tree.openTableCursor(root);
  let keySpace = 2000;
  for (let op = 1; op <= operations; op++) {
    const r = random.next();
    const phase = Math.floor(op / 10000) % 3;
    if (r < (phase === 2 ? 0.2 : 0.55)) {
      const rowid = random.int(4) === 0 ? keySpace++ : random.int(keySpace) - 50;
      const payload = random.bytes(random.payloadSize());
      cursor.insertRow(rowid, payload);
      model.set(rowid, payload);
    } else if (r < 0.7 && model.size > 0) {
      const rowid = random.int(keySpace) - 50;
      if (cursor.seekRowid(rowid, 'ge')) {
        const found = cursor.rowid as number;
        const payload = random.bytes(random.payloadSize());
        cursor.insertRow(found, payload);
        model.set(found, payload);
      }
    } else if (model.size > 0) {
      const rowid = random.int(keySpace) - 50;
      if (cursor.seekRowid(rowid, random.int(2) === 0 ? 'ge' : 'le')) {
        const found = cursor.rowid as number;
        cursor.delete();
        model.delete(found);
        // Mass deletes: sometimes keep deleting forward through the same cursor.
        if (random.int(50) === 0) {
          for (let n = random.int(300); n > 0 && cursor.next(); n--) {
            model.delete(cursor.rowid as number);
            cursor.delete();
          }
        }
      }
    }
    if (op % CHECK_EVERY === 0) {
      const expected = [...model.entries()].sort((a, b) => a[0] - b[0]);
      const forward = scanTable(tree, root);
      assert.equal(forward.length, expected.length, `row count after ${op} operations`);
      for (let i = 0; i < expected.length; i++) {
        assert.equal(forward[i][0], expected[i][0]);
        assert.equal(hex(forward[i][1]), hex(expected[i][1]));
      }
      const backward = scanTable(tree, root, true);
      assert.deepEqual(backward.map((row) => row[0]), expected.map((row) => row[0]).reverse());
      assert.deepEqual(integrityCheck(tree, { roots: [root] }), [], `integrity after ${op} operations`);
      pager.commit();
      pager.beginWrite();
    }
  }
  cursor.close();
  pager.commit();
  pager.close();
}

function runIndexModel(pageSize: number, operations: number, seed: number, keyInfo: KeyInfo): void {
  const random = new Random(seed);
  const pager = openPager(':memory:', { pageSize });
  pager.beginWrite();
  const tree = new BTree(pager);
  const root = tree.createTree('index');
  const model = new Map<string, Uint8Array>();
  const keys: Uint8Array[] = [];
  const cursor = tree.openIndexCursor(root, keyInfo);
  let nextRowid = 1;
  const removeKey = (key: Uint8Array): void => {
    model.delete(hex(key));
  };
  for (let op = 1; op <= operations; op++) {
    const r = random.next();
    const phase = Math.floor(op / 8000) % 3;
    if (r < (phase === 2 ? 0.25 : 0.6) || model.size === 0) {
      const key = encodeRecord([random.value(), random.int(3) === 0 ? null : random.int(10), nextRowid++]);
      cursor.insertKey(key);
      model.set(hex(key), key);
      keys.push(key);
    } else {
      let pick = random.int(keys.length);
      while (!model.has(hex(keys[pick]))) {
        keys[pick] = keys[keys.length - 1];
        keys.pop();
        pick = random.int(keys.length);
      }
      const candidate = keys[pick];
      assert.ok(cursor.seek(candidate, 'eq'), 'existing key found');
      cursor.delete();
      removeKey(candidate);
      if (r > 0.8) {
        // An update: the entry moves to a new key.
        const key = encodeRecord([random.value(), random.int(10), nextRowid++]);
        cursor.insertKey(key);
        model.set(hex(key), key);
        keys.push(key);
      } else if (random.int(60) === 0) {
        for (let n = random.int(200); n > 0 && cursor.next(); n--) {
          removeKey(cursor.payload());
          cursor.delete();
        }
      }
    }
    if (op % CHECK_EVERY === 0) {
      const expected = [...model.values()].sort((a, b) => compareRecords(a, b, keyInfo));
      const forward = scanIndex(tree, root, keyInfo);
      assert.equal(forward.length, expected.length, `entry count after ${op} operations`);
      for (let i = 0; i < expected.length; i++) assert.equal(hex(forward[i]), hex(expected[i]));
      const backward = scanIndex(tree, root, keyInfo, true);
      assert.deepEqual(backward.map(hex), expected.map(hex).reverse());
      assert.deepEqual(integrityCheck(tree, { roots: [root], keyInfos: new Map([[root, keyInfo]]) }), [], `integrity after ${op} operations`);
      pager.commit();
      pager.beginWrite();
    }
  }
  cursor.close();
  pager.commit();
  pager.close();
}

test('table trees match the model (512-byte pages)', () => runTableModel(512, 50_000, 1));
test('table trees match the model (4096-byte pages)', () => runTableModel(4096, 50_000, 2));
test('index trees match the model (512-byte pages, BINARY)', () => runIndexModel(512, 50_000, 3, KeyInfo.BINARY));
test('index trees match the model (1024-byte pages, NOCASE DESC)', () => runIndexModel(1024, 50_000, 4, new KeyInfo(['NOCASE'], [true])));

/**
 * Cursor behaviour: seeks with every comparison on tables (also against a
 * sorted model over dense, clustered and huge rowids) and (prefix) index
 * keys, iteration while the same tree changes through another cursor or the
 * same one, bigint and negative rowids, tree growth and shrinking, tree
 * creation/clearing/dropping with freelist reuse, and the bulk loader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BTree, BulkLoader, compareRecords, decodeRecord, encodeRecord, integrityCheck, KeyInfo, type Rowid } from '../../src/btree/index.js';
import { openPager } from '../../src/pager/open-pager.js';
import type { Pager } from '../../src/pager/pager.js';
import { Random } from './support/random.js';
import { scanIndex, scanTable } from './support/scan.js';

function newTree(pageSize = 1024): { pager: Pager; tree: BTree } {
  const pager = openPager(':memory:', { pageSize });
  pager.beginWrite();
  return { pager, tree: new BTree(pager) };
}

test('table seeks: eq, ge, gt, le, lt around gaps and ends', () => {
  const { pager, tree } = newTree(512);
  const root = tree.createTree('table');
  const cursor = tree.openTableCursor(root);
  assert.equal(cursor.first(), false);
  assert.equal(cursor.seekRowid(5, 'ge'), false);
  for (let rowid = 10; rowid <= 5000; rowid += 10) cursor.insertRow(rowid, encodeRecord([rowid]));
  const at = (ok: boolean): Rowid | null => (ok ? cursor.rowid : null);
  assert.equal(at(cursor.seekRowid(20, 'eq')), 20);
  assert.equal(at(cursor.seekRowid(25, 'eq')), null);
  assert.equal(at(cursor.seekRowid(25, 'ge')), 30);
  assert.equal(at(cursor.seekRowid(30, 'ge')), 30);
  assert.equal(at(cursor.seekRowid(30, 'gt')), 40);
  assert.equal(at(cursor.seekRowid(30, 'le')), 30);
  assert.equal(at(cursor.seekRowid(35, 'le')), 30);
  assert.equal(at(cursor.seekRowid(30, 'lt')), 20);
  assert.equal(at(cursor.seekRowid(5, 'lt')), null);
  assert.equal(at(cursor.seekRowid(5, 'le')), null);
  assert.equal(at(cursor.seekRowid(5000, 'gt')), null);
  assert.equal(at(cursor.seekRowid(9999, 'lt')), 5000);
  assert.equal(at(cursor.seekRowid(1, 'ge')), 10);
  // Crossing leaf boundaries one step at a time.
  assert.ok(cursor.seekRowid(2500, 'eq'));
  assert.ok(cursor.next());
  assert.equal(cursor.rowid, 2510);
  assert.ok(cursor.prev() && cursor.prev());
  assert.equal(cursor.rowid, 2490);
  cursor.close();
  pager.close();
});

test('table seeks agree with a sorted model over dense, clustered, skewed and huge rowids', () => {
  const { pager, tree } = newTree(512);
  const root = tree.createTree('table');
  const cursor = tree.openTableCursor(root);
  const random = new Random(17);
  const keys = new Set<bigint>();
  for (let i = 1; i <= 400; i++) keys.add(BigInt(i));
  for (let i = 0; i < 300; i++) keys.add(1000n + BigInt(i * i * i));
  for (let i = 0; i < 200; i++) keys.add(BigInt(random.int(2 ** 30)) * 1000n);
  for (let i = 0; i < 100; i++) keys.add(2n ** 49n - 50n + BigInt(i));
  for (let i = 0; i < 100; i++) keys.add(2n ** 53n - 50n + BigInt(i));
  for (let i = 0; i < 100; i++) keys.add(-BigInt(random.int(2 ** 31)) - 1n);
  keys.add(9223372036854775807n);
  keys.add(-9223372036854775808n);
  const normalize = (key: bigint): Rowid => (key >= -9007199254740991n && key <= 9007199254740991n ? Number(key) : key);
  for (const key of keys) cursor.insertRow(normalize(key), encodeRecord([String(key)]));
  const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const firstAtLeast = (key: bigint, strict: boolean): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < key || (strict && sorted[mid] === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const expected = (key: bigint, op: 'eq' | 'ge' | 'gt' | 'le' | 'lt'): bigint | null => {
    const ge = firstAtLeast(key, false);
    const gt = firstAtLeast(key, true);
    if (op === 'eq') return ge < sorted.length && sorted[ge] === key ? key : null;
    if (op === 'ge') return sorted[ge] ?? null;
    if (op === 'gt') return sorted[gt] ?? null;
    if (op === 'le') return gt > 0 ? sorted[gt - 1] : null;
    return ge > 0 ? sorted[ge - 1] : null;
  };
  const probes: bigint[] = [];
  for (const key of sorted) probes.push(key - 1n, key, key + 1n);
  for (let i = 0; i < 500; i++) probes.push(BigInt(random.int(2 ** 31)) * BigInt(random.int(2 ** 22)) - 2n ** 40n);
  for (const probe of probes) {
    if (probe > 9223372036854775807n || probe < -9223372036854775808n) continue;
    for (const op of ['eq', 'ge', 'gt', 'le', 'lt'] as const) {
      const found = cursor.seekRowid(normalize(probe), op) ? BigInt(cursor.rowid) : null;
      assert.equal(found, expected(probe, op), `seekRowid(${probe}, '${op}')`);
    }
  }
  cursor.close();
  pager.close();
});

test('bigint and negative rowids sort as signed 64-bit integers', () => {
  const { pager, tree } = newTree();
  const root = tree.createTree('table');
  const cursor = tree.openTableCursor(root);
  const rowids: Rowid[] = [9223372036854775807n, -9223372036854775808n, -1, 0, 2 ** 53 - 1, 9007199254740993n, -(2 ** 40)];
  for (const rowid of rowids) cursor.insertRow(rowid, encodeRecord(['r']));
  const sorted = [...rowids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(scanTable(tree, root).map((row) => row[0]), sorted);
  assert.ok(cursor.seekRowid(9007199254740993n, 'eq'));
  assert.equal(cursor.rowid, 9007199254740993n);
  assert.ok(cursor.seekRowid(-1n, 'eq'), 'a bigint in the safe range finds the number rowid');
  assert.equal(cursor.rowid, -1);
  cursor.close();
  pager.close();
});

test('index seeks with prefix keys honour ge/gt/le/lt and DESC columns', () => {
  const { pager, tree } = newTree(512);
  const keyInfo = new KeyInfo([], [true]);
  const root = tree.createTree('index');
  const cursor = tree.openIndexCursor(root, keyInfo);
  let rowid = 0;
  for (let a = 0; a < 200; a++) for (let k = 0; k < 3; k++) cursor.insertKey(encodeRecord([a, `v${k}`, ++rowid]));
  const key = (ok: boolean): unknown[] | null => (ok ? decodeRecord(cursor.payload()) : null);
  // a DESC: 199 comes first.
  assert.deepEqual(key(cursor.first()), [199, 'v0', 598]);
  assert.deepEqual(key(cursor.seek(encodeRecord([50]), 'ge')), [50, 'v0', 151]);
  assert.deepEqual(key(cursor.seek(encodeRecord([50]), 'gt')), [49, 'v0', 148]);
  assert.deepEqual(key(cursor.seek(encodeRecord([50]), 'le')), [50, 'v2', 153]);
  assert.deepEqual(key(cursor.seek(encodeRecord([50]), 'lt')), [51, 'v2', 156]);
  assert.deepEqual(key(cursor.seek(encodeRecord([50, 'v1']), 'eq')), [50, 'v1', 152]);
  assert.equal(cursor.seek(encodeRecord([50, 'v9']), 'eq'), false);
  assert.equal(cursor.seek(encodeRecord([-1]), 'ge'), false);
  assert.deepEqual(key(cursor.seek(encodeRecord([-1]), 'lt')), [0, 'v2', 3]);
  assert.equal(cursor.seek(encodeRecord([500]), 'lt'), false);
  cursor.close();
  pager.close();
});

test('a scan survives inserts and deletes made through another cursor on the same tree', () => {
  const { pager, tree } = newTree(512);
  const root = tree.createTree('table');
  const writer = tree.openTableCursor(root);
  for (let rowid = 1; rowid <= 3000; rowid++) writer.insertRow(rowid * 2, encodeRecord([rowid, 'x'.repeat(rowid % 50)]));
  const reader = tree.openTableCursor(root);
  const seen: Rowid[] = [];
  const random = new Random(5);
  for (let more = reader.first(); more; more = reader.next()) {
    const rowid = reader.rowid as number;
    seen.push(rowid);
    // Delete the row just read and the next one, insert odd rowids behind and ahead.
    assert.ok(writer.seekRowid(rowid, 'eq'));
    writer.delete();
    if (writer.next()) writer.delete();
    writer.insertRow(rowid - 1, encodeRecord(['behind']));
    if (random.int(4) === 0) writer.insertRow(rowid + 3, encodeRecord(['ahead', 'y'.repeat(random.int(300))]));
  }
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], 'strictly increasing');
  assert.ok(seen.length > 1000);
  assert.deepEqual(integrityCheck(tree, { roots: [root] }), []);
  reader.close();
  writer.close();
  pager.close();
});

test('update and delete loops through one cursor visit every row once', () => {
  const { pager, tree } = newTree(512);
  const root = tree.createTree('table');
  const cursor = tree.openTableCursor(root);
  for (let rowid = 1; rowid <= 2000; rowid++) cursor.insertRow(rowid, encodeRecord([rowid]));
  let visits = 0;
  for (let more = cursor.first(); more; more = cursor.next()) {
    visits++;
    cursor.insertRow(cursor.rowid, encodeRecord([cursor.rowid, 'grown'.repeat(20)]));
  }
  assert.equal(visits, 2000);
  assert.ok(scanTable(tree, root).every(([, payload]) => decodeRecord(payload)[1] === 'grown'.repeat(20)));
  visits = 0;
  for (let more = cursor.first(); more; more = cursor.next()) {
    visits++;
    if ((cursor.rowid as number) % 3 !== 0) cursor.delete();
  }
  assert.equal(visits, 2000);
  assert.deepEqual(scanTable(tree, root).map((row) => row[0]), Array.from({ length: 666 }, (_, i) => (i + 1) * 3));
  // Backwards delete loop.
  for (let more = cursor.last(); more; more = cursor.prev()) cursor.delete();
  assert.equal(scanTable(tree, root).length, 0);
  assert.equal(pager.page(root)[0], 0x0d, 'the emptied tree is a single leaf again');
  assert.deepEqual(integrityCheck(tree, { roots: [root] }), []);
  cursor.close();
  pager.close();
});

test('trees grow and shrink around a fixed root; dropped and cleared pages are reused', () => {
  const { pager, tree } = newTree(512);
  const a = tree.createTree('table');
  const b = tree.createTree('index');
  const cursor = tree.openTableCursor(a);
  const index = tree.openIndexCursor(b);
  for (let rowid = 1; rowid <= 4000; rowid++) {
    cursor.insertRow(rowid, encodeRecord(['payload', rowid, 'z'.repeat(rowid % 700)]));
    index.insertKey(encodeRecord([`key${rowid % 97}`, rowid]));
  }
  assert.equal(pager.page(a)[0], 0x05, 'root became interior');
  const grown = pager.pageCount();
  index.close();
  tree.clearTree(b);
  assert.deepEqual(scanIndex(tree, b), []);
  assert.ok(tree.freelist.count > 0);
  cursor.close();
  tree.dropTree(a);
  assert.equal(tree.freelist.count, grown - 2, 'every page but page 1 and the cleared root is free');
  assert.deepEqual(integrityCheck(tree, { roots: [b] }), []);
  const c = tree.createTree('table');
  const again = tree.openTableCursor(c);
  for (let rowid = 1; rowid <= 4000; rowid++) again.insertRow(rowid, encodeRecord(['payload', rowid, 'z'.repeat(rowid % 700)]));
  assert.ok(pager.pageCount() <= grown, 'freed pages were reused');
  assert.throws(() => tree.dropTree(c), { code: 'SQLITE_LOCKED' });
  again.close();
  assert.deepEqual(integrityCheck(tree, { roots: [b, c] }), []);
  pager.close();
});

test('the bulk loader fills pages and builds valid table and index trees', () => {
  for (const pageSize of [512, 4096]) {
    const { pager, tree } = newTree(pageSize);
    const table = tree.createTree('table');
    const random = new Random(pageSize);
    const rows: Uint8Array[] = [];
    const loader = new BulkLoader(tree, table);
    for (let rowid = 1; rowid <= 20000; rowid++) {
      const record = encodeRecord([rowid, random.text(random.int(40)), random.int(200) === 0 ? random.bytes(20000) : null]);
      rows.push(record);
      loader.addRow(rowid, record);
    }
    loader.finish();
    assert.throws(() => loader.addRow(20001, rows[0]), { code: 'SQLITE_MISUSE' });
    const scanned = scanTable(tree, table);
    assert.equal(scanned.length, 20000);
    assert.ok(scanned.every(([rowid, payload]) => Buffer.compare(payload, rows[(rowid as number) - 1]) === 0));

    const keyInfo = new KeyInfo(['NOCASE']);
    const index = tree.createTree('index');
    const keys = scanned.map(([rowid, payload]) => encodeRecord([decodeRecord(payload)[1], rowid]));
    keys.sort((x, y) => compareRecords(x, y, keyInfo));
    const indexLoader = new BulkLoader(tree, index, keyInfo);
    for (const key of keys) indexLoader.addKey(key);
    indexLoader.finish();
    assert.deepEqual(scanIndex(tree, index, keyInfo).map((key) => Buffer.from(key).toString('hex')), keys.map((key) => Buffer.from(key).toString('hex')));
    assert.deepEqual(
      integrityCheck(tree, { roots: [table, index], tables: [{ name: 't', root: table, indexes: [{ name: 'i', root: index, keyInfo, columns: [1, -1] }] }] }),
      [],
    );
    assert.equal(tree.freelist.count, 0);
    // Leaves are filled: a table of small rows takes barely more pages than its cells need.
    const compact = tree.createTree('table');
    const before = pager.pageCount();
    const compactLoader = new BulkLoader(tree, compact);
    let cellBytes = 0;
    for (let rowid = 1; rowid <= 20000; rowid++) {
      const record = encodeRecord([rowid, 'abcdefghij']);
      cellBytes += record.length + 2 + (rowid < 128 ? 1 : rowid < 16384 ? 2 : 3) + 2;
      compactLoader.addRow(rowid, record);
    }
    compactLoader.finish();
    const leavesNeeded = Math.ceil(cellBytes / (pageSize - 8));
    assert.ok(pager.pageCount() - before <= Math.ceil(leavesNeeded * 1.03) + 3, `${pager.pageCount() - before} pages for ${leavesNeeded} leaves`);

    const empty = tree.createTree('table');
    const out = new BulkLoader(tree, empty);
    out.addRow(5, rows[0]);
    assert.throws(() => out.addRow(5, rows[0]), { code: 'SQLITE_MISUSE' });
    assert.throws(() => new BulkLoader(tree, table), { code: 'SQLITE_MISUSE' });
    pager.close();
  }
});

test('the integrity check reports damaged structure, missing index entries and lost pages', () => {
  const { pager, tree } = newTree(512);
  const table = tree.createTree('table');
  const index = tree.openIndexCursor(tree.createTree('index'));
  const cursor = tree.openTableCursor(table);
  for (let rowid = 1; rowid <= 300; rowid++) {
    cursor.insertRow(rowid, encodeRecord([rowid % 10, 'x'.repeat(rowid % 40)]));
    index.insertKey(encodeRecord([rowid % 10, rowid]));
  }
  const tables = [{ name: 't', root: table, indexes: [{ name: 't_a', root: index.root, columns: [0, -1] }] }];
  assert.deepEqual(integrityCheck(tree, { roots: [table, index.root], tables }), []);
  assert.ok(index.seek(encodeRecord([3, 13]), 'eq'));
  index.delete();
  assert.deepEqual(integrityCheck(tree, { roots: [table, index.root], tables }), ['row 13 missing from index t_a', 'wrong # of entries in index t_a']);
  const lost = integrityCheck(tree, { roots: [table] });
  assert.ok(lost.length > 0 && lost.every((message) => /^Page \d+: never used$/.test(message)));
  // Break the freelist count.
  pager.writable(1)[39] += 1;
  assert.ok(integrityCheck(tree, { roots: [table, index.root] }).includes('Freelist: size is 0 but should be 1'));
  cursor.close();
  index.close();
  pager.close();
});

/**
 * SQLite reads what we write: database files built through the B-tree layer
 * (rowid tables, multi-column indexes, overflow payloads, mass deletes that
 * leave freelist pages) at page sizes 512, 4096 and 65536 pass SQLite's
 * `PRAGMA integrity_check` and SQLite's SELECT output equals our model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { BTree, BulkLoader, compareRecords, encodeRecord, integrityCheck, KeyInfo, type SqlValue } from '../../src/btree/index.js';
import { openPager } from '../../src/pager/open-pager.js';
import type { Pager } from '../../src/pager/pager.js';
import { Random } from './support/random.js';
import { tagOf, tagRow } from './support/values.js';

/** i2 is ON t2(a DESC, d). */
const i2KeyInfo = new KeyInfo([], [true]);

interface Row {
  rowid: number;
  values: SqlValue[];
}

function dumpFile(pager: Pager, file: string): void {
  pager.beginRead();
  const count = pager.pageCount();
  const out = new Uint8Array(count * pager.pageSize);
  for (let pgno = 1; pgno <= count; pgno++) out.set(pager.page(pgno), (pgno - 1) * pager.pageSize);
  pager.endRead();
  fs.writeFileSync(file, out);
}

function randomRow(random: Random, large: boolean): SqlValue[] {
  const text = random.text(large ? 2000 + random.int(30000) : random.int(30));
  const blob = random.bytes(large ? 5000 + random.int(95000) : random.int(40));
  const real = random.int(5) === 0 ? null : random.next() * 1000 + 0.5;
  return [random.int(1000) - 500, text, blob, real];
}

function buildDatabase(pageSize: number, file: string, seed: number): { t1: Row[]; t2: Row[] } {
  const random = new Random(seed);
  const pager = openPager(':memory:', { pageSize });
  pager.beginWrite();
  const tree = new BTree(pager);
  const t1 = tree.createTree('table');
  const i1 = tree.createTree('index');
  const t2 = tree.createTree('table');
  const i2 = tree.createTree('index');
  const schema = tree.openTableCursor(1);
  schema.insertRow(1, encodeRecord(['table', 't1', 't1', t1, 'CREATE TABLE t1(a INTEGER, b TEXT, c BLOB, d REAL)']));
  schema.insertRow(2, encodeRecord(['index', 'i1', 't1', i1, 'CREATE INDEX i1 ON t1(b, a)']));
  schema.insertRow(3, encodeRecord(['table', 't2', 't2', t2, 'CREATE TABLE t2(a INTEGER, b TEXT, c BLOB, d REAL)']));
  schema.insertRow(4, encodeRecord(['index', 'i2', 't2', i2, 'CREATE INDEX i2 ON t2(a DESC, d)']));
  schema.close();
  pager.setSchemaCookie(1);

  // t1: random-order inserts through cursors, then mass deletes.
  const rows1 = new Map<number, SqlValue[]>();
  const table = tree.openTableCursor(t1);
  const index = tree.openIndexCursor(i1);
  for (let n = 0; n < 1500; n++) {
    const rowid = 1 + random.int(100000);
    if (rows1.has(rowid)) continue;
    const values = randomRow(random, random.int(40) === 0);
    rows1.set(rowid, values);
    table.insertRow(rowid, encodeRecord(values));
    index.insertKey(encodeRecord([values[1], values[0], rowid]));
  }
  for (const [rowid, values] of [...rows1]) {
    if (random.int(10) < 7) {
      assert.ok(table.seekRowid(rowid, 'eq'));
      table.delete();
      assert.ok(index.seek(encodeRecord([values[1], values[0], rowid]), 'eq'));
      index.delete();
      rows1.delete(rowid);
    }
  }
  table.close();
  index.close();

  // t2: the bulk-load path, in key order.
  const rows2: Row[] = [];
  for (let rowid = 1; rowid <= 800; rowid++) rows2.push({ rowid, values: randomRow(random, random.int(60) === 0) });
  const loader = new BulkLoader(tree, t2);
  for (const row of rows2) loader.addRow(row.rowid, encodeRecord(row.values));
  loader.finish();
  const keys = rows2.map((row) => encodeRecord([row.values[0], row.values[3], row.rowid]));
  keys.sort((a, b) => compareRecords(a, b, i2KeyInfo));
  const indexLoader = new BulkLoader(tree, i2, i2KeyInfo);
  for (const key of keys) indexLoader.addKey(key);
  indexLoader.finish();

  assert.deepEqual(integrityCheck(tree, { roots: [t1, i1, t2, i2] }), []);
  pager.commit();
  dumpFile(pager, file);
  pager.close();
  return { t1: [...rows1].sort((a, b) => a[0] - b[0]).map(([rowid, values]) => ({ rowid, values })), t2: rows2 };
}

function tagValues(values: SqlValue[]): string[] {
  return values.map((value, i) => tagOf(value, i === 3));
}

for (const pageSize of [512, 4096, 65536]) {
  test(`SQLite reads a database we wrote (page size ${pageSize})`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-btree-'));
    const file = path.join(dir, 'ours.db');
    try {
      const model = buildDatabase(pageSize, file, pageSize);
      const db = new Database(file, { readonly: true });
      try {
        db.defaultSafeIntegers(true);
        assert.equal(db.pragma('page_size', { simple: true }), BigInt(pageSize));
        assert.deepEqual(db.prepare('PRAGMA integrity_check').raw().all(), [['ok']]);
        assert.ok((db.pragma('freelist_count', { simple: true }) as bigint) > 0n, 'mass deletes left freelist pages');
        for (const [name, rows] of [['t1', model.t1], ['t2', model.t2]] as const) {
          const got = db.prepare(`SELECT rowid, a, b, c, d FROM ${name} ORDER BY rowid`).raw().all() as unknown[][];
          assert.equal(got.length, rows.length);
          for (let i = 0; i < rows.length; i++) {
            assert.equal(got[i][0], BigInt(rows[i].rowid));
            assert.deepEqual(tagRow(got[i].slice(1)), tagValues(rows[i].values));
          }
        }
        const viaIndex1 = db.prepare('SELECT b, a, rowid FROM t1 INDEXED BY i1 ORDER BY b, a, rowid').raw().all() as unknown[][];
        const expected1 = model.t1.map((row) => [row.values[1], row.values[0], row.rowid] as SqlValue[]);
        expected1.sort((x, y) => compareRecords(encodeRecord(x), encodeRecord(y)));
        assert.deepEqual(viaIndex1.map((row) => tagRow(row).join('|')), expected1.map((row) => row.map((v) => tagOf(v)).join('|')));
        const viaIndex2 = db.prepare('SELECT a, d, rowid FROM t2 INDEXED BY i2 ORDER BY a DESC, d, rowid').raw().all() as unknown[][];
        const expected2 = model.t2.map((row) => [row.values[0], row.values[3], row.rowid] as SqlValue[]);
        expected2.sort((x, y) => compareRecords(encodeRecord(x), encodeRecord(y), i2KeyInfo));
        assert.deepEqual(viaIndex2.map((row) => tagRow(row).join('|')), expected2.map((row) => row.map((v, c) => tagOf(v, c === 1)).join('|')));
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * Corrupt files fail cleanly: 1,000 seeded random mutations of a valid
 * database file each end either normally (reads, integrity check and a few
 * writes complete; the check may report problems) or with SQLITE_CORRUPT,
 * never with another exception, a hang, a stack overflow or runaway memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { BTree, encodeRecord, integrityCheck, readSchema } from '../../src/btree/index.js';
import { SqliteError } from '../../src/sqlite-error.js';
import { ArrayPageStore } from './support/memory-page-store.js';
import { Random } from './support/random.js';

function validDatabase(): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-btree-'));
  const file = path.join(dir, 'valid.db');
  try {
    const random = new Random(99);
    const db = new Database(file);
    db.pragma('page_size = 512');
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE t(a, b, c); CREATE INDEX t_b ON t(b, a); CREATE TABLE w(k PRIMARY KEY, v) WITHOUT ROWID;');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
    const insertW = db.prepare('INSERT OR IGNORE INTO w VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 150; i++) insert.run(random.int(1000), random.text(random.int(10) === 0 ? 600 : 8), random.bytes(random.int(10) === 0 ? 1500 : 10));
      for (let i = 0; i < 80; i++) insertW.run(random.text(5), random.int(100));
    })();
    db.exec('DELETE FROM t WHERE a % 5 = 0');
    db.close();
    return new Uint8Array(fs.readFileSync(file));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads everything, checks integrity and makes a few writes; returns how it ended. */
function exercise(image: Uint8Array): 'ok' | 'corrupt' {
  try {
    const store = ArrayPageStore.fromFile(image);
    const tree = new BTree(store);
    const schema = readSchema(tree);
    const roots = schema.filter((entry) => entry.rootPage > 0).map((entry) => entry.rootPage);
    for (const root of roots) {
      const isIndex = (store.page(root)[root === 1 ? 100 : 0] & 1) === 0;
      const cursor = isIndex ? tree.openIndexCursor(root) : tree.openTableCursor(root);
      for (let more = cursor.first(); more; more = cursor.next()) cursor.record().values();
      for (let more = cursor.last(); more; more = cursor.prev()) cursor.payload();
      cursor.close();
    }
    integrityCheck(tree, { roots });
    store.beginWrite();
    for (const root of roots) {
      const isIndex = (store.page(root)[root === 1 ? 100 : 0] & 1) === 0;
      const cursor = isIndex ? tree.openIndexCursor(root) : tree.openTableCursor(root);
      for (let n = 0; n < 20; n++) {
        if (isIndex) cursor.insertKey(encodeRecord([`k${n}`, n, 1_000_000 + n]));
        else cursor.insertRow(1_000_000 + n, encodeRecord([n, 'x'.repeat(n * 40)]));
      }
      if (cursor.first()) cursor.delete();
      cursor.close();
    }
    store.commit();
    return 'ok';
  } catch (error) {
    if (error instanceof SqliteError && (error.code === 'SQLITE_CORRUPT' || error.code === 'SQLITE_NOTADB')) return 'corrupt';
    throw error;
  }
}

test('1,000 random mutations of a valid file end in SQLITE_CORRUPT or complete cleanly', () => {
  const valid = validDatabase();
  assert.equal(exercise(valid), 'ok');
  const random = new Random(2024);
  const outcomes = { ok: 0, corrupt: 0 };
  for (let n = 0; n < 1000; n++) {
    const image = valid.slice();
    const changes = 1 + random.int(4);
    for (let c = 0; c < changes; c++) {
      // Bytes 0..23 (magic, page size, reserved bytes) are the pager's to validate.
      const at = 24 + random.int(image.length - 24);
      image[at] = random.int(3) === 0 ? image[at] ^ (1 << random.int(8)) : random.int(256);
    }
    outcomes[exercise(image)]++;
  }
  assert.ok(outcomes.corrupt > 50, `corruption detected in ${outcomes.corrupt} of 1000 mutations`);
  assert.equal(outcomes.ok + outcomes.corrupt, 1000);
});

/**
 * We read what SQLite writes: better-sqlite3 builds databases at several
 * page sizes (overflow rows, a freelist, indexes with DESC and NOCASE
 * columns, WITHOUT ROWID tables); after SQLite closes the file, every table
 * and index scanned through our cursors equals SQLite's own output, and our
 * integrity check finds nothing wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { BTree, findIndex, findTable, integrityCheck, KeyInfo, readSchema, type TableCheck } from '../../src/btree/index.js';
import { ArrayPageStore } from './support/memory-page-store.js';
import { Random } from './support/random.js';
import { tagRecord, tagRow } from './support/values.js';

function buildWithSqlite(file: string, pageSize: number, seed: number): void {
  const random = new Random(seed);
  const db = new Database(file);
  db.pragma(`page_size = ${pageSize}`);
  db.pragma('journal_mode = DELETE');
  db.exec(`
    CREATE TABLE t(a INTEGER, b TEXT, c BLOB, d);
    CREATE INDEX t_ba ON t(b, a);
    CREATE INDEX t_nocase ON t(b COLLATE NOCASE DESC, d);
    CREATE TABLE w(k TEXT, n INTEGER, v BLOB, PRIMARY KEY (k, n DESC)) WITHOUT ROWID;
    CREATE TABLE big(x);
  `);
  const insert = db.prepare('INSERT INTO t(rowid, a, b, c, d) VALUES (?, ?, ?, ?, ?)');
  const insertW = db.prepare('INSERT OR REPLACE INTO w VALUES (?, ?, ?)');
  const insertBig = db.prepare('INSERT INTO big VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 1200; i++) {
      const large = random.int(30) === 0;
      const d = [null, random.int(100), random.next() * 10, random.text(4), 9007199254740993n][random.int(5)];
      insert.run(
        random.int(3) === 0 ? -random.int(1e9) : random.int(1e12),
        random.int(1000),
        random.text(large ? 3000 + random.int(20000) : random.int(20)),
        random.bytes(large ? 4000 + random.int(60000) : random.int(30)),
        d,
      );
    }
    for (let i = 0; i < 500; i++) insertW.run(random.text(1 + random.int(6)), random.int(50), random.bytes(random.int(random.int(20) === 0 ? 5000 : 50)));
    for (let i = 0; i < 300; i++) insertBig.run(random.bytes(2000 + random.int(3000)));
  })();
  db.exec('DELETE FROM big WHERE rowid % 3 <> 0; DELETE FROM t WHERE a % 4 = 0');
  db.close();
}

function sqliteRows(db: Database.Database, sql: string): string[] {
  return (db.prepare(sql).raw().all() as unknown[][]).map((row) => tagRow(row).join('|'));
}

function tableRows(tree: BTree, root: number): string[] {
  const cursor = tree.openTableCursor(root);
  const out: string[] = [];
  for (let more = cursor.first(); more; more = cursor.next()) {
    out.push([`i:${cursor.rowid}`, ...tagRecord(cursor.record())].join('|'));
  }
  cursor.close();
  return out;
}

function indexRows(tree: BTree, root: number, keyInfo: KeyInfo): string[] {
  const cursor = tree.openIndexCursor(root, keyInfo);
  const out: string[] = [];
  for (let more = cursor.first(); more; more = cursor.next()) out.push(tagRecord(cursor.record()).join('|'));
  cursor.close();
  return out;
}

for (const pageSize of [512, 1024, 4096, 16384]) {
  test(`our cursors read a database SQLite wrote (page size ${pageSize})`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-btree-'));
    const file = path.join(dir, 'theirs.db');
    try {
      buildWithSqlite(file, pageSize, pageSize);
      const db = new Database(file, { readonly: true });
      db.defaultSafeIntegers(true);
      const store = ArrayPageStore.fromFile(fs.readFileSync(file));
      const tree = new BTree(store);
      try {
        assert.ok((db.pragma('freelist_count', { simple: true }) as bigint) > 0n);
        const schema = readSchema(tree);
        assert.deepEqual(
          schema.map((entry) => [entry.type, entry.name, entry.tableName, entry.rootPage, entry.sql]),
          (db.prepare('SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY rowid').raw().all() as unknown[][]).map((row) => [row[0], row[1], row[2], Number(row[3]), row[4]]),
        );
        const t = findTable(schema, 'T');
        const w = findTable(schema, 'w');
        const big = findTable(schema, 'big');
        const tBa = findIndex(schema, 't_ba');
        const tNocase = findIndex(schema, 't_nocase');
        assert.ok(t && w && big && tBa && tNocase);

        assert.deepEqual(tableRows(tree, t.rootPage), sqliteRows(db, 'SELECT rowid, a, b, c, d FROM t ORDER BY rowid'));
        assert.deepEqual(tableRows(tree, big.rootPage), sqliteRows(db, 'SELECT rowid, x FROM big ORDER BY rowid'));
        assert.deepEqual(indexRows(tree, tBa.rootPage, KeyInfo.BINARY), sqliteRows(db, 'SELECT b, a, rowid FROM t ORDER BY b, a, rowid'));
        const nocase = new KeyInfo(['NOCASE'], [true]);
        assert.deepEqual(indexRows(tree, tNocase.rootPage, nocase), sqliteRows(db, 'SELECT b, d, rowid FROM t ORDER BY b COLLATE NOCASE DESC, d, rowid'));
        const wKey = new KeyInfo(['BINARY', 'BINARY'], [false, true]);
        assert.deepEqual(indexRows(tree, w.rootPage, wKey), sqliteRows(db, 'SELECT k, n, v FROM w ORDER BY k, n DESC'));

        const tables: TableCheck[] = [
          {
            name: 't',
            root: t.rootPage,
            indexes: [
              { name: 't_ba', root: tBa.rootPage, columns: [1, 0, -1] },
              { name: 't_nocase', root: tNocase.rootPage, keyInfo: nocase, columns: [1, 3, -1] },
            ],
          },
        ];
        const roots = schema.filter((entry) => entry.rootPage > 0).map((entry) => entry.rootPage);
        const autoIndexes = schema.filter((entry) => entry.type === 'index' && entry.sql === null).map((entry) => entry.rootPage);
        assert.deepEqual(integrityCheck(tree, { roots, tables, keyInfos: new Map([[w.rootPage, wKey], ...autoIndexes.map((root) => [root, KeyInfo.BINARY] as const)]) }), []);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('auto-vacuum databases are readable and checked, and refuse writes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-btree-'));
  const file = path.join(dir, 'autovacuum.db');
  try {
    const db = new Database(file);
    db.pragma('page_size = 512');
    db.pragma('auto_vacuum = FULL');
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE t(a, b)');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
    for (let i = 0; i < 2000; i++) insert.run(i, 'v'.repeat(i % 300));
    const expected = (db.prepare('SELECT count(*) FROM t').pluck().get() as number);
    db.close();
    const store = ArrayPageStore.fromFile(fs.readFileSync(file));
    const tree = new BTree(store);
    const t = findTable(readSchema(tree), 't');
    assert.ok(t);
    assert.equal(tableRows(tree, t.rootPage).length, expected);
    assert.deepEqual(integrityCheck(tree, { roots: [t.rootPage] }), []);
    store.beginWrite();
    const cursor = tree.openTableCursor(t.rootPage);
    assert.throws(() => cursor.insertRow(1, new Uint8Array([1, 0])), { code: 'SQLITE_READONLY' });
    cursor.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

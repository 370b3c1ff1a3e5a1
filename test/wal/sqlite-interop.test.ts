import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openPager } from '../../src/pager/open-pager.js';
import { WAL_HEADER_SIZE } from '../../src/wal/wal-format.js';
import { tempDir } from '../pager/temp-dir.js';

const WRITER_CHILD = fileURLToPath(new URL('./sqlite-writer-child.js', import.meta.url));

function tableRows(db: Database.Database): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) rows[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY 1`).all();
  return rows;
}

test('SQLite reads a database that Shoal left entirely in the WAL', (t) => {
  const dir = tempDir(t);
  const sourcePath = join(dir, 'source.db');
  const source = new Database(sourcePath);
  source.exec(`
    CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bio TEXT);
    CREATE INDEX people_name ON people (name);
    CREATE TABLE tags (tag TEXT PRIMARY KEY, weight REAL) WITHOUT ROWID;
    CREATE TABLE blobs (k INTEGER, v BLOB);
    CREATE UNIQUE INDEX blobs_k ON blobs (k);
  `);
  source.transaction(() => {
    for (let i = 0; i < 400; i++) source.prepare('INSERT INTO people (name, bio) VALUES (?, ?)').run(`person ${i}`, 'x'.repeat(i * 23));
    for (let i = 0; i < 200; i++) source.prepare('INSERT INTO tags VALUES (?, ?)').run(`tag-${i}`, i / 3);
    for (let i = 0; i < 30; i++) source.prepare('INSERT INTO blobs VALUES (?, ?)').run(i, Buffer.alloc(9000 + i * 100, i));
  })();
  const expected = tableRows(source);
  source.close();

  const image = readFileSync(sourcePath);
  const pageSize = image.readUInt16BE(16);
  const pageCount = image.length / pageSize;
  assert.ok(pageCount > 50);

  const shoalPath = join(dir, 'shoal.db');
  const pager = openPager(shoalPath, { pageSize, walAutocheckpoint: 0 });
  pager.beginWrite();
  for (let pgno = 1; pgno <= pageCount; pgno++) {
    if (pgno > pager.pageCount()) assert.equal(pager.growByOnePage(), pgno);
    pager.writable(pgno).set(image.subarray((pgno - 1) * pageSize, pgno * pageSize));
  }
  pager.commit();
  const checkDir = join(dir, 'check');
  mkdirSync(checkDir);
  const checkPath = join(checkDir, 'check.db');
  copyFileSync(shoalPath, checkPath);
  copyFileSync(`${shoalPath}-wal`, `${checkPath}-wal`);
  pager.close();

  assert.equal(statSync(checkPath).size, pageSize, 'only the new-database page 1 is in the database file');
  assert.equal(statSync(`${checkPath}-wal`).size, WAL_HEADER_SIZE + pageCount * (24 + pageSize));
  const check = new Database(checkPath);
  t.after(() => check.close());
  assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(tableRows(check), expected);
});

test("Shoal reads every page of a WAL that SQLite left behind", (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'sqlite.db');
  const child = spawnSync(process.execPath, [WRITER_CHILD, path], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  assert.equal(child.stdout, 'written\n');
  assert.ok(statSync(`${path}-wal`).size > 100 * 4096, 'SQLite left its changes in the WAL');

  const copyDir = join(dir, 'copy');
  mkdirSync(copyDir);
  const copyPath = join(copyDir, 'copy.db');
  copyFileSync(path, copyPath);
  copyFileSync(`${path}-wal`, `${copyPath}-wal`);

  const pager = openPager(path, { readonly: true });
  t.after(() => pager.close());
  pager.beginRead();
  const pages: Uint8Array[] = [];
  for (let pgno = 1; pgno <= pager.pageCount(); pgno++) pages.push(pager.page(pgno).slice());
  pager.endRead();

  const sqlite = new Database(copyPath);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  assert.ok(!existsSync(`${copyPath}-wal`) || statSync(`${copyPath}-wal`).size === 0);
  const checkpointed = readFileSync(copyPath);
  const pageSize = pager.pageSize;
  assert.equal(checkpointed.length / pageSize, pages.length);
  pages.forEach((page, i) => {
    assert.ok(Buffer.from(page).equals(checkpointed.subarray(i * pageSize, (i + 1) * pageSize)), `page ${i + 1} differs`);
  });
});

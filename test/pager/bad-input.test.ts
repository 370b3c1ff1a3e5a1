import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openPager } from '../../src/pager/open-pager.js';
import { tempDir } from './temp-dir.js';

/** Asserts `path` still has exactly `bytes` and an unchanged modification time after `action`. */
function assertUntouched(path: string, action: () => void): void {
  const past = new Date(Date.now() - 60_000);
  utimesSync(path, past, past);
  const before = readFileSync(path);
  const mtime = statSync(path).mtimeMs;
  action();
  assert.ok(readFileSync(path).equals(before), `${path} changed`);
  assert.equal(statSync(path).mtimeMs, mtime, `${path} was written`);
}

/** A SQLite database with one table, in WAL mode with its rows still in the WAL. */
function sqliteDatabaseWithWal(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x)');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('wal_autocheckpoint = 0');
  db.exec("INSERT INTO t VALUES ('in the wal')");
  const wal = readFileSync(`${path}-wal`);
  const main = readFileSync(path);
  db.close();
  writeFileSync(path, main);
  writeFileSync(`${path}-wal`, wal);
}

test('a file that is not a database fails with SQLITE_NOTADB and is never written', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'text.db');
  writeFileSync(path, 'this is certainly not a SQLite database, just some text\n'.repeat(100));
  for (const readonly of [false, true]) {
    assertUntouched(path, () => {
      assert.throws(() => openPager(path, { readonly }), { code: 'SQLITE_NOTADB', message: 'file is not a database' });
    });
  }
  assert.equal(existsSync(`${path}-wal`), false);
});

test('a header with an invalid page size or payload fractions is not a database', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'real.db');
  new Database(path).exec('CREATE TABLE t (x)');
  const good = readFileSync(path);
  for (const [offset, value] of [[16, 3], [17, 7], [21, 65], [19, 3]] as const) {
    const bad = Buffer.from(good);
    bad[offset] = value;
    writeFileSync(path, bad);
    assertUntouched(path, () => assert.throws(() => openPager(path), { code: 'SQLITE_NOTADB' }));
  }
});

test('a truncated database header fails with SQLITE_CORRUPT', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'short.db');
  const source = join(dir, 'source.db');
  new Database(source).exec('CREATE TABLE t (x)');
  writeFileSync(path, readFileSync(source).subarray(0, 60));
  assertUntouched(path, () => assert.throws(() => openPager(path), { code: 'SQLITE_CORRUPT' }));
});

test('a UTF-16 database is refused with an error that says so', (t) => {
  const path = join(tempDir(t), 'utf16.db');
  const db = new Database(path);
  db.pragma("encoding = 'UTF-16le'");
  db.exec('CREATE TABLE t (x)');
  db.close();
  assertUntouched(path, () => assert.throws(() => openPager(path), /UTF-16le.*UTF-8 databases only/));
});

for (const [damage, offset, value] of [
  ['bad magic', 0, 0x12],
  ['bad page size', 10, 0x03],
  ['bad header checksum', 27, 0x5a],
] as const) {
  test(`a WAL with a ${damage} counts as empty and is left untouched`, (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'wal.db');
    sqliteDatabaseWithWal(path);
    const wal = readFileSync(`${path}-wal`);
    wal[offset] = wal[offset]! ^ value;
    writeFileSync(`${path}-wal`, wal);
    assertUntouched(`${path}-wal`, () => {
      assertUntouched(path, () => {
        const pager = openPager(path);
        pager.beginRead();
        const root = pager.page(2);
        assert.equal(root[0], 0x0d);
        assert.equal((root[3]! << 8) | root[4]!, 0, 'the row that only the WAL holds is not visible');
        pager.endRead();
        pager.close();
      });
    });
  });
}

test('the same WAL undamaged shows the row it holds', (t) => {
  const path = join(tempDir(t), 'wal.db');
  sqliteDatabaseWithWal(path);
  const pager = openPager(path, { readonly: true });
  t.after(() => pager.close());
  pager.beginRead();
  const root = pager.page(2);
  assert.equal((root[3]! << 8) | root[4]!, 1);
  pager.endRead();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPager } from '../../src/pager/open-pager.js';
import type { Pager } from '../../src/pager/pager.js';
import { tempDir } from './temp-dir.js';

/** Writes `value` into the last 4 bytes of a page (clear of page 1's header). */
function stamp(page: Uint8Array, value: number): void {
  new DataView(page.buffer, page.byteOffset, page.length).setUint32(page.length - 4, value);
}

function stampOf(page: Uint8Array): number {
  return new DataView(page.buffer, page.byteOffset, page.length).getUint32(page.length - 4);
}

/** Appends `count` pages stamped `base + i` in one transaction. */
function appendPages(pager: Pager, count: number, base: number): void {
  pager.beginWrite();
  for (let i = 0; i < count; i++) stamp(pager.writable(pager.growByOnePage()), base + i);
  pager.commit();
}

for (const location of ['file', 'memory'] as const) {
  test(`${location}: a new database shows one empty page and survives its first commit`, (t) => {
    const pager = openPager(location === 'file' ? join(tempDir(t), 'new.db') : ':memory:');
    t.after(() => pager.close());
    pager.beginRead();
    assert.equal(pager.pageCount(), 1);
    assert.equal(pager.header().pageSize, 4096);
    assert.equal(pager.page(1)[100], 0x0d);
    pager.endRead();
    appendPages(pager, 3, 10);
    pager.beginRead();
    assert.equal(pager.pageCount(), 4);
    assert.deepEqual([2, 3, 4].map((n) => stampOf(pager.page(n))), [10, 11, 12]);
    assert.equal(pager.header().databaseSizePages, 4);
    pager.endRead();
  });

  test(`${location}: rollback discards every change of the transaction`, (t) => {
    const pager = openPager(location === 'file' ? join(tempDir(t), 'rollback.db') : ':memory:');
    t.after(() => pager.close());
    appendPages(pager, 2, 1);
    pager.beginWrite();
    stamp(pager.writable(2), 99);
    pager.growByOnePage();
    assert.equal(pager.pageCount(), 4);
    pager.rollback();
    pager.beginRead();
    assert.equal(pager.pageCount(), 3);
    assert.equal(stampOf(pager.page(2)), 1);
    pager.endRead();
  });

  test(`${location}: a savepoint rollback undoes only what changed since the savepoint`, (t) => {
    const pager = openPager(location === 'file' ? join(tempDir(t), 'savepoint.db') : ':memory:');
    t.after(() => pager.close());
    appendPages(pager, 3, 1);
    pager.beginWrite();
    stamp(pager.writable(2), 20);
    const outer = pager.savepoint();
    stamp(pager.writable(2), 21);
    stamp(pager.writable(3), 30);
    const inner = pager.savepoint();
    stamp(pager.writable(4), 40);
    const added = pager.growByOnePage();
    stamp(pager.writable(added), 50);
    pager.rollbackTo(inner);
    assert.equal(pager.pageCount(), 4);
    assert.equal(stampOf(pager.page(4)), 3);
    assert.equal(stampOf(pager.page(3)), 30);
    pager.rollbackTo(outer);
    assert.equal(stampOf(pager.page(2)), 20);
    assert.equal(stampOf(pager.page(3)), 2);
    stamp(pager.writable(3), 31);
    const again = pager.savepoint();
    stamp(pager.writable(4), 41);
    pager.release(again);
    pager.release(outer);
    assert.equal(pager.savepointDepth, 0);
    pager.commit();
    pager.beginRead();
    assert.deepEqual([2, 3, 4].map((n) => stampOf(pager.page(n))), [20, 31, 41]);
    pager.endRead();
  });

  test(`${location}: a released savepoint's changes still roll back with its enclosing savepoint`, (t) => {
    const pager = openPager(location === 'file' ? join(tempDir(t), 'release.db') : ':memory:');
    t.after(() => pager.close());
    appendPages(pager, 1, 7);
    pager.beginWrite();
    const outer = pager.savepoint();
    const inner = pager.savepoint();
    stamp(pager.writable(2), 8);
    pager.release(inner);
    pager.rollbackTo(outer);
    assert.equal(stampOf(pager.page(2)), 7);
    pager.commit();
  });
}

test('pages outside the database and writes outside a write transaction are refused', (t) => {
  const pager = openPager(':memory:');
  t.after(() => pager.close());
  assert.throws(() => pager.page(1), { code: 'SQLITE_MISUSE' });
  pager.beginRead();
  assert.throws(() => pager.page(2), { code: 'SQLITE_CORRUPT' });
  assert.throws(() => pager.page(0), { code: 'SQLITE_CORRUPT' });
  assert.throws(() => pager.writable(1), { code: 'SQLITE_MISUSE' });
  pager.endRead();
});

test('commit, close, reopen: every committed page reads back', (t) => {
  const path = join(tempDir(t), 'reopen.db');
  const first = openPager(path);
  for (let round = 0; round < 5; round++) appendPages(first, 20, round * 100);
  first.beginWrite();
  stamp(first.writable(5), 12345);
  first.commit();
  first.close();
  const second = openPager(path);
  t.after(() => second.close());
  second.beginRead();
  assert.equal(second.pageCount(), 101);
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 20; i++) {
      const pgno = 2 + round * 20 + i;
      assert.equal(stampOf(second.page(pgno)), pgno === 5 ? 12345 : round * 100 + i);
    }
  }
  second.endRead();
});

test('a read snapshot stays stable while another connection of this process commits', (t) => {
  const path = join(tempDir(t), 'snapshot.db');
  const writer = openPager(path);
  const reader = openPager(path);
  t.after(() => {
    reader.close();
    writer.close();
  });
  appendPages(writer, 2, 1);
  reader.beginRead();
  assert.equal(stampOf(reader.page(2)), 1);
  writer.beginWrite();
  stamp(writer.writable(2), 2);
  writer.growByOnePage();
  writer.commit();
  assert.equal(stampOf(reader.page(2)), 1);
  assert.equal(reader.pageCount(), 3);
  reader.endRead();
  reader.beginRead();
  assert.equal(stampOf(reader.page(2)), 2);
  assert.equal(reader.pageCount(), 4);
  reader.endRead();
});

test('one writer at a time: a second writer gets SQLITE_BUSY, a stale snapshot SQLITE_BUSY_SNAPSHOT', (t) => {
  const path = join(tempDir(t), 'busy.db');
  const a = openPager(path, { busyTimeout: 0 });
  const b = openPager(path, { busyTimeout: 20 });
  t.after(() => {
    b.close();
    a.close();
  });
  appendPages(a, 1, 1);
  a.beginWrite();
  assert.throws(() => b.beginWrite(), { code: 'SQLITE_BUSY' });
  assert.equal(b.transactionState, 'none');
  b.beginRead();
  stamp(a.writable(2), 2);
  a.commit();
  assert.throws(() => b.beginWrite(), { code: 'SQLITE_BUSY_SNAPSHOT' });
  assert.equal(b.transactionState, 'read');
  b.endRead();
  b.beginWrite();
  assert.equal(stampOf(b.page(2)), 2);
  b.commit();
});

test('a read-only connection cannot write, and a missing file cannot be opened read-only', (t) => {
  const dir = tempDir(t);
  assert.throws(() => openPager(join(dir, 'missing.db'), { readonly: true }), { code: 'SQLITE_CANTOPEN' });
  const path = join(dir, 'ro.db');
  const writer = openPager(path);
  appendPages(writer, 1, 5);
  const reader = openPager(path, { readonly: true });
  t.after(() => {
    reader.close();
    writer.close();
  });
  assert.throws(() => reader.beginWrite(), { code: 'SQLITE_READONLY' });
  reader.beginRead();
  assert.equal(stampOf(reader.page(2)), 5);
  reader.endRead();
});

test('header fields: schema cookie and user fields read and write through page 1', (t) => {
  const pager = openPager(join(tempDir(t), 'header.db'));
  t.after(() => pager.close());
  pager.beginWrite();
  pager.setSchemaCookie(7);
  pager.setHeaderField('userVersion', 42);
  pager.commit();
  pager.beginRead();
  assert.equal(pager.schemaCookie(), 7);
  assert.equal(pager.headerField('userVersion'), 42);
  const header = pager.header();
  assert.equal(header.changeCounter, header.versionValidFor);
  assert.equal(header.writeVersion, 2);
  assert.equal(header.readVersion, 2);
  pager.endRead();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPager } from '../../src/pager/open-pager.js';
import { PageCache } from '../../src/pager/page-cache.js';
import type { Pager } from '../../src/pager/pager.js';
import { tempDir } from './temp-dir.js';

function image(value: number): Uint8Array {
  return new Uint8Array([value]);
}

function cacheWithLog(capacity: number): { cache: PageCache; released: number[] } {
  const released: number[] = [];
  return { cache: new PageCache(capacity, (dropped) => released.push(dropped[0])), released };
}

test('the cache holds at most its capacity and evicts pages not used since the hand passed', () => {
  const { cache, released } = cacheWithLog(3);
  for (const pgno of [1, 2, 3]) cache.set(pgno, image(pgno));
  cache.get(1);
  cache.set(4, image(4));
  assert.deepEqual(released, [2], 'page 1 was used, so page 2 goes first');
  assert.equal(cache.get(2), undefined);
  assert.deepEqual([1, 3, 4].map((pgno) => cache.get(pgno)?.[0]), [1, 3, 4]);
  for (let pgno = 5; pgno < 50; pgno++) cache.set(pgno, image(pgno));
  let held = 0;
  for (let pgno = 1; pgno < 50; pgno++) if (cache.get(pgno) !== undefined) held++;
  assert.equal(held, 3);
});

test('every image the cache lets go of is released exactly once', () => {
  const { cache, released } = cacheWithLog(4);
  for (const pgno of [1, 2, 3, 4]) cache.set(pgno, image(pgno));
  cache.set(2, image(20));
  cache.set(2, cache.get(2)!);
  cache.delete(3);
  cache.delete(3);
  cache.set(5, image(5));
  cache.set(6, image(6));
  cache.setCapacity(2);
  cache.clear();
  assert.deepEqual(released.slice(0, 2), [2, 3], 'replaced and deleted images go at once');
  assert.deepEqual([...released].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 20]);
});

test('shrinking the capacity keeps the cache within the new bound', () => {
  const { cache } = cacheWithLog(8);
  for (let pgno = 1; pgno <= 8; pgno++) cache.set(pgno, image(pgno));
  cache.delete(5);
  cache.setCapacity(3);
  let held = 0;
  for (let pgno = 1; pgno <= 8; pgno++) if (cache.get(pgno) !== undefined) held++;
  assert.equal(held, 3);
  for (let pgno = 9; pgno <= 20; pgno++) cache.set(pgno, image(pgno));
  held = 0;
  for (let pgno = 1; pgno <= 20; pgno++) if (cache.get(pgno) !== undefined) held++;
  assert.equal(held, 3);
});

function stamp(page: Uint8Array, value: number): void {
  new DataView(page.buffer, page.byteOffset, page.length).setUint32(page.length - 4, value);
}

function stampOf(page: Uint8Array): number {
  return new DataView(page.buffer, page.byteOffset, page.length).getUint32(page.length - 4);
}

function writeStamps(pager: Pager, stamps: Map<number, number>): void {
  pager.beginWrite();
  for (const [pgno, value] of stamps) {
    while (pager.pageCount() < pgno) pager.growByOnePage();
    stamp(pager.writable(pgno), value);
  }
  pager.commit();
}

test('pages read through a tiny cache keep their contents across many read transactions', (t) => {
  const path = join(tempDir(t), 'tiny-cache.db');
  const pager = openPager(path);
  t.after(() => pager.close());
  pager.setCachePages(4);
  const pages = 40;
  writeStamps(pager, new Map(Array.from({ length: pages - 1 }, (_, i) => [i + 2, 1000 + i + 2])));
  let seed = 7;
  for (let round = 0; round < 300; round++) {
    pager.beginRead();
    const held: Array<[Uint8Array, number]> = [];
    for (let k = 0; k < 6; k++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const pgno = 2 + (seed % (pages - 1));
      const page = pager.page(pgno);
      assert.equal(stampOf(page), 1000 + pgno);
      held.push([page, pgno]);
    }
    for (const [page, pgno] of held) assert.equal(stampOf(page), 1000 + pgno, 'a page stays intact until its transaction ends');
    pager.endRead();
  }
});

test('a tiny cache sees what another connection committed, page by page', (t) => {
  const path = join(tempDir(t), 'two-connections.db');
  const reader = openPager(path);
  const writer = openPager(path);
  t.after(() => {
    reader.close();
    writer.close();
  });
  reader.setCachePages(3);
  const pages = 12;
  const expected = new Map(Array.from({ length: pages - 1 }, (_, i) => [i + 2, i + 2]));
  writeStamps(writer, expected);
  for (let round = 1; round <= 20; round++) {
    const changed = 2 + ((round * 5) % (pages - 1));
    expected.set(changed, round * 100 + changed);
    writeStamps(writer, new Map([[changed, expected.get(changed)!]]));
    reader.beginRead();
    for (const [pgno, value] of expected) assert.equal(stampOf(reader.page(pgno)), value, `page ${pgno} in round ${round}`);
    reader.endRead();
  }
});

/**
 * B-tree benchmark (not a test): inserts, point lookups and scans of 1M rows
 * on the in-memory pager, printed as operations per second.
 *
 *   node dist/bench/btree/btree-bench.js [rows] [pageSize]
 */
import { BTree, BulkLoader, encodeRecord, RecordEncoder } from '../../src/btree/index.js';
import { openPager } from '../../src/pager/open-pager.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const pageSize = Number(process.argv[3] ?? 4096);

function rate(label: string, count: number, run: () => void): void {
  const start = performance.now();
  run();
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(44)} ${Math.round(count / seconds).toLocaleString('en-US').padStart(12)} /s  (${seconds.toFixed(2)} s)`);
}

/** A deterministic shuffle of 1..n. */
function shuffled(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i + 1;
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

const pager = openPager(':memory:', { pageSize, cacheSize: -1_000_000 });
pager.beginWrite();
const tree = new BTree(pager);
const encoder = new RecordEncoder();
const values: [number, string, number] = [0, '', 0];
const order = shuffled(rows);

console.log(`B-tree benchmark: ${rows.toLocaleString('en-US')} rows, page size ${pageSize}`);

const sequential = tree.createTree('table');
const cursor = tree.openTableCursor(sequential);
rate('insert, sequential rowids (cursor)', rows, () => {
  for (let i = 1; i <= rows; i++) {
    values[0] = i;
    values[1] = `name-${i}`;
    values[2] = i * 0.5;
    cursor.insertRow(i, encoder.encode(values));
  }
});

const random = tree.createTree('table');
const randomCursor = tree.openTableCursor(random);
rate('insert, random rowids (cursor)', rows, () => {
  for (let i = 0; i < rows; i++) {
    const rowid = order[i];
    values[0] = rowid;
    values[1] = `name-${rowid}`;
    values[2] = rowid * 0.5;
    randomCursor.insertRow(rowid, encoder.encode(values));
  }
});

const bulk = tree.createTree('table');
rate('insert, bulk load in rowid order', rows, () => {
  const loader = new BulkLoader(tree, bulk);
  for (let i = 1; i <= rows; i++) {
    values[0] = i;
    values[1] = `name-${i}`;
    values[2] = i * 0.5;
    loader.addRow(i, encoder.encode(values));
  }
  loader.finish();
});

const index = tree.createTree('index');
const indexCursor = tree.openIndexCursor(index);
const key: [string, number] = ['', 0];
rate('index insert, random keys (cursor)', rows, () => {
  for (let i = 0; i < rows; i++) {
    key[0] = `name-${order[i]}`;
    key[1] = order[i];
    indexCursor.insertKey(encoder.encode(key));
  }
});

let found = 0;
rate('point lookup by rowid (random)', rows, () => {
  for (let i = 0; i < rows; i++) if (cursor.seekRowid(order[i], 'eq')) found++;
});
rate('point lookup by rowid + read column 1', rows, () => {
  for (let i = 0; i < rows; i++) if (cursor.seekRowid(order[i], 'eq') && cursor.record().column(1) !== null) found++;
});
rate('index lookup by key prefix (random)', rows, () => {
  for (let i = 0; i < rows; i++) if (indexCursor.seek(encodeRecord([`name-${order[i]}`]), 'ge')) found++;
});
rate('full scan, read column 0', rows, () => {
  const reader = cursor;
  for (let more = reader.first(); more; more = reader.next()) if (reader.record().column(0) !== null) found++;
});
if (found === 0) console.log('nothing found');
pager.rollback();
pager.close();

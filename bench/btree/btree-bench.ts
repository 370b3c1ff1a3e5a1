/**
 * B-tree benchmark (not a test): inserts, point lookups and scans of 1M rows
 * on the in-memory pager, printed as operations per second of wall time and
 * of this process's CPU time (user + system), since the machine is shared.
 *
 *   node dist/bench/btree/btree-bench.js [rows] [pageSize] [phases]
 *
 * `phases` is a comma-separated subset of: seq, random, bulk, index,
 * lookup, lookupcol, prefix, scan (default: all). The lookups and the scan
 * read the `seq` tree, the prefix lookup the `index` tree; a phase whose
 * tree was not built is skipped.
 */
import { BTree, BulkLoader, encodeRecord, RecordEncoder } from '../../src/btree/index.js';
import { openPager } from '../../src/pager/open-pager.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const pageSize = Number(process.argv[3] ?? 4096);
const selected = new Set((process.argv[4] ?? 'seq,random,bulk,index,lookup,lookupcol,prefix,scan').split(','));

function rate(label: string, count: number, run: () => void): void {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const perSecond = (s: number): string => Math.round(count / s).toLocaleString('en-US').padStart(12);
  console.log(`${label.padEnd(40)} ${perSecond(seconds)} /s wall (${seconds.toFixed(2)} s) ${perSecond(cpuSeconds)} /s cpu (${cpuSeconds.toFixed(2)} s)`);
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
if (selected.has('seq')) {
  rate('insert, sequential rowids (cursor)', rows, () => {
    for (let i = 1; i <= rows; i++) {
      values[0] = i;
      values[1] = `name-${i}`;
      values[2] = i * 0.5;
      cursor.insertRow(i, encoder.encode(values));
    }
  });
}

if (selected.has('random')) {
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
}

if (selected.has('bulk')) {
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
}

const index = tree.createTree('index');
const indexCursor = tree.openIndexCursor(index);
if (selected.has('index')) {
  const key: [string, number] = ['', 0];
  rate('index insert, random keys (cursor)', rows, () => {
    for (let i = 0; i < rows; i++) {
      key[0] = `name-${order[i]}`;
      key[1] = order[i];
      indexCursor.insertKey(encoder.encode(key));
    }
  });
}

let found = 0;
if (selected.has('seq')) {
  if (selected.has('lookup')) {
    rate('point lookup by rowid (random)', rows, () => {
      for (let i = 0; i < rows; i++) if (cursor.seekRowid(order[i], 'eq')) found++;
    });
  }
  if (selected.has('lookupcol')) {
    rate('point lookup by rowid + read column 1', rows, () => {
      for (let i = 0; i < rows; i++) if (cursor.seekRowid(order[i], 'eq') && cursor.record().column(1) !== null) found++;
    });
  }
  if (selected.has('scan')) {
    rate('full scan, read column 0', rows, () => {
      for (let more = cursor.first(); more; more = cursor.next()) if (cursor.record().column(0) !== null) found++;
    });
  }
}
if (selected.has('index') && selected.has('prefix')) {
  rate('index lookup by key prefix (random)', rows, () => {
    for (let i = 0; i < rows; i++) if (indexCursor.seek(encodeRecord([`name-${order[i]}`]), 'ge')) found++;
  });
}
if (found === 0) console.log('nothing found');
pager.rollback();
pager.close();

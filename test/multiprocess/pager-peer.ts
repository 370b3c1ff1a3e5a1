// Child process for the multi-process pager tests. Usage:
//   node pager-peer.js writer DB TRANSACTIONS   increments the counters in pages 2 and 3
//   node pager-peer.js reader DB STOPFILE       checks page 2 = page 3 in every snapshot
// Prints one JSON line with what it did.
import { existsSync } from 'node:fs';
import { openPager } from '../../src/pager/open-pager.js';
import { readU32, writeU32 } from '../../src/pager/database-header.js';

const [role, dbPath, arg] = process.argv.slice(2);
const pager = openPager(dbPath, { multiProcess: true, busyTimeout: 20000 });

if (role === 'writer') {
  const transactions = Number(arg);
  for (let i = 0; i < transactions; i++) {
    pager.beginWrite();
    const value = readU32(pager.page(2), 0);
    writeU32(pager.writable(2), 0, value + 1);
    writeU32(pager.writable(3), 0, value + 1);
    pager.commit();
  }
  pager.close();
  process.stdout.write(`${JSON.stringify({ committed: transactions })}\n`);
} else {
  let snapshots = 0;
  let violations = 0;
  while (!existsSync(arg)) {
    pager.beginRead();
    if (readU32(pager.page(2), 0) !== readU32(pager.page(3), 0)) violations++;
    pager.endRead();
    snapshots++;
  }
  pager.close();
  process.stdout.write(`${JSON.stringify({ snapshots, violations })}\n`);
}

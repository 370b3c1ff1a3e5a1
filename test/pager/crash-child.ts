/**
 * Child process of crash.test.ts. Opens the database given as argv[2], runs
 * argv[3] transactions (transaction i grows the database by 3 pages stamped i
 * and stamps page 2 with i), printing "committed i" after each commit; then
 * starts a large transaction, prints "in-transaction" and waits to be killed.
 */
import { openPager } from '../../src/pager/open-pager.js';

const [path, countText, autocheckpointText] = process.argv.slice(2);
const pager = openPager(path!, { walAutocheckpoint: Number(autocheckpointText) });

function stamp(page: Uint8Array, value: number): void {
  new DataView(page.buffer, page.byteOffset, page.length).setUint32(page.length - 4, value);
}

for (let i = 1; i <= Number(countText); i++) {
  pager.beginWrite();
  for (let k = 0; k < 3; k++) stamp(pager.writable(pager.growByOnePage()), i);
  stamp(pager.writable(2), i);
  pager.commit();
  process.stdout.write(`committed ${i}\n`);
}

pager.beginWrite();
for (let k = 0; k < 400; k++) stamp(pager.writable(pager.growByOnePage()), 999_999);
for (let pgno = 2; pgno <= 50; pgno++) stamp(pager.writable(pgno), 999_999);
process.stdout.write('in-transaction\n');
setInterval(() => {}, 1000);

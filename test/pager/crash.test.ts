import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPager } from '../../src/pager/open-pager.js';
import { tempDir } from './temp-dir.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));

function stampOf(page: Uint8Array): number {
  return new DataView(page.buffer, page.byteOffset, page.length).getUint32(page.length - 4);
}

/** Runs the child until it is inside its large transaction, kills it with SIGKILL, returns the commits it reported. */
async function runAndKill(path: string, transactions: number, autocheckpoint: number): Promise<number[]> {
  const child = spawn(process.execPath, [CHILD, path, String(transactions), String(autocheckpoint)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const committed: number[] = [];
  let buffered = '';
  let inTransaction = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith('committed ')) committed.push(Number(line.slice(10)));
      if (line === 'in-transaction' && !inTransaction) {
        inTransaction = true;
        child.kill('SIGKILL');
      }
    }
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  assert.equal(signal, 'SIGKILL', `child exited with code ${code} instead of being killed`);
  assert.ok(inTransaction, 'child never reached its large transaction');
  return committed;
}

for (const autocheckpoint of [0, 7]) {
  test(`SIGKILL inside a large transaction keeps exactly the committed ones (autocheckpoint ${autocheckpoint})`, async (t) => {
    const path = join(tempDir(t), 'crash.db');
    const committed = await runAndKill(path, 25, autocheckpoint);
    assert.deepEqual(committed, Array.from({ length: 25 }, (_, i) => i + 1));
    const pager = openPager(path, { readonly: true });
    t.after(() => pager.close());
    pager.beginRead();
    assert.equal(pager.pageCount(), 1 + 25 * 3);
    assert.equal(stampOf(pager.page(2)), 25);
    for (let i = 1; i <= 25; i++) {
      for (let k = 0; k < 3; k++) {
        const pgno = 2 + (i - 1) * 3 + k;
        if (pgno !== 2) assert.equal(stampOf(pager.page(pgno)), i, `page ${pgno}`);
      }
    }
    pager.endRead();
  });
}

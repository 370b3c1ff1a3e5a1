// Several OS processes share one database through the -tshm coordination at
// the pager level: no lost update, and readers see only whole transactions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPager } from '../../src/pager/open-pager.js';
import { readU32 } from '../../src/pager/database-header.js';

const peerScript = new URL('./pager-peer.js', import.meta.url).pathname;

function runPeer(args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [peerScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as Record<string, number>);
      else reject(new Error(`peer ${args[0]} exited ${code}: ${err}`));
    });
  });
}

test('4 writer processes lose no update while 2 reader processes see only whole transactions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-mp-'));
  try {
    const dbPath = join(dir, 'counter.db');
    const setup = openPager(dbPath, { multiProcess: true });
    setup.beginWrite();
    assert.equal(setup.growByOnePage(), 2);
    assert.equal(setup.growByOnePage(), 3);
    setup.commit();
    setup.close();

    const stopFile = join(dir, 'stop');
    const readers = [runPeer(['reader', dbPath, stopFile]), runPeer(['reader', dbPath, stopFile])];
    const writers = [0, 1, 2, 3].map(() => runPeer(['writer', dbPath, '300']));
    const written = await Promise.all(writers);
    writeFileSync(stopFile, '');
    const read = await Promise.all(readers);

    assert.equal(written.reduce((sum, w) => sum + w.committed, 0), 1200);
    for (const r of read) {
      assert.equal(r.violations, 0);
      assert.ok(r.snapshots > 0);
    }
    const check = openPager(dbPath, { multiProcess: true });
    check.beginRead();
    assert.equal(readU32(check.page(2), 0), 1200);
    assert.equal(readU32(check.page(3), 0), 1200);
    check.endRead();
    check.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

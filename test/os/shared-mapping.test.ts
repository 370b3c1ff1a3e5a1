import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SharedMapping } from '../../src/os/shared-mapping.js';
import { ChildPeer } from './child-process.js';

const CHILD = new URL('./os-child.js', import.meta.url);

test('Atomics on a shared mapping add up exactly across processes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-os-'));
  const path = join(dir, 'counter');
  writeFileSync(path, Buffer.alloc(4096));
  try {
    const children = [new ChildPeer(CHILD, ['add', path, '100000']), new ChildPeer(CHILD, ['add', path, '100000'])];
    for (const child of children) assert.equal(await child.nextLine(), 'done');
    for (const child of children) assert.equal(await child.exit(), 0);

    const fd = openSync(path, 'r+');
    const mapping = SharedMapping.map(fd, 0, 4096);
    assert.equal(Atomics.load(new Int32Array(mapping.buffer), 0), 200_000);
    assert.equal(Atomics.load(new BigInt64Array(mapping.buffer), 1), 200_000n);
    Atomics.store(new BigUint64Array(mapping.buffer), 2, 0xffff_ffff_ffff_ffffn);
    mapping.unmap();
    mapping.unmap();
    assert.equal(mapping.mapped, false);
    closeSync(fd);
    assert.equal(readFileSync(path).readBigUInt64LE(16), 0xffff_ffff_ffff_ffffn, 'stores reach the file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed mmap throws SQLITE_IOERR_SHMMAP naming the errno', () => {
  assert.throws(() => SharedMapping.map(1_000_000, 0, 4096), { code: 'SQLITE_IOERR_SHMMAP', message: /EBADF/ });
  assert.throws(() => SharedMapping.map(0, 0, 0), RangeError);
});

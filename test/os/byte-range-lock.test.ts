import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteRangeLock } from '../../src/os/byte-range-lock.js';
import { syscallCount } from '../../src/os/syscall-counter.js';
import { ChildPeer } from './child-process.js';

const CHILD = new URL('./os-child.js', import.meta.url);

function scratchFile(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-os-'));
  const path = join(dir, 'locked');
  writeFileSync(path, Buffer.alloc(64));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('an OFD lock held by a child blocks the parent until the child is killed', async () => {
  const { path, cleanup } = scratchFile();
  const fd = openSync(path, 'r+');
  const child = new ChildPeer(CHILD, ['hold-lock', path, 'ofd', '3', 'exclusive']);
  try {
    assert.match(await child.nextLine(), /^locked \d+$/);
    const lock = new ByteRangeLock(fd, 3, 1, 'ofd');
    assert.equal(lock.tryLock('exclusive'), false);
    assert.equal(lock.tryLock('shared'), false);
    assert.deepEqual(lock.conflictingHolder('shared'), { mode: 'exclusive', pid: -1 });
    const neighbour = new ByteRangeLock(fd, 4, 1, 'ofd');
    assert.equal(neighbour.conflictingHolder('exclusive'), null);
    assert.equal(neighbour.tryLock('exclusive'), true);

    await child.kill();
    assert.equal(lock.conflictingHolder('exclusive'), null);
    assert.equal(lock.tryLock('exclusive'), true);
    lock.unlock();
    neighbour.unlock();
  } finally {
    await child.kill();
    closeSync(fd);
    cleanup();
  }
});

test('shared OFD locks coexist across processes and exclude an exclusive one', async () => {
  const { path, cleanup } = scratchFile();
  const fd = openSync(path, 'r+');
  const child = new ChildPeer(CHILD, ['hold-lock', path, 'ofd', '0', 'shared']);
  try {
    await child.nextLine();
    const lifetime = new ByteRangeLock(fd, 0, 1, 'ofd');
    assert.equal(lifetime.tryLock('exclusive'), false);
    assert.equal(lifetime.tryLock('shared'), true);
    assert.deepEqual(lifetime.conflictingHolder('exclusive'), { mode: 'shared', pid: -1 });
    assert.equal(lifetime.tryLock('exclusive'), false, 'converting to exclusive must fail while the child shares');
    await child.kill();
    assert.equal(lifetime.tryLock('exclusive'), true, 'the held shared lock converts in place');
    lifetime.unlock();
  } finally {
    await child.kill();
    closeSync(fd);
    cleanup();
  }
});

test('two open file descriptions in one process conflict like two processes', () => {
  const { path, cleanup } = scratchFile();
  const first = openSync(path, 'r+');
  const second = openSync(path, 'r+');
  try {
    const a = new ByteRangeLock(first, 1, 1, 'ofd');
    const b = new ByteRangeLock(second, 1, 1, 'ofd');
    assert.equal(a.tryLock('exclusive'), true);
    assert.equal(b.tryLock('exclusive'), false);
    assert.deepEqual(b.conflictingHolder('exclusive'), { mode: 'exclusive', pid: -1 });
    a.unlock();
    assert.equal(b.tryLock('exclusive'), true);
    b.unlock();
  } finally {
    closeSync(first);
    closeSync(second);
    cleanup();
  }
});

test('a POSIX lock held by a child reports its pid and is dropped by SIGKILL', async () => {
  const { path, cleanup } = scratchFile();
  const fd = openSync(path, 'r+');
  const child = new ChildPeer(CHILD, ['hold-lock', path, 'posix', '7', 'exclusive']);
  try {
    const [, pid] = (await child.nextLine()).split(' ');
    const lock = new ByteRangeLock(fd, 7, 1, 'posix');
    assert.deepEqual(lock.conflictingHolder('shared'), { mode: 'exclusive', pid: Number(pid) });
    assert.equal(lock.tryLock('shared'), false);
    const ofd = new ByteRangeLock(fd, 7, 1, 'ofd');
    assert.equal(ofd.tryLock('shared'), false, 'OFD and POSIX locks conflict on Linux');
    await child.kill();
    assert.equal(lock.tryLock('exclusive'), true);
    lock.unlock();
  } finally {
    await child.kill();
    closeSync(fd);
    cleanup();
  }
});

test('every lock call is counted as a system call and bad descriptors throw SQLITE_IOERR_LOCK', () => {
  const { path, cleanup } = scratchFile();
  const fd = openSync(path, 'r+');
  try {
    const lock = new ByteRangeLock(fd, 2, 1, 'ofd');
    const before = syscallCount();
    lock.tryLock('exclusive');
    lock.conflictingHolder('exclusive');
    lock.unlock();
    assert.equal(syscallCount() - before, 3);
  } finally {
    closeSync(fd);
    cleanup();
  }
  const stale = new ByteRangeLock(fd, 2, 1, 'ofd');
  assert.throws(() => stale.tryLock('exclusive'), { code: 'SQLITE_IOERR_LOCK', message: /EBADF/ });
  assert.throws(() => new ByteRangeLock(0, -1, 1, 'ofd'), RangeError);
});

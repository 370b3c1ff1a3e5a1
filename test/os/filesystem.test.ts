import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeFilesystem, filesystemOf, UNSAFE_SHARED_MEMORY_FILESYSTEMS } from '../../src/os/filesystem.js';

test('/dev/shm is tmpfs and accepted', { skip: !existsSync('/dev/shm') }, () => {
  assert.deepEqual(filesystemOf('/dev/shm'), { type: 0x01021994, name: 'tmpfs', sharedMemorySafe: true });
});

test('the working directory has a plausible filesystem type, also measured through a missing file', () => {
  const here = filesystemOf(process.cwd());
  assert.ok(Number.isInteger(here.type) && here.type > 0);
  assert.ok(here.name.length > 0);
  assert.deepEqual(filesystemOf(join(process.cwd(), 'no-such-database.db')), here);
});

test('network filesystems are refused by name', { skip: process.platform !== 'linux' }, () => {
  assert.deepEqual(describeFilesystem(0x6969), { type: 0x6969, name: 'NFS', sharedMemorySafe: false });
  assert.equal(describeFilesystem(0xff534d42).name, 'CIFS');
  assert.equal(UNSAFE_SHARED_MEMORY_FILESYSTEMS.size, 11);
  assert.equal(describeFilesystem(0xef53).sharedMemorySafe, true);
});

test('a path under a missing directory is a SQLITE_CANTOPEN error', () => {
  assert.throws(() => filesystemOf('/no/such/directory/db'), { code: 'SQLITE_CANTOPEN' });
});

/**
 * Child process for the `src/os/` tests. `hold-lock <file> <ofd|posix> <byte>
 * <shared|exclusive>` takes a lock, prints `locked <pid>` and then stays
 * alive until killed; `add <file> <count>` adds 1 to the Int32 at offset 0 and
 * the BigInt64 at offset 8 of a shared mapping `count` times each, printing
 * `done` when finished.
 */
import { closeSync, openSync } from 'node:fs';
import { ByteRangeLock, type LockFlavor, type LockMode } from '../../src/os/byte-range-lock.js';
import { SharedMapping } from '../../src/os/shared-mapping.js';

const [command, file, ...rest] = process.argv.slice(2);

if (command === 'hold-lock') {
  const [flavor, byte, mode] = rest;
  const fd = openSync(file!, 'r+');
  const lock = new ByteRangeLock(fd, Number(byte), 1, flavor as LockFlavor);
  lock.lock(mode as LockMode);
  process.stdout.write(`locked ${process.pid}\n`);
  setInterval(() => undefined, 60_000);
} else if (command === 'add') {
  const count = Number(rest[0]);
  const fd = openSync(file!, 'r+');
  const mapping = SharedMapping.map(fd, 0, 4096);
  const words = new Int32Array(mapping.buffer, 0, 1);
  const wide = new BigInt64Array(mapping.buffer, 8, 1);
  for (let i = 0; i < count; i++) {
    Atomics.add(words, 0, 1);
    Atomics.add(wide, 0, 1n);
  }
  mapping.unmap();
  closeSync(fd);
  process.stdout.write('done\n');
} else {
  throw new Error(`unknown command ${command}`);
}

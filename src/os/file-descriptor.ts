/**
 * Opening and closing raw file descriptors for the layers that need one
 * (locks and maps work on descriptors, not on Node file handles).
 *
 * Promises: every call is counted as a system call; a file that cannot be
 * opened becomes a `SQLITE_CANTOPEN` SqliteError naming the path and the
 * errno code, never a bare Node error.
 */
import { closeSync, openSync } from 'node:fs';
import { SqliteError } from '../sqlite-error.js';
import { countSyscall } from './syscall-counter.js';

/** `open(path, flags, mode)` with Node's `fs.constants` flags. */
export function openFileDescriptor(path: string, flags: number, mode = 0o666): number {
  countSyscall();
  try {
    return openSync(path, flags, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new SqliteError(`unable to open database file: cannot open ${path} (${code})`, 'SQLITE_CANTOPEN');
  }
}

/**
 * `close(fd)`: drops every OFD lock held through this open file description
 * and, POSIX being process-scoped, every classic POSIX lock this process
 * holds on the file, whichever descriptor took it.
 */
export function closeFileDescriptor(fd: number): void {
  countSyscall();
  closeSync(fd);
}

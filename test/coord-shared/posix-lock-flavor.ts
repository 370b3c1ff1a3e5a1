/**
 * Test helpers for the POSIX lock flavor forced on Linux: which locks the
 * kernel lists on a file (from `/proc/locks`, so a test can see that forcing
 * really took classic POSIX locks), and spawning with a chosen
 * `SHOAL_LOCKS` value (children inherit the environment at spawn time).
 */
import { readFileSync, statSync } from 'node:fs';

export interface KernelLock {
  /** `POSIX` for classic process-scoped locks, `OFDLCK` for open file description locks. */
  readonly kind: string;
  readonly mode: 'READ' | 'WRITE';
  /** The holder's pid; -1 for OFD locks. */
  readonly pid: number;
  readonly start: number;
  /** Last byte, inclusive ("EOF" reads as NaN). */
  readonly end: number;
  /** True for a request blocked behind a granted lock (listed with `->`). */
  readonly waiting: boolean;
}

/** The locks the kernel lists on the file at `path` right now. */
export function kernelLocksOn(path: string): KernelLock[] {
  const inode = statSync(path).ino;
  const locks: KernelLock[] = [];
  for (const line of readFileSync('/proc/locks', 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    const waiting = fields[1] === '->';
    if (waiting) fields.splice(1, 1);
    const [, kind, , mode, pid, device, start, end] = fields;
    if (device === undefined || Number(device.split(':')[2]) !== inode) continue;
    locks.push({ kind: kind!, mode: mode as 'READ' | 'WRITE', pid: Number(pid), start: Number(start), end: Number(end), waiting });
  }
  return locks;
}

/** Runs `spawn` (which must start its processes synchronously) with `SHOAL_LOCKS` set to `flavor` (unset for undefined). */
export function withLockFlavor<T>(flavor: 'ofd' | 'posix' | undefined, spawn: () => T): T {
  const before = process.env.SHOAL_LOCKS;
  if (flavor === undefined) delete process.env.SHOAL_LOCKS;
  else process.env.SHOAL_LOCKS = flavor;
  try {
    return spawn();
  } finally {
    if (before === undefined) delete process.env.SHOAL_LOCKS;
    else process.env.SHOAL_LOCKS = before;
  }
}

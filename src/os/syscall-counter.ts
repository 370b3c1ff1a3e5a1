/**
 * Syscall counter: how many system calls this thread has made through the
 * layers that own them.
 *
 * Every foreign call `src/os/` makes through koffi adds one here before it
 * enters the kernel, and so does every Node `fs` call of `src/os/` and
 * `src/coord/` (open, fstat, ftruncate, fsync, close), so a benchmark can
 * assert that an operation (a read transaction, say) made no system call.
 * The count lives in module state, and every worker_thread loads its own
 * copy of this module, so the counter is per thread without any locking.
 */

let systemCalls = 0;

/** Records one system call (for `src/os/` and `src/coord/` call sites). */
export function countSyscall(): void {
  systemCalls++;
}

/** System calls counted on this thread since it loaded `src/os/`. */
export function syscallCount(): number {
  return systemCalls;
}

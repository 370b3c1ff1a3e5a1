/**
 * Busy waiting: retrying a try-once lock attempt until a busy timeout.
 *
 * A lock is most often busy for microseconds: a peer that just published its
 * commit still has to release the writer lock, and the process that saw the
 * commit is already trying to write. So the attempts first repeat without
 * sleeping for `SPIN_MICROS` (a sleep, however short, costs the kernel's
 * timer slack, about 50 µs), then come after sleeps of a few microseconds,
 * doubling (about 100 µs in all); then SQLite's back-off schedule follows
 * (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms, then 100 ms). Spinning
 * is not counted against the timeout. Sleeps block the thread with `Atomics.wait`
 * on a private SharedArrayBuffer, so no event-loop turn runs in between and
 * the core is yielded to the peer. The total sleep never exceeds the
 * timeout, so every wait is bounded.
 */

const SPIN_MICROS = 30;
const QUICK_DELAYS_MS = [0.005, 0.005, 0.01, 0.02, 0.02, 0.04];
const DELAYS_MS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Calls `attempt` until it returns true or `timeoutMs` of sleeping has passed; returns its last answer. */
export function retryWithBackoff(attempt: () => boolean, timeoutMs: number): boolean {
  if (attempt()) return true;
  const spinUntil = performance.now() + SPIN_MICROS / 1000;
  while (performance.now() < spinUntil) if (attempt()) return true;
  let slept = 0;
  for (let round = 0; slept < timeoutMs; round++) {
    const scheduled = round < QUICK_DELAYS_MS.length
      ? QUICK_DELAYS_MS[round]!
      : DELAYS_MS[Math.min(round - QUICK_DELAYS_MS.length, DELAYS_MS.length - 1)]!;
    const delay = Math.min(scheduled, timeoutMs - slept);
    Atomics.wait(sleepCell, 0, 0, delay);
    slept += delay;
    if (attempt()) return true;
  }
  return false;
}

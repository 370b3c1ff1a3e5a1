/**
 * Busy waiting: retrying a try-once lock attempt until a busy timeout, with
 * SQLite's back-off schedule (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms,
 * then 100 ms). Sleeps block the thread with `Atomics.wait` on a private
 * SharedArrayBuffer, so no event-loop turn runs in between. The total sleep
 * never exceeds the timeout, so every wait is bounded.
 */

const DELAYS_MS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Calls `attempt` until it returns true or `timeoutMs` of sleeping has passed; returns its last answer. */
export function retryWithBackoff(attempt: () => boolean, timeoutMs: number): boolean {
  if (attempt()) return true;
  let slept = 0;
  for (let round = 0; slept < timeoutMs; round++) {
    const delay = Math.min(DELAYS_MS[Math.min(round, DELAYS_MS.length - 1)]!, timeoutMs - slept);
    Atomics.wait(sleepCell, 0, 0, delay);
    slept += delay;
    if (attempt()) return true;
  }
  return false;
}

/**
 * Bounded waiting for the few places where a peer may hold a word of the
 * mapping in a transient state (an odd seqlock, a pin racing a commit).
 *
 * `Backoff` first spins for about `SPIN_MICROS` (the other side is usually a
 * few instructions from done, and a commit must become visible to a polling
 * peer in microseconds, not after a millisecond sleep), then sleeps with
 * delays growing from a few microseconds (which also yields the CPU to a
 * descheduled peer on a busy machine) to 50 ms, and reports exhaustion after
 * about three seconds of sleep in total, so a crashed peer turns into an
 * error instead of a hang. Sleeping uses `Atomics.wait` on a private
 * SharedArrayBuffer: it blocks only this thread and makes no FFI call.
 */

const SPIN_MICROS = 50;
const FIRST_DELAY_MS = 0.005;
const MAX_DELAY_MS = 50;
const TOTAL_BUDGET_MS = 3000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(milliseconds: number): void {
  Atomics.wait(sleeper, 0, 0, milliseconds);
}

export class Backoff {
  private spinUntil = -1;
  private delayMs = FIRST_DELAY_MS;
  private sleptMs = 0;

  /** Waits before the next try; false once the budget is spent (the caller gives up). */
  pause(): boolean {
    if (this.spinUntil < 0) this.spinUntil = performance.now() + SPIN_MICROS / 1000;
    if (performance.now() < this.spinUntil) return true;
    if (this.sleptMs >= TOTAL_BUDGET_MS) return false;
    sleep(this.delayMs);
    this.sleptMs += this.delayMs;
    this.delayMs = Math.min(MAX_DELAY_MS, this.delayMs * 2);
    return true;
  }
}
